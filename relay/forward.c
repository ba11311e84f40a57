/* SPDX-License-Identifier: BSD-3-Clause */
/* One desktop request through the relay's rules to the upstream MSSP; see forward.h. */
#include "forward.h"
#include "fault_answer.h"
#include "token.h"
#include "timed_wait.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long a status query, profile query or receipt may take upstream. */
#define RELAY_QUERY_TIMEOUT_MS 30000u
/* Open requests of a busy phone the MSSP is asked about before a new one is refused. */
#define RELAY_MAX_PENDING_CHECKS 4
/* What a synch request may take beyond its TimeOut: the MSSP's own answer time. */
#define RELAY_SYNCH_MARGIN_MS 10000u

/* One request on its way through: what the answer and the audit line need. */
typedef struct job {
    const relay_rules *rules;
    const relay_caller *caller;
    const mss_binding *binding;    /* the desktop's: its answer is in it */
    const mss_message *req;
    relay_reply *out;
    uint64_t start_ms;
    const char *msisdn;            /* the phone concerned, for the audit line */
    char token_msisdn[RELAY_TX_MAX_MSISDN + 1];   /* a token's phone, when it names one */
} job;

void relay_reply_clear(relay_reply *reply)
{
    free(reply->body);
    memset(reply, 0, sizeof *reply);
}

static void audit(const job *j, const char *outcome, int status, const char *reason)
{
    if (j->rules->audit == NULL)
        return;
    relay_audit_event e = {
        .user = j->caller->user,
        .peer = j->caller->peer,
        .operation = j->out->operation,
        .binding = mss_binding_name(j->binding),
        .msisdn = j->msisdn,
        .outcome = outcome,
        .status = status,
        .reason = reason,
        .latency_ms = (long long)(monotonic_ms() - j->start_ms),
    };
    relay_audit_write(j->rules->audit, &e, time(NULL));
}

static void encode_fault(const mss_binding *binding, int code, int specifier, const char *detail,
                         relay_reply *out)
{
    free(out->body);
    out->http_status = 500;
    out->content_type = mss_binding_content_type(srv_binding_or_soap(binding));
    out->mss_status = srv_fault_answer(srv_binding_or_soap(binding), code, specifier, detail,
                                       &out->body, &out->body_len);
}

void relay_fault_reply(const mss_binding *binding, int code, const char *detail,
                       relay_reply *out)
{
    encode_fault(binding, code, 0, detail, out);
}

/* The relay says no (outcome "refused") or cannot go on ("error"), with a fault's
 * specifier (0: none). */
static void refuse_specified(const job *j, const char *outcome, int code, int specifier,
                             const char *why)
{
    encode_fault(j->binding, code, specifier, why, j->out);
    audit(j, outcome, code, why);
}

static void refuse(const job *j, const char *outcome, int code, const char *why)
{
    refuse_specified(j, outcome, code, 0, why);
}

/* The upstream's fault, passed on as it came (outcome "fault"), in the desktop's
 * binding. */
static void pass_fault(const job *j, const mss_fault *f)
{
    encode_fault(j->binding, f->code, f->specifier, f->detail, j->out);
    audit(j, "fault", f->code, f->reason);
}

static int replace(char **field, const char *value)
{
    char *copy = strdup(value != NULL ? value : "");
    if (copy == NULL)
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

/*
 * The upstream's answer speaks to the relay (its AP_ID and AP_TransID); the desktop
 * gets it addressed to its own request, with no AP_PWD (the schema wants the
 * attribute; an answer never carries a password).
 */
static int address_to_desktop(mss_header *resp, const mss_header *req)
{
    return replace(&resp->ap_id, req->ap_id) | replace(&resp->ap_trans_id, req->ap_trans_id) |
           replace(&resp->ap_instant, req->ap_instant) | replace(&resp->ap_pwd, "");
}

/* A response's header, whatever its type (the library's accessor, writable here: the
 * message is this file's own). */
static mss_header *header_of(mss_message *m)
{
    return (mss_header *)mss_message_header(m);
}

static int status_of(const mss_message *m)
{
    switch (m->type) {
    case MSS_MSG_SIGNATURE_RESP: return m->u.signature_resp.status.code;
    case MSS_MSG_STATUS_RESP: return m->u.status_resp.status.code;
    case MSS_MSG_RECEIPT_RESP: return m->u.receipt_resp.status.code;
    case MSS_MSG_PROFILE_RESP: return m->u.profile_resp.status.code;
    default: return 0;
    }
}

/* RESP, addressed to the desktop's request, encoded in the desktop's binding as the
 * answer (outcome "ok"); a fault when that fails. */
static void answer_desktop(const job *j, mss_message *resp)
{
    free(j->out->body);
    j->out->body = NULL;
    if (address_to_desktop(header_of(resp), mss_message_header(j->req)) != 0) {
        refuse(j, "error", 900, "out of memory");
        return;
    }
    mss_error err = mss_binding_encode(j->binding, resp, &j->out->body, &j->out->body_len);
    const char *no_json = srv_no_json_form(j->binding, err, resp);
    if (no_json != NULL) {
        refuse_specified(j, "refused", 101, 1017, no_json);
        return;
    }
    if (err != MSS_OK) {
        refuse(j, "error", 900, "cannot encode the answer");
        return;
    }
    int status = status_of(resp);
    j->out->http_status = 200;
    j->out->content_type = mss_binding_content_type(j->binding);
    j->out->mss_status = status;
    audit(j, "ok", status, NULL);
}

/* One upstream round trip that must bring an EXPECT back; on failure the desktop's
 * answer is written and -1 returned. RESP is the caller's to clear either way. */
static int call_upstream(const job *j, const mss_message *fwd, int url_index,
                         unsigned timeout_ms, mss_message_type expect, mss_message *resp,
                         int *url_used)
{
    mss_detail detail;
    memset(&detail, 0, sizeof detail);
    memset(resp, 0, sizeof *resp);
    *url_used = url_index;
    mss_error err = j->rules->upstream(j->rules->upstream_ctx, fwd, url_index, timeout_ms,
                                       resp, url_used, &detail);
    if (err == MSS_OK && resp->type == expect)
        return 0;
    if (err == MSS_OK) {
        char why[96];
        snprintf(why, sizeof why, "upstream MSSP: not an %s", mss_message_type_name(expect));
        refuse(j, "error", 900, why);
        return -1;
    }
    if (err == MSS_ERR_FAULT && resp->type == MSS_MSG_FAULT) {
        pass_fault(j, &resp->u.fault);
        return -1;
    }
    /* Unreachable, TLS, garbage, our deadline: to the desktop the MSSP is broken (900);
     * the reason is ours, never the upstream's credentials or body. */
    char why[MSS_DETAIL_TEXT_SIZE + 64];
    snprintf(why, sizeof why, "upstream MSSP: %s%s%s", mss_error_string(err),
             detail.text[0] != '\0' ? ": " : "", detail.text);
    refuse(j, "error", 900, why);
    return -1;
}

static int owns(const relay_caller *caller, const char *msisdn)
{
    if (msisdn == NULL)
        return 0;
    for (size_t i = 0; i < caller->n_msisdns; i++)
        if (strcmp(caller->msisdns[i], msisdn) == 0)
            return 1;
    return 0;
}

/* Characters (code points) in UTF-8 TEXT, which the decoder has checked. */
static size_t utf8_chars(const char *text)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/*
 * The text the phone will show, into *OUT: the organisation's prefix and a space in
 * front, unless it starts with the prefix already. 0, or the fault code with *WHY: 103
 * when the result is too long (the relay does not cut it, since the end of a module's
 * text is the verification code the person compares), 900 without memory.
 */
static int phone_text(const relay_rules *rules, const char *text, char **out, const char **why)
{
    const char *prefix = rules->text_prefix != NULL ? rules->text_prefix : "";
    if (text == NULL)
        text = "";
    size_t plen = strlen(prefix);
    int add = plen > 0 && strncmp(text, prefix, plen) != 0;
    const char *sep = add && text[0] != '\0' ? " " : "";
    size_t len = (add ? plen + strlen(sep) : 0) + strlen(text);
    *out = malloc(len + 1);
    if (*out == NULL) {
        *why = "out of memory";
        return 900;
    }
    snprintf(*out, len + 1, "%s%s%s", add ? prefix : "", sep, text);
    if (rules->max_text_chars != 0 && utf8_chars(*out) > rules->max_text_chars) {
        free(*out);
        *out = NULL;
        *why = "DataToBeDisplayed is longer than the upstream MSSP allows (with the "
               "organisation's prefix)";
        return 103;
    }
    return 0;
}

static unsigned request_timeout(const relay_rules *rules, unsigned asked)
{
    unsigned t = asked != 0 ? asked : rules->default_timeout_s;
    return t > rules->max_timeout_s ? rules->max_timeout_s : t;
}

static int is_final(int status)
{
    const mss_status_info *info = mss_status_lookup(status);
    return info == NULL || info->is_final;
}

/* The desktop's token for an upstream transaction. 0, or -1 with the answer written. */
static int seal_token(const job *j, const char *upstream_id, int url_used, unsigned timeout_s,
                      char *token, size_t token_len)
{
    relay_tx tx;
    memset(&tx, 0, sizeof tx);
    if (upstream_id == NULL || strlen(upstream_id) > RELAY_TX_MAX_ID ||
        strlen(j->caller->user) > RELAY_TX_MAX_USER || strlen(j->msisdn) > RELAY_TX_MAX_MSISDN ||
        url_used < 0 || url_used > 255) {
        refuse(j, "error", 900, "the upstream transaction cannot be carried in a token");
        return -1;
    }
    snprintf(tx.upstream_id, sizeof tx.upstream_id, "%s", upstream_id);
    snprintf(tx.user, sizeof tx.user, "%s", j->caller->user);
    snprintf(tx.msisdn, sizeof tx.msisdn, "%s", j->msisdn);
    tx.upstream = (unsigned)url_used;
    tx.expires = (int64_t)time(NULL) + timeout_s + j->rules->token_grace_s;
    if (relay_token_seal(j->rules->keys, &tx, token, token_len) != 0) {
        refuse(j, "error", 900, "cannot seal the transaction token");
        return -1;
    }
    return 0;
}

/* Rate limits of a request by this user (and phone, for signatures). 0 or -1 answered. */
static int within_limits(const job *j, int per_phone)
{
    uint64_t now = monotonic_ms();
    if (j->rules->per_user != NULL &&
        !relay_rate_limit_take(j->rules->per_user, j->caller->user, now)) {
        refuse(j, "refused", 406, "rate limit: too many requests from this user; try later");
        return -1;
    }
    if (per_phone && j->rules->per_msisdn != NULL &&
        !relay_rate_limit_take(j->rules->per_msisdn, j->msisdn, now)) {
        refuse(j, "refused", 406, "rate limit: too many requests for this phone; try later");
        return -1;
    }
    return 0;
}

/*
 * Whether upstream transaction E, which keeps a phone busy in this instance's table,
 * has ended: 1 when the MSSP says so (a final status, or a fault: it no longer knows
 * it), 0 when it is pending or still being sent, -1 when the MSSP cannot be asked.
 * Another relay instance may have passed on its final status, so this table can be
 * behind; asking costs one status query, and only when a phone looks busy.
 */
static int blocking_request_ended(const job *j, const char *msisdn,
                                  const relay_pending_entry *e)
{
    if (e->id[0] == '\0' || e->url < 0)
        return 0;   /* still being sent by another thread of this instance */
    mss_message q;
    memset(&q, 0, sizeof q);
    q.type = MSS_MSG_STATUS_REQ;
    q.u.status_req.mssp_trans_id = (char *)e->id;
    q.u.status_req.msisdn = (char *)msisdn;
    mss_message resp;
    int url_used;
    mss_error err = j->rules->upstream(j->rules->upstream_ctx, &q, e->url,
                                       RELAY_QUERY_TIMEOUT_MS, &resp, &url_used, NULL);
    int ended = (err == MSS_ERR_FAULT && resp.type == MSS_MSG_FAULT) ||
                (err == MSS_OK && resp.type == MSS_MSG_STATUS_RESP && is_final(status_of(&resp)));
    mss_message_clear(&resp);
    if (ended)
        relay_pending_close(j->rules->pending, msisdn, e->id);
    return ended ? 1 : err == MSS_OK || err == MSS_ERR_FAULT ? 0 : -1;
}

/* Take the phone for a new request (see pending.h), asking the MSSP about a request
 * that seems to keep it busy. 0, or -1 with the answer written. */
static int open_phone(const job *j, const char *msisdn, const char *id, unsigned timeout_s)
{
    relay_pending_entry blocking;
    for (int tries = 0;; tries++) {
        uint64_t now = monotonic_ms();
        relay_pending_verdict v = relay_pending_open(j->rules->pending, msisdn, id, now,
                                                     now + (uint64_t)timeout_s * 1000u,
                                                     &blocking);
        if (v == RELAY_PENDING_ADDED)
            return 0;
        if (v == RELAY_PENDING_FULL) {
            refuse(j, "error", 900, "too many requests waiting at this relay");
            return -1;
        }
        int ended = tries < RELAY_MAX_PENDING_CHECKS ? blocking_request_ended(j, msisdn, &blocking)
                                                     : 0;
        if (ended < 0) {
            refuse(j, "error", 900, "upstream MSSP: cannot be reached");
            return -1;
        }
        if (ended == 0) {
            refuse(j, "refused", 406, "a request is already waiting on this phone");
            return -1;
        }
    }
}

static void forward_signature(job *j)
{
    const mss_signature_req *r = &j->req->u.signature_req;
    j->msisdn = r->msisdn;
    if (!owns(j->caller, r->msisdn)) {
        refuse(j, "refused", 104, "this MSISDN is not the user's");
        return;
    }
    if (r->mode == MSS_MODE_ASYNCH_SERVER_SERVER) {
        refuse(j, "refused", 101, "the relay offers synch and asynchClientServer");
        return;
    }
    /* Refused before the phone is asked, rather than after it signed. */
    if (j->binding == mss_binding_rest() && srv_format_is_ficom_pkcs1(r->mss_format)) {
        refuse_specified(j, "refused", 101, 1017, SRV_NO_JSON_FORMAT);
        return;
    }
    if (within_limits(j, 1) != 0)
        return;
    const char *why = NULL;
    char *text = NULL;
    int code = phone_text(j->rules, r->dtbd.text, &text, &why);
    if (code != 0) {
        refuse(j, code == 103 ? "refused" : "error", code, why);
        return;
    }
    unsigned timeout_s = request_timeout(j->rules, r->timeout_s);
    char local_id[40];
    snprintf(local_id, sizeof local_id, "sending-%p", (void *)j);
    if (open_phone(j, r->msisdn, local_id, timeout_s) != 0) {
        free(text);
        return;
    }
    mss_message fwd = *j->req;   /* shallow: the upstream call only reads it */
    fwd.u.signature_req.dtbd.text = text;
    if (fwd.u.signature_req.dtbd.text[0] != '\0' && fwd.u.signature_req.dtbd.mime_type == NULL)
        fwd.u.signature_req.dtbd.mime_type = (char *)"text/plain";
    fwd.u.signature_req.timeout_s = timeout_s;
    unsigned call_ms = r->mode == MSS_MODE_SYNCH ? timeout_s * 1000u + RELAY_SYNCH_MARGIN_MS
                                                 : RELAY_QUERY_TIMEOUT_MS;
    mss_message resp;
    int url_used = RELAY_ANY_UPSTREAM;
    int rc = call_upstream(j, &fwd, RELAY_ANY_UPSTREAM, call_ms, MSS_MSG_SIGNATURE_RESP, &resp,
                           &url_used);
    free(text);
    if (rc != 0) {
        relay_pending_close(j->rules->pending, r->msisdn, local_id);
        mss_message_clear(&resp);
        return;
    }
    mss_signature_resp *sr = &resp.u.signature_resp;
    if (is_final(sr->status.code))
        relay_pending_close(j->rules->pending, r->msisdn, local_id);
    else
        relay_pending_named(j->rules->pending, r->msisdn, local_id,
                            sr->mssp_trans_id != NULL ? sr->mssp_trans_id : "", url_used);
    char token[RELAY_TOKEN_MAX_TEXT + 1];
    if (seal_token(j, sr->mssp_trans_id, url_used, timeout_s, token, sizeof token) == 0) {
        if (replace(&sr->mssp_trans_id, token) != 0)
            refuse(j, "error", 900, "out of memory");
        else
            answer_desktop(j, &resp);
    }
    mss_message_clear(&resp);
}

/* A token from the desktop: the transaction it stands for, or -1 with the answer
 * written (101 for anything not ours or not this user's, 208 when expired). */
static int open_token(job *j, const char *token, relay_tx *tx)
{
    relay_token_verdict v = relay_token_open(j->rules->keys, token != NULL ? token : "",
                                             (int64_t)time(NULL), tx);
    if (v == RELAY_TOKEN_OK && strcmp(tx->user, j->caller->user) == 0) {
        snprintf(j->token_msisdn, sizeof j->token_msisdn, "%s", tx->msisdn);
        j->msisdn = j->token_msisdn;
        return 0;
    }
    if (v == RELAY_TOKEN_EXPIRED) {
        /* Authentic but old (its fields are not given back): whoever holds it learns
         * no more than that its transaction is over. */
        refuse(j, "refused", 208, "the transaction token has expired");
        return -1;
    }
    /* Forged, altered, foreign or another user's: all the same to the desktop, so a
     * token tells nothing about transactions that are not the caller's. */
    encode_fault(j->binding, 101, 0, "unknown MSSP_TransID", j->out);
    audit(j, "refused", 101,
          v == RELAY_TOKEN_MALFORMED ? "not a relay transaction token"
          : v == RELAY_TOKEN_FORGED  ? "transaction token forged or altered"
                                     : "another user's transaction token");
    return -1;
}

/*
 * A status query or receipt names its transaction by the relay's token: it goes to the
 * upstream URL that holds the transaction, with the upstream's MSSP_TransID and the
 * MSISDN sealed in the token (not what the desktop wrote). A final status frees the
 * phone.
 */
static void forward_by_token(job *j, mss_message_type expect)
{
    mss_message fwd = *j->req;   /* shallow: the upstream call only reads it */
    char **trans_id = expect == MSS_MSG_STATUS_RESP ? &fwd.u.status_req.mssp_trans_id
                                                    : &fwd.u.receipt_req.mssp_trans_id;
    char **msisdn = expect == MSS_MSG_STATUS_RESP ? &fwd.u.status_req.msisdn
                                                  : &fwd.u.receipt_req.msisdn;
    relay_tx tx;
    if (open_token(j, *trans_id, &tx) != 0)
        return;
    *trans_id = tx.upstream_id;
    *msisdn = tx.msisdn;
    mss_message resp;
    int url_used;
    if (call_upstream(j, &fwd, (int)tx.upstream, RELAY_QUERY_TIMEOUT_MS, expect, &resp,
                      &url_used) == 0) {
        if (expect == MSS_MSG_STATUS_RESP && is_final(status_of(&resp)))
            relay_pending_close(j->rules->pending, tx.msisdn, tx.upstream_id);
        answer_desktop(j, &resp);
    }
    mss_message_clear(&resp);
}

static void forward_profile(job *j)
{
    const mss_profile_req *r = &j->req->u.profile_req;
    j->msisdn = r->msisdn;
    if (!owns(j->caller, r->msisdn)) {
        refuse(j, "refused", 104, "this MSISDN is not the user's");
        return;
    }
    if (within_limits(j, 0) != 0)
        return;
    mss_message resp;
    int url_used;
    if (call_upstream(j, j->req, RELAY_ANY_UPSTREAM, RELAY_QUERY_TIMEOUT_MS,
                      MSS_MSG_PROFILE_RESP, &resp, &url_used) == 0)
        answer_desktop(j, &resp);
    mss_message_clear(&resp);
}

void relay_forward(const relay_rules *rules, const relay_caller *caller, const srv_route *route,
                   const char *body, size_t body_len, relay_reply *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->operation, sizeof out->operation, "-");
    mss_message req;
    job j = {.rules = rules, .caller = caller, .req = &req, .out = out,
             .binding = srv_binding_or_soap(route != NULL ? route->binding : NULL),
             .start_ms = monotonic_ms()};
    mss_detail detail;
    memset(&detail, 0, sizeof detail);
    if (mss_binding_decode(j.binding, body, body_len, &req, &detail) != MSS_OK) {
        char why[MSS_DETAIL_TEXT_SIZE + 32];
        snprintf(why, sizeof why, "not a TS 102 204 request: %s", detail.text);
        refuse(&j, "refused", 101, why);
        return;
    }
    if (!srv_route_accepts(route, req.type)) {
        snprintf(out->operation, sizeof out->operation, "%s", mss_message_type_name(req.type));
        refuse(&j, "refused", 101, SRV_OTHER_OPERATION);
        mss_message_clear(&req);
        return;
    }
    const mss_header *hdr = mss_message_header(&req);
    if (hdr == NULL || hdr->ap_trans_id == NULL || hdr->ap_trans_id[0] == '\0') {
        snprintf(out->operation, sizeof out->operation, "%s", mss_message_type_name(req.type));
        refuse(&j, "refused", hdr == NULL ? 101 : 102,
               hdr == NULL ? "not a request" : "AP_TransID is missing");
        mss_message_clear(&req);
        return;
    }
    switch (req.type) {
    case MSS_MSG_SIGNATURE_REQ:
        snprintf(out->operation, sizeof out->operation, "MSS_Signature");
        forward_signature(&j);
        break;
    case MSS_MSG_STATUS_REQ:
        snprintf(out->operation, sizeof out->operation, "MSS_StatusQuery");
        forward_by_token(&j, MSS_MSG_STATUS_RESP);
        break;
    case MSS_MSG_RECEIPT_REQ:
        snprintf(out->operation, sizeof out->operation, "MSS_Receipt");
        forward_by_token(&j, MSS_MSG_RECEIPT_RESP);
        break;
    case MSS_MSG_PROFILE_REQ:
        snprintf(out->operation, sizeof out->operation, "MSS_ProfileQuery");
        forward_profile(&j);
        break;
    default:
        refuse(&j, "refused", 101, "not a request the relay forwards");
        break;
    }
    mss_message_clear(&req);
}
