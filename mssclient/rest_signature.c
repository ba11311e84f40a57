/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The signature operation in JSON: MSS_SignatureReq {MessagingMode, TimeOut, MobileUser,
 * DataToBeSigned, DataToBeDisplayed, SignatureProfile, AdditionalServices, MSS_Format}
 * and MSS_SignatureResp {MSSP_TransID, MobileUser, MSS_Signature, SignatureProfile,
 * Status, ServiceResponses}. SignatureProfile and MSS_Format are plain URI strings (no
 * mssURI wrapper), MSS_Signature holds Base64Signature only: the JSON form has no
 * FiCom fi:PKCS1 and no XMLSignature, so the encoder refuses those kinds.
 */
#include <stdlib.h>
#include <string.h>
#include "rest_internal.h"

mss_error mss_rest_enc_signature_req(json_t *msg, const mss_signature_req *req)
{
    const char *mode = mss_mode_name(req->mode);
    if (mode == NULL || req->msisdn == NULL || req->dtbs.text == NULL ||
        req->timeout_s > MSS_MAX_TIMEOUT_S)
        return MSS_ERR_ARGS;
    mss_error rc;
    if ((rc = mss_rest_enc_header(msg, &req->hdr)) != MSS_OK ||
        (rc = mss_jb_string(msg, "MessagingMode", mode)) != MSS_OK)
        return rc;
    if (req->timeout_s > 0 &&
        (rc = mss_jb_number_string(msg, "TimeOut", (long)req->timeout_s)) != MSS_OK)
        return rc;
    if ((rc = mss_rest_enc_mobile_user(msg, req->msisdn)) != MSS_OK ||
        (rc = mss_rest_enc_data(msg, "DataToBeSigned", &req->dtbs)) != MSS_OK)
        return rc;
    if (req->dtbd.text != NULL &&
        (rc = mss_rest_enc_data(msg, "DataToBeDisplayed", &req->dtbd)) != MSS_OK)
        return rc;
    if ((rc = mss_jb_string(msg, "SignatureProfile", req->signature_profile)) != MSS_OK ||
        (rc = mss_rest_enc_services(msg, req->services, req->n_services)) != MSS_OK)
        return rc;
    return mss_jb_string(msg, "MSS_Format", req->mss_format);
}

static mss_error dec_mode(mss_dec *d, const json_t *msg, const char *at, mss_messaging_mode *mode)
{
    char *name = NULL;
    mss_error rc = mss_jr_string(d, msg, at, "MessagingMode", 1, &name);
    if (rc != MSS_OK)
        return rc;
    /* Swisscom's OpenAPI spells the client-server mode "asynch". */
    if (strcmp(name, "asynch") == 0)
        *mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    else if (mss_mode_parse(name, mode) != MSS_OK)
        rc = mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s.MessagingMode is not a known mode", at);
    free(name);
    return rc;
}

mss_error mss_rest_dec_signature_req(mss_dec *d, const json_t *msg, mss_signature_req *req)
{
    const char *at = "MSS_SignatureReq";
    long timeout = 0;
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &req->hdr)) != MSS_OK ||
        (rc = dec_mode(d, msg, at, &req->mode)) != MSS_OK ||
        (rc = mss_jr_uint(d, msg, at, "TimeOut", 0, MSS_MAX_TIMEOUT_S, &timeout, NULL)) != MSS_OK ||
        (rc = mss_rest_dec_mobile_user(d, msg, at, 1, &req->msisdn)) != MSS_OK ||
        (rc = mss_rest_dec_data(d, msg, at, "DataToBeSigned", 1, &req->dtbs)) != MSS_OK ||
        (rc = mss_rest_dec_data(d, msg, at, "DataToBeDisplayed", 0, &req->dtbd)) != MSS_OK ||
        (rc = mss_jr_string(d, msg, at, "SignatureProfile", 0, &req->signature_profile)) != MSS_OK ||
        (rc = mss_rest_dec_services(d, msg, at, &req->services, &req->n_services)) != MSS_OK)
        return rc;
    req->timeout_s = (unsigned)timeout;
    return mss_jr_string(d, msg, at, "MSS_Format", 0, &req->mss_format);
}

mss_error mss_rest_enc_signature_resp(json_t *msg, const mss_signature_resp *resp)
{
    if (resp->mssp_trans_id == NULL || resp->mssp_trans_id[0] == '\0')
        return MSS_ERR_ARGS;
    mss_error rc;
    if ((rc = mss_rest_enc_header(msg, &resp->hdr)) != MSS_OK ||
        (rc = mss_jb_string(msg, "MSSP_TransID", resp->mssp_trans_id)) != MSS_OK ||
        (rc = mss_rest_enc_mobile_user(msg, resp->msisdn)) != MSS_OK ||
        (rc = mss_rest_enc_signature_value(msg, &resp->signature)) != MSS_OK ||
        (rc = mss_jb_string(msg, "SignatureProfile", resp->signature_profile)) != MSS_OK ||
        (rc = mss_rest_enc_status(msg, &resp->status, NULL)) != MSS_OK)
        return rc;
    return mss_rest_enc_service_responses(msg, resp->service_responses,
                                          resp->n_service_responses);
}

mss_error mss_rest_dec_signature_resp(mss_dec *d, const json_t *msg, mss_signature_resp *resp)
{
    const char *at = "MSS_SignatureResp";
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &resp->hdr)) != MSS_OK ||
        (rc = mss_jr_string(d, msg, at, "MSSP_TransID", 1, &resp->mssp_trans_id)) != MSS_OK ||
        (rc = mss_rest_dec_mobile_user(d, msg, at, 0, &resp->msisdn)) != MSS_OK ||
        (rc = mss_rest_dec_signature_value(d, msg, at, &resp->signature)) != MSS_OK ||
        (rc = mss_jr_string(d, msg, at, "SignatureProfile", 0, &resp->signature_profile)) != MSS_OK ||
        (rc = mss_rest_dec_status(d, msg, at, 1, &resp->status, NULL)) != MSS_OK)
        return rc;
    return mss_rest_dec_service_responses(d, msg, at, &resp->service_responses,
                                          &resp->n_service_responses);
}
