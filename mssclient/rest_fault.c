/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Fault object of the JSON form, the SOAP 1.2 fault's fields by name:
 *   "Fault": {"Code": {"Value": "Sender", "ValueNs": "<SOAP 1.2 namespace>",
 *                      "SubCode": {"Value": "_105", "ValueNs": "<TS 102 204 namespace>",
 *                                  ["SubCode": {"Value": "_1051", ...}]}},
 *             "Reason": "UNKNOWN_CLIENT", ["Detail": "text"]}
 * Decoding takes a Code Value with or without a prefix ("env:Sender", "Sender"), and a
 * SubCode Value as an MSS code with an optional prefix and one optional "_" ("_105",
 * "mss:_105", "105"); a fault without a SubCode has code 0, as in the SOAP binding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rest_internal.h"

static mss_error enc_subcode(json_t *parent, int code, json_t **out)
{
    char value[32];
    snprintf(value, sizeof value, "_%d", code);
    mss_error rc;
    if ((rc = mss_jb_object(parent, "SubCode", out)) != MSS_OK ||
        (rc = mss_jb_string(*out, "Value", value)) != MSS_OK)
        return rc;
    return mss_jb_string(*out, "ValueNs", MSS_NS_ETSI);
}

mss_error mss_rest_enc_fault(json_t *obj, const mss_fault *fault)
{
    if (fault->code <= 0 || fault->specifier < 0)
        return MSS_ERR_ARGS;
    const char *reason = fault->reason;
    if (reason == NULL) {
        const mss_status_info *info = mss_status_lookup(fault->code);
        reason = info ? info->name : "ERROR";
    }
    json_t *code = NULL, *sub = NULL, *nested = NULL;
    mss_error rc;
    if ((rc = mss_jb_object(obj, "Code", &code)) != MSS_OK ||
        (rc = mss_jb_string(code, "Value", fault->sender ? "Sender" : "Receiver")) != MSS_OK ||
        (rc = mss_jb_string(code, "ValueNs", MSS_NS_SOAP12)) != MSS_OK ||
        (rc = enc_subcode(code, fault->code, &sub)) != MSS_OK)
        return rc;
    if (fault->specifier != 0 && (rc = enc_subcode(sub, fault->specifier, &nested)) != MSS_OK)
        return rc;
    if ((rc = mss_jb_string(obj, "Reason", reason)) != MSS_OK)
        return rc;
    return mss_jb_string(obj, "Detail", fault->detail);
}

/* The text after the last ':'. */
static const char *local_part(const char *qname)
{
    const char *colon = strrchr(qname, ':');
    return colon ? colon + 1 : qname;
}

static mss_error dec_subcode(mss_dec *d, const json_t *sub, const char *at, int *out)
{
    char *text = NULL;
    mss_error rc = mss_jr_string(d, sub, at, "Value", 1, &text);
    if (rc != MSS_OK)
        return rc;
    const char *digits = local_part(text);
    if (*digits == '_')
        digits++;
    size_t n = strlen(digits);
    long num = 0;
    if (n > 0 && n <= 6 && strspn(digits, "0123456789") == n)
        num = strtol(digits, NULL, 10);
    free(text);
    if (num <= 0 || num > MSS_MAX_STATUS_CODE)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s.Value is not an MSS code", at);
    *out = (int)num;
    return MSS_OK;
}

mss_error mss_rest_dec_fault(mss_dec *d, const json_t *obj, mss_fault *fault)
{
    const char *at = "Fault";
    const json_t *code = NULL, *sub = NULL, *nested = NULL;
    char *value = NULL;
    mss_error rc;
    if ((rc = mss_jr_object(d, obj, at, "Code", 1, &code)) != MSS_OK ||
        (rc = mss_jr_string(d, code, "Fault.Code", "Value", 1, &value)) != MSS_OK)
        return rc;
    fault->sender = strcmp(local_part(value), "Sender") == 0;
    free(value);
    if ((rc = mss_jr_object(d, code, "Fault.Code", "SubCode", 0, &sub)) != MSS_OK)
        return rc;
    if (sub != NULL &&
        ((rc = dec_subcode(d, sub, "Fault.Code.SubCode", &fault->code)) != MSS_OK ||
         (rc = mss_jr_object(d, sub, "Fault.Code.SubCode", "SubCode", 0, &nested)) != MSS_OK))
        return rc;
    if (nested != NULL &&
        (rc = dec_subcode(d, nested, "Fault.Code.SubCode.SubCode", &fault->specifier)) != MSS_OK)
        return rc;
    if ((rc = mss_jr_string(d, obj, at, "Reason", 0, &fault->reason)) != MSS_OK ||
        (rc = mss_jr_string(d, obj, at, "Detail", 0, &fault->detail)) != MSS_OK)
        return rc;
    return MSS_OK;
}
