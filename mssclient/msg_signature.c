/* SPDX-License-Identifier: BSD-3-Clause */
/* The signature operation: MSS_SignatureReq and MSS_SignatureResp. */
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

mss_error mss_enc_signature_req(xmlNodePtr parent, const mss_signature_req *req)
{
    const char *mode = mss_mode_name(req->mode);
    if (mode == NULL || req->msisdn == NULL || req->dtbs.text == NULL ||
        req->timeout_s > MSS_MAX_TIMEOUT_S)
        return MSS_ERR_ARGS;
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc;
    if ((rc = mss_enc_message(parent, "MSS_SignatureReq", &req->hdr, &m, &ns)) != MSS_OK ||
        (rc = mss_xb_attr(m, "MessagingMode", mode)) != MSS_OK)
        return rc;
    if (req->timeout_s > 0 && (rc = mss_xb_attr_long(m, "TimeOut", (long)req->timeout_s)) != MSS_OK)
        return rc;
    /* Children in the schema's sequence order. */
    if ((rc = mss_enc_mobile_user(m, ns, req->msisdn)) != MSS_OK ||
        (rc = mss_enc_data(m, ns, "DataToBeSigned", &req->dtbs)) != MSS_OK)
        return rc;
    if (req->dtbd.text && (rc = mss_enc_data(m, ns, "DataToBeDisplayed", &req->dtbd)) != MSS_OK)
        return rc;
    if (req->signature_profile &&
        (rc = mss_enc_uri(m, ns, "SignatureProfile", req->signature_profile)) != MSS_OK)
        return rc;
    if ((rc = mss_enc_services(m, ns, req->services, req->n_services)) != MSS_OK)
        return rc;
    if (req->mss_format && (rc = mss_enc_uri(m, ns, "MSS_Format", req->mss_format)) != MSS_OK)
        return rc;
    return MSS_OK;
}

static mss_error dec_mode(mss_dec *d, const xmlNode *msg, mss_messaging_mode *mode)
{
    char *name = NULL;
    mss_error rc = mss_xr_attr(d, msg, "MessagingMode", &name);
    if (rc != MSS_OK)
        return rc;
    if (name == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_SignatureReq has no MessagingMode");
    rc = mss_mode_parse(name, mode);
    free(name);
    if (rc != MSS_OK)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_SignatureReq has an unknown MessagingMode");
    return MSS_OK;
}

mss_error mss_dec_signature_req(mss_dec *d, const xmlNode *msg, mss_signature_req *req)
{
    mss_error rc;
    long timeout = 0;
    if ((rc = mss_dec_header(d, msg, &req->hdr)) != MSS_OK ||
        (rc = dec_mode(d, msg, &req->mode)) != MSS_OK ||
        (rc = mss_xr_uint_attr(d, msg, "TimeOut", MSS_MAX_TIMEOUT_S, &timeout, NULL)) != MSS_OK ||
        (rc = mss_dec_mobile_user(d, msg, 1, &req->msisdn)) != MSS_OK)
        return rc;
    req->timeout_s = (unsigned)timeout;
    xmlNodePtr e = mss_xr_child(msg, "DataToBeSigned", MSS_NS_ETSI);
    if (e == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_SignatureReq has no DataToBeSigned");
    if ((rc = mss_dec_data(d, e, &req->dtbs)) != MSS_OK)
        return rc;
    if ((e = mss_xr_child(msg, "DataToBeDisplayed", MSS_NS_ETSI)) != NULL &&
        (rc = mss_dec_data(d, e, &req->dtbd)) != MSS_OK)
        return rc;
    if ((e = mss_xr_child(msg, "SignatureProfile", MSS_NS_ETSI)) != NULL &&
        (rc = mss_dec_uri(d, e, &req->signature_profile)) != MSS_OK)
        return rc;
    if ((e = mss_xr_child(msg, "AdditionalServices", MSS_NS_ETSI)) != NULL &&
        (rc = mss_dec_services(d, e, &req->services, &req->n_services)) != MSS_OK)
        return rc;
    if ((e = mss_xr_child(msg, "MSS_Format", MSS_NS_ETSI)) != NULL &&
        (rc = mss_dec_uri(d, e, &req->mss_format)) != MSS_OK)
        return rc;
    return MSS_OK;
}

mss_error mss_enc_signature_resp(xmlNodePtr parent, const mss_signature_resp *resp)
{
    if (!mss_xb_ncname_ok(resp->mssp_trans_id))
        return MSS_ERR_ARGS;
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc;
    if ((rc = mss_enc_message(parent, "MSS_SignatureResp", &resp->hdr, &m, &ns)) != MSS_OK ||
        (rc = mss_xb_attr(m, "MSSP_TransID", resp->mssp_trans_id)) != MSS_OK ||
        (rc = mss_enc_mobile_user(m, ns, resp->msisdn)) != MSS_OK ||
        (rc = mss_enc_signature_value(m, ns, &resp->signature)) != MSS_OK)
        return rc;
    if (resp->signature_profile &&
        (rc = mss_enc_uri(m, ns, "SignatureProfile", resp->signature_profile)) != MSS_OK)
        return rc;
    return mss_enc_status_services(m, ns, &resp->status, resp->service_responses,
                                   resp->n_service_responses);
}

mss_error mss_dec_signature_resp(mss_dec *d, const xmlNode *msg, mss_signature_resp *resp)
{
    mss_error rc;
    if ((rc = mss_dec_header(d, msg, &resp->hdr)) != MSS_OK ||
        (rc = mss_xr_attr(d, msg, "MSSP_TransID", &resp->mssp_trans_id)) != MSS_OK)
        return rc;
    if (resp->mssp_trans_id == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_SignatureResp has no MSSP_TransID");
    if ((rc = mss_dec_mobile_user(d, msg, 0, &resp->msisdn)) != MSS_OK ||
        (rc = mss_dec_signature_value(d, msg, &resp->signature)) != MSS_OK)
        return rc;
    xmlNodePtr e = mss_xr_child(msg, "SignatureProfile", MSS_NS_ETSI);
    if (e != NULL && (rc = mss_dec_uri(d, e, &resp->signature_profile)) != MSS_OK)
        return rc;
    return mss_dec_status_services(d, msg, &resp->status, &resp->service_responses,
                                   &resp->n_service_responses);
}

