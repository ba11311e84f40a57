/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * From libmssclient's errors and MSS status codes to CK_RV, in one table, and the
 * CK_RV names used by the trace.
 *
 * Choices (also in docs): a user who cancels, lets the request expire, or whose phone
 * never answers gets CKR_FUNCTION_CANCELED; a blocked PIN or card CKR_PIN_LOCKED.
 * 105 (unknown user), 404 (no key) and 422 (no certificate) say that the MSSP and our
 * configuration disagree about this user: that is not something a caller fixes by
 * choosing another key handle, so they are CKR_DEVICE_ERROR rather than
 * CKR_KEY_HANDLE_INVALID. 406 (a signature is already in progress for this phone)
 * is CKR_FUNCTION_FAILED: retrying later can work (mss-relay's rate limits answer 406
 * too). 900 (the MSSP's internal error, or a relay whose upstream cannot be reached)
 * is CKR_DEVICE_ERROR like an MSSP that cannot be reached. Anything on the way to the MSSP
 * (connection, TLS, HTTP, garbage answers, a signature that does not verify) is
 * CKR_DEVICE_ERROR. Whatever is not in the table is P11_RV_FALLBACK.
 *
 * Not here, because no request is made: a key whose certificate is outside its
 * validity is refused by C_SignInit with CKR_KEY_FUNCTION_NOT_PERMITTED (op.c), or by
 * C_Sign with CKR_FUNCTION_FAILED when it expired in between (sign.c); docs/errors.md.
 *
 * The table is exposed (p11_rv_rules) so docs/errors.md and the unit test read the
 * same rows the module uses.
 */
#include "module.h"

#include <stdio.h>

static const p11_rv_rule rv_rules[] = {
    {MSS_ERR_CANCELED, 0, CKR_FUNCTION_CANCELED},
    {MSS_ERR_TIMEOUT, 0, CKR_FUNCTION_CANCELED},
    {MSS_ERR_FAULT, 401, CKR_FUNCTION_CANCELED},   /* USER_CANCEL */
    {MSS_ERR_STATUS, 401, CKR_FUNCTION_CANCELED},
    {MSS_ERR_FAULT, 208, CKR_FUNCTION_CANCELED},   /* EXPIRED_TRANSACTION */
    {MSS_ERR_STATUS, 208, CKR_FUNCTION_CANCELED},
    {MSS_ERR_FAULT, 402, CKR_PIN_LOCKED},          /* PIN_NR_BLOCKED */
    {MSS_ERR_STATUS, 402, CKR_PIN_LOCKED},
    {MSS_ERR_FAULT, 403, CKR_PIN_LOCKED},          /* CARD_BLOCKED */
    {MSS_ERR_STATUS, 403, CKR_PIN_LOCKED},
    {MSS_ERR_FAULT, 105, CKR_DEVICE_ERROR},        /* UNKNOWN_CLIENT */
    {MSS_ERR_STATUS, 105, CKR_DEVICE_ERROR},
    {MSS_ERR_FAULT, 404, CKR_DEVICE_ERROR},        /* NO_KEY_FOUND */
    {MSS_ERR_STATUS, 404, CKR_DEVICE_ERROR},
    {MSS_ERR_FAULT, 422, CKR_DEVICE_ERROR},        /* NO_CERT_FOUND */
    {MSS_ERR_STATUS, 422, CKR_DEVICE_ERROR},
    {MSS_ERR_FAULT, 406, CKR_FUNCTION_FAILED},     /* PB_SIGNATURE_PROCESS (busy) */
    {MSS_ERR_STATUS, 406, CKR_FUNCTION_FAILED},
    {MSS_ERR_FAULT, 900, CKR_DEVICE_ERROR},        /* INTERNAL_ERROR (a relay: upstream down) */
    {MSS_ERR_STATUS, 900, CKR_DEVICE_ERROR},
    {MSS_ERR_TRANSPORT, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_TLS, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_HTTP, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_XML_MALFORMED, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_XML_UNEXPECTED, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_TOO_LARGE, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_SIGNATURE_INVALID, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_FORMAT, 0, CKR_DEVICE_ERROR},
    {MSS_ERR_NOMEM, 0, CKR_HOST_MEMORY},
};

CK_RV p11_rv_from_mss(mss_error err, int status_code)
{
    size_t i;

    for (i = 0; i < sizeof rv_rules / sizeof rv_rules[0]; i++) {
        const p11_rv_rule *r = &rv_rules[i];

        if (r->err == err && (r->status_code == 0 || r->status_code == status_code))
            return r->rv;
    }
    return P11_RV_FALLBACK; /* other MSS refusals, MSS_ERR_CONFIG, MSS_ERR_ARGS */
}

const p11_rv_rule *p11_rv_rules(size_t *n)
{
    *n = sizeof rv_rules / sizeof rv_rules[0];
    return rv_rules;
}

#define RV_NAME(x) {x, #x}

static const struct {
    CK_RV rv;
    const char *name;
} rv_names[] = {
    RV_NAME(CKR_OK), RV_NAME(CKR_CANCEL), RV_NAME(CKR_HOST_MEMORY),
    RV_NAME(CKR_SLOT_ID_INVALID), RV_NAME(CKR_GENERAL_ERROR), RV_NAME(CKR_FUNCTION_FAILED),
    RV_NAME(CKR_ARGUMENTS_BAD), RV_NAME(CKR_ATTRIBUTE_READ_ONLY),
    RV_NAME(CKR_ATTRIBUTE_SENSITIVE), RV_NAME(CKR_ATTRIBUTE_TYPE_INVALID),
    RV_NAME(CKR_ACTION_PROHIBITED), RV_NAME(CKR_DATA_INVALID), RV_NAME(CKR_DATA_LEN_RANGE),
    RV_NAME(CKR_DEVICE_ERROR), RV_NAME(CKR_FUNCTION_CANCELED),
    RV_NAME(CKR_FUNCTION_NOT_PARALLEL), RV_NAME(CKR_FUNCTION_NOT_SUPPORTED),
    RV_NAME(CKR_KEY_HANDLE_INVALID), RV_NAME(CKR_KEY_TYPE_INCONSISTENT),
    RV_NAME(CKR_KEY_FUNCTION_NOT_PERMITTED), RV_NAME(CKR_MECHANISM_INVALID),
    RV_NAME(CKR_MECHANISM_PARAM_INVALID), RV_NAME(CKR_OBJECT_HANDLE_INVALID),
    RV_NAME(CKR_OPERATION_ACTIVE), RV_NAME(CKR_OPERATION_NOT_INITIALIZED),
    RV_NAME(CKR_PIN_LOCKED), RV_NAME(CKR_SESSION_CLOSED),
    RV_NAME(CKR_SESSION_HANDLE_INVALID), RV_NAME(CKR_SESSION_PARALLEL_NOT_SUPPORTED),
    RV_NAME(CKR_TEMPLATE_INCONSISTENT), RV_NAME(CKR_TOKEN_WRITE_PROTECTED),
    RV_NAME(CKR_USER_ALREADY_LOGGED_IN), RV_NAME(CKR_USER_NOT_LOGGED_IN),
    RV_NAME(CKR_USER_TYPE_INVALID), RV_NAME(CKR_RANDOM_NO_RNG),
    RV_NAME(CKR_BUFFER_TOO_SMALL), RV_NAME(CKR_CRYPTOKI_NOT_INITIALIZED),
    RV_NAME(CKR_CRYPTOKI_ALREADY_INITIALIZED), RV_NAME(CKR_SIGNATURE_INVALID),
    RV_NAME(CKR_SIGNATURE_LEN_RANGE), RV_NAME(CKR_RANDOM_SEED_NOT_SUPPORTED),
    RV_NAME(CKR_OPERATION_CANCEL_FAILED),
};

const char *p11_rv_name(CK_RV rv, char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof rv_names / sizeof rv_names[0]; i++)
        if (rv_names[i].rv == rv)
            return rv_names[i].name;
    snprintf(buf, len, "CKR_0x%08lx", (unsigned long)rv);
    return buf;
}
