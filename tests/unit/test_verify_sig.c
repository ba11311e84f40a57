/* SPDX-License-Identifier: BSD-3-Clause */
/* RSA-PSS and ECDSA verification, and ECDSA DER → r||s conversion (mss/verify.h). */
#include "config.h"

#include <mss/verify.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct keycert {
    EVP_PKEY *key;
    unsigned char *der;
    size_t der_len;
} keycert;

static keycert make(EVP_PKEY *key)
{
    keycert kc = { .key = key };
    X509 *x = X509_new();
    assert_non_null(key);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"t", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    assert_true(n > 0);
    kc.der = der;
    kc.der_len = (size_t)n;
    X509_free(x);
    return kc;
}

static void drop(keycert *kc)
{
    OPENSSL_free(kc->der);
    EVP_PKEY_free(kc->key);
}

/* Sign a bare hash with PSS (salt = saltlen) or ECDSA (DER) using OpenSSL directly. */
static size_t sign_hash(EVP_PKEY *key, int pss_salt, const unsigned char *h, size_t hlen,
                        unsigned char *sig, size_t cap)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    assert_true(EVP_PKEY_sign_init(ctx) > 0);
    if (pss_salt >= 0) {
        const EVP_MD *md = hlen == 48 ? EVP_sha384() : EVP_sha256();
        assert_true(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0);
        assert_true(EVP_PKEY_CTX_set_signature_md(ctx, md) > 0);
        assert_true(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0);
        assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, pss_salt) > 0);
    }
    size_t len = cap;
    assert_true(EVP_PKEY_sign(ctx, sig, &len, h, hlen) > 0);
    EVP_PKEY_CTX_free(ctx);
    return len;
}

static void test_pss_with_salt_equal_to_hash_verifies_and_others_fail(void **state)
{
    (void)state;
    keycert kc = make(EVP_RSA_gen(2048));
    unsigned char h[32], sig[512];
    mss_detail why;
    memset(h, 0x5a, sizeof h);
    size_t n = sign_hash(kc.key, 32, h, sizeof h, sig, sizeof sig);
    assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_RSA_PSS, h, sizeof h, sig, n,
                                          &why), MSS_OK);
    sig[10] ^= 1;
    assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_RSA_PSS, h, sizeof h, sig, n,
                                          &why), MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "RSA-PSS signature does not verify (SHA256"));
    /* The profile fixes salt = hash length: a 20-byte salt is refused. */
    n = sign_hash(kc.key, 20, h, sizeof h, sig, sizeof sig);
    assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_RSA_PSS, h, sizeof h, sig, n,
                                          &why), MSS_ERR_SIGNATURE_INVALID);
    /* A hash of no known length. */
    assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_RSA_PSS, h, 31, sig, n, &why), MSS_ERR_ARGS);
    assert_non_null(strstr(why.text, "31-byte hash"));
    drop(&kc);
}

static void test_ecdsa_accepts_der_and_raw_and_rejects_tampering(void **state)
{
    (void)state;
    const char *curves[] = { "P-256", "P-384" };
    for (int c = 0; c < 2; c++) {
        keycert kc = make(EVP_EC_gen(curves[c]));
        size_t field = c == 0 ? 32 : 48;
        unsigned char h[48], der[160], raw[96];
        mss_detail why;
        memset(h, 0x11 * (c + 1), sizeof h);
        size_t hlen = field;
        size_t n = sign_hash(kc.key, -1, h, hlen, der, sizeof der);
        assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_ECDSA, h, hlen, der, n,
                                              &why), MSS_OK);
        assert_int_equal(mss_ecdsa_to_raw(der, n, field, raw), MSS_OK);
        assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_ECDSA, h, hlen, raw,
                                              2 * field, &why), MSS_OK);
        raw[5] ^= 0x80;
        assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_ECDSA, h, hlen, raw,
                                              2 * field, &why),
                         MSS_ERR_SIGNATURE_INVALID);
        assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_ECDSA, h, hlen, raw, 7,
                                              &why), MSS_ERR_SIGNATURE_INVALID);
        assert_non_null(strstr(why.text, "neither DER nor"));
        /* An EC key is not an RSA-PSS key. */
        assert_int_equal(mss_verify_signature(kc.der, kc.der_len, MSS_ALG_RSA_PSS, h, 32, raw,
                                              2 * field, &why), MSS_ERR_FORMAT);
        drop(&kc);
    }
}

static void test_ecdsa_to_raw_left_pads_short_integers(void **state)
{
    (void)state;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_new(), *s = BN_new();
    BN_set_word(r, 0x0102);
    BN_set_word(s, 0x03);
    ECDSA_SIG_set0(es, r, s);
    unsigned char *der = NULL;
    int n = i2d_ECDSA_SIG(es, &der);
    unsigned char raw[64];
    assert_int_equal(mss_ecdsa_to_raw(der, (size_t)n, 32, raw), MSS_OK);
    unsigned char want[64] = { 0 };
    want[30] = 0x01;
    want[31] = 0x02;
    want[63] = 0x03;
    assert_memory_equal(raw, want, 64);
    /* r does not fit a 1-byte field: refused rather than truncated. */
    assert_int_equal(mss_ecdsa_to_raw(der, (size_t)n, 1, raw), MSS_ERR_FORMAT);
    /* Neither DER nor the raw width. */
    assert_int_equal(mss_ecdsa_to_raw(der, (size_t)n - 1, 32, raw), MSS_ERR_FORMAT);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
}

static void test_hash_names_follow_digest_lengths(void **state)
{
    (void)state;
    assert_string_equal(mss_hash_name_for_length(20), "SHA1");
    assert_string_equal(mss_hash_name_for_length(28), "SHA224");
    assert_string_equal(mss_hash_name_for_length(32), "SHA256");
    assert_string_equal(mss_hash_name_for_length(48), "SHA384");
    assert_string_equal(mss_hash_name_for_length(64), "SHA512");
    assert_null(mss_hash_name_for_length(16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pss_with_salt_equal_to_hash_verifies_and_others_fail),
        cmocka_unit_test(test_ecdsa_accepts_der_and_raw_and_rejects_tampering),
        cmocka_unit_test(test_ecdsa_to_raw_left_pads_short_integers),
        cmocka_unit_test(test_hash_names_follow_digest_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
