/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_client_call: one round trip of a request that the caller built (a gateway
 * forwards what its own clients sent), through the same exchange as every other call,
 * with the client's own AP_Info in place of the caller's.
 */
#include <string.h>

#include "client_internal.h"
#include "deadline.h"
#include "ids.h"

/* The longest wait a caller may ask for: a synch signature's TimeOut (at most 3600 s in
 * the options) and a margin. Longer is a unit mix-up (seconds given as ms). */
#define MAX_CALL_MS 3700000u

/* What a request type is answered with, and the operation's name in log lines (the
 * names the other calls use). */
typedef struct operation {
    mss_message_type request, response;
    const char *name;
} operation;

static const operation operations[] = {
    {MSS_MSG_SIGNATURE_REQ, MSS_MSG_SIGNATURE_RESP, "MSS_Signature"},
    {MSS_MSG_STATUS_REQ, MSS_MSG_STATUS_RESP, "MSS_StatusQuery"},
    {MSS_MSG_PROFILE_REQ, MSS_MSG_PROFILE_RESP, "MSS_ProfileQuery"},
    {MSS_MSG_RECEIPT_REQ, MSS_MSG_RECEIPT_RESP, "MSS_Receipt"},
};

static const operation *operation_of(mss_message_type request)
{
    for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++)
        if (operations[i].request == request)
            return &operations[i];
    return NULL;
}

/* The Status of a response, for the detail; NULL for one without (a fault). */
static const mss_status *response_status(const mss_message *resp)
{
    switch (resp->type) {
    case MSS_MSG_SIGNATURE_RESP: return &resp->u.signature_resp.status;
    case MSS_MSG_STATUS_RESP: return &resp->u.status_resp.status;
    case MSS_MSG_PROFILE_RESP: return &resp->u.profile_resp.status;
    case MSS_MSG_RECEIPT_RESP: return &resp->u.receipt_resp.status;
    default: return NULL;
    }
}

mss_error mss_client_call(mss_client *client, const mss_message *req, int url_index,
                          unsigned timeout_ms, mss_message *resp, int *url_used,
                          mss_detail *detail)
{
    mss_detail_reset(detail);
    if (url_used != NULL)
        *url_used = -1;
    if (resp == NULL)
        return MSS_ERR_ARGS;
    memset(resp, 0, sizeof *resp);
    if (client == NULL || req == NULL)
        return MSS_ERR_ARGS;
    const operation *op = operation_of(req->type);
    const char *why = NULL;
    if (op == NULL)
        why = "req is not a request (signature, status, profile or receipt)";
    else if (!mss_client_url_index_valid(client, url_index))
        why = "url_index is neither MSS_URL_FIRST_REACHABLE nor the index of a URL of the list";
    else if (timeout_ms == 0 || timeout_ms > MAX_CALL_MS)
        why = "timeout_ms is 0 or longer than 3700000 ms";
    if (why != NULL) {
        mss_detail_printf(detail, "mss_client_call: %s", why);
        return MSS_ERR_ARGS;
    }

    /* A shallow copy whose header is the client's; req's strings are only read. */
    mss_message m = *req;
    mss_header *hdr = (mss_header *)mss_message_header(&m);
    char *mssp_id = hdr->mssp_id_uri;
    char trans_id[MSS_TRANS_ID_LEN + 1], instant[MSS_INSTANT_LEN + 1];
    mss_error rc = mss_client_fill_header(client, hdr, trans_id, instant, detail);
    if (rc != MSS_OK)
        return rc;
    hdr->mssp_id_uri = mssp_id;

    mss_exchange_limits lim = {mss_now_ms() + timeout_ms, 0, NULL, NULL};
    rc = mss_client_exchange(client, op->name, &m, op->response, &lim, url_index, url_used, resp,
                             detail);
    const mss_status *st = rc == MSS_OK ? response_status(resp) : NULL;
    if (st != NULL && st->code != 0)
        mss_detail_status(detail, st->code, st->subcode, st->message);
    return rc;
}
