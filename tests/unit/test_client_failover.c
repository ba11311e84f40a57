/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient's URL lists and mss_client_call, against in-process MSSP stand-ins
 * (mock_mssp.c) and loopback ports that refuse connections:
 *
 *   - lists are checked when the client is made (empty, too many, a bad entry, commas,
 *     a per-operation list that does not pair with url);
 *   - a request goes on to the next URL only when a server could not be reached (the
 *     connection refused, the TLS handshake failed); one that answered (HTTP error, fault, a cut connection after the request) is final;
 *   - status queries and the receipt go to the URL that took the request, even when the
 *     first URL has come back meanwhile;
 *   - mss_client_call sends the client's AP_Info, honours url_index, reports url_used
 *     and maps a fault to MSS_ERR_FAULT with the fault in *resp.
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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include <mss/mss.h>

#include "mock_mssp.h"

#define AP_ID "http://ap.test/"
#define AP_PWD "s3cret-pw"

static const unsigned char DTBS[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                     0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20, 0xaa};

/* ------------------------------------------------------------- helpers */

/* A loopback port that refuses connections: a listening socket, closed again. */
static unsigned closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static mss_client_options list_options(const char *urls)
{
    mss_client_options o = {0};
    o.url = urls;
    o.ap_id = AP_ID;
    o.ap_pwd = AP_PWD;
    o.mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    o.timeout_s = 5;
    o.poll_first_ms = 20;
    o.poll_interval_ms = 20;
    o.connect_timeout_ms = 5000;
    o.allow_plain_http = 1;
    o.proxy = ""; /* loopback servers: whatever the environment says */
    o.log = mock_log;
    return o;
}

static mss_sign_request sign_request(void)
{
    mss_sign_request r = {0};
    r.msisdn = MOCK_MSISDN;
    r.dtbs = DTBS;
    r.dtbs_len = sizeof DTBS;
    return r;
}

static unsigned seen(server *s, const unsigned *counter)
{
    pthread_mutex_lock(&s->lock);
    unsigned n = *counter;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* ------------------------------------------------------------- responders */

/* The connection is cut after the whole request arrived: it may have reached the phone. */
static void respond_drop(server *s, const mss_message *req, reply *out)
{
    (void)s, (void)req;
    out->kind = REPLY_DROP;
}

static void respond_receipt(server *s, const mss_message *req, reply *out)
{
    (void)s;
    out->msg.type = MSS_MSG_RECEIPT_RESP;
    out->msg.u.receipt_resp.hdr = answer_header(&req->u.receipt_req.hdr);
    out->msg.u.receipt_resp.status.code = 100;
}

/* 100 to a signature request, 504 to the first status query, then 500; receipts and
 * profile queries 100. */
static void respond_pending_once(server *s, const mss_message *req, reply *out)
{
    if (req->type == MSS_MSG_SIGNATURE_REQ) {
        answer_signature_resp(req, 100, out);
    } else if (req->type == MSS_MSG_RECEIPT_REQ) {
        respond_receipt(s, req, out);
    } else if (req->type == MSS_MSG_PROFILE_REQ) {
        out->msg.type = MSS_MSG_PROFILE_RESP;
        out->msg.u.profile_resp.hdr = answer_header(&req->u.profile_req.hdr);
        out->msg.u.profile_resp.status.code = 100;
    } else {
        answer_status_resp(req, s->n_status < 2 ? 504 : 500, out);
    }
}

/* The first URL's server, started on its (until then refusing) port while the second
 * server holds the transaction. */
static server *revived;
static unsigned revived_port;

static void respond_and_revive_first(server *s, const mss_message *req, reply *out)
{
    if (req->type == MSS_MSG_SIGNATURE_REQ && revived == NULL)
        revived = server_start_on_port(respond_pending_once, revived_port);
    respond_pending_once(s, req, out);
}

/* ------------------------------------------------------------- configuration */

static mss_error try_options(const mss_client_options *o, mss_detail *detail)
{
    mss_client *c = NULL;
    mock_log_clear();
    mss_error rc = mss_client_new(o, &c, detail);
    if (rc == MSS_OK)
        mss_client_free(c);
    else
        assert_null(c);
    return rc;
}

static void expect_refused(const char *url, const char *status_url, const char *words)
{
    mss_detail detail;
    mss_client_options o = list_options(url);
    o.status_url = status_url;
    assert_int_equal(try_options(&o, &detail), MSS_ERR_CONFIG);
    if (strstr(detail.text, words) == NULL)
        fail_msg("url \"%s\": expected \"%s\" in \"%s\"", url, words, detail.text);
    assert_true(mock_log_has(words)); /* the log says it too */
}

static void test_lists_are_checked_when_the_client_is_made(void **state)
{
    mss_detail detail;
    (void)state;
    mss_client_options o = list_options("http://a.test/mss  http://b.test/mss\thttp://c.test/mss");
    mss_client *c = NULL;
    assert_int_equal(mss_client_new(&o, &c, &detail), MSS_OK);
    assert_int_equal(mss_client_url_count(c), 3);
    mss_client_free(c);
    assert_int_equal(mss_client_url_count(NULL), 0);

    expect_refused("", NULL, "url is required");
    expect_refused("   ", NULL, "url is required");
    expect_refused("http://a.test/mss, http://b.test/mss", NULL, "not commas");
    expect_refused("http://a.test/mss , http://b.test/mss", NULL, "not commas");
    expect_refused("http://a.test/mss ftp://b.test/mss", NULL,
                   "url: entry 2 of 2 must start with https://");
    expect_refused("http://a.test/mss http:///mss", NULL, "url: entry 2 of 2 has no host");
    expect_refused("http://1/ http://2/ http://3/ http://4/ http://5/ http://6/ http://7/ "
                   "http://8/ http://9/", NULL, "url lists 9 URLs; at most 8");
    /* A per-operation list: one URL for every server, or one per URL of url. */
    expect_refused("http://a.test/mss http://b.test/mss http://c.test/mss",
                   "http://a.test/q http://b.test/q", "status_url lists 2 URLs");
    expect_refused("http://a.test/mss", "http://a.test/q ftp://b.test/q",
                   "status_url: entry 2 of 2");

    o = list_options("http://a.test/mss http://b.test/mss");
    o.status_url = "http://a.test/q";
    assert_int_equal(try_options(&o, &detail), MSS_OK);
    o.status_url = "http://a.test/q http://b.test/q";
    o.receipt_url = "http://r.test/r";
    assert_int_equal(try_options(&o, &detail), MSS_OK);
    /* Eight is allowed. */
    o = list_options("http://1/ http://2/ http://3/ http://4/ http://5/ http://6/ http://7/ http://8/");
    assert_int_equal(try_options(&o, &detail), MSS_OK);
    /* A URL's credentials are never quoted back. */
    expect_refused("http://a.test/mss ftp://user:pw@b.test/", NULL, "entry 2 of 2");
    assert_false(mock_log_has("user:pw"));
}

/* ------------------------------------------------------------- failover */

static void test_refused_first_url_signs_through_the_second(void **state)
{
    mss_detail detail;
    (void)state;
    unsigned dead = closed_port();
    server *s = server_start(respond_pending_once, NULL, NULL);
    char urls[160], dead_url[64];
    snprintf(dead_url, sizeof dead_url, "http://127.0.0.1:%u/mss", dead);
    snprintf(urls, sizeof urls, "%s %s", dead_url, s->url);
    mss_client_options o = list_options(urls);
    mss_client *c = new_client(&o);
    mss_sign_request r = sign_request();
    mss_sign_result res;

    mock_log_clear();
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(res.url_index, 1);
    assert_int_equal(seen(s, &s->n_sig), 1);
    assert_int_equal(seen(s, &s->n_status), 2);
    /* The log names the URL that failed and the one that answered. */
    char line[200];
    snprintf(line, sizeof line, "MSS_Signature to %s: cannot reach it", dead_url);
    assert_true(mock_log_has(line));
    snprintf(line, sizeof line, "MSS_Signature: answered by %s (URL 2 of 2)", s->url);
    assert_true(mock_log_has(line));
    assert_false(mock_log_has(AP_PWD));
    mss_sign_result_clear(&res);

    /* A profile query goes through the list the same way. */
    mss_profile_resp pr;
    assert_int_equal(mss_client_profile_query(c, MOCK_MSISDN, &pr, &detail), MSS_OK);
    assert_int_equal(seen(s, &s->n_profile), 1);
    mss_profile_resp_clear(&pr);
    mss_client_free(c);
    server_stop(s);
}

/* A first server whose TLS handshake fails (here: it speaks plain http) never saw the
 * request either. */
static void test_tls_handshake_failure_fails_over(void **state)
{
    mss_detail detail;
    (void)state;
    server *plain = server_start(respond_pending_once, NULL, NULL);
    server *s = server_start(respond_pending_once, NULL, NULL);
    char urls[160];
    snprintf(urls, sizeof urls, "https://127.0.0.1:%u/mss %s", plain->port, s->url);
    mss_client_options o = list_options(urls);
    mss_client *c = new_client(&o);
    mss_sign_request r = sign_request();
    mss_sign_result res;

    mock_log_clear();
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(res.url_index, 1);
    assert_int_equal(seen(plain, &plain->n_sig), 0);
    assert_int_equal(seen(s, &s->n_sig), 1);
    assert_true(mock_log_has("cannot reach it"));
    mss_sign_result_clear(&res);
    mss_client_free(c);
    server_stop(plain);
    server_stop(s);
}

static void test_status_queries_and_receipt_stay_with_the_transaction(void **state)
{
    mss_detail detail;
    (void)state;
    revived = NULL;
    revived_port = closed_port();
    server *s = server_start(respond_and_revive_first, NULL, NULL);
    char urls[160];
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u/mss %s", revived_port, s->url);
    mss_client_options o = list_options(urls);
    mss_client *c = new_client(&o);
    mss_sign_request r = sign_request();
    mss_sign_result res;

    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_non_null(revived); /* the first URL answers again since the request */
    assert_int_equal(res.url_index, 1);
    assert_int_equal(seen(s, &s->n_status), 2);
    assert_int_equal(seen(revived, &revived->n_status), 0);
    assert_int_equal(seen(revived, &revived->n_sig), 0);

    assert_int_equal(mss_client_receipt(c, res.url_index, MOCK_MSISDN, res.mssp_trans_id, 500,
                                        NULL, &detail), MSS_OK);
    assert_int_equal(seen(s, &s->n_receipt), 1);
    assert_int_equal(seen(revived, &revived->n_receipt), 0);
    mss_sign_result_clear(&res);

    /* The next signature starts at the first URL again, which now answers. */
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_OK);
    assert_int_equal(res.url_index, 0);
    assert_int_equal(seen(revived, &revived->n_sig), 1);
    assert_int_equal(seen(s, &s->n_sig), 1);
    mss_sign_result_clear(&res);

    assert_int_equal(mss_client_receipt(c, 2, MOCK_MSISDN, "t", 500, NULL, &detail), MSS_ERR_ARGS);
    mss_client_free(c);
    server_stop(revived);
    revived = NULL;
    server_stop(s);
}

/* A first server that answered in any way, or may have seen the request, is final. */
static void test_answering_first_url_is_not_skipped(void **state)
{
    static const struct {
        responder_fn respond;
        mss_error expected;
    } cases[] = {
        {respond_404, MSS_ERR_HTTP},
        {respond_unknown_client, MSS_ERR_FAULT},
        {respond_drop, MSS_ERR_TRANSPORT},
    };
    (void)state;
    server *second = server_start(respond_pending_once, NULL, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mss_detail detail;
        server *first = server_start(cases[i].respond, NULL, NULL);
        char urls[160];
        snprintf(urls, sizeof urls, "%s %s", first->url, second->url);
        mss_client_options o = list_options(urls);
        mss_client *c = new_client(&o);
        mss_sign_request r = sign_request();
        mss_sign_result res;
        assert_int_equal(mss_client_sign(c, &r, &res, &detail), cases[i].expected);
        assert_int_equal(seen(first, &first->n_sig), 1);
        assert_int_equal(seen(second, &second->n_sig), 0);
        mss_sign_result_clear(&res);
        mss_client_free(c);
        server_stop(first);
    }
    server_stop(second);
}

static void test_unreachable_list_fails_with_a_transport_error(void **state)
{
    mss_detail detail;
    (void)state;
    unsigned p1 = closed_port(), p2 = closed_port();
    char urls[160];
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u/mss http://127.0.0.1:%u/mss", p1, p2);
    mss_client_options o = list_options(urls);
    mss_client *c = new_client(&o);
    mss_sign_request r = sign_request();
    mss_sign_result res;

    mock_log_clear();
    assert_int_equal(mss_client_sign(c, &r, &res, &detail), MSS_ERR_TRANSPORT);
    assert_non_null(strstr(detail.text, "none of the 2 URLs could be reached"));
    assert_null(res.mssp_trans_id);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/mss: cannot reach it", p1);
    assert_true(mock_log_has(url));
    snprintf(url, sizeof url, "http://127.0.0.1:%u/mss", p2);
    assert_true(mock_log_has(url));
    mss_sign_result_clear(&res);
    mss_client_free(c);
}

/* ------------------------------------------------------------- mss_client_call */

/* A signature request as a gateway would have decoded it from its own client. */
static mss_message forwarded_signature(void)
{
    static char dtbs[] = "MDEwDQYJYIZIAWUDBAIBBQAEIKo=";
    mss_message m = {.type = MSS_MSG_SIGNATURE_REQ};
    mss_signature_req *sr = &m.u.signature_req;
    sr->hdr.major_version = 1;
    sr->hdr.minor_version = 1;
    sr->hdr.ap_id = (char *)"http://desktop.test/";
    sr->hdr.ap_pwd = (char *)"desktop-pwd";
    sr->hdr.ap_trans_id = (char *)"_desktop1";
    sr->hdr.ap_instant = (char *)"2020-01-01T00:00:00Z";
    sr->mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    sr->timeout_s = 60;
    sr->msisdn = (char *)MOCK_MSISDN;
    sr->dtbs.text = dtbs;
    sr->dtbs.mime_type = (char *)"application/octet-stream";
    sr->dtbs.encoding = (char *)"base64";
    sr->mss_format = (char *)MSS_FORMAT_KIURU_PKCS1;
    return m;
}

static void test_call_sends_the_clients_ap_info(void **state)
{
    mss_detail detail;
    (void)state;
    unsigned dead = closed_port();
    server *s = server_start(respond_pending_once, NULL, NULL);
    char urls[160];
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u/mss %s", dead, s->url);
    mss_client_options o = list_options(urls);
    mss_client *c = new_client(&o);
    mss_message req = forwarded_signature(), resp;
    int used = 7;

    assert_int_equal(mss_client_call(c, &req, MSS_URL_FIRST_REACHABLE, 5000, &resp, &used, &detail),
                     MSS_OK);
    assert_int_equal(used, 1);
    assert_int_equal(resp.type, MSS_MSG_SIGNATURE_RESP);
    assert_int_equal(detail.status, 100);
    assert_string_equal(resp.u.signature_resp.mssp_trans_id, MOCK_MSSP_TRANS_ID);
    /* The server saw the client's AP_Info, none of the desktop's. */
    assert_string_equal(s->last_ap_id, AP_ID);
    assert_string_equal(s->last_ap_pwd, AP_PWD);
    assert_string_not_equal(s->sig_trans_id, "_desktop1");
    assert_string_not_equal(s->sig_instant, "2020-01-01T00:00:00Z");
    assert_string_equal(resp.u.signature_resp.hdr.ap_trans_id, s->sig_trans_id);
    /* ...and req is untouched. */
    assert_string_equal(req.u.signature_req.hdr.ap_trans_id, "_desktop1");
    assert_string_equal(req.u.signature_req.hdr.ap_id, "http://desktop.test/");
    mss_message_clear(&resp);

    /* A status query keeps the caller's MSSP_ID; an explicit index gets no failover. */
    mss_message q = {.type = MSS_MSG_STATUS_REQ};
    q.u.status_req.hdr.ap_id = (char *)"http://desktop.test/";
    q.u.status_req.hdr.mssp_id_uri = (char *)"http://upstream.test/";
    q.u.status_req.mssp_trans_id = (char *)MOCK_MSSP_TRANS_ID;
    q.u.status_req.msisdn = (char *)MOCK_MSISDN;
    assert_int_equal(mss_client_call(c, &q, 1, 5000, &resp, &used, &detail), MSS_OK);
    assert_int_equal(resp.type, MSS_MSG_STATUS_RESP);
    assert_int_equal(detail.status, 504);
    assert_string_equal(s->last_mssp_id, "http://upstream.test/");
    assert_string_equal(s->last_ap_id, AP_ID);
    mss_message_clear(&resp);
    assert_int_equal(mss_client_call(c, &q, 0, 5000, &resp, &used, &detail), MSS_ERR_TRANSPORT);
    assert_int_equal(used, -1);
    assert_int_equal(resp.type, 0);
    assert_int_equal(seen(s, &s->n_status), 1);
    mss_message_clear(&resp);

    mss_client_free(c);
    server_stop(s);
}

static void test_call_honours_url_index(void **state)
{
    mss_detail detail;
    (void)state;
    server *a = server_start(respond_pending_once, NULL, NULL);
    server *b = server_start(respond_pending_once, NULL, NULL);
    char urls[160];
    snprintf(urls, sizeof urls, "%s %s", a->url, b->url);
    mss_client_options o = list_options(urls);
    mss_client *c = new_client(&o);
    mss_message req = forwarded_signature(), resp;
    int used = -1;

    assert_int_equal(mss_client_url_count(c), 2);
    assert_int_equal(mss_client_call(c, &req, 1, 5000, &resp, &used, &detail), MSS_OK);
    assert_int_equal(used, 1);
    assert_int_equal(seen(a, &a->n_sig), 0);
    assert_int_equal(seen(b, &b->n_sig), 1);
    mss_message_clear(&resp);
    assert_int_equal(mss_client_call(c, &req, 0, 5000, &resp, NULL, &detail), MSS_OK);
    assert_int_equal(seen(a, &a->n_sig), 1);
    mss_message_clear(&resp);
    assert_int_equal(mss_client_call(c, &req, MSS_URL_FIRST_REACHABLE, 5000, &resp, &used, NULL),
                     MSS_OK);
    assert_int_equal(used, 0);
    assert_int_equal(seen(a, &a->n_sig), 2);
    mss_message_clear(&resp);

    /* Bad arguments send nothing and leave *resp empty. */
    assert_int_equal(mss_client_call(c, &req, 2, 5000, &resp, &used, &detail), MSS_ERR_ARGS);
    assert_non_null(strstr(detail.text, "url_index"));
    assert_int_equal(used, -1);
    assert_int_equal(mss_client_call(c, &req, -2, 5000, &resp, &used, &detail), MSS_ERR_ARGS);
    assert_int_equal(mss_client_call(c, &req, 0, 0, &resp, &used, &detail), MSS_ERR_ARGS);
    mss_message not_a_request = {.type = MSS_MSG_SIGNATURE_RESP};
    assert_int_equal(mss_client_call(c, &not_a_request, 0, 5000, &resp, &used, &detail),
                     MSS_ERR_ARGS);
    assert_int_equal(resp.type, 0);
    assert_int_equal(mss_client_call(NULL, &req, 0, 5000, &resp, &used, &detail), MSS_ERR_ARGS);
    assert_int_equal(mss_client_call(c, NULL, 0, 5000, &resp, &used, &detail), MSS_ERR_ARGS);
    assert_int_equal(seen(a, &a->n_sig) + seen(b, &b->n_sig), 3);
    mss_client_free(c);
    server_stop(a);
    server_stop(b);
}

static void test_call_maps_a_fault(void **state)
{
    mss_detail detail;
    (void)state;
    server *s = server_start(respond_unknown_client, NULL, NULL);
    mss_client_options o = list_options(s->url);
    mss_client *c = new_client(&o);
    mss_message req = forwarded_signature(), resp;
    int used = -1;

    assert_int_equal(mss_client_call(c, &req, MSS_URL_FIRST_REACHABLE, 5000, &resp, &used, &detail),
                     MSS_ERR_FAULT);
    assert_int_equal(used, 0);
    assert_int_equal(resp.type, MSS_MSG_FAULT);
    assert_int_equal(resp.u.fault.code, 105);
    assert_int_equal(resp.u.fault.specifier, 1052);
    assert_int_equal(detail.status, 105);
    assert_int_equal(detail.subcode, 1052);
    assert_string_equal(detail.reason, "UNKNOWN_CLIENT");
    assert_int_equal(detail.http_status, 500);
    mss_message_clear(&resp);
    mss_client_free(c);
    server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_are_checked_when_the_client_is_made),
        cmocka_unit_test(test_refused_first_url_signs_through_the_second),
        cmocka_unit_test(test_tls_handshake_failure_fails_over),
        cmocka_unit_test(test_status_queries_and_receipt_stay_with_the_transaction),
        cmocka_unit_test(test_answering_first_url_is_not_skipped),
        cmocka_unit_test(test_unreachable_list_fails_with_a_transport_error),
        cmocka_unit_test(test_call_sends_the_clients_ap_info),
        cmocka_unit_test(test_call_honours_url_index),
        cmocka_unit_test(test_call_maps_a_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
