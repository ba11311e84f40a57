/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-only PKI for the signature decoding tests (see cms_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/rsa.h>

#include "cms_fixture.h"

void cms_fixture_init(cms_fixture *fx, const char *cn)
{
    memset(fx, 0, sizeof *fx);
    fx->key = EVP_RSA_gen(2048);
    assert_non_null(fx->key);
    fx->cert = X509_new();
    assert_non_null(fx->cert);
    X509_set_version(fx->cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(fx->cert), 42);
    X509_gmtime_adj(X509_getm_notBefore(fx->cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(fx->cert), 86400);
    X509_NAME *name = X509_get_subject_name(fx->cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(fx->cert, name);
    X509_set_pubkey(fx->cert, fx->key);
    assert_true(X509_sign(fx->cert, fx->key, EVP_sha256()) > 0);
    unsigned char *der = NULL;
    int len = i2d_X509(fx->cert, &der);
    assert_true(len > 0);
    fx->cert_der = der;
    fx->cert_len = (size_t)len;
}

void cms_fixture_free(cms_fixture *fx)
{
    OPENSSL_free(fx->cert_der);
    X509_free(fx->cert);
    EVP_PKEY_free(fx->key);
    memset(fx, 0, sizeof *fx);
}

void cms_fixture_sign(const cms_fixture *fx, const unsigned char *data, size_t len, int flags,
                      unsigned char **der, size_t *der_len)
{
    BIO *in = BIO_new_mem_buf(data, (int)len);
    assert_non_null(in);
    unsigned cms_flags = CMS_BINARY;
    if (!(flags & CMS_FX_SIGNED_ATTRS))
        cms_flags |= CMS_NOATTR;
    if (flags & CMS_FX_DETACHED)
        cms_flags |= CMS_DETACHED;
    if (flags & CMS_FX_NO_CERTS)
        cms_flags |= CMS_NOCERTS;
    CMS_ContentInfo *cms = CMS_sign(fx->cert, fx->key, NULL, in, cms_flags);
    assert_non_null(cms);
    unsigned char *out = NULL;
    int n = i2d_CMS_ContentInfo(cms, &out);
    assert_true(n > 0);
    *der = out;
    *der_len = (size_t)n;
    CMS_ContentInfo_free(cms);
    BIO_free(in);
}
