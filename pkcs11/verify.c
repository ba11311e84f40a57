/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verify kind of operation (op.c runs it): checked here with the public key of
 * the key's certificate, never by the MSSP. The input goes through the same engine
 * and mechanism code as signing, so sign and verify agree on what a mechanism's
 * input means; the signature must have the exact PKCS#11 length (the modulus length
 * for RSA, r||s for ECDSA).
 */
#include "module.h"

#include <stddef.h>

#include "mech.h"
#include <mss/verify.h>

/* sig_len is the caller's length, read only. */
static CK_RV verify_finish(p11_session *s, const p11_op *op, const unsigned char *tbs,
                           size_t tbs_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    const p11_key *key = op->key->key;
    mss_error err;

    (void)s;
    if (*sig_len != p11_key_sig_len(key))
        return CKR_SIGNATURE_LEN_RANGE;
    const mss_verify_key *verifier = p11_key_verifier(key, NULL);

    if (verifier == NULL)
        return CKR_FUNCTION_FAILED;
    err = mss_verify_with_key(verifier, op->mech->family->alg, tbs, tbs_len, sig, *sig_len,
                              NULL);
    switch (err) {
    case MSS_OK: return CKR_OK;
    case MSS_ERR_SIGNATURE_INVALID:
    case MSS_ERR_FORMAT: return CKR_SIGNATURE_INVALID;
    case MSS_ERR_NOMEM: return CKR_HOST_MEMORY;
    default: return CKR_FUNCTION_FAILED;
    }
}

const p11_op_kind p11_op_verify = {
    .key_class = CKO_PUBLIC_KEY,
    .offset = offsetof(p11_session, verify),
    .remote = 0,
    .needs_valid_cert = 0, /* an old signature can be checked with an expired certificate */
    .early = NULL,
    .finish = verify_finish,
};
