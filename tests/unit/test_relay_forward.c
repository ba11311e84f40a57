/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's rules (relay/forward.c) against a fake upstream MSSP: a desktop reaches
 * only its own phones, the phone text gets the organisation's prefix and no more than
 * the upstream allows, rate limits and one open request per phone hold, the upstream
 * MSSP_TransID never reaches the desktop (a sealed token does), a token works only for
 * its user and only unaltered and unexpired, upstream faults pass through and upstream
 * failures become 900, and every answer leaves one audit line. A desktop that asks in
 * the REST binding gets every answer, the relay's own faults included, as JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "scratch_dir.h"

#include "audit.h"
#include "forward.h"
#include "pending.h"
#include "rate_limit.h"
#include "token.h"
#include "token_keys.h"

#include <mss/rest.h>
#include <mss/soap.h>

#define ALICE_PHONE "+35840000001"
#define BOB_PHONE "+35840000002"
#define UPSTREAM_ID "UP-4711"

/* ------------------------------------------------------------------ the fake MSSP */

/* What the fake MSSP saw and what it answers next. */
typedef struct fake_mssp {
    int calls;
    int last_url_index;
    mss_message_type last_type;
    char last_msisdn[40];
    char last_text[256];
    char last_trans_id[160];
    unsigned last_timeout_s;
    mss_messaging_mode last_mode;
    /* the next answer */
    mss_error fail_with;        /* MSS_OK: answer; MSS_ERR_FAULT: a fault of fault_code */
    int fault_code;
    int status;                 /* status code of the answer */
    int answer_url;             /* the URL index that "answered" */
} fake_mssp;

static fake_mssp fake;

static void copy(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src != NULL ? src : "");
}

static void fill_header(mss_header *h)
{
    h->major_version = 1;
    h->minor_version = 1;
    h->ap_id = strdup("http://relay-ap.example");
    h->ap_trans_id = strdup("relayT1");
    h->ap_pwd = strdup("");
    h->ap_instant = strdup("2026-12-02T10:00:00Z");
    h->mssp_id_uri = strdup("http://mssp.example");
    h->mssp_instant = strdup("2026-12-02T10:00:01Z");
}

static mss_error fake_call(void *ctx, const mss_message *req, int url_index, unsigned timeout_ms,
                           mss_message *resp, int *url_used, mss_detail *detail)
{
    (void)ctx;
    (void)timeout_ms;
    fake.calls++;
    fake.last_url_index = url_index;
    fake.last_type = req->type;
    memset(resp, 0, sizeof *resp);
    *url_used = fake.answer_url;
    switch (req->type) {
    case MSS_MSG_SIGNATURE_REQ:
        copy(fake.last_msisdn, sizeof fake.last_msisdn, req->u.signature_req.msisdn);
        copy(fake.last_text, sizeof fake.last_text, req->u.signature_req.dtbd.text);
        fake.last_timeout_s = req->u.signature_req.timeout_s;
        fake.last_mode = req->u.signature_req.mode;
        break;
    case MSS_MSG_STATUS_REQ:
        copy(fake.last_msisdn, sizeof fake.last_msisdn, req->u.status_req.msisdn);
        copy(fake.last_trans_id, sizeof fake.last_trans_id, req->u.status_req.mssp_trans_id);
        break;
    case MSS_MSG_RECEIPT_REQ:
        copy(fake.last_trans_id, sizeof fake.last_trans_id, req->u.receipt_req.mssp_trans_id);
        break;
    case MSS_MSG_PROFILE_REQ:
        copy(fake.last_msisdn, sizeof fake.last_msisdn, req->u.profile_req.msisdn);
        break;
    default:
        fail_msg("the relay forwarded a message of type %d", req->type);
    }
    if (fake.fail_with == MSS_ERR_FAULT) {
        resp->type = MSS_MSG_FAULT;
        mss_fault_set(&resp->u.fault, fake.fault_code, 0, NULL);
        resp->u.fault.reason = strdup(resp->u.fault.reason);
        resp->u.fault.detail = strdup("from upstream");
        return MSS_ERR_FAULT;
    }
    if (fake.fail_with != MSS_OK) {
        if (detail != NULL)   /* the contract lets a caller pass none */
            snprintf(detail->text, sizeof detail->text, "connection refused");
        return fake.fail_with;
    }
    switch (req->type) {
    case MSS_MSG_SIGNATURE_REQ:
        resp->type = MSS_MSG_SIGNATURE_RESP;
        fill_header(&resp->u.signature_resp.hdr);
        resp->u.signature_resp.mssp_trans_id = strdup(UPSTREAM_ID);
        resp->u.signature_resp.msisdn = strdup(req->u.signature_req.msisdn);
        resp->u.signature_resp.status.code = fake.status;
        break;
    case MSS_MSG_STATUS_REQ:
        resp->type = MSS_MSG_STATUS_RESP;
        fill_header(&resp->u.status_resp.hdr);
        resp->u.status_resp.status.code = fake.status;
        break;
    case MSS_MSG_RECEIPT_REQ:
        resp->type = MSS_MSG_RECEIPT_RESP;
        fill_header(&resp->u.receipt_resp.hdr);
        resp->u.receipt_resp.status.code = 100;
        break;
    default:
        resp->type = MSS_MSG_PROFILE_RESP;
        fill_header(&resp->u.profile_resp.hdr);
        resp->u.profile_resp.status.code = 100;
        break;
    }
    return MSS_OK;
}

/* ------------------------------------------------------------------ the relay */

static const char *const alice_phones[] = {ALICE_PHONE};
static const relay_caller alice = {"alice", alice_phones, 1, "192.0.2.1"};
static const char *const bob_phones[] = {BOB_PHONE};
static const relay_caller bob = {"bob", bob_phones, 1, "192.0.2.2"};

typedef struct world {
    relay_rules rules;
    relay_token_keys *keys;
    relay_pending *pending;
    relay_audit *audit;
    const char *audit_path;
} world;

static world w;
/* How the desktop's requests come (server/binding_route.h); SOAP unless a test says. */
static srv_route desk;

static void world_make(unsigned per_user, unsigned per_phone)
{
    memset(&fake, 0, sizeof fake);
    fake.status = 500;
    fake.answer_url = 1;
    unsigned char key[1][RELAY_KEY_LEN];
    memset(key[0], 0x5a, RELAY_KEY_LEN);
    w.keys = relay_token_keys_new((const unsigned char(*)[RELAY_KEY_LEN])key, 1);
    w.pending = relay_pending_new(1, 64);
    w.audit_path = scratch_path("audit.log");
    remove(w.audit_path);
    char why[200];
    w.audit = relay_audit_open(w.audit_path, why, sizeof why);
    assert_non_null(w.keys);
    assert_non_null(w.pending);
    assert_non_null(w.audit);
    memset(&w.rules, 0, sizeof w.rules);
    w.rules.text_prefix = "ACME:";
    w.rules.max_text_chars = 40;
    w.rules.default_timeout_s = 120;
    w.rules.max_timeout_s = 180;
    w.rules.token_grace_s = 300;
    w.rules.keys = w.keys;
    w.rules.per_user = per_user != 0 ? relay_rate_limit_new(per_user, 100) : NULL;
    w.rules.per_msisdn = per_phone != 0 ? relay_rate_limit_new(per_phone, 100) : NULL;
    w.rules.pending = w.pending;
    w.rules.audit = w.audit;
    w.rules.upstream = fake_call;
    desk.binding = mss_binding_soap();
    desk.expect = 0;
}

static int world_free(void **state)
{
    (void)state;
    relay_rate_limit_free(w.rules.per_user);
    relay_rate_limit_free(w.rules.per_msisdn);
    relay_pending_free(w.pending);
    relay_audit_close(w.audit);
    relay_token_keys_free(w.keys);
    memset(&w, 0, sizeof w);
    return 0;
}

static int world_default(void **state)
{
    (void)state;
    world_make(0, 0);
    return 0;
}

static void desktop_header(mss_header *h)
{
    memset(h, 0, sizeof *h);
    h->major_version = 1;
    h->minor_version = 1;
    h->ap_id = (char *)"http://desktop.example";
    h->ap_trans_id = (char *)"deskT9";
    h->ap_pwd = (char *)"not-used";
    h->ap_instant = (char *)"2026-12-02T09:59:59Z";
}

/* Send MSG as a desktop would (in desk's binding) and decode the relay's answer, which
 * must be in the same binding, into *ANSWER. */
static int send_msg(const relay_caller *who, const mss_message *msg, mss_message *answer)
{
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(mss_binding_encode(desk.binding, msg, &body, &len), MSS_OK);
    relay_reply reply;
    relay_forward(&w.rules, who, &desk, body, len, &reply);
    free(body);
    assert_non_null(reply.body);
    assert_string_equal(reply.content_type, mss_binding_content_type(desk.binding));
    assert_int_equal(mss_binding_decode(desk.binding, reply.body, reply.body_len, answer, NULL),
                     MSS_OK);
    int http = reply.http_status;
    relay_reply_clear(&reply);
    return http;
}

/* A desktop's signature request (the strings are borrowed) into *M. */
static void signature_request(const char *msisdn, const char *text, mss_messaging_mode mode,
                              mss_message *m)
{
    memset(m, 0, sizeof *m);
    m->type = MSS_MSG_SIGNATURE_REQ;
    desktop_header(&m->u.signature_req.hdr);
    m->u.signature_req.mode = mode;
    m->u.signature_req.msisdn = (char *)msisdn;
    m->u.signature_req.dtbs.text = (char *)"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    m->u.signature_req.dtbs.mime_type = (char *)"application/octet-stream";
    m->u.signature_req.dtbs.encoding = (char *)"base64";
    m->u.signature_req.dtbd.text = (char *)text;
    m->u.signature_req.dtbd.mime_type = (char *)"text/plain";
}

static int sign(const relay_caller *who, const char *msisdn, const char *text,
                mss_messaging_mode mode, mss_message *answer)
{
    mss_message m;
    signature_request(msisdn, text, mode, &m);
    return send_msg(who, &m, answer);
}

static int status_query(const relay_caller *who, const char *token, mss_message *answer)
{
    mss_message m;
    memset(&m, 0, sizeof m);
    m.type = MSS_MSG_STATUS_REQ;
    desktop_header(&m.u.status_req.hdr);
    m.u.status_req.mssp_trans_id = (char *)token;
    return send_msg(who, &m, answer);
}

static void expect_fault(int http, mss_message *answer, int code)
{
    assert_int_equal(http, 500);
    assert_int_equal(answer->type, MSS_MSG_FAULT);
    assert_int_equal(answer->u.fault.code, code);
    mss_message_clear(answer);
}

static int audit_lines_with(const char *needle)
{
    FILE *f = fopen(w.audit_path, "r");
    assert_non_null(f);
    char line[2048];
    int n = 0;
    while (fgets(line, sizeof line, f) != NULL)
        n += strstr(line, needle) != NULL ? 1 : 0;
    fclose(f);
    return n;
}

/* Start an asynch signature for alice and return its token in TOKEN. */
static void start_pending(char *token, size_t len)
{
    fake.status = 100;
    mss_message a;
    assert_int_equal(sign(&alice, ALICE_PHONE, "Sign in? Code 1234", MSS_MODE_ASYNCH_CLIENT_SERVER,
                          &a), 200);
    assert_int_equal(a.type, MSS_MSG_SIGNATURE_RESP);
    snprintf(token, len, "%s", a.u.signature_resp.mssp_trans_id);
    mss_message_clear(&a);
}

/* ------------------------------------------------------------------ the tests */

static void test_signature_is_forwarded_with_a_token(void **state)
{
    (void)state;
    fake.status = 100;
    mss_message a;
    assert_int_equal(sign(&alice, ALICE_PHONE, "Sign in? Code 1234",
                          MSS_MODE_ASYNCH_CLIENT_SERVER, &a), 200);
    assert_int_equal(fake.calls, 1);
    assert_int_equal(fake.last_url_index, RELAY_ANY_UPSTREAM);
    assert_string_equal(fake.last_msisdn, ALICE_PHONE);
    assert_string_equal(fake.last_text, "ACME: Sign in? Code 1234");
    assert_int_equal(fake.last_timeout_s, 120);
    assert_int_equal(a.type, MSS_MSG_SIGNATURE_RESP);
    const mss_signature_resp *r = &a.u.signature_resp;
    /* addressed to the desktop's request; the upstream's transaction ID is not there */
    assert_string_equal(r->hdr.ap_trans_id, "deskT9");
    assert_string_equal(r->hdr.ap_id, "http://desktop.example");
    assert_true(r->mssp_trans_id[0] == 'R');
    assert_null(strstr(r->mssp_trans_id, UPSTREAM_ID));
    relay_tx tx;
    assert_int_equal(relay_token_open(w.keys, r->mssp_trans_id, time(NULL), &tx), RELAY_TOKEN_OK);
    assert_string_equal(tx.upstream_id, UPSTREAM_ID);
    assert_string_equal(tx.user, "alice");
    assert_string_equal(tx.msisdn, ALICE_PHONE);
    assert_int_equal(tx.upstream, 1);
    assert_true(tx.expires >= time(NULL) + 120 + 300 - 5);
    mss_message_clear(&a);
    assert_int_equal(audit_lines_with("\"outcome\":\"ok\""), 1);
}

static void test_status_goes_to_the_upstream_that_has_it(void **state)
{
    (void)state;
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    start_pending(token, sizeof token);
    fake.answer_url = 2;   /* would be wrong: the token says 1 */
    fake.status = 500;
    mss_message a;
    assert_int_equal(status_query(&alice, token, &a), 200);
    assert_int_equal(fake.last_type, MSS_MSG_STATUS_REQ);
    assert_int_equal(fake.last_url_index, 1);
    assert_string_equal(fake.last_trans_id, UPSTREAM_ID);
    assert_string_equal(fake.last_msisdn, ALICE_PHONE);
    assert_int_equal(a.type, MSS_MSG_STATUS_RESP);
    assert_int_equal(a.u.status_resp.status.code, 500);
    assert_string_equal(a.u.status_resp.hdr.ap_trans_id, "deskT9");
    mss_message_clear(&a);
}

static void test_another_users_phone_is_refused(void **state)
{
    (void)state;
    mss_message a;
    expect_fault(sign(&alice, BOB_PHONE, "x", MSS_MODE_SYNCH, &a), &a, 104);
    mss_message m;
    memset(&m, 0, sizeof m);
    m.type = MSS_MSG_PROFILE_REQ;
    desktop_header(&m.u.profile_req.hdr);
    m.u.profile_req.msisdn = (char *)BOB_PHONE;
    expect_fault(send_msg(&alice, &m, &a), &a, 104);
    assert_int_equal(fake.calls, 0);
    assert_int_equal(audit_lines_with("\"status\":104"), 2);
    m.u.profile_req.msisdn = (char *)ALICE_PHONE;
    assert_int_equal(send_msg(&alice, &m, &a), 200);
    assert_int_equal(a.type, MSS_MSG_PROFILE_RESP);
    mss_message_clear(&a);
    assert_int_equal(fake.calls, 1);
}

static void test_tokens_work_only_unaltered_for_their_user(void **state)
{
    (void)state;
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    start_pending(token, sizeof token);
    int calls = fake.calls;
    mss_message a;
    expect_fault(status_query(&bob, token, &a), &a, 101);
    char altered[sizeof token];
    memcpy(altered, token, sizeof token);
    size_t mid = strlen(altered) / 2;
    altered[mid] = altered[mid] == 'A' ? 'B' : 'A';
    expect_fault(status_query(&alice, altered, &a), &a, 101);
    expect_fault(status_query(&alice, "UP-4711", &a), &a, 101);
    /* sealed by the same keys, but past its expiry */
    relay_tx tx;
    memset(&tx, 0, sizeof tx);
    strcpy(tx.upstream_id, UPSTREAM_ID);
    strcpy(tx.user, "alice");
    strcpy(tx.msisdn, ALICE_PHONE);
    tx.expires = time(NULL) - 1;
    char expired[RELAY_TOKEN_MAX_TEXT + 1];
    assert_int_equal(relay_token_seal(w.keys, &tx, expired, sizeof expired), 0);
    expect_fault(status_query(&alice, expired, &a), &a, 208);
    assert_int_equal(fake.calls, calls);
    assert_int_equal(audit_lines_with("another user's transaction token"), 1);
    assert_int_equal(audit_lines_with("forged or altered"), 1);
}

static void test_one_open_request_per_phone(void **state)
{
    (void)state;
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    start_pending(token, sizeof token);
    mss_message a;
    /* busy: the MSSP is asked about the open request (still 100), and the new one is
     * refused without reaching the phone */
    expect_fault(sign(&alice, ALICE_PHONE, "again", MSS_MODE_ASYNCH_CLIENT_SERVER, &a), &a, 406);
    assert_int_equal(fake.calls, 2);
    assert_int_equal(fake.last_type, MSS_MSG_STATUS_REQ);
    assert_string_equal(fake.last_trans_id, UPSTREAM_ID);
    assert_int_equal(fake.last_url_index, 1);
    /* still pending upstream: still busy */
    fake.status = 504;
    assert_int_equal(status_query(&alice, token, &a), 200);
    mss_message_clear(&a);
    expect_fault(sign(&alice, ALICE_PHONE, "again", MSS_MODE_ASYNCH_CLIENT_SERVER, &a), &a, 406);
    /* the final status frees the phone */
    fake.status = 500;
    assert_int_equal(status_query(&alice, token, &a), 200);
    mss_message_clear(&a);
    int calls = fake.calls;
    assert_int_equal(sign(&alice, ALICE_PHONE, "again", MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
    assert_int_equal(fake.calls, calls + 1);   /* no question needed */
    /* a synch request that ended (500) leaves the phone free */
    assert_int_equal(sign(&alice, ALICE_PHONE, "again", MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
}

/* Another instance passed the final status on: this one learns it from the MSSP when
 * the phone looks busy, and lets the new request through. */
static void test_a_request_ended_elsewhere_frees_the_phone(void **state)
{
    (void)state;
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    start_pending(token, sizeof token);
    fake.status = 500;   /* the MSSP's answer to the question, and to the new request */
    mss_message a;
    assert_int_equal(sign(&alice, ALICE_PHONE, "again", MSS_MODE_SYNCH, &a), 200);
    assert_int_equal(a.type, MSS_MSG_SIGNATURE_RESP);
    mss_message_clear(&a);
    assert_int_equal(fake.calls, 3);   /* request, question, new request */
    assert_int_equal(fake.last_type, MSS_MSG_SIGNATURE_REQ);
    /* the MSSP cannot be reached to ask: 900, not a false "busy" */
    start_pending(token, sizeof token);
    fake.fail_with = MSS_ERR_TRANSPORT;
    expect_fault(sign(&alice, ALICE_PHONE, "again", MSS_MODE_SYNCH, &a), &a, 900);
}

static void test_phone_text_gets_the_prefix_within_the_limit(void **state)
{
    (void)state;
    mss_message a;
    assert_int_equal(sign(&alice, ALICE_PHONE, "ACME: already there", MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
    assert_string_equal(fake.last_text, "ACME: already there");
    assert_int_equal(sign(&alice, ALICE_PHONE, NULL, MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
    assert_string_equal(fake.last_text, "ACME:");
    /* "ACME: " and 34 characters (one of them two bytes) fit in 40; 35 do not, and are
     * refused, not cut */
    assert_int_equal(sign(&alice, ALICE_PHONE, "\xc3\xa4" "123456789012345678901234567890123",
                          MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
    int calls = fake.calls;
    expect_fault(sign(&alice, ALICE_PHONE, "01234567890123456789012345678901234", MSS_MODE_SYNCH,
                      &a), &a, 103);
    assert_int_equal(fake.calls, calls);
}

static void test_rate_limits_refuse_before_the_phone(void **state)
{
    (void)state;
    world_free(NULL);
    world_make(2, 0);
    mss_message a;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(sign(&alice, ALICE_PHONE, "x", MSS_MODE_SYNCH, &a), 200);
        mss_message_clear(&a);
    }
    expect_fault(sign(&alice, ALICE_PHONE, "x", MSS_MODE_SYNCH, &a), &a, 406);
    assert_int_equal(fake.calls, 2);
    /* another user has a bucket of their own */
    assert_int_equal(sign(&bob, BOB_PHONE, "x", MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
    assert_int_equal(audit_lines_with("rate limit"), 1);
}

static void test_upstream_faults_pass_and_failures_are_900(void **state)
{
    (void)state;
    mss_message a;
    fake.fail_with = MSS_ERR_FAULT;
    fake.fault_code = 105;
    expect_fault(sign(&alice, ALICE_PHONE, "x", MSS_MODE_SYNCH, &a), &a, 105);
    fake.fail_with = MSS_ERR_TRANSPORT;
    expect_fault(sign(&alice, ALICE_PHONE, "x", MSS_MODE_ASYNCH_CLIENT_SERVER, &a), &a, 900);
    /* neither left the phone busy */
    fake.fail_with = MSS_OK;
    assert_int_equal(sign(&alice, ALICE_PHONE, "x", MSS_MODE_SYNCH, &a), 200);
    mss_message_clear(&a);
    assert_int_equal(audit_lines_with("\"outcome\":\"fault\""), 1);
    assert_int_equal(audit_lines_with("\"outcome\":\"error\""), 1);
}

static void test_bad_requests_are_refused(void **state)
{
    (void)state;
    relay_reply reply;
    relay_forward(&w.rules, &alice, &desk, "<not-soap/>", 11, &reply);
    assert_int_equal(reply.http_status, 500);
    mss_message a;
    assert_int_equal(mss_soap_decode(reply.body, reply.body_len, &a, NULL), MSS_OK);
    relay_reply_clear(&reply);
    expect_fault(500, &a, 101);
    expect_fault(sign(&alice, ALICE_PHONE, "x", MSS_MODE_ASYNCH_SERVER_SERVER, &a), &a, 101);
    assert_int_equal(fake.calls, 0);
}

/* A REST desktop gets JSON back whatever the upstream speaks (the fake MSSP answers with
 * messages, as the client does after decoding either binding): the answer, its token, the
 * status query by token, and the audit line says "rest". */
static void test_a_rest_desktop_is_answered_in_json(void **state)
{
    (void)state;
    desk.binding = mss_binding_rest();
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    start_pending(token, sizeof token);
    assert_true(token[0] == 'R');
    assert_string_equal(fake.last_text, "ACME: Sign in? Code 1234");
    fake.status = 500;
    mss_message a;
    assert_int_equal(status_query(&alice, token, &a), 200);
    assert_int_equal(a.type, MSS_MSG_STATUS_RESP);
    assert_int_equal(a.u.status_resp.status.code, 500);
    assert_string_equal(a.u.status_resp.hdr.ap_trans_id, "deskT9");
    mss_message_clear(&a);
    assert_string_equal(fake.last_trans_id, UPSTREAM_ID);
    assert_int_equal(audit_lines_with("\"binding\":\"rest\""), 2);
    assert_int_equal(audit_lines_with("\"binding\":\"soap\""), 0);
}

/* Every fault a REST desktop can get is a JSON Fault: the relay's own (104 another
 * user's phone, 101 an altered token or unreadable JSON, 103 too long a text, 406 busy)
 * and the upstream's, passed on. */
static void test_a_rest_desktop_gets_json_faults(void **state)
{
    (void)state;
    desk.binding = mss_binding_rest();
    mss_message a;
    expect_fault(sign(&alice, BOB_PHONE, "x", MSS_MODE_SYNCH, &a), &a, 104);
    expect_fault(status_query(&alice, "R-not-a-token", &a), &a, 101);
    expect_fault(sign(&alice, ALICE_PHONE, "01234567890123456789012345678901234567890",
                      MSS_MODE_SYNCH, &a), &a, 103);
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    start_pending(token, sizeof token);
    expect_fault(sign(&alice, ALICE_PHONE, "again", MSS_MODE_SYNCH, &a), &a, 406);
    fake.fail_with = MSS_ERR_FAULT;
    fake.fault_code = 105;
    expect_fault(status_query(&alice, token, &a), &a, 105);
    relay_reply reply;
    relay_forward(&w.rules, &alice, &desk, "<not-json/>", 11, &reply);
    assert_string_equal(reply.content_type, "application/json");
    assert_int_equal(mss_rest_decode(reply.body, reply.body_len, &a, NULL), MSS_OK);
    relay_reply_clear(&reply);
    expect_fault(500, &a, 101);
    relay_fault_reply(mss_binding_rest(), 104, "no credentials", &reply);
    assert_int_equal(mss_rest_decode(reply.body, reply.body_len, &a, NULL), MSS_OK);
    relay_reply_clear(&reply);
    expect_fault(500, &a, 104);
}

/* On a path that serves one operation (Swisscom's /rest/service/status), another
 * operation's message is refused and never forwarded; fi:PKCS1, which has no JSON form, is
 * refused for a REST desktop before the phone is asked. */
static void test_rest_refusals_before_the_upstream(void **state)
{
    (void)state;
    desk.binding = mss_binding_rest();
    desk.expect = MSS_MSG_STATUS_REQ;
    mss_message a;
    expect_fault(sign(&alice, ALICE_PHONE, "x", MSS_MODE_SYNCH, &a), &a, 101);
    desk.expect = 0;
    mss_message m;
    signature_request(ALICE_PHONE, "x", MSS_MODE_SYNCH, &m);
    m.u.signature_req.mss_format = (char *)MSS_FORMAT_FICOM_PKCS1;
    assert_int_equal(send_msg(&alice, &m, &a), 500);
    assert_int_equal(a.type, MSS_MSG_FAULT);
    assert_int_equal(a.u.fault.code, 101);
    assert_int_equal(a.u.fault.specifier, 1017);
    mss_message_clear(&a);
    assert_int_equal(fake.calls, 0);
}

static int fresh(void **state)
{
    world_free(state);
    return world_default(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_signature_is_forwarded_with_a_token, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_status_goes_to_the_upstream_that_has_it, fresh,
                                        world_free),
        cmocka_unit_test_setup_teardown(test_another_users_phone_is_refused, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_tokens_work_only_unaltered_for_their_user, fresh,
                                        world_free),
        cmocka_unit_test_setup_teardown(test_one_open_request_per_phone, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_a_request_ended_elsewhere_frees_the_phone, fresh,
                                        world_free),
        cmocka_unit_test_setup_teardown(test_phone_text_gets_the_prefix_within_the_limit, fresh,
                                        world_free),
        cmocka_unit_test_setup_teardown(test_rate_limits_refuse_before_the_phone, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_upstream_faults_pass_and_failures_are_900, fresh,
                                        world_free),
        cmocka_unit_test_setup_teardown(test_bad_requests_are_refused, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_a_rest_desktop_is_answered_in_json, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_a_rest_desktop_gets_json_faults, fresh, world_free),
        cmocka_unit_test_setup_teardown(test_rest_refusals_before_the_upstream, fresh, world_free),
    };
    return cmocka_run_group_tests(tests, scratch_dir_make, scratch_dir_remove);
}
