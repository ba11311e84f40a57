/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient against the stand-in MSSP, for the additions: receipts, additional
 * services and their responses, CMS results (signed attributes or not), statuses
 * 501/503/505, log levels, HTTP Basic, text/xml answers and the new options.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/crypto.h>

#include <mss/verify.h>
#include "cms_fixture.h"
#include "mock_mssp.h"

static const unsigned char DTBS[] = "dtbs bytes";
static cms_fixture pki;
/* What the synch responder returns (set by each test before signing). */
static struct {
    int status;
    mss_signature_kind kind;
    const unsigned char *sig;
    size_t sig_len;
    const unsigned char *cert;
    size_t cert_len;
    mss_service_response *responses;
    size_t n_responses;
    const char *content_type;
} answer;

/* ------------------------------------------------------------- responders */

static void respond_synch(server *s, const mss_message *req, reply *out)
{
    (void)s;
    if (req->type == MSS_MSG_RECEIPT_REQ) {
        if (strcmp(req->u.receipt_req.mssp_trans_id, "gone") == 0) {
            answer_fault(101, 0, "WRONG_PARAM", out);
            return;
        }
        out->msg.type = MSS_MSG_RECEIPT_RESP;
        out->msg.u.receipt_resp.hdr = answer_header(&req->u.receipt_req.hdr);
        out->msg.u.receipt_resp.status.code =
            strcmp(req->u.receipt_req.mssp_trans_id, "late") == 0 ? 208 : 100;
        return;
    }
    answer_signature_resp(req, answer.status, out);
    mss_signature_resp *r = &out->msg.u.signature_resp;
    r->signature.kind = answer.kind;
    r->signature.value = (unsigned char *)answer.sig;
    r->signature.value_len = answer.sig_len;
    r->signature.cert_der = (unsigned char *)answer.cert;
    r->signature.cert_len = answer.cert_len;
    r->service_responses = answer.responses;
    r->n_service_responses = answer.n_responses;
    out->content_type = answer.content_type;
}

/* ------------------------------------------------------------- helpers */

static char log_text[32768];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_levels_seen[4];

static void capture_log(int level, const char *line, void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&log_lock);
    size_t used = strlen(log_text);
    snprintf(log_text + used, sizeof log_text - used, "%s\n", line);
    if (level >= 0 && level < 4)
        log_levels_seen[level]++;
    pthread_mutex_unlock(&log_lock);
}

static void clear_log(void)
{
    pthread_mutex_lock(&log_lock);
    log_text[0] = '\0';
    memset(log_levels_seen, 0, sizeof log_levels_seen);
    pthread_mutex_unlock(&log_lock);
}

static mss_client_options synch_options(const server *s)
{
    mss_client_options o = {0};
    o.url = s ? s->url : "https://mssp.example/soap";
    o.ap_id = "http://ap.test/";
    o.ap_pwd = "pw-secret";
    o.mode = MSS_MODE_SYNCH;
    o.timeout_s = 5;
    o.connect_timeout_ms = 2000;
    o.allow_plain_http = 1;
    o.log = capture_log;
    return o;
}

static mss_sign_request request(void)
{
    mss_sign_request r = {0};
    r.msisdn = MOCK_MSISDN;
    r.dtbs = DTBS;
    r.dtbs_len = sizeof DTBS - 1;
    return r;
}

static void set_answer(int status, mss_signature_kind kind, const unsigned char *sig, size_t len)
{
    memset(&answer, 0, sizeof answer);
    answer.status = status;
    answer.kind = kind;
    answer.sig = sig;
    answer.sig_len = len;
}

static int setup(void **state)
{
    (void)state;
    cms_fixture_init(&pki, "user");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cms_fixture_free(&pki);
    return 0;
}

/* ------------------------------------------------------------- tests */

static void test_receipt(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    mss_client_options o = synch_options(s);
    mss_client *c = new_client(&o);
    assert_int_equal(mss_client_receipt(c, 0, MOCK_MSISDN, "tid7", 500, "Thank you", &detail), MSS_OK);
    assert_int_equal(detail.status, 100);
    assert_int_equal(s->n_receipt, 1);
    assert_string_equal(s->receipt_mssp_trans_id, "tid7");
    assert_string_equal(s->receipt_message, "Thank you");
    assert_int_equal(s->receipt_status, 500);
    /* Without status and message. */
    assert_int_equal(mss_client_receipt(c, 0, MOCK_MSISDN, "tid8", 0, NULL, NULL), MSS_OK);
    assert_int_equal(s->receipt_status, 0);
    assert_string_equal(s->receipt_message, "(null)");
    /* A fault and a non-100 status are errors, with the code. */
    assert_int_equal(mss_client_receipt(c, 0, MOCK_MSISDN, "gone", 500, NULL, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 101);
    assert_int_equal(mss_client_receipt(c, 0, MOCK_MSISDN, "late", 500, NULL, &detail), MSS_ERR_STATUS);
    assert_int_equal(detail.status, 208);
    assert_non_null(strstr(detail.text, "EXPIRED_TRANSACTION"));
    /* Bad arguments never reach the network. */
    unsigned before = s->n_receipt;
    assert_int_equal(mss_client_receipt(c, 0, NULL, "t", 500, NULL, &detail), MSS_ERR_ARGS);
    assert_int_equal(mss_client_receipt(c, 0, MOCK_MSISDN, "a b", 500, NULL, &detail), MSS_ERR_ARGS);
    assert_int_equal(mss_client_receipt(c, 0, MOCK_MSISDN, "t", 1000, NULL, &detail), MSS_ERR_ARGS);
    assert_int_equal(mss_client_receipt(NULL, 0, MOCK_MSISDN, "t", 500, NULL, &detail), MSS_ERR_ARGS);
    assert_int_equal(s->n_receipt, before);
    mss_client_free(c);
    server_stop(s);
}

static void test_services_are_sent(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    mss_client_options o = synch_options(s);
    mss_client *c = new_client(&o);
    static const unsigned char raw[] = {1, 2, 3, 4};
    set_answer(500, MSS_SIG_BASE64, raw, sizeof raw);
    mss_service services[] = {
        {(char *)MSS_SERVICE_URI_EVENT_ID, (char *)"AB12", 0},
        {(char *)MSS_SERVICE_URI_NO_SPAM, (char *)"spam1", 1},
        {(char *)MSS_SERVICE_URI_USER_LANG, (char *)"EN", 0},
        {(char *)MSS_SERVICE_URI_VALIDATE, NULL, 0},
    };
    mss_sign_request r = request();
    r.services = services;
    r.n_services = 4;
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_string_equal(s->sig_services,
                        MSS_SERVICE_URI_EVENT_ID "=AB12;" MSS_SERVICE_URI_NO_SPAM "=spam1(no-verify);"
                        MSS_SERVICE_URI_USER_LANG "=EN;" MSS_SERVICE_URI_VALIDATE "=;");
    /* A raw signature is its own raw value. */
    assert_int_equal(res.is_cms, 0);
    assert_int_equal(res.raw_signature_len, sizeof raw);
    assert_memory_equal(res.raw_signature, raw, sizeof raw);
    mss_sign_result_clear(&res);

    /* A service without URI, or with a control character, is refused locally. */
    unsigned before = s->n_sig;
    mss_service bad[] = {{NULL, NULL, 0}};
    r.services = bad;
    r.n_services = 1;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);
    mss_service bad2[] = {{(char *)MSS_SERVICE_URI_USER_LANG, (char *)"E\nN", 0}};
    r.services = bad2;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);
    r.services = NULL;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);
    /* The encoder refuses a parameter the service cannot carry. */
    mss_service bad3[] = {{(char *)MSS_SERVICE_URI_VALIDATE, (char *)"x", 0}};
    r.services = bad3;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);
    assert_int_equal(s->n_sig, before);
    mss_client_free(c);
    server_stop(s);
}

static void test_service_responses_and_certificates(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    mss_client_options o = synch_options(s);
    mss_client *c = new_client(&o);
    static const unsigned char raw[] = {9, 8, 7};
    static const unsigned char ca[] = {0x30, 0x03, 0x02, 0x01, 0x09};
    set_answer(502, MSS_SIG_FICOM_PKCS1, raw, sizeof raw);
    answer.cert = MOCK_CERT;
    answer.cert_len = sizeof MOCK_CERT;
    /* The chain repeats the user certificate: it must be listed once. */
    mss_blob chain[] = {{(unsigned char *)MOCK_CERT, sizeof MOCK_CERT},
                        {(unsigned char *)ca, sizeof ca}};
    mss_service_response responses[] = {
        {(char *)MSS_SERVICE_URI_VALIDATE, {502, 0, (char *)"VALID_SIGNATURE"}, NULL, 0},
        {(char *)MSS_SERVICE_URI_SIGNING_CERT, {0, 0, NULL}, chain, 2},
    };
    answer.responses = responses;
    answer.n_responses = 2;
    answer.content_type = "text/xml;charset=UTF-8"; /* Swisscom's SOAP media type */
    mss_sign_request r = request();
    r.format = MSS_FORMAT_FICOM_PKCS1;
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(res.kind, MSS_SIG_FICOM_PKCS1);
    assert_int_equal(res.n_service_responses, 2);
    assert_string_equal(res.service_responses[0].uri, MSS_SERVICE_URI_VALIDATE);
    assert_int_equal(res.service_responses[0].status.code, 502);
    assert_int_equal(res.service_responses[1].n_certs, 2);
    assert_int_equal(res.n_certs, 2);
    assert_memory_equal(res.certs[0].data, MOCK_CERT, sizeof MOCK_CERT);
    assert_memory_equal(res.certs[1].data, ca, sizeof ca);
    assert_memory_equal(res.raw_signature, raw, sizeof raw);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_cms_results(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    mss_client_options o = synch_options(s);
    mss_client *c = new_client(&o);
    unsigned char *with_attrs = NULL, *plain = NULL;
    size_t with_len = 0, plain_len = 0;
    cms_fixture_sign(&pki, DTBS, sizeof DTBS - 1, CMS_FX_SIGNED_ATTRS | CMS_FX_DETACHED,
                     &with_attrs, &with_len);
    cms_fixture_sign(&pki, DTBS, sizeof DTBS - 1, CMS_FX_DETACHED, &plain, &plain_len);
    mss_sign_request r = request();
    mss_sign_result res;

    /* PKCS1 asked, CMS over signed attributes returned: an error, flagged. */
    set_answer(500, MSS_SIG_BASE64, with_attrs, with_len);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_FORMAT);
    assert_int_equal(res.is_cms, 1);
    assert_int_equal(res.cms_signed_attrs, 1);
    assert_null(res.raw_signature);
    assert_non_null(strstr(detail.text, "signed attributes"));
    mss_sign_result_clear(&res);

    /* CMS asked: the same answer is fine; the certificate comes out of it. */
    r.format = MSS_FORMAT_CMS;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(res.cms_signed_attrs, 1);
    assert_int_equal(res.n_certs, 1);
    assert_memory_equal(res.certs[0].data, pki.cert_der, pki.cert_len);
    assert_int_equal(mss_verify_cms(res.signature, res.signature_len, DTBS, sizeof DTBS - 1,
                                    res.certs[0].data, res.certs[0].len, &detail), MSS_OK);
    mss_sign_result_clear(&res);

    /* PKCS1 asked, CMS without signed attributes: its raw value is usable. */
    r.format = NULL;
    set_answer(500, MSS_SIG_BASE64, plain, plain_len);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(res.is_cms, 1);
    assert_int_equal(res.cms_signed_attrs, 0);
    assert_int_equal(res.raw_signature_len, 256);
    assert_int_equal(res.signature_len, plain_len); /* still the bytes as returned */
    mss_sign_result_clear(&res);
    OPENSSL_free(with_attrs);
    OPENSSL_free(plain);
    mss_client_free(c);
    server_stop(s);
}

/* A signature with 501, 503 or 505 is the MSSP's own verdict against it. */
static void test_signatures_with_bad_verdicts_are_errors(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    mss_client_options o = synch_options(s);
    mss_client *c = new_client(&o);
    static const unsigned char raw[] = {5, 5, 5};
    const int codes[] = {501, 503, 505};
    for (size_t i = 0; i < 3; i++) {
        set_answer(codes[i], MSS_SIG_BASE64, raw, sizeof raw);
        mss_sign_request r = request();
        mss_sign_result res;
        assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_STATUS);
        assert_int_equal(detail.status, codes[i]);
        assert_null(res.signature);
        assert_null(res.raw_signature);
        char code[8];
        snprintf(code, sizeof code, "%d", codes[i]);
        assert_non_null(strstr(detail.text, code));
        mss_sign_result_clear(&res);
    }
    mss_client_free(c);
    server_stop(s);
}

static void test_log_levels(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    static const unsigned char raw[] = {1};
    set_answer(500, MSS_SIG_BASE64, raw, sizeof raw);
    mss_sign_request r = request();
    mss_sign_result res;

    mss_client_options o = synch_options(s);
    clear_log();
    mss_client *c = new_client(&o); /* 0: every level, as before */
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    assert_true(log_levels_seen[MSS_LOG_DEBUG] > 0);
    assert_true(log_levels_seen[MSS_LOG_INFO] > 0);

    o.log_level = MSS_LOG_UPTO(MSS_LOG_INFO);
    clear_log();
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    assert_int_equal(log_levels_seen[MSS_LOG_DEBUG], 0);
    assert_true(log_levels_seen[MSS_LOG_INFO] > 0);

    o.log_level = MSS_LOG_UPTO(MSS_LOG_ERROR);
    clear_log();
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    assert_string_equal(log_text, "");
    server_stop(s);
}

static void test_http_basic(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch, NULL, NULL);
    static const unsigned char raw[] = {1};
    set_answer(500, MSS_SIG_BASE64, raw, sizeof raw);
    mss_client_options o = synch_options(s);
    o.http_user = "apuser";
    o.http_password = "basic-secret";
    clear_log();
    mss_client *c = new_client(&o);
    mss_sign_request r = request();
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    /* base64("apuser:basic-secret") */
    assert_string_equal(s->authorization, "Basic YXB1c2VyOmJhc2ljLXNlY3JldA==");
    assert_null(strstr(log_text, "basic-secret"));
    assert_null(strstr(detail.text, "basic-secret"));
    mss_sign_result_clear(&res);
    mss_client_free(c);

    /* A bearer token for mss-relay instead: the same header, never in a log line. */
    o = synch_options(s);
    o.bearer_token = "relay-token-0123";
    clear_log();
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_string_equal(s->authorization, "Bearer relay-token-0123");
    assert_null(strstr(log_text, "relay-token-0123"));
    assert_null(strstr(detail.text, "relay-token-0123"));
    mss_sign_result_clear(&res);
    mss_client_free(c);

    o = synch_options(s);
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_string_equal(s->authorization, ""); /* none unless configured */
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

/* 100 to an asynch signature request, then 500 to the status query. */
static void respond_asynch(server *s, const mss_message *req, reply *out)
{
    if (req->type == MSS_MSG_SIGNATURE_REQ)
        answer_signature_resp(req, 100, out);
    else if (req->type == MSS_MSG_STATUS_REQ)
        answer_status_resp(req, 500, out);
    else if (req->type == MSS_MSG_PROFILE_REQ)
        answer_fault(105, 0, "UNKNOWN_CLIENT", out);
    else
        respond_synch(s, req, out);
}

/* Swisscom's REST flavour: url is the base, each operation has its path below it, and a
 * receipt_url given in the options is kept as it is. */
static void test_swisscom_rest_paths(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_asynch, NULL, NULL);
    char base[96], receipt_url[96];
    snprintf(base, sizeof base, "http://127.0.0.1:%u/", s->port);
    mss_client_options o = synch_options(s);
    o.binding = mss_binding_rest_swisscom();
    o.mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    o.poll_first_ms = 10;
    o.url = base;
    mss_client *c = new_client(&o);
    mss_sign_request r = request();
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_string_equal(s->path[MSS_MSG_SIGNATURE_REQ], "/rest/service/sign");
    assert_string_equal(s->path[MSS_MSG_STATUS_REQ], "/rest/service/status");
    assert_int_equal(s->sig_minor, 2); /* Swisscom's MinorVersion, read back by the mock */
    assert_int_equal(s->sig_mode, MSS_MODE_ASYNCH_CLIENT_SERVER);
    assert_int_equal(mss_client_receipt(c, res.url_index, MOCK_MSISDN, res.mssp_trans_id, 500, NULL, NULL), MSS_OK);
    assert_string_equal(s->path[MSS_MSG_RECEIPT_REQ], "/rest/service/receipt");
    mss_profile_resp pr;
    assert_int_equal(mss_client_profile_query(c, MOCK_MSISDN, &pr, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 105);
    assert_string_equal(s->path[MSS_MSG_PROFILE_REQ], "/rest/service/profile");
    mss_sign_result_clear(&res);
    mss_client_free(c);

    /* An operation's own URL wins over the derived one. */
    snprintf(receipt_url, sizeof receipt_url, "http://127.0.0.1:%u/elsewhere/receipt", s->port);
    o.receipt_url = receipt_url;
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(mss_client_receipt(c, res.url_index, MOCK_MSISDN, res.mssp_trans_id, 500, NULL, NULL), MSS_OK);
    assert_string_equal(s->path[MSS_MSG_RECEIPT_REQ], "/elsewhere/receipt");
    mss_sign_result_clear(&res);
    mss_client_free(c);

    /* A base the paths cannot go below is refused, saying why. */
    static const char *const bad_bases[] = {"http://127.0.0.1:1/base?x=1", "http://127.0.0.1:1/#f",
                                             "http://127.0.0.1:1/rest/service",
                                             "http://127.0.0.1:1/rest/service/"};
    o.binding = mss_binding_rest_swisscom();
    o.receipt_url = NULL;
    for (size_t i = 0; i < sizeof bad_bases / sizeof bad_bases[0]; i++) {
        o.url = bad_bases[i];
        c = NULL;
        assert_int_equal(mss_client_new(&o, &c, &detail), MSS_ERR_CONFIG);
        assert_null(c);
        assert_non_null(strstr(detail.text, bad_bases[i]));
    }
    o.url = base;

    /* Kiuru's REST: everything to the URL as given. */
    o.binding = mss_binding_rest();
    o.receipt_url = NULL;
    snprintf(base, sizeof base, "http://127.0.0.1:%u/restapi", s->port);
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_string_equal(s->path[MSS_MSG_SIGNATURE_REQ], "/restapi");
    assert_string_equal(s->path[MSS_MSG_STATUS_REQ], "/restapi");
    assert_int_equal(s->sig_minor, 1);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

/* Kiuru/Swisscom SOAP: one port per operation, on one connection. */
static void test_per_operation_urls(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_asynch, NULL, NULL);
    char sig_url[96], status_url[96], receipt_url[96];
    snprintf(sig_url, sizeof sig_url, "http://127.0.0.1:%u/soap/services/MSS_SignaturePort", s->port);
    snprintf(status_url, sizeof status_url, "http://user:pw@127.0.0.1:%u/soap/services/MSS_StatusQueryPort",
             s->port);
    snprintf(receipt_url, sizeof receipt_url, "http://127.0.0.1:%u/soap/services/MSS_ReceiptPort", s->port);
    mss_client_options o = synch_options(s);
    o.mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    o.poll_first_ms = 10;
    o.url = sig_url;
    o.status_url = status_url;
    o.receipt_url = receipt_url;
    clear_log();
    mss_client *c = new_client(&o);
    mss_sign_request r = request();
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_string_equal(s->path[MSS_MSG_SIGNATURE_REQ], "/soap/services/MSS_SignaturePort");
    assert_string_equal(s->path[MSS_MSG_STATUS_REQ], "/soap/services/MSS_StatusQueryPort");
    assert_int_equal(mss_client_receipt(c, res.url_index, MOCK_MSISDN, res.mssp_trans_id, 500, NULL, NULL), MSS_OK);
    assert_string_equal(s->path[MSS_MSG_RECEIPT_REQ], "/soap/services/MSS_ReceiptPort");
    mss_profile_resp pr;
    /* No profile_url: the profile query goes to url. */
    assert_int_equal(mss_client_profile_query(c, MOCK_MSISDN, &pr, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 105);
    assert_string_equal(s->path[MSS_MSG_PROFILE_REQ], "/soap/services/MSS_SignaturePort");
    assert_int_equal(s->n_connections, 1); /* same host and port: one connection */
    assert_non_null(strstr(log_text, "MSS_StatusQueryPort"));
    assert_null(strstr(log_text, "user:pw"));
    mss_sign_result_clear(&res);
    mss_client_free(c);

    o.status_url = "ftp://127.0.0.1/x";
    assert_int_equal(mss_client_new(&o, &c, &detail), MSS_ERR_CONFIG);
    o.status_url = NULL;
    o.profile_url = "https:///nohost";
    assert_int_equal(mss_client_new(&o, &c, &detail), MSS_ERR_CONFIG);
    server_stop(s);
}

static mss_error try_options(const mss_client_options *o)
{
    mss_detail detail;
    mss_client *c = NULL;
    mss_error rc = mss_client_new(o, &c, &detail);
    if (rc == MSS_OK)
        mss_client_free(c);
    else
        assert_null(c);
    return rc;
}

static void test_new_options_validation(void **state)
{
    (void)state;
    char pw_file[] = "/tmp/mss-test-pw-XXXXXX";
    int fd = mkstemp(pw_file);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "secret\n", 7), 7);
    close(fd);

    mss_client_options base = synch_options(NULL);
    mss_client_options o = base;
    assert_int_equal(try_options(&o), MSS_OK);
    o.pinned_pubkey = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assert_int_equal(try_options(&o), MSS_OK);
    o.pinned_pubkey = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;"
                      "sha256//BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";
    assert_int_equal(try_options(&o), MSS_OK);
    const char *bad_pins[] = {"sha256//short", "sha1//AAAA", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;",
                              "", "/no/such/key.pem"};
    for (size_t i = 0; i < sizeof bad_pins / sizeof bad_pins[0]; i++) {
        o.pinned_pubkey = bad_pins[i];
        if (try_options(&o) != MSS_ERR_CONFIG)
            fail_msg("pin \"%s\" accepted", bad_pins[i]);
    }
    o = base;
    o.http_password = "x";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG); /* password without user */
    o.http_user = "a:b";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.http_user = "a";
    o.http_password = "line\nbreak";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.http_password = "p";
    o.bearer_token = "t"; /* two answers for the one Authorization header */
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o = base;
    o.bearer_token = "two words";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.bearer_token = "";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.bearer_token = "t0k3n";
    assert_int_equal(try_options(&o), MSS_OK);
    o = base;
    o.log_level = MSS_LOG_UPTO(MSS_LOG_DEBUG) + 1;
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.log_level = -1;
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o = base;
    o.status_timeout_ms = 600001;
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o = base;
    o.client_key_password_file = pw_file; /* no key to decrypt */
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.client_cert = pw_file; /* any readable file passes the option check */
    o.client_key_password_file = "/no/such/password";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.client_key_password_file = pw_file;
    assert_int_equal(try_options(&o), MSS_OK);
    unlink(pw_file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt),
        cmocka_unit_test(test_services_are_sent),
        cmocka_unit_test(test_service_responses_and_certificates),
        cmocka_unit_test(test_cms_results),
        cmocka_unit_test(test_signatures_with_bad_verdicts_are_errors),
        cmocka_unit_test(test_log_levels),
        cmocka_unit_test(test_http_basic),
        cmocka_unit_test(test_new_options_validation),
        cmocka_unit_test(test_swisscom_rest_paths),
        cmocka_unit_test(test_per_operation_urls),
    };
    return cmocka_run_group_tests_name("mss_client services", tests, setup, teardown);
}
