/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient's client against an in-process MSSP stand-in (libmicrohttpd on
 * 127.0.0.1, plain http with allow_plain_http=1). The stand-in decodes each request
 * with the codec and answers what the test's responder says, so the tests check both
 * what the client sends and how it reacts.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <mss/mss.h>

#include "mock_mssp.h"

#define AP_PWD "s3cret-pw"
#define MSSP_TRANS_ID MOCK_MSSP_TRANS_ID
#define MSSP_ID MOCK_MSSP_ID
#define MSISDN MOCK_MSISDN
#define SIG MOCK_SIG
#define CERT MOCK_CERT

static const unsigned char DTBS[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20, 0xaa};
static const char DTBS_B64[] = "MDEwDQYJYIZIAWUDBAIBBQAEIKo=";

/* ------------------------------------------------------------- responders */

/* 100, then 504, then 500 with a Base64Signature. */
/* The MSSP's clock in the final answer of respond_flow: later than the others' (the
 * mock's "2024-01-01T00:00:00Z"), so a test sees which Instant the result kept. */
#define FINAL_INSTANT "2024-01-01T00:00:04Z"

static void respond_flow(server *s, const mss_message *req, reply *out)
{
    if (req->type == MSS_MSG_SIGNATURE_REQ) {
        answer_signature_resp(req, 100, out);
    } else {
        answer_status_resp(req, s->n_status < 2 ? 504 : 500, out);
        if (s->n_status >= 2)
            out->msg.u.status_resp.hdr.mssp_instant = (char *)FINAL_INSTANT;
    }
}

static void respond_cancel_fault(server *s, const mss_message *req, reply *out)
{
    (void)s;
    if (req->type == MSS_MSG_SIGNATURE_REQ)
        answer_signature_resp(req, 100, out);
    else
        answer_fault(401, 4011, "USER_CANCEL", out);
}

static void respond_forever_pending(server *s, const mss_message *req, reply *out)
{
    (void)s;
    if (req->type == MSS_MSG_SIGNATURE_REQ)
        answer_signature_resp(req, 100, out);
    else
        answer_status_resp(req, 504, out);
}

/* synch: the answer comes only after a long time. */
static void respond_slow(server *s, const mss_message *req, reply *out)
{
    respond_forever_pending(s, req, out);
    out->delay_ms = 120000; /* past the client's deadline; server_stop cuts it short */
}

static void respond_oversize(server *s, const mss_message *req, reply *out)
{
    static char *big;
    (void)s, (void)req;
    if (big == NULL) {
        big = malloc(MSS_MAX_BODY + 1000);
        assert_non_null(big);
        memset(big, ' ', MSS_MAX_BODY + 1000);
    }
    out->kind = REPLY_RAW;
    out->raw = big;
    out->len = MSS_MAX_BODY + 1000;
}

static void respond_oversize_chunked(server *s, const mss_message *req, reply *out)
{
    (void)s, (void)req;
    out->kind = REPLY_CHUNKED;
    out->len = MSS_MAX_BODY + 1000;
}

static void respond_500_not_soap(server *s, const mss_message *req, reply *out)
{
    (void)s, (void)req;
    out->kind = REPLY_RAW;
    out->http = 500;
    out->raw = "<html>oops</html>";
    out->len = strlen(out->raw);
}

static void respond_revoked(server *s, const mss_message *req, reply *out)
{
    if (req->type == MSS_MSG_SIGNATURE_REQ)
        answer_signature_resp(req, 100, out);
    else
        answer_status_resp(req, s->n_status < 2 ? 504 : 501, out);
}

/* The first status query's connection is cut; the next one gets the signature. */
static void respond_drop_once(server *s, const mss_message *req, reply *out)
{
    if (req->type == MSS_MSG_SIGNATURE_REQ)
        answer_signature_resp(req, 100, out);
    else if (s->n_status == 1)
        out->kind = REPLY_DROP;
    else
        answer_status_resp(req, 500, out);
}

static void respond_wrong_trans_id(server *s, const mss_message *req, reply *out)
{
    (void)s;
    answer_signature_resp(req, 100, out);
    out->msg.u.signature_resp.hdr.ap_trans_id = (char *)"_someoneelse";
}

/* synch mode: the final answer with fi:PKCS1 (signature + certificate) at once. */
static void respond_synch_ficom(server *s, const mss_message *req, reply *out)
{
    (void)s;
    answer_signature_resp(req, 502, out);
    mss_signature *sig = &out->msg.u.signature_resp.signature;
    sig->kind = MSS_SIG_FICOM_PKCS1;
    sig->value = (unsigned char *)SIG;
    sig->value_len = sizeof SIG;
    sig->cert_der = (unsigned char *)CERT;
    sig->cert_len = sizeof CERT;
}

static void respond_profile(server *s, const mss_message *req, reply *out)
{
    static char *profiles[] = {(char *)"mss:test:authn:loa3:sim", (char *)"mss:test:sign:loa4:sim"};
    static mss_user_cert cert = {.der = (unsigned char *)CERT, .der_len = sizeof CERT,
                                 .state = (char *)"ACTIVE",
                                 .profiles = (char *)"mss:test:authn:loa3:sim"};
    (void)s;
    if (strcmp(req->u.profile_req.msisdn, "+000") == 0) {
        answer_fault(105, 0, "UNKNOWN_CLIENT", out);
        return;
    }
    out->msg.type = MSS_MSG_PROFILE_RESP;
    mss_profile_resp *r = &out->msg.u.profile_resp;
    r->hdr = answer_header(&req->u.profile_req.hdr);
    r->profiles = profiles;
    r->n_profiles = 2;
    r->certs = &cert;
    r->n_certs = 1;
    r->status.code = 100;
}

/* ------------------------------------------------------------- client helpers */

static mss_client_options test_options(const server *s)
{
    mss_client_options o = {0};
    o.url = s ? s->url : "https://mssp.example/soap";
    o.ap_id = "http://ap.test/";
    o.ap_pwd = AP_PWD;
    o.mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    o.timeout_s = 1;
    o.poll_first_ms = 20;
    o.poll_interval_ms = 20;
    o.connect_timeout_ms = 2000;
    o.allow_plain_http = 1;
    o.log = mock_log;
    return o;
}

static mss_sign_request test_request(void)
{
    mss_sign_request r = {0};
    r.msisdn = MSISDN;
    r.dtbs = DTBS;
    r.dtbs_len = sizeof DTBS;
    r.dtbd = "Sign in to example";
    return r;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void assert_no_secrets_logged(void)
{
    assert_false(mock_log_has(AP_PWD));
    assert_false(mock_log_has(DTBS_B64));
}

/* ------------------------------------------------------------- option validation */

static mss_error try_options(const mss_client_options *o)
{
    mss_detail detail;
    static char any_address;
    mss_client *sentinel = (mss_client *)(void *)&any_address; /* never dereferenced */
    mss_client *c = sentinel;
    mss_error rc = mss_client_new(o, &c, &detail);
    if (rc == MSS_OK)
        mss_client_free(c);
    else
        assert_ptr_equal(c, sentinel); /* nothing written on failure */
    return rc;
}

static void test_options_validation(void **state)
{
    mss_detail detail;
    (void)state;
    mss_client *c = NULL;
    mss_client_options o;

    assert_int_equal(mss_client_new(NULL, &c, &detail), MSS_ERR_ARGS);

    o = test_options(NULL);
    assert_int_equal(try_options(&o), MSS_OK);

    o = test_options(NULL);
    o.url = NULL;
    mock_log_clear();
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    assert_true(mock_log_has("url is required"));

    o = test_options(NULL);
    o.url = "ftp://mssp.example/";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);

    o = test_options(NULL);
    o.url = "http://mssp.example/";
    o.allow_plain_http = 0;
    mock_log_clear();
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    assert_true(mock_log_has("allow_plain_http"));
    o.allow_plain_http = 1;
    assert_int_equal(try_options(&o), MSS_OK);

    o = test_options(NULL);
    o.url = "https://";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.url = "https://mssp.example/a b";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);

    o = test_options(NULL);
    o.ap_id = NULL;
    mock_log_clear();
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    assert_true(mock_log_has("ap_id is required"));
    o.ap_id = "";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);

    o = test_options(NULL);
    o.mode = MSS_MODE_ASYNCH_SERVER_SERVER;
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);

    o = test_options(NULL);
    o.ca_file = "/nonexistent/ca.pem";
    mock_log_clear();
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    assert_true(mock_log_has("ca_file"));

    o = test_options(NULL);
    o.client_key = "/etc/hostname";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);

    o = test_options(NULL);
    o.timeout_s = 100000;
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);

    /* The password never shows up in refusal messages either. */
    assert_no_secrets_logged();
}

static void test_sign_argument_errors(void **state)
{
    mss_detail detail;
    (void)state;
    mss_client_options o = test_options(NULL);
    mss_client *c = new_client(&o);
    mss_sign_result res;
    mss_sign_request r = test_request();

    memset(&res, 0xff, sizeof res);
    r.msisdn = NULL;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);
    assert_int_equal(detail.status, 0); /* cleared even on failure */
    assert_null(res.signature);
    assert_non_null(strstr(detail.text, "msisdn"));

    r = test_request();
    r.dtbs_len = 0;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);
    assert_non_null(strstr(detail.text, "dtbs"));

    r = test_request();
    r.profile = "";
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_ARGS);

    assert_int_equal(mss_client_sign(c, NULL, &res, &detail), MSS_ERR_ARGS);
    assert_int_equal(mss_client_sign(c, &r, NULL, &detail), MSS_ERR_ARGS);
    mss_sign_result_clear(&res);
    mss_client_free(c);
}

/* ------------------------------------------------------------- signing flows */

static void test_asynch_flow_signs(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_flow, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    mock_log_clear();
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(detail.status, 500);
    assert_int_equal(res.kind, MSS_SIG_BASE64);
    assert_int_equal(res.signature_len, sizeof SIG);
    assert_memory_equal(res.signature, SIG, sizeof SIG);
    assert_null(res.cert_der);
    assert_string_equal(res.mssp_trans_id, MSSP_TRANS_ID);
    /* The MSSP's clock as the final status query's answer gave it. */
    assert_string_equal(res.mssp_instant, FINAL_INSTANT);

    /* What went over the wire. */
    assert_int_equal(s->n_sig, 1);
    assert_int_equal(s->n_status, 2);
    assert_string_equal(s->sig_ap_pwd, AP_PWD);
    assert_string_equal(s->sig_dtbs, DTBS_B64);
    assert_string_equal(s->sig_mime, "application/octet-stream");
    assert_string_equal(s->sig_encoding, "base64");
    assert_string_equal(s->sig_format, MSS_FORMAT_KIURU_PKCS1);
    assert_string_equal(s->sig_dtbd, "Sign in to example");
    assert_string_equal(s->sig_msisdn, MSISDN);
    assert_int_equal(s->sig_mode, MSS_MODE_ASYNCH_CLIENT_SERVER);
    assert_int_equal(s->sig_timeout, 1);
    assert_int_equal(s->sig_major, 1);
    assert_int_equal(s->sig_minor, 1);
    assert_int_equal(strlen(s->sig_trans_id), 32);
    assert_int_equal(s->sig_trans_id[0], '_');
    assert_int_equal(strlen(s->sig_instant), 20);
    assert_int_equal(s->sig_instant[10], 'T');
    assert_int_equal(s->sig_instant[19], 'Z');
    assert_string_equal(s->status_mssp_trans_id, MSSP_TRANS_ID);
    assert_string_equal(s->status_mssp_id, MSSP_ID);
    assert_string_equal(s->status_ap_pwd, AP_PWD);
    /* Every request had its own AP_TransID. */
    assert_int_equal(s->n_trans_ids, 3);
    for (unsigned i = 0; i < s->n_trans_ids; i++)
        for (unsigned j = i + 1; j < s->n_trans_ids; j++)
            assert_string_not_equal(s->trans_ids[i], s->trans_ids[j]);
    /* One kept-alive connection carried all three requests. */
    assert_int_equal(s->n_connections, 1);

    assert_true(mock_log_has("status 100, MSSP_TransID " MSSP_TRANS_ID));
    assert_no_secrets_logged();

    /* A second signature on the same client works as well (and reuses the connection). */
    mss_sign_result_clear(&res);
    pthread_mutex_lock(&s->lock);
    s->n_status = 0;
    pthread_mutex_unlock(&s->lock);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(s->n_sig, 2);
    assert_int_equal(s->n_connections, 1);
    mss_sign_result_clear(&res);
    assert_null(res.signature);
    mss_client_free(c);
    server_stop(s);
}

static void test_synch_ficom_pkcs1(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_synch_ficom, NULL, NULL);
    mss_client_options o = test_options(s);
    o.mode = MSS_MODE_SYNCH;
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    r.format = MSS_FORMAT_FICOM_PKCS1;
    r.mime_type = "application/x-der";
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(detail.status, 502);
    assert_int_equal(res.kind, MSS_SIG_FICOM_PKCS1);
    assert_memory_equal(res.signature, SIG, sizeof SIG);
    assert_int_equal(res.cert_len, sizeof CERT);
    assert_memory_equal(res.cert_der, CERT, sizeof CERT);
    assert_string_equal(res.mssp_instant, "2024-01-01T00:00:00Z"); /* the one response's */
    assert_int_equal(s->n_sig, 1);
    assert_int_equal(s->n_status, 0);
    assert_int_equal(s->sig_mode, MSS_MODE_SYNCH);
    assert_string_equal(s->sig_format, MSS_FORMAT_FICOM_PKCS1);
    assert_string_equal(s->sig_mime, "application/x-der");
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_fault_on_status_query(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_cancel_fault, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 401);
    assert_int_equal(detail.subcode, 4011);
    assert_string_equal(res.mssp_trans_id, MSSP_TRANS_ID);
    /* A fault has no MSSP_Info: the Instant is the signature response's. */
    assert_string_equal(res.mssp_instant, "2024-01-01T00:00:00Z");
    assert_null(res.signature);
    assert_non_null(strstr(detail.text, "401"));
    assert_non_null(strstr(detail.text, "USER_CANCEL"));
    assert_int_equal(s->n_status, 1);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_fault_on_signature_request(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_unknown_client, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 105);
    assert_int_equal(detail.subcode, 1052);
    assert_null(res.mssp_trans_id);
    assert_int_equal(s->n_sig, 1);
    assert_int_equal(s->n_status, 0);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_final_failure_status(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_revoked, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_STATUS);
    assert_int_equal(detail.status, 501);
    assert_null(res.signature);
    assert_non_null(strstr(detail.text, "501"));
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_never_final_times_out(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_forever_pending, NULL, NULL);
    mss_client_options o = test_options(s);
    o.poll_interval_ms = 200;
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    uint64_t t0 = now_ms();
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_TIMEOUT);
    uint64_t took = now_ms() - t0;
    /* TimeOut 1 s + 10 s margin: never earlier; and it does end (the server would
     * answer "pending" for ever), with room for a loaded machine. */
    print_message("never final: gave up after %llu ms\n", (unsigned long long)took);
    assert_true(took >= 11000 - 50);
    assert_true(took < 60000);
    assert_int_equal(detail.status, 504);
    assert_int_equal(s->n_sig, 1);
    assert_true(s->n_status >= 10);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

/* set is stored with release after set_at is written, and read with acquire, so the
 * thread that sees the flag also sees when it was set (ThreadSanitizer checks this). */
typedef struct cancel_flag {
    atomic_int set;
    uint64_t set_at;
    server *server;
} cancel_flag;

static int cancel_requested(void *ctx)
{
    return atomic_load_explicit(&((cancel_flag *)ctx)->set, memory_order_acquire);
}

static unsigned signature_requests_seen(server *s)
{
    pthread_mutex_lock(&s->lock);
    unsigned n = s->n_sig;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* Raise the flag once the server holds the signature request (the client is then
 * waiting on it, or polling), as a person's Cancel would come. */
static void *cancel_when_request_arrived(void *arg)
{
    cancel_flag *f = arg;
    struct timespec ms = {0, 1000000L};

    for (unsigned i = 0; i < 60000 && signature_requests_seen(f->server) == 0; i++)
        nanosleep(&ms, NULL); /* the bound guards a hang only */
    f->set_at = now_ms();
    atomic_store_explicit(&f->set, 1, memory_order_release);
    return NULL;
}

/* The server holds the request or answers "pending" until the client's deadline of
 * TimeOut 60 s + 10 s: returning within 30 s of the flag is the cancel's doing,
 * however loaded the machine. The time it took is printed. */
#define ENDED_BY_THE_CANCEL_MS 30000u

static void check_cancel(mss_messaging_mode mode, responder_fn responder)
{
    mss_detail detail;
    server *s = server_start(responder, NULL, NULL);
    mss_client_options o = test_options(s);
    o.mode = mode;
    o.timeout_s = 60;
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;
    cancel_flag flag = {.server = s};
    pthread_t th;

    r.cancel = cancel_requested;
    r.cancel_ctx = &flag;
    assert_int_equal(pthread_create(&th, NULL, cancel_when_request_arrived, &flag), 0);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_CANCELED);
    uint64_t latency = now_ms() - flag.set_at;
    pthread_join(th, NULL);
    assert_true(atomic_load(&flag.set));
    print_message("%s: cancelled %llu ms after the flag\n", mss_mode_name(mode),
                  (unsigned long long)latency);
    assert_true(latency < ENDED_BY_THE_CANCEL_MS);
    assert_int_equal(signature_requests_seen(s), 1);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_cancel_while_polling(void **state)
{
    (void)state;
    check_cancel(MSS_MODE_ASYNCH_CLIENT_SERVER, respond_forever_pending);
}

static void test_cancel_while_waiting_for_http(void **state)
{
    (void)state;
    check_cancel(MSS_MODE_SYNCH, respond_slow);
}

static void test_oversize_body(void **state)
{
    mss_detail detail;
    (void)state;
    responder_fn kinds[] = {respond_oversize, respond_oversize_chunked};
    for (size_t i = 0; i < 2; i++) {
        server *s = server_start(kinds[i], NULL, NULL);
        mss_client_options o = test_options(s);
        mss_client *c = new_client(&o);
        mss_sign_request r = test_request();
        mss_sign_result res;
        assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_TOO_LARGE);
        assert_non_null(strstr(detail.text, "larger than"));
        mss_sign_result_clear(&res);
        mss_client_free(c);
        server_stop(s);
    }
}

static void test_http_errors(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_404, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_HTTP);
    assert_non_null(strstr(detail.text, "404"));
    mss_sign_result_clear(&res);

    s->responder = respond_500_not_soap;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_HTTP);
    assert_non_null(strstr(detail.text, "HTTP 500"));
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);

    /* Nobody listening: a transport error, not a hang. */
    o.url = "http://127.0.0.1:1/mss";
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_TRANSPORT);
    assert_true(detail.text[0] != '\0');
    mss_sign_result_clear(&res);
    mss_client_free(c);
}

static void test_plain_http_refused_without_opt_in(void **state)
{
    mss_detail detail;
    (void)state;
    /* An https-only client pointed (via a redirect-free URL) at http cannot be built... */
    mss_client_options o = test_options(NULL);
    o.url = "http://127.0.0.1:1/";
    o.allow_plain_http = 0;
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    /* ...and an https URL to a plain-http server fails in TLS, never falls back. */
    server *s = server_start(respond_flow, NULL, NULL);
    char url[80];
    snprintf(url, sizeof url, "https://127.0.0.1:%u/mss", s->port);
    o.url = url;
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;
    mss_error rc = mss_client_sign(c, &r, &res, &detail);
    assert_true(rc == MSS_ERR_TLS || rc == MSS_ERR_TRANSPORT);
    assert_int_equal(s->n_sig, 0);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

/* NULL follows the environment's proxy variables (libcurl's default), "" ignores them
 * (what the module asks for in a privileged process), and a proxy must be a URL. */
static void test_proxy_follows_the_options(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_flow, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_sign_request r = test_request();
    mss_sign_result res;
    mss_client *c;

    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    setenv("http_proxy", "http://127.0.0.1:1", 1); /* nothing listens there */

    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_TRANSPORT);
    assert_int_equal(s->n_sig, 0);
    mss_sign_result_clear(&res);
    mss_client_free(c);

    o.proxy = "";
    c = new_client(&o);
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(s->n_sig, 1);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    unsetenv("http_proxy");

    o.proxy = "127.0.0.1:3128"; /* no scheme */
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.proxy = "ftp://proxy.example";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.proxy = "http://";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.proxy = "http://proxy.example:3128 x";
    assert_int_equal(try_options(&o), MSS_ERR_CONFIG);
    o.proxy = "socks5h://proxy.example:1080";
    assert_int_equal(try_options(&o), MSS_OK);
    server_stop(s);
}

static void test_status_query_retried_after_transport_error(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_drop_once, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(s->n_sig, 1); /* the signature request is never re-sent */
    assert_int_equal(s->n_status, 2);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_response_for_other_transaction(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_wrong_trans_id, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_XML_UNEXPECTED);
    assert_non_null(strstr(detail.text, "_someoneelse"));
    assert_int_equal(s->n_status, 0);
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

static void test_url_credentials_stay_out_of_logs(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_immediate, NULL, NULL);
    char url[96];
    snprintf(url, sizeof url, "http://apuser:urlsecret@127.0.0.1:%u/mss", s->port);
    mss_client_options o = test_options(s);
    o.url = url;
    mock_log_clear();
    mss_client *c = new_client(&o);
    mss_sign_request r = test_request();
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_true(mock_log_has("http://127.0.0.1:"));
    assert_false(mock_log_has("urlsecret"));
    assert_false(mock_log_has("apuser"));
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(s);
}

typedef struct signer_arg {
    mss_client *client;
    int ok;
} signer_arg;

static void *sign_three_times(void *p)
{
    mss_detail detail;
    signer_arg *a = p;
    mss_sign_request r = test_request();
    for (int i = 0; i < 3; i++) {
        mss_sign_result res;
        if (mss_client_sign(a->client, &r, &res, &detail) == MSS_OK && res.signature_len == sizeof SIG)
            a->ok++;
        mss_sign_result_clear(&res);
    }
    return NULL;
}

static void test_client_shared_between_threads(void **state)
{
    (void)state;
    server *s = server_start(respond_immediate, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    signer_arg args[3] = {{c, 0}, {c, 0}, {c, 0}};
    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&th[i], NULL, sign_three_times, &args[i]), 0);
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].ok, 3);
    }
    assert_int_equal(s->n_sig, 9);
    assert_int_equal(s->n_status, 9);
    mss_client_free(c);
    server_stop(s);
}

static void test_profile_query(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_profile, NULL, NULL);
    mss_client_options o = test_options(s);
    mss_client *c = new_client(&o);
    mss_profile_resp pr;

    assert_int_equal(mss_client_profile_query(c, MSISDN, &pr, &detail), MSS_OK);
    assert_int_equal(detail.status, 0);
    assert_int_equal(s->profile_get_certs, 1);
    assert_int_equal(pr.n_profiles, 2);
    assert_string_equal(pr.profiles[1], "mss:test:sign:loa4:sim");
    assert_int_equal(pr.n_certs, 1);
    assert_int_equal(pr.certs[0].der_len, sizeof CERT);
    assert_memory_equal(pr.certs[0].der, CERT, sizeof CERT);
    assert_string_equal(pr.certs[0].state, "ACTIVE");
    mss_profile_resp_clear(&pr);

    assert_int_equal(mss_client_profile_query(c, "+000", &pr, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 105);
    assert_int_equal(mss_client_profile_query(c, NULL, &pr, &detail), MSS_ERR_ARGS);
    mss_client_free(c);
    server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_validation),
        cmocka_unit_test(test_sign_argument_errors),
        cmocka_unit_test(test_asynch_flow_signs),
        cmocka_unit_test(test_synch_ficom_pkcs1),
        cmocka_unit_test(test_fault_on_status_query),
        cmocka_unit_test(test_fault_on_signature_request),
        cmocka_unit_test(test_final_failure_status),
        cmocka_unit_test(test_cancel_while_polling),
        cmocka_unit_test(test_cancel_while_waiting_for_http),
        cmocka_unit_test(test_oversize_body),
        cmocka_unit_test(test_http_errors),
        cmocka_unit_test(test_plain_http_refused_without_opt_in),
        cmocka_unit_test(test_proxy_follows_the_options),
        cmocka_unit_test(test_status_query_retried_after_transport_error),
        cmocka_unit_test(test_response_for_other_transaction),
        cmocka_unit_test(test_url_credentials_stay_out_of_logs),
        cmocka_unit_test(test_client_shared_between_threads),
        cmocka_unit_test(test_profile_query),
        cmocka_unit_test(test_never_final_times_out),
    };
    return cmocka_run_group_tests_name("mss_client", tests, NULL, NULL);
}
