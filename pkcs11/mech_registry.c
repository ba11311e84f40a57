/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every mechanism the module knows, in one table: a signature family and the hash
 * the module computes for the hash-and-sign variants. C_GetMechanismList shows a
 * token only the entries one of its keys can do (p11_mech_key_can).
 */
#include "module.h"

#include "mech.h"

#define RAW P11_HASH_NONE
#define M(type, family, hash) {type, #type, &family, hash}

static const p11_mech mechanisms[] = {
    M(CKM_RSA_PKCS, p11_family_rsa_pkcs, RAW),
    M(CKM_SHA1_RSA_PKCS, p11_family_rsa_pkcs, P11_HASH_SHA1),
    M(CKM_SHA224_RSA_PKCS, p11_family_rsa_pkcs, P11_HASH_SHA224),
    M(CKM_SHA256_RSA_PKCS, p11_family_rsa_pkcs, P11_HASH_SHA256),
    M(CKM_SHA384_RSA_PKCS, p11_family_rsa_pkcs, P11_HASH_SHA384),
    M(CKM_SHA512_RSA_PKCS, p11_family_rsa_pkcs, P11_HASH_SHA512),
    M(CKM_RSA_PKCS_PSS, p11_family_rsa_pss, RAW),
    M(CKM_SHA1_RSA_PKCS_PSS, p11_family_rsa_pss, P11_HASH_SHA1),
    M(CKM_SHA224_RSA_PKCS_PSS, p11_family_rsa_pss, P11_HASH_SHA224),
    M(CKM_SHA256_RSA_PKCS_PSS, p11_family_rsa_pss, P11_HASH_SHA256),
    M(CKM_SHA384_RSA_PKCS_PSS, p11_family_rsa_pss, P11_HASH_SHA384),
    M(CKM_SHA512_RSA_PKCS_PSS, p11_family_rsa_pss, P11_HASH_SHA512),
    M(CKM_ECDSA, p11_family_ecdsa, RAW),
    M(CKM_ECDSA_SHA1, p11_family_ecdsa, P11_HASH_SHA1),
    M(CKM_ECDSA_SHA224, p11_family_ecdsa, P11_HASH_SHA224),
    M(CKM_ECDSA_SHA256, p11_family_ecdsa, P11_HASH_SHA256),
    M(CKM_ECDSA_SHA384, p11_family_ecdsa, P11_HASH_SHA384),
    M(CKM_ECDSA_SHA512, p11_family_ecdsa, P11_HASH_SHA512),
};

#define N_MECHS (sizeof mechanisms / sizeof mechanisms[0])

size_t p11_mech_count(void)
{
    return N_MECHS;
}

const p11_mech *p11_mech_at(size_t i)
{
    return i < N_MECHS ? &mechanisms[i] : NULL;
}

const p11_mech *p11_mech_find(CK_MECHANISM_TYPE type)
{
    size_t i;

    for (i = 0; i < N_MECHS; i++)
        if (mechanisms[i].type == type)
            return &mechanisms[i];
    return NULL;
}

int p11_mech_key_can(const p11_mech *m, const p11_key *key)
{
    if (!key->present || m->family->key_type != key->key_type)
        return 0;
    return !m->family->needs_pss || key->pss;
}
