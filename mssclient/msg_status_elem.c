/* SPDX-License-Identifier: BSD-3-Clause */
/* StatusType: StatusCode (with a nested sub-code) and StatusMessage, wherever it stands. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

mss_error mss_enc_status(xmlNodePtr msg, xmlNsPtr ns, const mss_status *st,
                         xmlNodePtr *status_elem)
{
    /* A message's own Status always carries a real code. */
    if (st->code <= 0)
        return MSS_ERR_ARGS;
    return mss_enc_status_elem(msg, ns, ns, st, status_elem);
}

mss_error mss_enc_status_elem(xmlNodePtr parent, xmlNsPtr status_ns, xmlNsPtr ns,
                              const mss_status *st, xmlNodePtr *status_elem)
{
    if (st->code < 0 || st->subcode < 0)
        return MSS_ERR_ARGS;
    xmlNodePtr s = NULL, code = NULL, sub = NULL;
    mss_error rc;
    if ((rc = mss_xb_elem(parent, status_ns, "Status", NULL, &s)) != MSS_OK ||
        (rc = mss_xb_elem(s, ns, "StatusCode", NULL, &code)) != MSS_OK ||
        (rc = mss_xb_attr_long(code, "Value", st->code)) != MSS_OK)
        return rc;
    if (st->subcode != 0 &&
        ((rc = mss_xb_elem(code, ns, "StatusCode", NULL, &sub)) != MSS_OK ||
         (rc = mss_xb_attr_long(sub, "Value", st->subcode)) != MSS_OK))
        return rc;
    if (st->message != NULL && (rc = mss_xb_elem(s, ns, "StatusMessage", st->message, NULL)) != MSS_OK)
        return rc;
    if (status_elem)
        *status_elem = s;
    return MSS_OK;
}

static mss_error dec_code(mss_dec *d, const xmlNode *code, int *out)
{
    long v = 0;
    int present = 0;
    mss_error rc = mss_xr_uint_attr(d, code, "Value", MSS_MAX_STATUS_CODE, &v, &present);
    if (rc != MSS_OK)
        return rc;
    if (!present)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "StatusCode has no Value attribute");
    *out = (int)v;
    return MSS_OK;
}

mss_error mss_dec_status(mss_dec *d, const xmlNode *msg, mss_status *st,
                         xmlNodePtr *status_elem)
{
    xmlNodePtr s = mss_xr_child(msg, "Status", MSS_NS_ETSI);
    if (s == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> has no Status", mss_xr_name(msg));
    mss_error rc = mss_dec_status_elem(d, s, st);
    if (rc == MSS_OK && status_elem)
        *status_elem = s;
    return rc;
}

mss_error mss_dec_status_elem(mss_dec *d, const xmlNode *s, mss_status *st)
{
    xmlNodePtr code = mss_xr_child(s, "StatusCode", MSS_NS_ETSI);
    if (code == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "Status has no StatusCode");
    mss_error rc = dec_code(d, code, &st->code);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr sub = mss_xr_child(code, "StatusCode", MSS_NS_ETSI);
    if (sub != NULL && (rc = dec_code(d, sub, &st->subcode)) != MSS_OK)
        return rc;
    xmlNodePtr text = mss_xr_child(s, "StatusMessage", MSS_NS_ETSI);
    if (text != NULL && (rc = mss_xr_text(d, text, 1, &st->message)) != MSS_OK)
        return rc;
    return MSS_OK;
}
