/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Verification of RSA-PSS and ECDSA signatures over a bare hash with a parsed key
 * (verify_key.c calls them), and the conversion of ECDSA signatures to the fixed-width
 * r||s form PKCS#11 hands out (mss/verify.h).
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <mss/verify.h>
#include "detail.h"
#include "verify_internal.h"

/* DER ECDSA-Sig-Value → r||s; returns 0 when sig is not exactly one DER signature. */
static int der_to_raw(const unsigned char *sig, size_t sig_len, size_t field_len,
                      unsigned char *out, int *too_big)
{
    const unsigned char *p = sig;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)sig_len);
    if (es == NULL || (size_t)(p - sig) != sig_len) {
        ECDSA_SIG_free(es);
        ERR_clear_error();
        return 0;
    }
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(es, &r, &s);
    int ok = BN_bn2binpad(r, out, (int)field_len) == (int)field_len &&
             BN_bn2binpad(s, out + field_len, (int)field_len) == (int)field_len;
    *too_big = !ok;
    ECDSA_SIG_free(es);
    return ok;
}

mss_error mss_ecdsa_to_raw(const unsigned char *sig, size_t sig_len, size_t field_len,
                           unsigned char *out)
{
    if (sig == NULL || out == NULL || field_len == 0 || field_len > 66)
        return MSS_ERR_ARGS;
    int too_big = 0;
    /* DER is tried first: a raw r||s also parses as one complete DER ECDSA-Sig-Value
     * only if its first bytes happen to form a SEQUENCE of two INTEGERs that ends
     * exactly at the last byte, which random r and s practically never do. */
    if (der_to_raw(sig, sig_len, field_len, out, &too_big))
        return MSS_OK;
    if (too_big)
        return MSS_ERR_FORMAT;
    if (sig_len == 2 * field_len) {
        memmove(out, sig, sig_len);
        return MSS_OK;
    }
    return MSS_ERR_FORMAT;
}

/* raw r||s → DER, for OpenSSL's verifier. */
static unsigned char *raw_to_der(const unsigned char *raw, size_t raw_len, size_t *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)(raw_len / 2), NULL);
    BIGNUM *s = BN_bin2bn(raw + raw_len / 2, (int)(raw_len / 2), NULL);
    unsigned char *der = NULL;
    if (es && r && s && ECDSA_SIG_set0(es, r, s) == 1) {
        r = s = NULL; /* owned by es now */
        int n = i2d_ECDSA_SIG(es, &der);
        *der_len = n > 0 ? (size_t)n : 0;
        if (n <= 0)
            der = NULL;
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return der;
}

/* Field width in bytes of an EC key's curve: (bits + 7) / 8. */
static size_t ec_field_len(EVP_PKEY *key)
{
    int bits = EVP_PKEY_get_bits(key);
    return bits > 0 ? ((size_t)bits + 7) / 8 : 0;
}

mss_error mss_verify_ecdsa_key(EVP_PKEY *key, const unsigned char *tbs, size_t tbs_len,
                               const unsigned char *sig, size_t sig_len, char *why,
                               size_t why_len)
{
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "key is not EC (%s)",
                               OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
    size_t field = ec_field_len(key);
    unsigned char raw[2 * 66];
    if (field == 0 || field > 66 || mss_ecdsa_to_raw(sig, sig_len, field, raw) != MSS_OK)
        return mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                               "ECDSA signature of %zu bytes is neither DER nor %zu-byte r||s",
                               sig_len, 2 * field);
    size_t der_len = 0;
    unsigned char *der = raw_to_der(raw, 2 * field, &der_len);
    if (der == NULL)
        return mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    int ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
             EVP_PKEY_verify(ctx, der, der_len, tbs, tbs_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    OPENSSL_free(der);
    if (!ok)
        return mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                               "ECDSA signature does not verify over the %zu-byte hash", tbs_len);
    return MSS_OK;
}

mss_error mss_verify_pss_key(EVP_PKEY *key, const EVP_MD *md, const unsigned char *tbs,
                             size_t tbs_len, const unsigned char *sig, size_t sig_len,
                             char *why, size_t why_len)
{
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "key is not RSA (%s)",
                               OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
    const char *hash = mss_hash_name_for_length(tbs_len);
    if (hash == NULL || md == NULL)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len,
                               "a %zu-byte hash is not SHA-1 or SHA-2", tbs_len);
    int modulus = EVP_PKEY_get_size(key);
    if (modulus <= 0 || sig_len != (size_t)modulus)
        return mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                               "signature length %zu != modulus %d", sig_len, modulus);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    int ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
             EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
             EVP_PKEY_CTX_set_signature_md(ctx, md) > 0 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, (int)tbs_len) > 0 &&
             EVP_PKEY_verify(ctx, sig, sig_len, tbs, tbs_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok)
        return mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                               "RSA-PSS signature does not verify (%s, MGF1-%s, salt %zu)", hash,
                               hash, tbs_len);
    return MSS_OK;
}
