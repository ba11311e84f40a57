/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_client_receipt: MSS_Receipt after a finished signature, telling the MSSP the
 * final status the AP saw and optionally a short text for the phone. Sent once: a
 * receipt is a user-visible message, and Swisscom accepts only one per signature.
 */
#include <string.h>

#include "client_internal.h"
#include "deadline.h"
#include "ids.h"

#define MAX_MESSAGE_LEN 1024u

static int bad_text(const char *s, size_t max)
{
    if (s == NULL)
        return 0;
    size_t n = strlen(s);
    return n == 0 || n > max || strpbrk(s, "\r\n\t") != NULL;
}

mss_error mss_client_receipt(mss_client *client, int url_index, const char *msisdn,
                             const char *mssp_trans_id, int final_status, const char *message,
                             mss_detail *detail)
{
    mss_detail_reset(detail);
    if (client == NULL)
        return MSS_ERR_ARGS;
    const char *why = NULL;
    if (!mss_client_url_index_valid(client, url_index))
        why = "url_index is neither MSS_URL_FIRST_REACHABLE nor the index of a URL of the list";
    else if (msisdn == NULL || bad_text(msisdn, 64))
        why = "msisdn is missing or malformed";
    else if (mssp_trans_id == NULL || bad_text(mssp_trans_id, 128) || strchr(mssp_trans_id, ' '))
        why = "mssp_trans_id is missing or malformed";
    else if (final_status < 0 || final_status > 999)
        why = "final_status is not a status code";
    else if (message != NULL && strlen(message) > MAX_MESSAGE_LEN)
        why = "message is longer than 1024 bytes";
    if (why != NULL) {
        mss_detail_printf(detail, "mss_client_receipt: %s", why);
        return MSS_ERR_ARGS;
    }

    char trans_id[MSS_TRANS_ID_LEN + 1], instant[MSS_INSTANT_LEN + 1];
    mss_message q = {.type = MSS_MSG_RECEIPT_REQ};
    mss_receipt_req *r = &q.u.receipt_req;
    mss_error rc = mss_client_fill_header(client, &r->hdr, trans_id, instant, detail);
    if (rc != MSS_OK)
        return rc;
    /* Only read by the encoder. */
    r->mssp_trans_id = (char *)mssp_trans_id;
    r->msisdn = (char *)msisdn;
    r->status.code = final_status;
    if (message != NULL) {
        r->message.text = (char *)message;
        r->message.mime_type = (char *)"text/plain";
        r->message.encoding = (char *)"UTF-8";
    }

    mss_exchange_limits lim = {mss_now_ms() + client->status_timeout_ms + client->connect_timeout_ms,
                               0, NULL, NULL};
    mss_message resp;
    int url_used = url_index;
    rc = mss_client_exchange(client, "MSS_Receipt", &q, MSS_MSG_RECEIPT_RESP, &lim, url_index,
                             &url_used, &resp, detail);
    if (rc == MSS_OK) {
        const mss_status *st = &resp.u.receipt_resp.status;
        int code = st->code;
        mss_detail_status(detail, code, st->subcode, st->message);
        if (code != 0 && code != 100) {
            const mss_status_info *info = mss_status_lookup(code);
            mss_detail_printf(detail, "MSS_Receipt to %s: status %d (%s)",
                              mss_client_url_for(client, MSS_MSG_RECEIPT_REQ, url_used, 1), code,
                              info ? info->name : "unknown status");
            rc = MSS_ERR_STATUS;
        } else {
            mss_client_log(client, MSS_LOG_INFO, "MSS_Receipt to %s for MSSP_TransID %s: delivered",
                           mss_client_url_for(client, MSS_MSG_RECEIPT_REQ, url_used, 1), mssp_trans_id);
        }
    }
    mss_message_clear(&resp);
    return rc;
}
