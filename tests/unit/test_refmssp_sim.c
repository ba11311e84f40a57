/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's SIM emulator beyond PKCS#1 v1.5: the four key types, RSA-PSS over a bare
 * hash (MGF1 with the same hash, salt = hash length), ECDSA in DER or raw r||s and
 * detached CMS,
 * each checked by an independent OpenSSL verification; wrong lengths and wrong key
 * kinds are refused with the MSS codes the server answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "../../server/pki.h"
#include "../../refmssp/sim.h"
#include <mss/verify.h>

static const size_t hash_lengths[] = {20, 28, 32, 48, 64};

static void fill(unsigned char *buf, size_t n, unsigned char seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(seed + 7 * i);
}

static int verify_pss(EVP_PKEY *key, const unsigned char *hash, size_t hash_len,
                      const unsigned char *sig, size_t sig_len, int salt_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    EVP_MD *md = EVP_MD_fetch(NULL, mss_hash_name_for_length(hash_len), NULL);
    int ok = ctx != NULL && md != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_signature_md(ctx, md) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, salt_len) == 1 &&
             EVP_PKEY_verify(ctx, sig, sig_len, hash, hash_len) == 1;
    EVP_MD_free(md);
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

static int verify_ecdsa_der(EVP_PKEY *key, const unsigned char *hash, size_t hash_len,
                            const unsigned char *sig, size_t sig_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    int ok = ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
             EVP_PKEY_verify(ctx, sig, sig_len, hash, hash_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

/* Raw r||s back to DER, so OpenSSL can check it. */
static int raw_to_der(const unsigned char *raw, size_t raw_len, unsigned char **der,
                      size_t *der_len)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)(raw_len / 2), NULL);
    BIGNUM *s = BN_bin2bn(raw + raw_len / 2, (int)(raw_len / 2), NULL);
    if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1)
        return -1;
    *der = NULL;
    int n = i2d_ECDSA_SIG(es, der);
    ECDSA_SIG_free(es);
    if (n <= 0)
        return -1;
    *der_len = (size_t)n;
    return 0;
}

static void key_type_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"rsa2048", "rsa3072", "ecp256", "ecp384"};
    for (size_t i = 0; i < 4; i++) {
        pki_key_type t;
        assert_int_equal(pki_key_type_parse(names[i], &t), 0);
        assert_string_equal(pki_key_type_name(t), names[i]);
        assert_int_equal(pki_key_type_is_ec(t), i >= 2);
    }
    pki_key_type t = PKI_KEY_RSA2048;
    assert_int_equal(pki_key_type_parse("rsa1024", &t), -1);
    assert_int_equal(pki_key_type_parse("RSA2048", &t), -1);
    assert_int_equal(pki_key_type_parse("", &t), -1);
    assert_int_equal(pki_key_type_parse(NULL, &t), -1);
}

static void each_key_type_has_its_size(void **state)
{
    (void)state;
    const struct { pki_key_type t; int base; int bits; } want[] = {
        {PKI_KEY_RSA2048, EVP_PKEY_RSA, 2048}, {PKI_KEY_RSA3072, EVP_PKEY_RSA, 3072},
        {PKI_KEY_EC_P256, EVP_PKEY_EC, 256}, {PKI_KEY_EC_P384, EVP_PKEY_EC, 384},
    };
    for (size_t i = 0; i < 4; i++) {
        EVP_PKEY *k = pki_key_generate(want[i].t);
        assert_non_null(k);
        assert_int_equal(EVP_PKEY_get_base_id(k), want[i].base);
        assert_int_equal(EVP_PKEY_get_bits(k), want[i].bits);
        EVP_PKEY_free(k);
    }
}

static void pss_signatures_verify_for_every_hash_length(void **state)
{
    (void)state;
    EVP_PKEY *key = pki_key_generate(PKI_KEY_RSA2048);
    assert_non_null(key);
    for (size_t i = 0; i < sizeof hash_lengths / sizeof hash_lengths[0]; i++) {
        unsigned char hash[64];
        fill(hash, hash_lengths[i], (unsigned char)i);
        unsigned char *sig = NULL;
        size_t sig_len = 0;
        assert_int_equal(sim_sign(key, SIM_ALG_PSS, 0, hash, hash_lengths[i], &sig, &sig_len), 0);
        assert_int_equal(sig_len, 256);
        /* salt = hash length; a verifier expecting another salt length refuses it */
        assert_true(verify_pss(key, hash, hash_lengths[i], sig, sig_len, (int)hash_lengths[i]));
        assert_false(verify_pss(key, hash, hash_lengths[i], sig, sig_len,
                                (int)hash_lengths[i] + 1));
        hash[0] ^= 1;
        assert_false(verify_pss(key, hash, hash_lengths[i], sig, sig_len, (int)hash_lengths[i]));
        free(sig);
    }
    EVP_PKEY_free(key);
}

static void pss_refuses_other_lengths_and_ec_keys(void **state)
{
    (void)state;
    EVP_PKEY *rsa = pki_key_generate(PKI_KEY_RSA2048);
    EVP_PKEY *ec = pki_key_generate(PKI_KEY_EC_P256);
    unsigned char data[100] = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    /* a DigestInfo (51 bytes) is not a bare hash */
    assert_int_equal(sim_sign(rsa, SIM_ALG_PSS, 0, data, 51, &sig, &sig_len), 103);
    assert_int_equal(sim_sign(rsa, SIM_ALG_PSS, 0, data, 0, &sig, &sig_len), 103);
    assert_int_equal(sim_sign(ec, SIM_ALG_PSS, 0, data, 32, &sig, &sig_len), 404);
    assert_int_equal(sim_sign(rsa, SIM_ALG_ECDSA, 0, data, 32, &sig, &sig_len), 404);
    assert_int_equal(sim_sign(ec, SIM_ALG_PKCS1, 0, data, 32, &sig, &sig_len), 404);
    assert_null(sig);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
}

static void ecdsa_der_and_raw_verify_on_both_curves(void **state)
{
    (void)state;
    const struct { pki_key_type t; size_t half; } curves[] = {
        {PKI_KEY_EC_P256, 32}, {PKI_KEY_EC_P384, 48},
    };
    for (size_t c = 0; c < 2; c++) {
        EVP_PKEY *key = pki_key_generate(curves[c].t);
        assert_non_null(key);
        for (size_t i = 0; i < sizeof hash_lengths / sizeof hash_lengths[0]; i++) {
            unsigned char hash[64];
            fill(hash, hash_lengths[i], (unsigned char)(c + i));
            unsigned char *der = NULL, *raw = NULL, *back = NULL;
            size_t der_len = 0, raw_len = 0, back_len = 0;
            assert_int_equal(sim_sign(key, SIM_ALG_ECDSA, 0, hash, hash_lengths[i], &der,
                                      &der_len), 0);
            assert_int_equal(der[0], 0x30);   /* a DER SEQUENCE */
            assert_true(verify_ecdsa_der(key, hash, hash_lengths[i], der, der_len));
            assert_int_equal(sim_sign(key, SIM_ALG_ECDSA, 1, hash, hash_lengths[i], &raw,
                                      &raw_len), 0);
            assert_int_equal(raw_len, 2 * curves[c].half);
            assert_int_equal(raw_to_der(raw, raw_len, &back, &back_len), 0);
            assert_true(verify_ecdsa_der(key, hash, hash_lengths[i], back, back_len));
            hash[1] ^= 0x80;
            assert_false(verify_ecdsa_der(key, hash, hash_lengths[i], back, back_len));
            free(der);
            free(raw);
            OPENSSL_free(back);
        }
        unsigned char data[51] = {0};
        unsigned char *sig = NULL;
        size_t sig_len = 0;
        assert_int_equal(sim_sign(key, SIM_ALG_ECDSA, 0, data, 51, &sig, &sig_len), 103);
        assert_int_equal(sim_sign(key, SIM_ALG_ECDSA, 0, data, 31, &sig, &sig_len), 103);
        assert_int_equal(sim_check(key, SIM_ALG_ECDSA, 48), 0);
        EVP_PKEY_free(key);
    }
}

static void rsa3072_pkcs1_takes_up_to_373_bytes(void **state)
{
    (void)state;
    EVP_PKEY *key = pki_key_generate(PKI_KEY_RSA3072);
    unsigned char data[384] = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    assert_int_equal(sim_sign_pkcs1(key, data, 373, &sig, &sig_len), 0);
    assert_int_equal(sig_len, 384);
    free(sig);
    sig = NULL;
    assert_int_equal(sim_sign_pkcs1(key, data, 374, &sig, &sig_len), 103);
    assert_null(sig);
    EVP_PKEY_free(key);
}

/* A CMS signature over data by a certified key verifies against the CA, and only over
 * that data; the chain given is carried. */
static void cms_signature_verifies_against_the_ca(void **state)
{
    (void)state;
    char err[128];
    pki_name ca_name = {.cn = "sim CA"}, user = {.cn = "sim user"};
    EVP_PKEY *ca_key = pki_key_generate(PKI_KEY_RSA2048);
    X509 *ca = pki_issue(PKI_CERT_CA, &ca_name, ca_key, NULL, ca_key, err, sizeof err);
    assert_non_null(ca);
    char *ca_pem = pki_cert_to_pem(ca);
    for (int t = 0; t < 2; t++) {
        EVP_PKEY *key = pki_key_generate(t ? PKI_KEY_EC_P384 : PKI_KEY_RSA3072);
        X509 *cert = pki_issue(PKI_CERT_USER_SIGN, &user, key, ca, ca_key, err, sizeof err);
        unsigned char *der = NULL, *sig = NULL;
        size_t der_len = 0, sig_len = 0;
        assert_int_equal(pki_cert_to_der(cert, &der, &der_len), 0);
        const unsigned char data[] = "the document";
        assert_int_equal(sim_sign_cms(key, der, der_len, ca_pem, data, sizeof data - 1, &sig,
                                      &sig_len), 0);
        const unsigned char *p = sig;
        CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)sig_len);
        assert_non_null(cms);
        STACK_OF(X509) *carried = CMS_get1_certs(cms);
        assert_int_equal(sk_X509_num(carried), 2);   /* signer and CA */
        sk_X509_pop_free(carried, X509_free);
        X509_STORE *trust = X509_STORE_new();
        X509_STORE_add_cert(trust, ca);
        X509_VERIFY_PARAM_set_purpose(X509_STORE_get0_param(trust), X509_PURPOSE_ANY);
        BIO *content = BIO_new_mem_buf(data, sizeof data - 1);
        assert_int_equal(CMS_verify(cms, NULL, trust, content, NULL, CMS_BINARY), 1);
        BIO_free(content);
        content = BIO_new_mem_buf("the documenT", 12);
        assert_int_not_equal(CMS_verify(cms, NULL, trust, content, NULL, CMS_BINARY), 1);
        BIO_free(content);
        X509_STORE_free(trust);
        CMS_ContentInfo_free(cms);
        assert_int_equal(sim_sign_cms(key, der, der_len, NULL, data, 0, &sig, &sig_len), 103);
        free(sig);
        free(der);
        X509_free(cert);
        EVP_PKEY_free(key);
    }
    free(ca_pem);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_type_names_round_trip),
        cmocka_unit_test(each_key_type_has_its_size),
        cmocka_unit_test(pss_signatures_verify_for_every_hash_length),
        cmocka_unit_test(pss_refuses_other_lengths_and_ec_keys),
        cmocka_unit_test(ecdsa_der_and_raw_verify_on_both_curves),
        cmocka_unit_test(rsa3072_pkcs1_takes_up_to_373_bytes),
        cmocka_unit_test(cms_signature_verifies_against_the_ca),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
