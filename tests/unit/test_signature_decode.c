/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_signature_decode and mss_verify_cms against CMS SignedData made at run time:
 * raw formats pass through, a CMS is taken apart (certificates, signer), a SignerInfo
 * over signed attributes is flagged and yields no raw value, one without them yields
 * exactly the raw PKCS#1 signature over the data's DigestInfo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/sha.h>

#include <mss/verify.h>
#include "cms_fixture.h"

static const unsigned char DATA[] = "data to be signed";
static cms_fixture signer, other;

static int setup(void **state)
{
    (void)state;
    cms_fixture_init(&signer, "signer");
    cms_fixture_init(&other, "other");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cms_fixture_free(&signer);
    cms_fixture_free(&other);
    return 0;
}

/* DER DigestInfo of SHA-256(data). */
static void digest_info(const unsigned char *data, size_t len, unsigned char out[51])
{
    static const unsigned char prefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                             0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                             0x01, 0x05, 0x00, 0x04, 0x20};
    memcpy(out, prefix, sizeof prefix);
    SHA256(data, len, out + sizeof prefix);
}

static void test_raw_signature_passes_through(void **state)
{
    (void)state;
    const unsigned char raw[] = {0x01, 0x02, 0x03, 0xff};
    mss_decoded_signature d;
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, raw, sizeof raw, NULL, 0, &d, NULL),
                     MSS_OK);
    assert_int_equal(d.is_cms, 0);
    assert_int_equal(d.cms_signed_attrs, 0);
    assert_int_equal(d.raw_len, sizeof raw);
    assert_memory_equal(d.raw, raw, sizeof raw);
    assert_int_equal(d.n_certs, 0);
    assert_int_equal(d.signer_cert, -1);
    mss_decoded_signature_clear(&d);

    /* An ECDSA DER signature is a SEQUENCE too, but no ContentInfo: still raw. */
    const unsigned char ecdsa[] = {0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07};
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, ecdsa, sizeof ecdsa, NULL, 0, &d, NULL),
                     MSS_OK);
    assert_int_equal(d.is_cms, 0);
    assert_memory_equal(d.raw, ecdsa, sizeof ecdsa);
    mss_decoded_signature_clear(&d);
}

static void test_ficom_pkcs1_keeps_its_certificate(void **state)
{
    (void)state;
    const unsigned char raw[] = {0xaa, 0xbb};
    mss_decoded_signature d;
    assert_int_equal(mss_signature_decode(MSS_SIG_FICOM_PKCS1, raw, sizeof raw, signer.cert_der,
                                          signer.cert_len, &d, NULL), MSS_OK);
    assert_int_equal(d.is_cms, 0);
    assert_int_equal(d.n_certs, 1);
    assert_int_equal(d.signer_cert, 0);
    assert_int_equal(d.certs[0].len, signer.cert_len);
    assert_memory_equal(d.certs[0].data, signer.cert_der, signer.cert_len);
    mss_decoded_signature_clear(&d);
}

static void test_cms_without_signed_attributes_yields_raw_pkcs1(void **state)
{
    (void)state;
    unsigned char *cms = NULL;
    size_t cms_len = 0;
    cms_fixture_sign(&signer, DATA, sizeof DATA - 1, 0, &cms, &cms_len);
    mss_decoded_signature d;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, cms, cms_len, NULL, 0, &d, &why),
                     MSS_OK);
    assert_int_equal(d.is_cms, 1);
    assert_int_equal(d.cms_signed_attrs, 0);
    assert_int_equal(d.cms_has_content, 1);
    assert_int_equal(d.n_certs, 1);
    assert_int_equal(d.signer_cert, 0);
    assert_memory_equal(d.certs[0].data, signer.cert_der, signer.cert_len);
    assert_int_equal(d.raw_len, 256);
    /* The raw value is a plain PKCS#1 v1.5 signature over the data's DigestInfo. */
    unsigned char di[51];
    digest_info(DATA, sizeof DATA - 1, di);
    assert_int_equal(mss_verify_signature(signer.cert_der, signer.cert_len, MSS_ALG_RSA_PKCS1, di,
                                          sizeof di, d.raw, d.raw_len, &why), MSS_OK);
    assert_int_equal(mss_verify_signature(other.cert_der, other.cert_len, MSS_ALG_RSA_PKCS1, di,
                                          sizeof di, d.raw, d.raw_len, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    mss_decoded_signature_clear(&d);
    /* The CMS itself verifies as well, with or without naming the certificate. */
    assert_int_equal(mss_verify_cms(cms, cms_len, NULL, 0, NULL, 0, &why), MSS_OK);
    assert_int_equal(mss_verify_cms(cms, cms_len, DATA, sizeof DATA - 1, signer.cert_der,
                                    signer.cert_len, &why), MSS_OK);
    OPENSSL_free(cms);
}

static void test_cms_with_signed_attributes_is_flagged(void **state)
{
    (void)state;
    unsigned char *cms = NULL;
    size_t cms_len = 0;
    cms_fixture_sign(&signer, DATA, sizeof DATA - 1, CMS_FX_SIGNED_ATTRS | CMS_FX_DETACHED, &cms,
                     &cms_len);
    mss_decoded_signature d;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, cms, cms_len, NULL, 0, &d, &why),
                     MSS_OK);
    assert_int_equal(d.is_cms, 1);
    assert_int_equal(d.cms_signed_attrs, 1);
    assert_int_equal(d.cms_has_content, 0);
    assert_null(d.raw); /* never passed off as a raw signature */
    assert_int_equal(d.raw_len, 0);
    assert_int_equal(d.n_certs, 1);
    assert_int_equal(d.signer_cert, 0);
    mss_decoded_signature_clear(&d);

    assert_int_equal(mss_verify_cms(cms, cms_len, DATA, sizeof DATA - 1, signer.cert_der,
                                    signer.cert_len, &why), MSS_OK);
    /* Other content: the message digest attribute no longer matches. */
    assert_int_equal(mss_verify_cms(cms, cms_len, (const unsigned char *)"other", 5,
                                    signer.cert_der, signer.cert_len, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "does not verify"));
    /* Another certificate: not the signer. */
    assert_int_equal(mss_verify_cms(cms, cms_len, DATA, sizeof DATA - 1, other.cert_der,
                                    other.cert_len, &why), MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "not signed by"));
    /* Detached without content: the caller must say what was signed. */
    assert_int_equal(mss_verify_cms(cms, cms_len, NULL, 0, NULL, 0, &why), MSS_ERR_ARGS);
    assert_non_null(strstr(why.text, "detached"));
    /* A flipped bit in the signature value (the last bytes of the DER). */
    cms[cms_len - 3] ^= 0x01;
    assert_int_equal(mss_verify_cms(cms, cms_len, DATA, sizeof DATA - 1, signer.cert_der,
                                    signer.cert_len, &why), MSS_ERR_SIGNATURE_INVALID);
    OPENSSL_free(cms);
}

static void test_cms_attached_content_must_match_expectation(void **state)
{
    (void)state;
    unsigned char *cms = NULL;
    size_t cms_len = 0;
    cms_fixture_sign(&signer, DATA, sizeof DATA - 1, CMS_FX_SIGNED_ATTRS, &cms, &cms_len);
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_cms(cms, cms_len, NULL, 0, NULL, 0, &why), MSS_OK);
    assert_int_equal(mss_verify_cms(cms, cms_len, DATA, sizeof DATA - 1, NULL, 0, &why),
                     MSS_OK);
    assert_int_equal(mss_verify_cms(cms, cms_len, (const unsigned char *)"else", 4, NULL, 0, &why), MSS_ERR_SIGNATURE_INVALID);
    assert_non_null(strstr(why.text, "other content"));
    OPENSSL_free(cms);
}

static void test_cms_without_certificates(void **state)
{
    (void)state;
    unsigned char *cms = NULL;
    size_t cms_len = 0;
    cms_fixture_sign(&signer, DATA, sizeof DATA - 1, CMS_FX_SIGNED_ATTRS | CMS_FX_NO_CERTS, &cms,
                     &cms_len);
    mss_decoded_signature d;
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, cms, cms_len, NULL, 0, &d, NULL),
                     MSS_OK);
    assert_int_equal(d.n_certs, 0);
    assert_int_equal(d.signer_cert, -1);
    mss_decoded_signature_clear(&d);
    mss_detail why = {.text = ""};
    assert_int_equal(mss_verify_cms(cms, cms_len, NULL, 0, NULL, 0, &why),
                     MSS_ERR_SIGNATURE_INVALID);
    assert_int_equal(mss_verify_cms(cms, cms_len, NULL, 0, signer.cert_der, signer.cert_len, &why), MSS_OK);
    OPENSSL_free(cms);
}

static void test_not_signed_data_is_a_format_error(void **state)
{
    (void)state;
    BIO *in = BIO_new_mem_buf(DATA, (int)sizeof DATA - 1);
    CMS_ContentInfo *data = CMS_data_create(in, CMS_BINARY);
    assert_non_null(data);
    unsigned char *der = NULL;
    int len = i2d_CMS_ContentInfo(data, &der);
    assert_true(len > 0);
    mss_decoded_signature d;
    mss_detail why = {.text = ""};
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, der, (size_t)len, NULL, 0, &d, &why), MSS_ERR_FORMAT);
    assert_non_null(strstr(why.text, "not SignedData"));
    assert_int_equal(mss_verify_cms(der, (size_t)len, NULL, 0, NULL, 0, &why),
                     MSS_ERR_FORMAT);
    OPENSSL_free(der);
    CMS_ContentInfo_free(data);
    BIO_free(in);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    mss_decoded_signature d;
    const unsigned char b[] = {1};
    mss_detail why = {.text = ""};
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, NULL, 1, NULL, 0, &d, &why),
                     MSS_ERR_ARGS);
    assert_int_equal(mss_signature_decode(MSS_SIG_BASE64, b, 1, NULL, 0, NULL, &why),
                     MSS_ERR_ARGS);
    assert_int_equal(mss_signature_decode(MSS_SIG_XML, b, 1, NULL, 0, &d, &why),
                     MSS_ERR_FORMAT);
    assert_int_equal(mss_verify_cms(NULL, 0, NULL, 0, NULL, 0, &why), MSS_ERR_ARGS);
    assert_int_equal(mss_verify_cms(b, 1, NULL, 0, NULL, 0, &why), MSS_ERR_FORMAT);
    /* Truncated CMS: not a CMS any more. */
    unsigned char *cms = NULL;
    size_t cms_len = 0;
    cms_fixture_sign(&signer, DATA, sizeof DATA - 1, 0, &cms, &cms_len);
    assert_int_equal(mss_verify_cms(cms, cms_len - 1, NULL, 0, NULL, 0, &why),
                     MSS_ERR_FORMAT);
    assert_int_equal(mss_verify_cms(cms, cms_len, NULL, 0, (const unsigned char *)"x", 1, &why), MSS_ERR_ARGS);
    OPENSSL_free(cms);
    mss_decoded_signature_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raw_signature_passes_through),
        cmocka_unit_test(test_ficom_pkcs1_keeps_its_certificate),
        cmocka_unit_test(test_cms_without_signed_attributes_yields_raw_pkcs1),
        cmocka_unit_test(test_cms_with_signed_attributes_is_flagged),
        cmocka_unit_test(test_cms_attached_content_must_match_expectation),
        cmocka_unit_test(test_cms_without_certificates),
        cmocka_unit_test(test_not_signed_data_is_a_format_error),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests_name("signature_decode", tests, setup, teardown);
}
