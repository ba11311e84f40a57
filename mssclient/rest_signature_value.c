/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSS_Signature in JSON, in the signature and status responses: Base64Signature only
 * (the JSON form has no fi:PKCS1 and no XMLSignature, so those kinds are refused). Its
 * own file, below both responses, as msg_signature_value.c is for SOAP.
 */
#include <stdlib.h>
#include "rest_internal.h"

mss_error mss_rest_enc_signature_value(json_t *msg, const mss_signature *sig)
{
    if (sig->kind == MSS_SIG_NONE)
        return MSS_OK;
    if (sig->kind != MSS_SIG_BASE64 || sig->value == NULL || sig->value_len == 0)
        return MSS_ERR_ARGS;
    json_t *o = NULL;
    mss_error rc = mss_jb_object(msg, "MSS_Signature", &o);
    return rc == MSS_OK ? mss_jb_base64(o, "Base64Signature", sig->value, sig->value_len) : rc;
}

mss_error mss_rest_dec_signature_value(mss_dec *d, const json_t *msg, const char *at,
                                       mss_signature *sig)
{
    char path[128];
    const json_t *o = NULL;
    mss_error rc = mss_jr_object(d, msg, at, "MSS_Signature", 0, &o);
    if (rc != MSS_OK || o == NULL)
        return rc;
    rc = mss_jr_base64(d, o, mss_jr_path(path, sizeof path, at, "MSS_Signature"),
                       "Base64Signature", 1, &sig->value, &sig->value_len);
    if (rc == MSS_OK)
        sig->kind = MSS_SIG_BASE64;
    return rc;
}
