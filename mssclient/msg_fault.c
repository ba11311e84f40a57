/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SOAP 1.2 faults carrying an MSS status code:
 *   <env:Fault><env:Code><env:Value>env:Sender</env:Value>
 *     <env:Subcode><env:Value>mss:_105</env:Value>
 *       [<env:Subcode><env:Value>mss:_1051</env:Value></env:Subcode>]</env:Subcode></env:Code>
 *   <env:Reason><env:Text xml:lang="en">UNKNOWN_CLIENT</env:Text></env:Reason>
 *   [<env:Detail><detail>text</detail></env:Detail>]</env:Fault>
 * (SOAP 1.2 Detail holds elements only, so the text goes into an unqualified
 * <detail>, the shape Kiuru uses with its own namespace.)
 * Decoding takes the QName's local part whatever its prefix (mss:, fi:, none),
 * strips one leading "_" and reads the number (FiCom writes specifiers without "_").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

static mss_error enc_subcode(xmlNodePtr parent, xmlNsPtr env, int code, xmlNodePtr *out)
{
    char qname[32];
    snprintf(qname, sizeof qname, "mss:_%d", code);
    xmlNodePtr sub = NULL;
    mss_error rc = mss_xb_elem(parent, env, "Subcode", NULL, &sub);
    if (rc == MSS_OK)
        rc = mss_xb_elem(sub, env, "Value", qname, NULL);
    *out = sub;
    return rc;
}

mss_error mss_enc_fault(xmlNodePtr body, const mss_fault *fault)
{
    if (fault->code <= 0 || fault->specifier < 0)
        return MSS_ERR_ARGS;
    xmlNsPtr env = body->ns;
    const char *reason = fault->reason;
    if (reason == NULL) {
        /* Reason/Text is required by SOAP; the code's name is what MSSPs send. */
        const mss_status_info *info = mss_status_lookup(fault->code);
        reason = info ? info->name : "ERROR";
    }
    xmlNodePtr f = NULL, code = NULL, sub = NULL, nested = NULL, rsn = NULL, text = NULL;
    mss_error rc;
    if ((rc = mss_xb_elem(body, env, "Fault", NULL, &f)) != MSS_OK)
        return rc;
    /* The subcode values are QNames in the ETSI namespace: declare mss: on the fault. */
    if (mss_xb_ns(f, MSS_NS_ETSI, "mss") == NULL)
        return MSS_ERR_NOMEM;
    if ((rc = mss_xb_elem(f, env, "Code", NULL, &code)) != MSS_OK ||
        (rc = mss_xb_elem(code, env, "Value", fault->sender ? "env:Sender" : "env:Receiver",
                          NULL)) != MSS_OK ||
        (rc = enc_subcode(code, env, fault->code, &sub)) != MSS_OK)
        return rc;
    if (fault->specifier && (rc = enc_subcode(sub, env, fault->specifier, &nested)) != MSS_OK)
        return rc;
    if ((rc = mss_xb_elem(f, env, "Reason", NULL, &rsn)) != MSS_OK ||
        (rc = mss_xb_elem(rsn, env, "Text", reason, &text)) != MSS_OK)
        return rc;
    xmlNodeSetLang(text, (const xmlChar *)"en"); /* xml:lang is required on Text */
    if (xmlHasNsProp(text, (const xmlChar *)"lang", XML_XML_NAMESPACE) == NULL)
        return MSS_ERR_NOMEM;
    if (fault->detail == NULL)
        return MSS_OK;
    xmlNodePtr detail = NULL, inner = NULL;
    if ((rc = mss_xb_elem(f, env, "Detail", NULL, &detail)) != MSS_OK ||
        (rc = mss_xb_elem(detail, NULL, "detail", fault->detail, &inner)) != MSS_OK)
        return rc;
    xmlSetNs(inner, NULL); /* created in its parent's namespace: make it unqualified */
    return MSS_OK;
}

/* The local part of a QName text: after the last ':' (trimmed by the caller). */
static const char *qname_local(const char *qname)
{
    const char *colon = strrchr(qname, ':');
    return colon ? colon + 1 : qname;
}

/* The trimmed text of the env:Value child that a fault Code or Subcode must have
 * (what names the parent in the error); malloc'd into *text. */
static mss_error dec_value_text(mss_dec *d, const xmlNode *parent, const char *what, char **text)
{
    xmlNodePtr value = mss_xr_child(parent, "Value", MSS_NS_SOAP12);
    if (value == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "fault %s has no Value", what);
    return mss_xr_text(d, value, 1, text);
}

static mss_error dec_code_value(mss_dec *d, const xmlNode *sub, int *out)
{
    char *text = NULL;
    mss_error rc = dec_value_text(d, sub, "Subcode", &text);
    if (rc != MSS_OK)
        return rc;
    const char *local = qname_local(text);
    if (*local == '_')
        local++;
    long num = 0;
    int bad = mss_parse_uint(local, MSS_MAX_STATUS_CODE, &num);
    free(text);
    if (bad || num == 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "fault Subcode Value is not a numeric MSS code");
    *out = (int)num;
    return MSS_OK;
}

static mss_error dec_code(mss_dec *d, const xmlNode *code, mss_fault *fault)
{
    char *text = NULL;
    mss_error rc = dec_value_text(d, code, "Code", &text);
    if (rc != MSS_OK)
        return rc;
    fault->sender = strcmp(qname_local(text), "Sender") == 0;
    free(text);
    xmlNodePtr sub = mss_xr_child(code, "Subcode", MSS_NS_SOAP12);
    if (sub == NULL)
        return MSS_OK; /* a plain SOAP fault without an MSS code: code stays 0 */
    if ((rc = dec_code_value(d, sub, &fault->code)) != MSS_OK)
        return rc;
    xmlNodePtr nested = mss_xr_child(sub, "Subcode", MSS_NS_SOAP12);
    return nested ? dec_code_value(d, nested, &fault->specifier) : MSS_OK;
}

mss_error mss_dec_fault(mss_dec *d, const xmlNode *fault_elem, mss_fault *fault)
{
    xmlNodePtr code = mss_xr_child(fault_elem, "Code", MSS_NS_SOAP12);
    if (code == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "SOAP fault has no Code");
    mss_error rc = dec_code(d, code, fault);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr reason = mss_xr_child(fault_elem, "Reason", MSS_NS_SOAP12);
    xmlNodePtr text = mss_xr_child(reason, "Text", MSS_NS_SOAP12);
    if (text != NULL && (rc = mss_xr_text(d, text, 1, &fault->reason)) != MSS_OK)
        return rc;
    xmlNodePtr detail = mss_xr_child(fault_elem, "Detail", MSS_NS_SOAP12);
    if (detail == NULL)
        return MSS_OK;
    /* Detail is free text or elements (Kiuru: <ns1:detail>Illegal msisdn</ns1:detail>):
     * keep its text content, or nothing when that is blank. */
    if ((rc = mss_xr_text(d, detail, 1, &fault->detail)) != MSS_OK)
        return rc;
    if (fault->detail[0] == '\0') {
        free(fault->detail);
        fault->detail = NULL;
    }
    return MSS_OK;
}

