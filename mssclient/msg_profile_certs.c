/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Methics ProfileQuery extension (MSS-ProfileExt.xsd) inside Status/StatusDetail:
 *   <mcs:ProfileQueryExtension>
 *     <mcs:MobileUserCertificate State=".." Algorithm=".." SignatureProfiles="u1 u2">
 *       <ds:X509Certificate>base64</ds:X509Certificate>   (ds:X509DataType content)
 *     </mcs:MobileUserCertificate>*
 *   </mcs:ProfileQueryExtension>
 * Other StatusDetail children and other extension elements are ignored.
 */
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

mss_error mss_enc_profile_certs(xmlNodePtr status_elem, xmlNsPtr ns,
                                const mss_user_cert *certs, size_t n_certs)
{
    xmlNodePtr detail = NULL;
    mss_error rc = mss_xb_elem(status_elem, ns, "StatusDetail", NULL, &detail);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr ext = xmlNewChild(detail, NULL, (const xmlChar *)"ProfileQueryExtension", NULL);
    if (ext == NULL)
        return MSS_ERR_NOMEM;
    xmlNsPtr mcs = mss_xb_ns(ext, MSS_NS_METHICS_PROFILE, "mcs");
    xmlNsPtr ds = mss_xb_ns(ext, MSS_NS_XMLDSIG, "ds");
    if (mcs == NULL || ds == NULL)
        return MSS_ERR_NOMEM;
    xmlSetNs(ext, mcs);
    for (size_t i = 0; i < n_certs; i++) {
        const mss_user_cert *c = &certs[i];
        xmlNodePtr e = NULL;
        if (c->der == NULL || c->der_len == 0)
            return MSS_ERR_ARGS;
        if ((rc = mss_xb_elem(ext, mcs, "MobileUserCertificate", NULL, &e)) != MSS_OK ||
            (rc = mss_xb_attr(e, "State", c->state)) != MSS_OK ||
            (rc = mss_xb_attr(e, "Algorithm", c->algorithm)) != MSS_OK ||
            (rc = mss_xb_attr(e, "SignatureProfiles", c->profiles)) != MSS_OK ||
            (rc = mss_xb_b64_elem(e, ds, "X509Certificate", c->der, c->der_len, NULL)) != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

static mss_error dec_cert(mss_dec *d, const xmlNode *e, mss_user_cert *c)
{
    mss_error rc;
    xmlNodePtr x = mss_xr_child(e, "X509Certificate", MSS_NS_XMLDSIG);
    if (x == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "MobileUserCertificate has no X509Certificate");
    if ((rc = mss_xr_base64(d, x, &c->der, &c->der_len)) != MSS_OK ||
        (rc = mss_xr_attr(d, e, "State", &c->state)) != MSS_OK ||
        (rc = mss_xr_attr(d, e, "Algorithm", &c->algorithm)) != MSS_OK)
        return rc;
    return mss_xr_attr(d, e, "SignatureProfiles", &c->profiles);
}

mss_error mss_dec_profile_certs(mss_dec *d, const xmlNode *status_elem,
                                mss_user_cert **certs, size_t *n_certs)
{
    xmlNodePtr detail = mss_xr_child(status_elem, "StatusDetail", MSS_NS_ETSI);
    xmlNodePtr ext = mss_xr_child(detail, "ProfileQueryExtension", MSS_NS_METHICS_PROFILE);
    if (ext == NULL)
        return MSS_OK;
    size_t n = 0;
    for (xmlNodePtr e = mss_xr_child(ext, "MobileUserCertificate", MSS_NS_METHICS_PROFILE);
         e != NULL; e = mss_xr_next(e, "MobileUserCertificate", MSS_NS_METHICS_PROFILE))
        n++;
    if (n == 0)
        return MSS_OK;
    if (n > MSS_MAX_USER_CERTS)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "more than %d MobileUserCertificate elements",
                            MSS_MAX_USER_CERTS);
    *certs = calloc(n, sizeof **certs);
    if (*certs == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading certificates");
    for (xmlNodePtr e = mss_xr_child(ext, "MobileUserCertificate", MSS_NS_METHICS_PROFILE);
         e != NULL; e = mss_xr_next(e, "MobileUserCertificate", MSS_NS_METHICS_PROFILE)) {
        /* Count first so a failure part-way leaves a consistent, freeable array. */
        (*n_certs)++;
        mss_error rc = dec_cert(d, e, &(*certs)[*n_certs - 1]);
        if (rc != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

