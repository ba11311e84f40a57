/* SPDX-License-Identifier: BSD-3-Clause */
/* SIM emulator signing; see sim.h. */
#include "sim.h"
#include <mss/verify.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

int sim_check(EVP_PKEY *key, sim_alg alg, size_t dtbs_len)
{
    if (key == NULL)
        return 404;
    int is_rsa = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
    int is_ec = EVP_PKEY_get_base_id(key) == EVP_PKEY_EC;
    int size = EVP_PKEY_get_size(key);
    switch (alg) {
    case SIM_ALG_PKCS1:
        if (!is_rsa || size <= SIM_PKCS1_OVERHEAD)
            return 404;
        if (dtbs_len == 0 || dtbs_len > (size_t)size - SIM_PKCS1_OVERHEAD)
            return 103;
        return 0;
    case SIM_ALG_PSS:
        if (!is_rsa)
            return 404;
        /* EMSA-PSS needs hash + salt (= hash) + 2 bytes of the encoded message. */
        if (mss_hash_name_for_length(dtbs_len) == NULL || 2 * dtbs_len + 2 > (size_t)size)
            return 103;
        return 0;
    case SIM_ALG_ECDSA:
        if (!is_ec)
            return 404;
        return mss_hash_name_for_length(dtbs_len) != NULL ? 0 : 103;
    case SIM_ALG_CMS:
        if (!is_rsa && !is_ec)
            return 404;
        return dtbs_len > 0 && dtbs_len <= SIM_CMS_MAX_DATA ? 0 : 103;
    }
    return 404;
}

/* DER ECDSA-Sig-Value to r||s, each half as wide as the curve's order. */
static int ecdsa_der_to_raw(EVP_PKEY *key, const unsigned char *der, size_t der_len,
                            unsigned char **out, size_t *out_len)
{
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (es == NULL)
        return -1;
    int half = (EVP_PKEY_get_bits(key) + 7) / 8;
    unsigned char *raw = malloc(2 * (size_t)half);
    int rc = -1;
    if (raw != NULL && BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, half) == half &&
        BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + half, half) == half) {
        *out = raw;
        *out_len = 2 * (size_t)half;
        raw = NULL;
        rc = 0;
    }
    free(raw);
    ECDSA_SIG_free(es);
    return rc;
}

/* Set up CTX for ALG: padding and, for PSS, the hash, MGF1 hash and salt length. */
static int setup_ctx(EVP_PKEY_CTX *ctx, sim_alg alg, size_t dtbs_len)
{
    if (EVP_PKEY_sign_init(ctx) != 1)
        return -1;
    if (alg == SIM_ALG_PKCS1)
        /* No signature digest: the padding goes around DTBS as it is. */
        return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 ? 0 : -1;
    if (alg == SIM_ALG_PSS) {
        EVP_MD *md = EVP_MD_fetch(NULL, mss_hash_name_for_length(dtbs_len), NULL);
        int ok = md != NULL && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                 EVP_PKEY_CTX_set_signature_md(ctx, md) == 1 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1;
        EVP_MD_free(md);
        return ok ? 0 : -1;
    }
    return 0;   /* ECDSA over the bare hash */
}

int sim_sign(EVP_PKEY *key, sim_alg alg, int ecdsa_raw, const unsigned char *dtbs,
             size_t dtbs_len, unsigned char **sig, size_t *sig_len)
{
    if (alg == SIM_ALG_CMS)
        return 404;   /* needs the certificate: sim_sign_cms */
    int rc = sim_check(key, alg, dtbs_len);
    if (rc != 0)
        return rc;
    if (dtbs == NULL)
        return 103;
    rc = 900;
    unsigned char *out = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    size_t len = 0;
    if (ctx == NULL || setup_ctx(ctx, alg, dtbs_len) != 0 ||
        EVP_PKEY_sign(ctx, NULL, &len, dtbs, dtbs_len) != 1 || len == 0)
        goto done;
    out = malloc(len);
    if (out == NULL || EVP_PKEY_sign(ctx, out, &len, dtbs, dtbs_len) != 1)
        goto done;
    if (alg == SIM_ALG_ECDSA && ecdsa_raw) {
        unsigned char *raw = NULL;
        size_t raw_len = 0;
        if (ecdsa_der_to_raw(key, out, len, &raw, &raw_len) != 0)
            goto done;
        free(out);
        out = raw;
        len = raw_len;
    }
    *sig = out;
    *sig_len = len;
    out = NULL;
    rc = 0;
done:
    free(out);
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}

int sim_sign_cms(EVP_PKEY *key, const unsigned char *cert_der, size_t cert_len,
                 const char *chain_pem, const unsigned char *data, size_t data_len,
                 unsigned char **sig, size_t *sig_len)
{
    int rc = sim_check(key, SIM_ALG_CMS, data_len);
    if (rc != 0)
        return rc;
    if (data == NULL || cert_der == NULL || cert_len > 65536)
        return 900;
    rc = 900;
    const unsigned char *p = cert_der;
    X509 *signer = d2i_X509(NULL, &p, (long)cert_len);
    STACK_OF(X509) *chain = sk_X509_new_null();
    BIO *in = BIO_new_mem_buf(data, (int)data_len);
    CMS_ContentInfo *cms = NULL;
    if (signer == NULL || chain == NULL || in == NULL)
        goto done;
    if (chain_pem != NULL) {
        BIO *pem = BIO_new_mem_buf(chain_pem, -1);
        X509 *c;
        while (pem != NULL && (c = PEM_read_bio_X509(pem, NULL, NULL, NULL)) != NULL) {
            if (!sk_X509_push(chain, c)) {
                X509_free(c);
                break;
            }
        }
        BIO_free(pem);
    }
    cms = CMS_sign(signer, key, chain, in, CMS_BINARY | CMS_DETACHED);
    if (cms == NULL)
        goto done;
    int n = i2d_CMS_ContentInfo(cms, NULL);
    unsigned char *out = n > 0 ? malloc((size_t)n) : NULL;
    unsigned char *q = out;
    if (out == NULL || i2d_CMS_ContentInfo(cms, &q) != n) {
        free(out);
        goto done;
    }
    *sig = out;
    *sig_len = (size_t)n;
    rc = 0;
done:
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    sk_X509_pop_free(chain, X509_free);
    X509_free(signer);
    ERR_clear_error();
    return rc;
}

int sim_sign_pkcs1(EVP_PKEY *key, const unsigned char *dtbs, size_t dtbs_len,
                   unsigned char **sig, size_t *sig_len)
{
    return sim_sign(key, SIM_ALG_PKCS1, 0, dtbs, dtbs_len, sig, sig_len);
}
