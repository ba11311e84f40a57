/* SPDX-License-Identifier: BSD-3-Clause */
/* The status query: MSS_StatusReq / MSS_StatusResp. */
#include "soap_internal.h"

mss_error mss_enc_status_req(xmlNodePtr parent, const mss_status_req *req)
{
    if (!mss_xb_ncname_ok(req->mssp_trans_id))
        return MSS_ERR_ARGS;
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc = mss_enc_message(parent, "MSS_StatusReq", &req->hdr, &m, &ns);
    if (rc != MSS_OK || (rc = mss_xb_attr(m, "MSSP_TransID", req->mssp_trans_id)) != MSS_OK)
        return rc;
    /* MobileUser is optional here; send it only when known. */
    return req->msisdn ? mss_enc_mobile_user(m, ns, req->msisdn) : MSS_OK;
}

mss_error mss_dec_status_req(mss_dec *d, const xmlNode *msg, mss_status_req *req)
{
    mss_error rc;
    if ((rc = mss_dec_header(d, msg, &req->hdr)) != MSS_OK ||
        (rc = mss_xr_attr(d, msg, "MSSP_TransID", &req->mssp_trans_id)) != MSS_OK)
        return rc;
    if (req->mssp_trans_id == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_StatusReq has no MSSP_TransID");
    return mss_dec_mobile_user(d, msg, 0, &req->msisdn);
}

mss_error mss_enc_status_resp(xmlNodePtr parent, const mss_status_resp *resp)
{
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc;
    if ((rc = mss_enc_message(parent, "MSS_StatusResp", &resp->hdr, &m, &ns)) != MSS_OK ||
        (rc = mss_enc_mobile_user(m, ns, resp->msisdn)) != MSS_OK ||
        (rc = mss_enc_signature_value(m, ns, &resp->signature)) != MSS_OK)
        return rc;
    return mss_enc_status_services(m, ns, &resp->status, resp->service_responses,
                                   resp->n_service_responses);
}

mss_error mss_dec_status_resp(mss_dec *d, const xmlNode *msg, mss_status_resp *resp)
{
    mss_error rc;
    if ((rc = mss_dec_header(d, msg, &resp->hdr)) != MSS_OK ||
        (rc = mss_dec_mobile_user(d, msg, 0, &resp->msisdn)) != MSS_OK ||
        (rc = mss_dec_signature_value(d, msg, &resp->signature)) != MSS_OK)
        return rc;
    return mss_dec_status_services(d, msg, &resp->status, &resp->service_responses,
                                   &resp->n_service_responses);
}

