/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One request/response round trip: encode, POST, classify the HTTP status, decode.
 * HTTP 200 carries the answer; HTTP 500 carries a SOAP fault; anything else is an HTTP
 * error. A fault is accepted under 200 as well, since some MSSPs answer that way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "deadline.h"

/* Copy text from the server for a log or error line: printable, bounded, never NULL. */
static const char *printable(const char *in, char *buf, size_t size)
{
    size_t i = 0;
    if (in == NULL)
        in = "";
    for (; in[i] != '\0' && i + 1 < size; i++)
        buf[i] = ((unsigned char)in[i] < 0x20 || in[i] == 0x7f) ? '?' : in[i];
    buf[i] = '\0';
    return buf;
}

static const char *type_name(mss_message_type t)
{
    switch (t) {
    case MSS_MSG_SIGNATURE_REQ: return "MSS_SignatureReq";
    case MSS_MSG_SIGNATURE_RESP: return "MSS_SignatureResp";
    case MSS_MSG_STATUS_REQ: return "MSS_StatusReq";
    case MSS_MSG_STATUS_RESP: return "MSS_StatusResp";
    case MSS_MSG_PROFILE_REQ: return "MSS_ProfileReq";
    case MSS_MSG_PROFILE_RESP: return "MSS_ProfileResp";
    case MSS_MSG_FAULT: return "SOAP fault";
    case MSS_MSG_RECEIPT_REQ: return "MSS_ReceiptReq";
    case MSS_MSG_RECEIPT_RESP: return "MSS_ReceiptResp";
    }
    return "unknown message";
}

static const mss_header *request_header(const mss_message *m)
{
    switch (m->type) {
    case MSS_MSG_SIGNATURE_REQ: return &m->u.signature_req.hdr;
    case MSS_MSG_STATUS_REQ: return &m->u.status_req.hdr;
    case MSS_MSG_PROFILE_REQ: return &m->u.profile_req.hdr;
    case MSS_MSG_RECEIPT_REQ: return &m->u.receipt_req.hdr;
    default: return NULL;
    }
}

static const mss_header *response_header(const mss_message *m)
{
    switch (m->type) {
    case MSS_MSG_SIGNATURE_RESP: return &m->u.signature_resp.hdr;
    case MSS_MSG_STATUS_RESP: return &m->u.status_resp.hdr;
    case MSS_MSG_PROFILE_RESP: return &m->u.profile_resp.hdr;
    case MSS_MSG_RECEIPT_RESP: return &m->u.receipt_resp.hdr;
    default: return NULL;
    }
}

/* Decode an HTTP 200/500 body and decide what it means. */
static mss_error classify(mss_client *c, const char *op, const mss_message *req,
                          const mss_http_reply *reply, mss_message_type expect,
                          mss_message *resp)
{
    char derr[200] = "", t1[128], t2[200];
    const char *lu = mss_client_url_for(c, req->type, 1);
    mss_error rc = mss_decode(reply->body, reply->body_len, resp, derr, sizeof derr);

    if (rc != MSS_OK) {
        if (reply->status == 500) {
            mss_client_set_error(c, "%s to %s: HTTP 500 without a SOAP fault (%s)", op,
                                 lu, printable(derr, t1, sizeof t1));
            return MSS_ERR_HTTP;
        }
        mss_client_set_error(c, "%s to %s: response not understood (content type \"%s\"): %s",
                             op, lu, printable(reply->content_type, t2, 64),
                             printable(derr, t1, sizeof t1));
        return rc;
    }
    if (resp->type == MSS_MSG_FAULT) {
        const mss_fault *f = &resp->u.fault;
        const mss_status_info *info = mss_status_lookup(f->code);
        if (f->specifier) {
            mss_client_set_error(c, "%s to %s: SOAP fault %d (%s), specifier %d: %s%s%s", op,
                                 lu, f->code, info ? info->name : "unknown code",
                                 f->specifier, printable(f->reason, t1, sizeof t1),
                                 f->detail ? "; detail: " : "", printable(f->detail, t2, sizeof t2));
        } else {
            mss_client_set_error(c, "%s to %s: SOAP fault %d (%s): %s%s%s", op, lu,
                                 f->code, info ? info->name : "unknown code",
                                 printable(f->reason, t1, sizeof t1), f->detail ? "; detail: " : "",
                                 printable(f->detail, t2, sizeof t2));
        }
        mss_client_log(c, MSS_LOG_INFO, "%s to %s: fault %d%s", op, lu, f->code,
                       f->sender ? " (Sender)" : " (Receiver)");
        return MSS_ERR_FAULT;
    }
    if (reply->status == 500) {
        mss_client_set_error(c, "%s to %s: HTTP 500 with a %s instead of a fault", op,
                             lu, type_name(resp->type));
        mss_message_clear(resp);
        return MSS_ERR_HTTP;
    }
    if (resp->type != expect) {
        mss_client_set_error(c, "%s to %s: expected %s, got %s", op, lu,
                             type_name(expect), type_name(resp->type));
        mss_message_clear(resp);
        return MSS_ERR_XML_UNEXPECTED;
    }
    /* A response for another transaction means crossed wires somewhere: never use it. */
    const mss_header *qh = request_header(req), *rh = response_header(resp);
    if (qh != NULL && rh != NULL && rh->ap_trans_id != NULL &&
        strcmp(rh->ap_trans_id, qh->ap_trans_id) != 0) {
        mss_client_set_error(c, "%s to %s: response is for AP_TransID %s, not %s", op,
                             lu, printable(rh->ap_trans_id, t1, 40), qh->ap_trans_id);
        mss_message_clear(resp);
        return MSS_ERR_XML_UNEXPECTED;
    }
    return MSS_OK;
}

mss_error mss_client_exchange(mss_client *c, const char *op, const mss_message *req,
                              mss_message_type expect, const mss_exchange_limits *limits,
                              mss_message *resp)
{
    memset(resp, 0, sizeof *resp);
    const char *lu = mss_client_url_for(c, req->type, 1);
    uint64_t left = mss_ms_left(limits->deadline_ms);
    if (left == 0) {
        mss_client_set_error(c, "%s to %s: deadline passed before sending", op, lu);
        return MSS_ERR_TIMEOUT;
    }
    if (limits->max_request_ms != 0 && limits->max_request_ms < left)
        left = limits->max_request_ms;

    char *xml = NULL;
    size_t xml_len = 0;
    mss_error rc = mss_encode(req, &xml, &xml_len);
    if (rc != MSS_OK) {
        mss_client_set_error(c, "%s: could not encode the request: %s", op, mss_error_string(rc));
        return rc;
    }

    mss_http_reply reply;
    char err[256] = "";
    mss_client_log(c, MSS_LOG_DEBUG, "%s to %s: sending %zu bytes", op, lu, xml_len);
    rc = mss_transport_post(c->transport, mss_client_url_for(c, req->type, 0), xml, xml_len, (unsigned)left, limits->cancel,
                            limits->cancel_ctx, &reply, err, sizeof err);
    /* The body holds AP_PWD: wipe it rather than leave it in freed memory. */
    explicit_bzero(xml, xml_len);
    free(xml);
    if (rc != MSS_OK) {
        mss_client_set_error(c, "%s to %s: %s", op, lu, err);
        mss_client_log(c, rc == MSS_ERR_CANCELED ? MSS_LOG_INFO : MSS_LOG_WARNING, "%s to %s: %s",
                       op, lu, err);
        return rc;
    }
    mss_client_log(c, MSS_LOG_DEBUG, "%s to %s: HTTP %ld, %zu bytes%s", op, lu,
                   reply.status, reply.body_len, reply.reused_connection ? " (connection reused)" : "");

    if (reply.status == 200 || reply.status == 500) {
        rc = classify(c, op, req, &reply, expect, resp);
    } else {
        mss_client_set_error(c, "%s to %s: HTTP status %ld", op, lu, reply.status);
        rc = MSS_ERR_HTTP;
    }
    mss_http_reply_clear(&reply);
    return rc;
}
