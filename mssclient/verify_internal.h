/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers shared by the signature verifiers (verify.c, verify_sig.c). Internal. */
#ifndef MSS_VERIFY_INTERNAL_H
#define MSS_VERIFY_INTERNAL_H

#include <openssl/evp.h>

#include <mss/mss.h>

/* Write a reason into why (when not NULL), clear this thread's OpenSSL error queue,
 * and return rc. */
mss_error mss_verify_fail(mss_error rc, char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The public key of a DER X.509 certificate (no trailing bytes allowed); the caller
 * frees *key with EVP_PKEY_free. MSS_ERR_ARGS for a bad certificate. */
mss_error mss_cert_public_key(const unsigned char *cert_der, size_t cert_len, EVP_PKEY **key,
                              char *why, size_t why_len);

/* The checks, each over a key already parsed (verify_key.c holds it and checks the
 * arguments common to all three first). */
/* PKCS#1 v1.5 over a DER DigestInfo: the recovered DigestInfo must equal the given one
 * byte for byte. */
mss_error mss_verify_pkcs1_key(EVP_PKEY *key, const unsigned char *digest_info, size_t di_len,
                               const unsigned char *sig, size_t sig_len, char *why,
                               size_t why_len);
/* RSA-PSS over a bare hash: MGF1 with the same hash, salt as long as the hash. md is
 * that hash, fetched by the caller. */
mss_error mss_verify_pss_key(EVP_PKEY *key, const EVP_MD *md, const unsigned char *tbs,
                             size_t tbs_len, const unsigned char *sig, size_t sig_len,
                             char *why, size_t why_len);
/* ECDSA over a bare hash; sig DER or raw r||s. */
mss_error mss_verify_ecdsa_key(EVP_PKEY *key, const unsigned char *tbs, size_t tbs_len,
                               const unsigned char *sig, size_t sig_len, char *why,
                               size_t why_len);

#endif
