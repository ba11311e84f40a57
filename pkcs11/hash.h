/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hashes the module knows, and every fact about each of them, in one table
 * (hash_table.c): its length, the DER DigestInfo prefix a PKCS#1 v1.5 signature
 * wraps around it, the PKCS#11 names a PSS parameter uses for it, the OpenSSL digest
 * that computes it. The name an MSSP knows it by is libmssclient's
 * (mss_hash_name_for_length): the protocol infers the hash from the length, so the
 * length is the one key both sides share.
 */
#ifndef MSS_P11_HASH_H
#define MSS_P11_HASH_H

#include <stdatomic.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

typedef enum p11_hash {
    P11_HASH_SHA1 = 0,
    P11_HASH_SHA224,
    P11_HASH_SHA256,
    P11_HASH_SHA384,
    P11_HASH_SHA512
} p11_hash;

#define P11_HASH_COUNT 5

/* The longest DigestInfo prefix (SHA-224 and the SHA-2 family: 19 bytes). */
#define P11_DIGEST_INFO_PREFIX_MAX 19

typedef struct p11_hash_info {
    p11_hash id;
    size_t len;                          /* bytes of a hash value */
    /* RFC 8017 §9.2 note 1: DigestInfo up to the hash value, with an explicit NULL
     * parameter; the OBJECT IDENTIFIER's content octets start at prefix + 6. */
    unsigned char prefix[P11_DIGEST_INFO_PREFIX_MAX];
    size_t prefix_len;
    CK_MECHANISM_TYPE mech;              /* CKM_SHA256: a PSS parameter's hashAlg */
    CK_RSA_PKCS_MGF_TYPE mgf;            /* CKG_MGF1_SHA256: the MGF that goes with it */
    const EVP_MD *(*md)(void);           /* EVP_sha256 */
} p11_hash_info;

/* The facts of one hash (h a valid p11_hash), or NULL. */
const p11_hash_info *p11_hash_get(p11_hash h);
/* The hash of this length, hashAlg or DigestInfo OBJECT IDENTIFIER (content octets),
 * or NULL when none is known. */
const p11_hash_info *p11_hash_by_len(size_t len);
const p11_hash_info *p11_hash_by_mech(CK_MECHANISM_TYPE mech);
const p11_hash_info *p11_hash_by_oid(const unsigned char *oid, size_t oid_len);
/* The DigestInfo OBJECT IDENTIFIER's content octets within the prefix. */
const unsigned char *p11_hash_oid(const p11_hash_info *h, size_t *oid_len);
/* The hash's name as the MSSP (and OpenSSL) know it: "SHA256". */
const char *p11_hash_mss_name(const p11_hash_info *h);

/* The digests an instance fetches once (hash_fetch.c), each at its first use: an
 * implicit fetch at every EVP_DigestInit_ex with EVP_sha256() takes OpenSSL's method
 * store and its locks each time, and fetching all five at C_Initialize would cost
 * start-up the first, expensive construction of the store. A digest the provider does
 * not offer falls back to the implicit fetch, so nothing changes but the cost. */
typedef struct p11_hash_set {
    _Atomic(EVP_MD *) md[P11_HASH_COUNT];
} p11_hash_set;

/* Release what was fetched; the set is empty (and usable) again. */
void p11_hash_set_free(p11_hash_set *set);
/* The digest to hash with: set's, fetched now if it is the first use (any number of
 * threads at once), or OpenSSL's built-in one (NULL set, or the fetch failed). */
const EVP_MD *p11_hash_md(p11_hash_set *set, p11_hash h);

#endif
