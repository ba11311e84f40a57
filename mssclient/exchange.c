/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One request/response round trip: encode, POST (to the next URL of the list only
 * while a server could not be reached at all), classify the HTTP status, decode.
 * HTTP 200 carries the answer; HTTP 500 carries a fault; anything else is an HTTP
 * error. A fault is accepted under 200 as well, since some MSSPs answer that way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding_internal.h"
#include "client_internal.h"
#include "deadline.h"

/* Decode an HTTP 200/500 body and decide what it means. */
static mss_error classify(mss_client *c, const char *op, const mss_message *req, const char *lu,
                          const mss_http_reply *reply, mss_message_type expect,
                          mss_message *resp, mss_detail *detail)
{
    char t1[128], t2[200];
    mss_detail dd;
    mss_error rc = c->binding->decode(reply->body, reply->body_len, resp, &dd);
    const char *derr = dd.text;

    if (rc != MSS_OK) {
        if (reply->status == 500) {
            mss_detail_printf(detail, "%s to %s: HTTP 500 without a fault (%s)", op,
                                 lu, mss_printable(derr, t1, sizeof t1));
            return MSS_ERR_HTTP;
        }
        mss_detail_printf(detail, "%s to %s: response not understood (content type \"%s\"): %s",
                             op, lu, mss_printable(reply->content_type, t2, 64),
                             mss_printable(derr, t1, sizeof t1));
        return rc;
    }
    if (resp->type == MSS_MSG_FAULT) {
        const mss_fault *f = &resp->u.fault;
        const mss_status_info *info = mss_status_lookup(f->code);
        mss_detail_status(detail, f->code, f->specifier, f->reason);
        if (f->specifier) {
            mss_detail_printf(detail, "%s to %s: fault %d (%s), specifier %d: %s%s%s", op,
                                 lu, f->code, info ? info->name : "unknown code",
                                 f->specifier, mss_printable(f->reason, t1, sizeof t1),
                                 f->detail ? "; detail: " : "", mss_printable(f->detail, t2, sizeof t2));
        } else {
            mss_detail_printf(detail, "%s to %s: fault %d (%s): %s%s%s", op, lu,
                                 f->code, info ? info->name : "unknown code",
                                 mss_printable(f->reason, t1, sizeof t1), f->detail ? "; detail: " : "",
                                 mss_printable(f->detail, t2, sizeof t2));
        }
        mss_client_log(c, MSS_LOG_INFO, "%s to %s: fault %d%s", op, lu, f->code,
                       f->sender ? " (Sender)" : " (Receiver)");
        return MSS_ERR_FAULT;
    }
    if (reply->status == 500) {
        mss_detail_printf(detail, "%s to %s: HTTP 500 with a %s instead of a fault", op,
                             lu, mss_message_type_name(resp->type));
        mss_message_clear(resp);
        return MSS_ERR_HTTP;
    }
    if (resp->type != expect) {
        mss_detail_printf(detail, "%s to %s: expected %s, got %s", op, lu,
                             mss_message_type_name(expect), mss_message_type_name(resp->type));
        mss_message_clear(resp);
        return MSS_ERR_XML_UNEXPECTED;
    }
    /* A response for another transaction means crossed wires somewhere: never use it. */
    const mss_header *qh = mss_message_header(req), *rh = mss_message_header(resp);
    if (qh != NULL && rh != NULL && rh->ap_trans_id != NULL &&
        strcmp(rh->ap_trans_id, qh->ap_trans_id) != 0) {
        mss_detail_printf(detail, "%s to %s: response is for AP_TransID %s, not %s", op,
                             lu, mss_printable(rh->ap_trans_id, t1, 40), qh->ap_trans_id);
        mss_message_clear(resp);
        return MSS_ERR_XML_UNEXPECTED;
    }
    return MSS_OK;
}

/*
 * POST the encoded request to URL url_index of the operation's list, or through the list
 * from its first URL (MSS_URL_FIRST_REACHABLE) while servers cannot be reached. On
 * MSS_OK *reply holds the answer and *used the index that gave it.
 */
static mss_error post_through_list(mss_client *c, const char *op, const mss_message *req,
                                   const char *xml, size_t xml_len,
                                   const mss_exchange_limits *limits, int url_index,
                                   mss_http_reply *reply, int *used, mss_detail *detail)
{
    const mss_endpoints *list = mss_url_list_for(&c->urls, req->type);
    int first = url_index == MSS_URL_FIRST_REACHABLE ? 0 : url_index;
    int last = url_index == MSS_URL_FIRST_REACHABLE ? (int)list->n - 1 : url_index;
    mss_error rc = MSS_ERR_TIMEOUT;

    *used = -1;
    for (int i = first; i <= last; i++) {
        const mss_endpoint *e = mss_endpoint_at(list, i);
        uint64_t left = mss_ms_left(limits->deadline_ms);
        if (left == 0) {
            mss_detail_printf(detail, "%s to %s: deadline passed before sending", op, e->log_url);
            return MSS_ERR_TIMEOUT;
        }
        if (limits->max_request_ms != 0 && limits->max_request_ms < left)
            left = limits->max_request_ms;

        char err[256] = "";
        int unreached = 0;
        mss_client_log(c, MSS_LOG_DEBUG, "%s to %s: sending %zu bytes", op, e->log_url, xml_len);
        *used = i;
        rc = mss_transport_post(c->transport, e->url, xml, xml_len, (unsigned)left, limits->cancel,
                                limits->cancel_ctx, reply, &unreached, err, sizeof err);
        if (rc == MSS_OK) {
            if (i > first)
                mss_client_log(c, MSS_LOG_INFO, "%s: answered by %s (URL %d of %zu)", op,
                               e->log_url, i + 1, list->n);
            return MSS_OK;
        }
        if (unreached)
            *used = -1; /* nothing was sent there */
        if (unreached && i < last) {
            /* Nothing left this machine toward that server: the next one may have it. */
            mss_client_log(c, MSS_LOG_WARNING, "%s to %s: cannot reach it (%s); trying %s "
                           "(URL %d of %zu)", op, e->log_url, err,
                           mss_endpoint_at(list, i + 1)->log_url, i + 2, list->n);
            continue;
        }
        if (unreached && i > first)
            mss_detail_printf(detail, "%s: none of the %d URLs could be reached; the last, %s: %s",
                              op, last - first + 1, e->log_url, err);
        else
            mss_detail_printf(detail, "%s to %s: %s", op, e->log_url, err);
        mss_client_log(c, rc == MSS_ERR_CANCELED ? MSS_LOG_INFO : MSS_LOG_WARNING, "%s to %s: %s",
                       op, e->log_url, err);
        return rc;
    }
    return rc; /* not reached: the last attempt returns */
}

mss_error mss_client_exchange(mss_client *c, const char *op, const mss_message *req,
                              mss_message_type expect, const mss_exchange_limits *limits,
                              int url_index, int *url_used, mss_message *resp,
                              mss_detail *detail)
{
    memset(resp, 0, sizeof *resp);
    if (url_used != NULL)
        *url_used = -1;
    if (mss_ms_left(limits->deadline_ms) == 0) {
        mss_detail_printf(detail, "%s to %s: deadline passed before sending", op,
                          mss_client_url_for(c, req->type, url_index, 1));
        return MSS_ERR_TIMEOUT;
    }

    char *xml = NULL;
    size_t xml_len = 0;
    mss_error rc = c->binding->encode(req, &xml, &xml_len);
    if (rc != MSS_OK) {
        mss_detail_printf(detail, "%s: could not encode the request: %s", op, mss_error_string(rc));
        return rc;
    }

    mss_http_reply reply;
    int used = -1;
    rc = post_through_list(c, op, req, xml, xml_len, limits, url_index, &reply, &used, detail);
    /* The body holds AP_PWD: wipe it rather than leave it in freed memory. */
    explicit_bzero(xml, xml_len);
    free(xml);
    if (url_used != NULL)
        *url_used = used;
    if (rc != MSS_OK)
        return rc;
    const char *lu = mss_client_url_for(c, req->type, used, 1);
    mss_client_log(c, MSS_LOG_DEBUG, "%s to %s: HTTP %ld, %zu bytes%s", op, lu,
                   reply.status, reply.body_len, reply.reused_connection ? " (connection reused)" : "");

    if (detail != NULL)
        detail->http_status = reply.status;
    if (reply.status == 200 || reply.status == 500) {
        rc = classify(c, op, req, lu, &reply, expect, resp, detail);
    } else {
        mss_detail_printf(detail, "%s to %s: HTTP status %ld", op, lu, reply.status);
        rc = MSS_ERR_HTTP;
    }
    mss_http_reply_clear(&reply);
    return rc;
}
