/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RSA-PSS family. The MSSP is sent the bare hash and signs with MGF1 over the same
 * hash and a salt as long as the hash (the protocol profile), so exactly those
 * parameters are accepted; anything else would produce a signature the caller did
 * not ask for, and is CKR_MECHANISM_PARAM_INVALID at C_SignInit (TLS 1.3 and p11test
 * ask for these; p11test's other salt lengths are refused, as they must be).
 *
 * CKM_RSA_PKCS_PSS: the input is the hash named by hashAlg, of exactly its length.
 * CKM_SHA*_RSA_PKCS_PSS: hashAlg must be the mechanism's own hash.
 */
#include <string.h>

#include "mech.h"

static CK_RV pss_check_param(const CK_MECHANISM *mech, int hash, int *param_hash)
{
    const CK_RSA_PKCS_PSS_PARAMS *p = mech->pParameter;
    const p11_hash_info *h;

    *param_hash = P11_HASH_NONE;
    if (p == NULL || mech->ulParameterLen != sizeof *p)
        return CKR_MECHANISM_PARAM_INVALID;
    h = p11_hash_by_mech(p->hashAlg);
    if (h == NULL || p->mgf != h->mgf || p->sLen != h->len)
        return CKR_MECHANISM_PARAM_INVALID;
    if (hash != P11_HASH_NONE && hash != (int)h->id)
        return CKR_MECHANISM_PARAM_INVALID;
    *param_hash = (int)h->id;
    return CKR_OK;
}

static CK_RV pss_from_input(int param_hash, const unsigned char *in, size_t len,
                            unsigned char *tbs, size_t *tbs_len)
{
    if (param_hash == P11_HASH_NONE || len != p11_hash_get((p11_hash)param_hash)->len)
        return CKR_DATA_LEN_RANGE;
    memcpy(tbs, in, len);
    *tbs_len = len;
    return CKR_OK;
}

static CK_RV pss_from_hash(p11_hash hash, const unsigned char *h, size_t len,
                           unsigned char *tbs, size_t *tbs_len)
{
    if (len != p11_hash_get(hash)->len || len > P11_TBS_MAX)
        return CKR_FUNCTION_FAILED;
    memcpy(tbs, h, len);
    *tbs_len = len;
    return CKR_OK;
}

const p11_family p11_family_rsa_pss = {
    .name = "RSA-PSS",
    .alg = MSS_ALG_RSA_PSS,
    .key_type = CKK_RSA,
    .needs_pss = 1,
    .check_param = pss_check_param,
    .from_input = pss_from_input,
    .from_hash = pss_from_hash,
};
