/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * C_Verify*: done here with the public key of the key's certificate, never by the
 * MSSP. The input goes through the same mechanism code as signing (mech_op.c), so
 * sign and verify agree on what a mechanism's input means; the signature must have
 * the exact PKCS#11 length (the modulus length for RSA, r||s for ECDSA).
 */
#include "module.h"

#include "mech.h"
#include <mss/verify.h>

CK_RV p11_verify_init(p11_session *s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    rv = p11_op_start(s, &s->verify, mech, key, 0);
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

static CK_RV check_signature(p11_sign_op *op, const CK_BYTE *sig, CK_ULONG sig_len)
{
    const p11_key *key = op->key->key;
    unsigned char tbs[P11_TBS_MAX];
    size_t tbs_len = 0;
    mss_error err;
    CK_RV rv;

    rv = p11_mech_op_tbs(op->state, tbs, &tbs_len);
    if (rv != CKR_OK)
        return rv;
    if (sig_len != p11_key_sig_len(key))
        return CKR_SIGNATURE_LEN_RANGE;
    err = mss_verify_signature(key->cert, key->cert_len, op->mech->family->alg, tbs, tbs_len,
                               sig, sig_len, NULL);
    switch (err) {
    case MSS_OK: return CKR_OK;
    case MSS_ERR_SIGNATURE_INVALID:
    case MSS_ERR_FORMAT: return CKR_SIGNATURE_INVALID;
    case MSS_ERR_NOMEM: return CKR_HOST_MEMORY;
    default: return CKR_FUNCTION_FAILED;
    }
}

CK_RV p11_verify(p11_session *s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
                 CK_ULONG sig_len)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!s->verify.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (s->verify.multipart) {
        rv = CKR_OPERATION_ACTIVE; /* started with C_VerifyUpdate: end with C_VerifyFinal */
    } else {
        rv = p11_mech_op_update(s->verify.state, data, len);
        if (rv == CKR_OK)
            rv = check_signature(&s->verify, sig, sig_len);
        p11_sign_reset(&s->verify);
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_verify_update(p11_session *s, CK_BYTE_PTR data, CK_ULONG len)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    rv = p11_op_update(&s->verify, data, len);
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_verify_final(p11_session *s, CK_BYTE_PTR sig, CK_ULONG sig_len)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!s->verify.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        rv = check_signature(&s->verify, sig, sig_len);
        p11_sign_reset(&s->verify);
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}
