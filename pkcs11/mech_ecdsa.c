/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ECDSA family (P-256, P-384). The MSSP is sent the bare hash.
 *
 * CKM_ECDSA: PKCS#11 allows input of any length (truncated to the order), but the
 * MSSP infers the hash from the length of what it is sent, so only a hash of a
 * standard length is accepted: 20, 28, 32, 48 or 64 bytes (SHA-1/224/256/384/512).
 * Any other length is CKR_DATA_LEN_RANGE before any request. Every real caller
 * (OpenSSH, NSS, pkcs11-provider, p11tool) sends such a hash.
 * CKM_ECDSA_SHA*: the hash is computed here.
 */
#include <string.h>

#include "mech.h"

static CK_RV ecdsa_check_param(const CK_MECHANISM *mech, int hash, int *param_hash)
{
    (void)hash;
    *param_hash = P11_HASH_NONE;
    if (mech->pParameter != NULL || mech->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    return CKR_OK;
}

static CK_RV ecdsa_copy_hash(const unsigned char *in, size_t len, unsigned char *tbs,
                             size_t *tbs_len)
{
    if (p11_hash_by_len(len) == NULL || len > P11_TBS_MAX)
        return CKR_DATA_LEN_RANGE;
    memcpy(tbs, in, len);
    *tbs_len = len;
    return CKR_OK;
}

static CK_RV ecdsa_from_input(int param_hash, const unsigned char *in, size_t len,
                              unsigned char *tbs, size_t *tbs_len)
{
    (void)param_hash;
    return ecdsa_copy_hash(in, len, tbs, tbs_len);
}

static CK_RV ecdsa_from_hash(p11_hash hash, const unsigned char *h, size_t len,
                             unsigned char *tbs, size_t *tbs_len)
{
    (void)hash;
    return ecdsa_copy_hash(h, len, tbs, tbs_len);
}

const p11_family p11_family_ecdsa = {
    .name = "ECDSA",
    .alg = MSS_ALG_ECDSA,
    .key_type = CKK_EC,
    .needs_pss = 0,
    .check_param = ecdsa_check_param,
    .from_input = ecdsa_from_input,
    .from_hash = ecdsa_from_hash,
};
