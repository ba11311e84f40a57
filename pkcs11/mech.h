/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signing mechanisms.
 *
 * A mechanism is a signature family (what the MSSP is asked to do and how the answer
 * is checked) plus, for the hash-and-sign mechanisms, a hash the module computes
 * itself. The families, one file each:
 *
 *   mech_rsa_pkcs.c   PKCS#1 v1.5: the MSSP signs a DER DigestInfo (CKM_RSA_PKCS input
 *                     is one; CKM_SHA*_RSA_PKCS build it from the local hash)
 *   mech_rsa_pss.c    RSA-PSS: the MSSP signs the bare hash; the PSS parameters must
 *                     be the ones the MSSP uses (MGF1 with the same hash, salt = hash)
 *   mech_ecdsa.c      ECDSA: the MSSP signs the bare hash; the result is r||s
 *
 * mech_registry.c lists every mechanism (family × hash) in one table; mech_op.c runs
 * one operation (parameter check, collecting or hashing the input, producing the
 * bytes the MSSP signs) for both C_Sign* and C_Verify*.
 */
#ifndef MSS_P11_MECH_H
#define MSS_P11_MECH_H

#include <stddef.h>

#include <p11-kit/pkcs11.h>

#include "digest_info.h"
#include "hash.h"
#include <mss/verify.h>

/* The most the MSSP is ever sent: a SHA-512 DigestInfo (PSS/ECDSA send <= 64 bytes). */
#define P11_TBS_MAX P11_DIGEST_INFO_MAX

/* No local hash: the caller's input is what the family signs (after checks). */
#define P11_HASH_NONE (-1)

struct p11_key;

typedef struct p11_family {
    const char *name;
    mss_sig_alg alg;             /* what mss_verify_signature is told */
    CK_KEY_TYPE key_type;
    int needs_pss;               /* only keys configured with pss = yes */
    /* Check mech's parameter for this hash (P11_HASH_NONE: the raw mechanism).
     * On success *param_hash is the hash the parameter names, or P11_HASH_NONE. */
    CK_RV (*check_param)(const CK_MECHANISM *mech, int hash, int *param_hash);
    /* The raw mechanism: the caller's whole input → the bytes the MSSP signs. */
    CK_RV (*from_input)(int param_hash, const unsigned char *in, size_t len,
                        unsigned char *tbs, size_t *tbs_len);
    /* The hash-and-sign mechanisms: the local hash → the bytes the MSSP signs. */
    CK_RV (*from_hash)(p11_hash hash, const unsigned char *h, size_t len,
                       unsigned char *tbs, size_t *tbs_len);
} p11_family;

extern const p11_family p11_family_rsa_pkcs;
extern const p11_family p11_family_rsa_pss;
extern const p11_family p11_family_ecdsa;

typedef struct p11_mech {
    CK_MECHANISM_TYPE type;
    const char *name;
    const p11_family *family;
    int hash;                    /* p11_hash computed locally, or P11_HASH_NONE */
} p11_mech;

/* ------------------------------------------------------------ mech_registry.c */
const p11_mech *p11_mech_find(CK_MECHANISM_TYPE type);
size_t p11_mech_count(void);
const p11_mech *p11_mech_at(size_t i);
/* 1 when this key can do this mechanism (key type, PSS capability). */
int p11_mech_key_can(const p11_mech *m, const struct p11_key *key);

/* ------------------------------------------------------------ mech_op.c */
typedef struct p11_mech_op p11_mech_op;

/* Check the parameter and start an operation. */
/* digests: the instance's fetched digests (NULL: OpenSSL's built-in ones). */
CK_RV p11_mech_op_new(const p11_mech *m, const CK_MECHANISM *mech,
                      p11_hash_set *digests, p11_mech_op **out);
/* Add input (one call for C_Sign, one per part for C_SignUpdate). */
CK_RV p11_mech_op_update(p11_mech_op *op, const CK_BYTE *data, CK_ULONG len);
/* Finish the input: the bytes the MSSP signs (tbs has P11_TBS_MAX bytes). */
CK_RV p11_mech_op_tbs(p11_mech_op *op, unsigned char *tbs, size_t *tbs_len);
void p11_mech_op_free(p11_mech_op *op);

#endif
