/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MessageAbstractType (the attributes, AP_Info and MSSP_Info every MSS message
 * starts with) and the small types shared by all messages: MobileUser, mssURIType.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

mss_error mss_enc_message(xmlNodePtr parent, const char *name, const mss_header *hdr,
                          xmlNodePtr *msg, xmlNsPtr *ns)
{
    if (hdr->ap_id == NULL || hdr->ap_pwd == NULL || hdr->ap_instant == NULL ||
        !mss_xb_ncname_ok(hdr->ap_trans_id) || hdr->major_version < 0 ||
        hdr->minor_version < 0)
        return MSS_ERR_ARGS;
    xmlNodePtr m = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
    if (m == NULL)
        return MSS_ERR_NOMEM;
    /* The mss prefix is declared on the message itself so that the element can be
     * lifted out of the envelope (e.g. to validate it) and stay self-contained. */
    xmlNsPtr n = mss_xb_ns(m, MSS_NS_ETSI, "mss");
    if (n == NULL)
        return MSS_ERR_NOMEM;
    xmlSetNs(m, n);

    mss_error rc;
    if ((rc = mss_xb_attr_long(m, "MajorVersion", hdr->major_version)) != MSS_OK ||
        (rc = mss_xb_attr_long(m, "MinorVersion", hdr->minor_version)) != MSS_OK)
        return rc;

    xmlNodePtr ap = NULL, mssp = NULL, mssp_id = NULL;
    if ((rc = mss_xb_elem(m, n, "AP_Info", NULL, &ap)) != MSS_OK ||
        (rc = mss_xb_attr(ap, "AP_ID", hdr->ap_id)) != MSS_OK ||
        (rc = mss_xb_attr(ap, "AP_TransID", hdr->ap_trans_id)) != MSS_OK ||
        (rc = mss_xb_attr(ap, "AP_PWD", hdr->ap_pwd)) != MSS_OK ||
        (rc = mss_xb_attr(ap, "Instant", hdr->ap_instant)) != MSS_OK)
        return rc;
    if ((rc = mss_xb_elem(m, n, "MSSP_Info", NULL, &mssp)) != MSS_OK ||
        (rc = mss_xb_attr(mssp, "Instant", hdr->mssp_instant)) != MSS_OK ||
        (rc = mss_xb_elem(mssp, n, "MSSP_ID", NULL, &mssp_id)) != MSS_OK)
        return rc;
    /* MSSP_ID is required but may be empty (requests before the MSSP is known). */
    if (hdr->mssp_id_uri != NULL &&
        (rc = mss_xb_elem(mssp_id, n, "URI", hdr->mssp_id_uri, NULL)) != MSS_OK)
        return rc;
    *msg = m;
    *ns = n;
    return MSS_OK;
}

static mss_error dec_version(mss_dec *d, const xmlNode *msg, const char *name, int *out)
{
    long v = 0;
    int present = 0;
    mss_error rc = mss_xr_uint_attr(d, msg, name, MSS_MAX_VERSION, &v, &present);
    if (rc != MSS_OK)
        return rc;
    if (!present)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> has no %s attribute",
                            mss_xr_name(msg), name);
    *out = (int)v;
    return MSS_OK;
}

static mss_error dec_ap_info(mss_dec *d, const xmlNode *ap, mss_header *hdr)
{
    mss_error rc;
    if ((rc = mss_xr_attr(d, ap, "AP_ID", &hdr->ap_id)) != MSS_OK ||
        (rc = mss_xr_attr(d, ap, "AP_TransID", &hdr->ap_trans_id)) != MSS_OK ||
        (rc = mss_xr_attr(d, ap, "AP_PWD", &hdr->ap_pwd)) != MSS_OK ||
        (rc = mss_xr_attr(d, ap, "Instant", &hdr->ap_instant)) != MSS_OK)
        return rc;
    if (hdr->ap_id == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "AP_Info has no AP_ID attribute");
    if (hdr->ap_trans_id == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "AP_Info has no AP_TransID attribute");
    return MSS_OK;
}

static mss_error dec_mssp_info(mss_dec *d, const xmlNode *mssp, mss_header *hdr)
{
    mss_error rc = mss_xr_attr(d, mssp, "Instant", &hdr->mssp_instant);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr id = mss_xr_child(mssp, "MSSP_ID", MSS_NS_ETSI);
    xmlNodePtr uri = mss_xr_child(id, "URI", MSS_NS_ETSI);
    if (uri == NULL)
        return MSS_OK;
    return mss_xr_text(d, uri, 1, &hdr->mssp_id_uri);
}

/* AP_PWD and both Instants are read when present; a response without AP_PWD is
 * common. AP_ID, AP_TransID and the versions are required. */
mss_error mss_dec_header(mss_dec *d, const xmlNode *msg, mss_header *hdr)
{
    mss_error rc;
    if ((rc = dec_version(d, msg, "MajorVersion", &hdr->major_version)) != MSS_OK ||
        (rc = dec_version(d, msg, "MinorVersion", &hdr->minor_version)) != MSS_OK)
        return rc;
    xmlNodePtr ap = mss_xr_child(msg, "AP_Info", MSS_NS_ETSI);
    if (ap == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> has no AP_Info", mss_xr_name(msg));
    if ((rc = dec_ap_info(d, ap, hdr)) != MSS_OK)
        return rc;
    xmlNodePtr mssp = mss_xr_child(msg, "MSSP_Info", MSS_NS_ETSI);
    return mssp ? dec_mssp_info(d, mssp, hdr) : MSS_OK;
}

mss_error mss_enc_mobile_user(xmlNodePtr msg, xmlNsPtr ns, const char *msisdn)
{
    xmlNodePtr mu = NULL;
    mss_error rc = mss_xb_elem(msg, ns, "MobileUser", NULL, &mu);
    if (rc != MSS_OK || msisdn == NULL)
        return rc;
    return mss_xb_elem(mu, ns, "MSISDN", msisdn, NULL);
}

mss_error mss_dec_mobile_user(mss_dec *d, const xmlNode *msg, int required, char **msisdn)
{
    xmlNodePtr mu = mss_xr_child(msg, "MobileUser", MSS_NS_ETSI);
    if (mu == NULL)
        return required ? mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> has no MobileUser",
                                       mss_xr_name(msg))
                        : MSS_OK;
    xmlNodePtr num = mss_xr_child(mu, "MSISDN", MSS_NS_ETSI);
    return num ? mss_xr_text(d, num, 1, msisdn) : MSS_OK;
}

mss_error mss_enc_uri(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *uri)
{
    xmlNodePtr e = NULL;
    mss_error rc = mss_xb_elem(parent, ns, name, NULL, &e);
    if (rc != MSS_OK)
        return rc;
    return mss_xb_elem(e, ns, "mssURI", uri, NULL);
}

mss_error mss_dec_uri(mss_dec *d, const xmlNode *elem, char **uri)
{
    xmlNodePtr u = mss_xr_child(elem, "mssURI", MSS_NS_ETSI);
    if (u == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> has no mssURI", mss_xr_name(elem));
    return mss_xr_text(d, u, 1, uri);
}

mss_error mss_enc_data(xmlNodePtr msg, xmlNsPtr ns, const char *name, const mss_data *data)
{
    xmlNodePtr e = NULL;
    mss_error rc;
    if ((rc = mss_xb_elem(msg, ns, name, data->text, &e)) != MSS_OK ||
        (rc = mss_xb_attr(e, "MimeType", data->mime_type)) != MSS_OK)
        return rc;
    return mss_xb_attr(e, "Encoding", data->encoding);
}

mss_error mss_dec_data(mss_dec *d, const xmlNode *e, mss_data *data)
{
    mss_error rc;
    if ((rc = mss_xr_text(d, e, 0, &data->text)) != MSS_OK ||
        (rc = mss_xr_attr(d, e, "MimeType", &data->mime_type)) != MSS_OK)
        return rc;
    return mss_xr_attr(d, e, "Encoding", &data->encoding);
}

