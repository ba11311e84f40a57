/* SPDX-License-Identifier: BSD-3-Clause */
/* The profile query: MSS_ProfileReq (with Methics GetCertificates) and MSS_ProfileResp. */
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

mss_error mss_enc_profile_req(xmlNodePtr parent, const mss_profile_req *req)
{
    if (req->msisdn == NULL)
        return MSS_ERR_ARGS;
    xmlNodePtr m = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc;
    if ((rc = mss_enc_message(parent, "MSS_ProfileReq", &req->hdr, &m, &ns)) != MSS_OK ||
        (rc = mss_enc_mobile_user(m, ns, req->msisdn)) != MSS_OK)
        return rc;
    return req->get_certificates ? mss_xb_elem(m, ns, "GetCertificates", "true", NULL) : MSS_OK;
}

mss_error mss_dec_profile_req(mss_dec *d, const xmlNode *msg, mss_profile_req *req)
{
    mss_error rc;
    if ((rc = mss_dec_header(d, msg, &req->hdr)) != MSS_OK ||
        (rc = mss_dec_mobile_user(d, msg, 1, &req->msisdn)) != MSS_OK)
        return rc;
    xmlNodePtr get = mss_xr_child(msg, "GetCertificates", MSS_NS_ETSI);
    if (get == NULL)
        return MSS_OK;
    char *text = NULL;
    if ((rc = mss_xr_text(d, get, 1, &text)) != MSS_OK)
        return rc;
    /* xs:boolean: "true", "false", "1", "0". */
    if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
        req->get_certificates = 1;
    else if (strcmp(text, "false") != 0 && strcmp(text, "0") != 0)
        rc = mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "GetCertificates is not a boolean");
    free(text);
    return rc;
}

mss_error mss_enc_profile_resp(xmlNodePtr parent, const mss_profile_resp *resp)
{
    if ((resp->n_profiles && resp->profiles == NULL) || (resp->n_certs && resp->certs == NULL))
        return MSS_ERR_ARGS;
    xmlNodePtr m = NULL, status = NULL;
    xmlNsPtr ns = NULL;
    mss_error rc = mss_enc_message(parent, "MSS_ProfileResp", &resp->hdr, &m, &ns);
    if (rc != MSS_OK)
        return rc;
    for (size_t i = 0; i < resp->n_profiles; i++) {
        if (resp->profiles[i] == NULL)
            return MSS_ERR_ARGS;
        if ((rc = mss_enc_uri(m, ns, "SignatureProfile", resp->profiles[i])) != MSS_OK)
            return rc;
    }
    if ((rc = mss_enc_status(m, ns, &resp->status, &status)) != MSS_OK)
        return rc;
    return resp->n_certs ? mss_enc_profile_certs(status, ns, resp->certs, resp->n_certs) : MSS_OK;
}

static mss_error dec_profiles(mss_dec *d, const xmlNode *msg, mss_profile_resp *resp)
{
    size_t n = 0;
    for (xmlNodePtr e = mss_xr_child(msg, "SignatureProfile", MSS_NS_ETSI); e != NULL;
         e = mss_xr_next(e, "SignatureProfile", MSS_NS_ETSI))
        n++;
    if (n == 0)
        return MSS_OK;
    if (n > MSS_MAX_PROFILES)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "more than %d SignatureProfile elements",
                            MSS_MAX_PROFILES);
    resp->profiles = calloc(n, sizeof *resp->profiles);
    if (resp->profiles == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading profiles");
    for (xmlNodePtr e = mss_xr_child(msg, "SignatureProfile", MSS_NS_ETSI); e != NULL;
         e = mss_xr_next(e, "SignatureProfile", MSS_NS_ETSI)) {
        mss_error rc = mss_dec_uri(d, e, &resp->profiles[resp->n_profiles]);
        if (rc != MSS_OK)
            return rc;
        resp->n_profiles++;
    }
    return MSS_OK;
}

mss_error mss_dec_profile_resp(mss_dec *d, const xmlNode *msg, mss_profile_resp *resp)
{
    xmlNodePtr status = NULL;
    mss_error rc;
    if ((rc = mss_dec_header(d, msg, &resp->hdr)) != MSS_OK ||
        (rc = dec_profiles(d, msg, resp)) != MSS_OK ||
        (rc = mss_dec_status(d, msg, &resp->status, &status)) != MSS_OK)
        return rc;
    return mss_dec_profile_certs(d, status, &resp->certs, &resp->n_certs);
}

