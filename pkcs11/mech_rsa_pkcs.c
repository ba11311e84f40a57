/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PKCS#1 v1.5 family: the SIM signs a DER DigestInfo.
 *
 * CKM_RSA_PKCS: the caller has hashed and built the DigestInfo itself (OpenSSH,
 * pam_p11, NSS, OpenSSL providers). The SIM only signs DigestInfos, so the input must
 * be exactly one well-formed DigestInfo of SHA-1/224/256/384/512; anything else (raw
 * data, a bare hash, trailing bytes) is CKR_DATA_INVALID before any request.
 * CKM_SHA*_RSA_PKCS: the DigestInfo is built here around the local hash.
 */
#include <string.h>

#include "mech.h"

static CK_RV pkcs1_check_param(const CK_MECHANISM *mech, int hash, int *param_hash)
{
    (void)hash;
    *param_hash = P11_HASH_NONE;
    if (mech->pParameter != NULL || mech->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    return CKR_OK;
}

static CK_RV pkcs1_from_input(int param_hash, const unsigned char *in, size_t len,
                              unsigned char *tbs, size_t *tbs_len)
{
    (void)param_hash;
    if (len > P11_TBS_MAX || p11_digest_info_check(in, len, NULL) != 0)
        return CKR_DATA_INVALID;
    memcpy(tbs, in, len);
    *tbs_len = len;
    return CKR_OK;
}

static CK_RV pkcs1_from_hash(p11_hash hash, const unsigned char *h, size_t len,
                             unsigned char *tbs, size_t *tbs_len)
{
    *tbs_len = p11_digest_info_build(hash, h, len, tbs, P11_TBS_MAX);
    return *tbs_len > 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

const p11_family p11_family_rsa_pkcs = {
    .name = "RSA PKCS#1 v1.5",
    .alg = MSS_ALG_RSA_PKCS1,
    .key_type = CKK_RSA,
    .needs_pss = 0,
    .check_param = pkcs1_check_param,
    .from_input = pkcs1_from_input,
    .from_hash = pkcs1_from_hash,
};
