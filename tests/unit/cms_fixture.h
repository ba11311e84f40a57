/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test-only PKI for signature decoding tests: a fresh RSA key with a self-signed
 * certificate, and CMS SignedData made with it (with or without signed attributes,
 * attached or detached). Everything is generated at run time.
 */
#ifndef CMS_FIXTURE_H
#define CMS_FIXTURE_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

typedef struct cms_fixture {
    EVP_PKEY *key;
    X509 *cert;
    unsigned char *cert_der;
    size_t cert_len;
} cms_fixture;

/* Make a 2048-bit RSA key and a self-signed certificate (CN given). */
void cms_fixture_init(cms_fixture *fx, const char *cn);
void cms_fixture_free(cms_fixture *fx);

enum { CMS_FX_SIGNED_ATTRS = 1, CMS_FX_DETACHED = 2, CMS_FX_NO_CERTS = 4 };

/* A DER SignedData over data by fx's key; *der is OPENSSL_malloc'd (free with OPENSSL_free). */
void cms_fixture_sign(const cms_fixture *fx, const unsigned char *data, size_t len, int flags,
                      unsigned char **der, size_t *der_len);

#endif
