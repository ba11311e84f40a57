/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_verify_pkcs1_key: check a raw PKCS#1 v1.5 signature against a certificate's RSA key
 * by recovering the signed DigestInfo and comparing it byte for byte with ours. Comparing
 * the whole DigestInfo (not just the hash) also pins the hash algorithm.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <mss/mss.h>
#include "verify_internal.h"


/* The DigestInfo the key signed, or an error; *out is malloc'd on MSS_OK. */
static mss_error recover(EVP_PKEY *key, const unsigned char *sig, size_t sig_len,
                         unsigned char **out, size_t *out_len, char *why, size_t why_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    unsigned char *buf = malloc(sig_len);
    size_t len = sig_len;
    mss_error rc = MSS_OK;

    if (ctx == NULL || buf == NULL) {
        rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
    } else if (EVP_PKEY_verify_recover_init(ctx) <= 0 ||
               EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) {
        rc = mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "RSA key cannot verify PKCS#1 v1.5 signatures");
    } else if (EVP_PKEY_verify_recover(ctx, buf, &len, sig, sig_len) <= 0) {
        rc = mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                  "signature does not open to PKCS#1 v1.5 padding with this key");
    }
    EVP_PKEY_CTX_free(ctx);
    if (rc != MSS_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *out_len = len;
    return MSS_OK;
}

mss_error mss_verify_pkcs1_key(EVP_PKEY *key, const unsigned char *digest_info, size_t di_len,
                               const unsigned char *sig, size_t sig_len, char *why,
                               size_t why_len)
{
    mss_error rc = MSS_OK;
    unsigned char *recovered = NULL;
    size_t rec_len = 0;
    int modulus = EVP_PKEY_get_size(key);
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        rc = mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "key is not RSA (%s)",
                  OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
    } else if (modulus <= 0 || sig_len != (size_t)modulus) {
        rc = mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len, "signature length %zu != modulus %d",
                  sig_len, modulus);
    } else if ((rc = recover(key, sig, sig_len, &recovered, &rec_len, why, why_len)) == MSS_OK) {
        if (rec_len != di_len || CRYPTO_memcmp(recovered, digest_info, di_len) != 0)
            rc = mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len, "recovered DigestInfo differs"
                      " (%zu bytes recovered, %zu expected)", rec_len, di_len);
    }
    free(recovered);
    return rc;
}
