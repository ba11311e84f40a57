/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receipt operation in JSON: MSS_ReceiptReq {MSSP_TransID, MobileUser, Status?,
 * Message {MimeType, Encoding, Data}?} and MSS_ReceiptResp {Status}. Laverca-REST
 * writes the Message members in lower camel case (mimeType, encoding, data); the
 * decoder takes that spelling when the documented one is absent.
 */
#include <stdlib.h>
#include "rest_internal.h"

mss_error mss_rest_enc_receipt_req(json_t *msg, const mss_receipt_req *req)
{
    if (req->mssp_trans_id == NULL || req->mssp_trans_id[0] == '\0' || req->status.code < 0)
        return MSS_ERR_ARGS;
    mss_error rc;
    if ((rc = mss_rest_enc_header(msg, &req->hdr)) != MSS_OK ||
        (rc = mss_jb_string(msg, "MSSP_TransID", req->mssp_trans_id)) != MSS_OK ||
        (rc = mss_rest_enc_mobile_user(msg, req->msisdn)) != MSS_OK)
        return rc;
    if (req->status.code != 0 && (rc = mss_rest_enc_status(msg, &req->status, NULL)) != MSS_OK)
        return rc;
    if (req->message.text != NULL)
        return mss_rest_enc_data(msg, "Message", &req->message);
    return MSS_OK;
}

/* Message in Laverca-REST's spelling. */
static mss_error dec_message_lower(mss_dec *d, const json_t *msg, const char *at, mss_data *m)
{
    const json_t *o = NULL;
    mss_error rc = mss_jr_object(d, msg, at, "Message", 0, &o);
    if (rc != MSS_OK || o == NULL)
        return rc;
    const char *path = "MSS_ReceiptReq.Message";
    if ((rc = mss_jr_string(d, o, path, "mimeType", 0, &m->mime_type)) != MSS_OK ||
        (rc = mss_jr_string(d, o, path, "encoding", 0, &m->encoding)) != MSS_OK)
        return rc;
    return mss_jr_string(d, o, path, "data", 1, &m->text);
}

mss_error mss_rest_dec_receipt_req(mss_dec *d, const json_t *msg, mss_receipt_req *req)
{
    const char *at = "MSS_ReceiptReq";
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &req->hdr)) != MSS_OK ||
        (rc = mss_jr_string(d, msg, at, "MSSP_TransID", 1, &req->mssp_trans_id)) != MSS_OK ||
        (rc = mss_rest_dec_mobile_user(d, msg, at, 1, &req->msisdn)) != MSS_OK ||
        (rc = mss_rest_dec_status(d, msg, at, 0, &req->status, NULL)) != MSS_OK)
        return rc;
    const json_t *m = json_object_get(msg, "Message");
    if (json_is_object(m) && json_object_get(m, "Data") == NULL && json_object_get(m, "data") != NULL)
        return dec_message_lower(d, msg, at, &req->message);
    return mss_rest_dec_data(d, msg, at, "Message", 0, &req->message);
}

mss_error mss_rest_enc_receipt_resp(json_t *msg, const mss_receipt_resp *resp)
{
    mss_error rc = mss_rest_enc_header(msg, &resp->hdr);
    return rc == MSS_OK ? mss_rest_enc_status(msg, &resp->status, NULL) : rc;
}

mss_error mss_rest_dec_receipt_resp(mss_dec *d, const json_t *msg, mss_receipt_resp *resp)
{
    const char *at = "MSS_ReceiptResp";
    mss_error rc = mss_rest_dec_header(d, msg, at, &resp->hdr);
    return rc == MSS_OK ? mss_rest_dec_status(d, msg, at, 1, &resp->status, NULL) : rc;
}
