/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The receipt operation (wrapper MSS_Receipt): MSS_ReceiptReq tells the MSSP how the
 * AP used a signature (a copy of the final status, a short text for the user);
 * MSS_ReceiptResp answers 100 when the receipt was delivered. SignedReceipt is
 * neither produced nor read.
 */
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

mss_error mss_enc_receipt_req(xmlNodePtr parent, const mss_receipt_req *req)
{
    if (!mss_xb_ncname_ok(req->mssp_trans_id) || req->status.code < 0)
        return MSS_ERR_ARGS;
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc;
    if ((rc = mss_enc_message(parent, "MSS_ReceiptReq", &req->hdr, &m, &ns)) != MSS_OK ||
        (rc = mss_xb_attr(m, "MSSP_TransID", req->mssp_trans_id)) != MSS_OK ||
        (rc = mss_enc_mobile_user(m, ns, req->msisdn)) != MSS_OK)
        return rc;
    /* Children in the schema's order: MobileUser, Status?, Message?. */
    if (req->status.code != 0 && (rc = mss_enc_status(m, ns, &req->status, NULL)) != MSS_OK)
        return rc;
    if (req->message.text != NULL && (rc = mss_enc_data(m, ns, "Message", &req->message)) != MSS_OK)
        return rc;
    return MSS_OK;
}

mss_error mss_dec_receipt_req(mss_dec *d, const xmlNode *msg, mss_receipt_req *req)
{
    mss_error rc;
    if ((rc = mss_dec_header(d, msg, &req->hdr)) != MSS_OK ||
        (rc = mss_xr_attr(d, msg, "MSSP_TransID", &req->mssp_trans_id)) != MSS_OK)
        return rc;
    if (req->mssp_trans_id == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_ReceiptReq has no MSSP_TransID");
    if ((rc = mss_dec_mobile_user(d, msg, 1, &req->msisdn)) != MSS_OK)
        return rc;
    if (mss_xr_child(msg, "Status", MSS_NS_ETSI) != NULL &&
        (rc = mss_dec_status(d, msg, &req->status, NULL)) != MSS_OK)
        return rc;
    xmlNodePtr e = mss_xr_child(msg, "Message", MSS_NS_ETSI);
    return e ? mss_dec_data(d, e, &req->message) : MSS_OK;
}

mss_error mss_enc_receipt_resp(xmlNodePtr parent, const mss_receipt_resp *resp)
{
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc = mss_enc_message(parent, "MSS_ReceiptResp", &resp->hdr, &m, &ns);
    if (rc != MSS_OK)
        return rc;
    return mss_enc_status(m, ns, &resp->status, NULL);
}

mss_error mss_dec_receipt_resp(mss_dec *d, const xmlNode *msg, mss_receipt_resp *resp)
{
    mss_error rc = mss_dec_header(d, msg, &resp->hdr);
    if (rc != MSS_OK)
        return rc;
    return mss_dec_status(d, msg, &resp->status, NULL);
}

