/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The status query in JSON: MSS_StatusReq {MSSP_TransID, MobileUser?} and
 * MSS_StatusResp (its Status element: rest_status_elem.c).
 */
#include <stdlib.h>
#include "rest_internal.h"

mss_error mss_rest_enc_status_req(json_t *msg, const mss_status_req *req)
{
    if (req->mssp_trans_id == NULL || req->mssp_trans_id[0] == '\0')
        return MSS_ERR_ARGS;
    mss_error rc;
    if ((rc = mss_rest_enc_header(msg, &req->hdr)) != MSS_OK ||
        (rc = mss_jb_string(msg, "MSSP_TransID", req->mssp_trans_id)) != MSS_OK)
        return rc;
    /* MobileUser is optional here; sent only when known. */
    return req->msisdn != NULL ? mss_rest_enc_mobile_user(msg, req->msisdn) : MSS_OK;
}

mss_error mss_rest_dec_status_req(mss_dec *d, const json_t *msg, mss_status_req *req)
{
    const char *at = "MSS_StatusReq";
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &req->hdr)) != MSS_OK ||
        (rc = mss_jr_string(d, msg, at, "MSSP_TransID", 1, &req->mssp_trans_id)) != MSS_OK)
        return rc;
    return mss_rest_dec_mobile_user(d, msg, at, 0, &req->msisdn);
}

mss_error mss_rest_enc_status_resp(json_t *msg, const mss_status_resp *resp)
{
    mss_error rc;
    if ((rc = mss_rest_enc_header(msg, &resp->hdr)) != MSS_OK ||
        (rc = mss_rest_enc_mobile_user(msg, resp->msisdn)) != MSS_OK ||
        (rc = mss_rest_enc_signature_value(msg, &resp->signature)) != MSS_OK ||
        (rc = mss_rest_enc_status(msg, &resp->status, NULL)) != MSS_OK)
        return rc;
    return mss_rest_enc_service_responses(msg, resp->service_responses,
                                          resp->n_service_responses);
}

mss_error mss_rest_dec_status_resp(mss_dec *d, const json_t *msg, mss_status_resp *resp)
{
    const char *at = "MSS_StatusResp";
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &resp->hdr)) != MSS_OK ||
        (rc = mss_rest_dec_mobile_user(d, msg, at, 0, &resp->msisdn)) != MSS_OK ||
        (rc = mss_rest_dec_signature_value(d, msg, at, &resp->signature)) != MSS_OK ||
        (rc = mss_rest_dec_status(d, msg, at, 1, &resp->status, NULL)) != MSS_OK)
        return rc;
    return mss_rest_dec_service_responses(d, msg, at, &resp->service_responses,
                                          &resp->n_service_responses);
}
