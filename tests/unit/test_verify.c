/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_verify_rsa_pkcs1 against keys and certificates made here with OpenSSL:
 * a good signature verifies; every kind of mismatch fails with its own reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <mss/mss.h>

typedef struct fixture {
    unsigned char *cert;        /* RSA-2048 self-signed, DER */
    size_t cert_len;
    unsigned char *other_cert;  /* another RSA-2048 key's certificate */
    size_t other_len;
    unsigned char *ec_cert;     /* P-256 certificate */
    size_t ec_len;
    unsigned char di[19 + 32];  /* SHA-256 DigestInfo of "hello" */
    unsigned char sig[256];     /* PKCS#1 v1.5 signature of di with the first key */
    size_t sig_len;
} fixture;

/* DER prefix of a SHA-256 DigestInfo (RFC 8017, section 9.2 note 1). */
static const unsigned char sha256_prefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                                0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                0x01, 0x05, 0x00, 0x04, 0x20};

static void make_digest_info(const char *text, unsigned char out[51])
{
    unsigned int len = 0;
    memcpy(out, sha256_prefix, sizeof sha256_prefix);
    assert_int_equal(EVP_Digest(text, strlen(text), out + 19, &len, EVP_sha256(), NULL), 1);
    assert_int_equal(len, 32);
}

/* A self-signed certificate for key, DER-encoded into *der. */
static void make_cert(EVP_PKEY *key, const char *cn, unsigned char **der, size_t *der_len)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, 2), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
    X509_NAME *name = X509_get_subject_name(x);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)cn, -1, -1, 0), 1);
    assert_int_equal(X509_set_issuer_name(x, name), 1);
    assert_int_equal(X509_set_pubkey(x, key), 1);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    unsigned char *out = NULL;
    int n = i2d_X509(x, &out);
    assert_true(n > 0);
    *der = out;
    *der_len = (size_t)n;
    X509_free(x);
}

/* Raw PKCS#1 v1.5 signature over an already-built DigestInfo (no hashing here). */
static size_t sign_digest_info(EVP_PKEY *key, const unsigned char *di, size_t di_len,
                               unsigned char *sig, size_t sig_cap)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
    size_t len = sig_cap;
    assert_non_null(ctx);
    assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
    assert_true(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0);
    assert_int_equal(EVP_PKEY_sign(ctx, sig, &len, di, di_len), 1);
    EVP_PKEY_CTX_free(ctx);
    return len;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    EVP_PKEY *rsa = EVP_RSA_gen(2048), *other = EVP_RSA_gen(2048);
    EVP_PKEY *ec = EVP_EC_gen("P-256");
    if (f == NULL || rsa == NULL || other == NULL || ec == NULL)
        return -1;
    make_cert(rsa, "mss test rsa", &f->cert, &f->cert_len);
    make_cert(other, "mss test other", &f->other_cert, &f->other_len);
    make_cert(ec, "mss test ec", &f->ec_cert, &f->ec_len);
    make_digest_info("hello", f->di);
    f->sig_len = sign_digest_info(rsa, f->di, sizeof f->di, f->sig, sizeof f->sig);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(other);
    EVP_PKEY_free(ec);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    OPENSSL_free(f->cert);
    OPENSSL_free(f->other_cert);
    OPENSSL_free(f->ec_cert);
    free(f);
    return 0;
}

static void test_good_signature_verifies(void **state)
{
    fixture *f = *state;
    mss_detail why = {.text = "unchanged"};
    assert_int_equal(f->sig_len, 256);
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                          f->sig_len, &why),
                     MSS_OK);
    assert_string_equal(why.text, "");
}

/* A key parsed once answers like the one-shot form, as often as asked. */
static void test_kept_key_verifies_many_signatures(void **state)
{
    fixture *f = *state;
    mss_verify_key *key = NULL, *ec = NULL;
    mss_detail why = {.text = ""};
    unsigned char bad[256];

    assert_int_equal(mss_verify_key_new(f->cert, f->cert_len, &key, &why), MSS_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(mss_verify_with_key(key, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di,
                                             f->sig, f->sig_len, &why),
                         MSS_OK);
    memcpy(bad, f->sig, sizeof bad);
    bad[100] ^= 1;
    assert_int_equal(mss_verify_with_key(key, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, bad,
                                         sizeof bad, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_int_equal(mss_verify_with_key(key, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                         f->sig_len, &why),
                     MSS_OK);
    assert_int_equal(mss_verify_with_key(NULL, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                         f->sig_len, &why),
                     MSS_ERR_ARGS);
    /* The EC certificate's key is no RSA key, whichever way it is asked. */
    assert_int_equal(mss_verify_key_new(f->ec_cert, f->ec_len, &ec, &why), MSS_OK);
    assert_int_equal(mss_verify_with_key(ec, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                         f->sig_len, &why),
                     MSS_ERR_FORMAT);
    mss_verify_key_free(ec);
    mss_verify_key_free(key);
    mss_verify_key_free(NULL);
    assert_int_equal(mss_verify_key_new(f->cert, f->cert_len / 2, &key, &why), MSS_ERR_ARGS);
}

static void test_tampered_signature_fails(void **state)
{
    fixture *f = *state;
    unsigned char bad[256];
    mss_detail why = {.text = ""};
    memcpy(bad, f->sig, sizeof bad);
    bad[100] ^= 0x01;
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, bad,
                                          sizeof bad, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "PKCS#1 v1.5 padding"));
}

static void test_other_digest_info_differs(void **state)
{
    fixture *f = *state;
    unsigned char other_di[51];
    mss_detail why = {.text = ""};
    make_digest_info("world", other_di);
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, other_di, sizeof other_di,
                                          f->sig, f->sig_len, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "recovered DigestInfo differs"));
    /* A truncated expectation (the bare hash) must not match either. */
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, f->di + 19, 32, f->sig,
                                          f->sig_len, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "recovered DigestInfo differs"));
}

static void test_wrong_length_fails(void **state)
{
    fixture *f = *state;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig + 1,
                                          255, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_string_equal(why.text, "signature length 255 != modulus 256");
}

static void test_other_certificate_fails(void **state)
{
    fixture *f = *state;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_signature(f->other_cert, f->other_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di,
                                          f->sig, f->sig_len, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_true(why.text[0] != '\0');
}

static void test_ec_certificate_is_not_rsa(void **state)
{
    fixture *f = *state;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_signature(f->ec_cert, f->ec_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                          f->sig_len, &why),
                     MSS_ERR_FORMAT);
    assert_non_null(strstr(why.text, "key is not RSA"));
}

static void test_garbage_certificate_is_not_x509(void **state)
{
    fixture *f = *state;
    static const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    unsigned char *padded = malloc(f->cert_len + 3);
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_signature(junk, sizeof junk, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                          f->sig_len, &why),
                     MSS_ERR_ARGS);
    assert_string_equal(why.text, "certificate is not X.509");
    /* Half a certificate is not one either. */
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len / 2, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                          f->sig_len, &why),
                     MSS_ERR_ARGS);
    assert_string_equal(why.text, "certificate is not X.509");
    /* Bytes after the certificate are refused rather than ignored. */
    assert_non_null(padded);
    memcpy(padded, f->cert, f->cert_len);
    memset(padded + f->cert_len, 0, 3);
    assert_int_equal(mss_verify_signature(padded, f->cert_len + 3, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                          f->sig_len, &why),
                     MSS_ERR_ARGS);
    assert_string_equal(why.text, "certificate has 3 trailing bytes");
    free(padded);
}

static void test_missing_arguments(void **state)
{
    fixture *f = *state;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_signature(NULL, 0, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig, f->sig_len, &why),
                     MSS_ERR_ARGS);
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, NULL, 0, f->sig, f->sig_len, &why),
                     MSS_ERR_ARGS);
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, NULL, 0,
                                          &why),
                     MSS_ERR_ARGS);
    /* why.text may be NULL. */
    assert_int_equal(mss_verify_signature(f->cert, f->cert_len, MSS_ALG_RSA_PKCS1, f->di, sizeof f->di, f->sig,
                                          f->sig_len, NULL),
                     MSS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_signature_verifies),
        cmocka_unit_test(test_kept_key_verifies_many_signatures),
        cmocka_unit_test(test_tampered_signature_fails),
        cmocka_unit_test(test_other_digest_info_differs),
        cmocka_unit_test(test_wrong_length_fails),
        cmocka_unit_test(test_other_certificate_fails),
        cmocka_unit_test(test_ec_certificate_is_not_rsa),
        cmocka_unit_test(test_garbage_certificate_is_not_x509),
        cmocka_unit_test(test_missing_arguments),
    };
    return cmocka_run_group_tests_name("mss_verify_rsa_pkcs1", tests, setup, teardown);
}
