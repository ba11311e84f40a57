/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MSS_Signature element (SignatureType): a choice of Base64Signature, FiCom's
 * fi:PKCS1 { SignatureValue, X509Certificate }, or XMLSignature (kept opaque).
 */
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

static mss_error enc_ficom_pkcs1(xmlNodePtr sig_elem, const mss_signature *sig)
{
    if (sig->cert_der == NULL || sig->cert_len == 0)
        return MSS_ERR_ARGS; /* fi:X509Certificate is required by ficom.xsd */
    xmlNodePtr p = xmlNewChild(sig_elem, NULL, (const xmlChar *)"PKCS1", NULL);
    if (p == NULL)
        return MSS_ERR_NOMEM;
    xmlNsPtr fi = mss_xb_ns(p, MSS_NS_FICOM, "fi");
    if (fi == NULL)
        return MSS_ERR_NOMEM;
    xmlSetNs(p, fi);
    mss_error rc = mss_xb_b64_elem(p, fi, "SignatureValue", sig->value, sig->value_len, NULL);
    if (rc != MSS_OK)
        return rc;
    return mss_xb_b64_elem(p, fi, "X509Certificate", sig->cert_der, sig->cert_len, NULL);
}

mss_error mss_enc_signature_value(xmlNodePtr msg, xmlNsPtr ns, const mss_signature *sig)
{
    if (sig->kind == MSS_SIG_NONE)
        return MSS_OK;
    if (sig->value == NULL || sig->value_len == 0)
        return MSS_ERR_ARGS;
    xmlNodePtr e = NULL;
    mss_error rc = mss_xb_elem(msg, ns, "MSS_Signature", NULL, &e);
    if (rc != MSS_OK)
        return rc;
    switch (sig->kind) {
    case MSS_SIG_BASE64:
        return mss_xb_b64_elem(e, ns, "Base64Signature", sig->value, sig->value_len, NULL);
    case MSS_SIG_FICOM_PKCS1:
        return enc_ficom_pkcs1(e, sig);
    default:
        return MSS_ERR_ARGS; /* XMLSignature is decoded opaquely, never produced */
    }
}

static mss_error dec_ficom_pkcs1(mss_dec *d, const xmlNode *p, mss_signature *sig)
{
    xmlNodePtr value = mss_xr_child(p, "SignatureValue", MSS_NS_FICOM);
    xmlNodePtr cert = mss_xr_child(p, "X509Certificate", MSS_NS_FICOM);
    if (value == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "fi:PKCS1 has no SignatureValue");
    mss_error rc = mss_xr_base64(d, value, &sig->value, &sig->value_len);
    if (rc != MSS_OK)
        return rc;
    if (cert != NULL && (rc = mss_xr_base64(d, cert, &sig->cert_der, &sig->cert_len)) != MSS_OK)
        return rc;
    sig->kind = MSS_SIG_FICOM_PKCS1;
    return MSS_OK;
}

mss_error mss_dec_signature_value(mss_dec *d, const xmlNode *msg, mss_signature *sig)
{
    xmlNodePtr e = mss_xr_child(msg, "MSS_Signature", MSS_NS_ETSI);
    if (e == NULL) {
        sig->kind = MSS_SIG_NONE;
        return MSS_OK;
    }
    xmlNodePtr c;
    if ((c = mss_xr_child(e, "Base64Signature", MSS_NS_ETSI)) != NULL) {
        mss_error rc = mss_xr_base64(d, c, &sig->value, &sig->value_len);
        if (rc == MSS_OK)
            sig->kind = MSS_SIG_BASE64;
        return rc;
    }
    if ((c = mss_xr_child(e, "PKCS1", MSS_NS_FICOM)) != NULL)
        return dec_ficom_pkcs1(d, c, sig);
    if (mss_xr_child(e, "XMLSignature", MSS_NS_ETSI) != NULL) {
        sig->kind = MSS_SIG_XML;
        return MSS_OK;
    }
    c = mss_xr_first_element(e);
    return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MSS_Signature holds unsupported <%s>",
                        mss_xr_name(c));
}

