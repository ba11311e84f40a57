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

/* PKCS#1 v1.5 over a DER DigestInfo: the recovered DigestInfo must equal the given one
 * byte for byte (mss_verify_signature with MSS_ALG_RSA_PKCS1). */
mss_error mss_verify_pkcs1_digest_info(const unsigned char *cert_der, size_t cert_len,
                                       const unsigned char *digest_info, size_t di_len,
                                       const unsigned char *sig, size_t sig_len, char *why,
                                       size_t why_len);

#endif
