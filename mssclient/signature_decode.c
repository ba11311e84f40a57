/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What an MSSP's signature bytes are: a raw signature (Kiuru PKCS1, FiCom fi:PKCS1)
 * or a CMS/PKCS#7 SignedData (the ETSI PKCS7 / CMS-Signature formats, Swisscom).
 * A CMS SignerInfo with signed attributes signs those attributes, not the data, so
 * its value must never be handed out as a raw signature over the DTBS; without
 * signed attributes the value is exactly the raw signature over the data's digest.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <mss/verify.h>
#include "detail.h"
#include "verify_internal.h"

/* A CMS with more certificates than this is not what an MSSP sends. */
#define MAX_CMS_CERTS 16

void mss_decoded_signature_clear(mss_decoded_signature *decoded)
{
    if (decoded == NULL)
        return;
    free(decoded->raw);
    for (size_t i = 0; decoded->certs != NULL && i < decoded->n_certs; i++)
        free(decoded->certs[i].data);
    free(decoded->certs);
    memset(decoded, 0, sizeof *decoded);
    decoded->signer_cert = -1;
}

static int copy_bytes(const unsigned char *p, size_t n, unsigned char **out, size_t *out_len)
{
    *out = malloc(n ? n : 1);
    if (*out == NULL)
        return 0;
    if (n)
        memcpy(*out, p, n);
    *out_len = n;
    return 1;
}

/* The whole input as one CMS ContentInfo, or NULL (not DER, trailing bytes). */
static CMS_ContentInfo *parse_cms(const unsigned char *der, size_t len)
{
    if (len < 2 || der[0] != 0x30 || len > MSS_MAX_BODY)
        return NULL;
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
    if (cms != NULL && (size_t)(p - der) != len) {
        CMS_ContentInfo_free(cms);
        cms = NULL;
    }
    ERR_clear_error();
    return cms;
}

static mss_error take_certs(CMS_ContentInfo *cms, CMS_SignerInfo *si, mss_decoded_signature *d,
                            char *why, size_t why_len)
{
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    int n = certs ? sk_X509_num(certs) : 0;
    mss_error rc = MSS_OK;
    if (n > MAX_CMS_CERTS) {
        rc = mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "CMS holds %d certificates (limit %d)",
                             n, MAX_CMS_CERTS);
    } else if (n > 0 && (d->certs = calloc((size_t)n, sizeof *d->certs)) == NULL) {
        rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
    }
    for (int i = 0; rc == MSS_OK && i < n; i++) {
        X509 *x = sk_X509_value(certs, i);
        unsigned char *der = NULL;
        int len = i2d_X509(x, &der);
        if (len <= 0) {
            rc = mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "CMS certificate %d unreadable", i);
            break;
        }
        int ok = copy_bytes(der, (size_t)len, &d->certs[i].data, &d->certs[i].len);
        OPENSSL_free(der);
        if (!ok) {
            rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
            break;
        }
        d->n_certs++;
        if (d->signer_cert < 0 && CMS_SignerInfo_cert_cmp(si, x) == 0)
            d->signer_cert = i;
    }
    sk_X509_pop_free(certs, X509_free);
    return rc;
}

static mss_error decode_cms(CMS_ContentInfo *cms, mss_decoded_signature *d, char *why,
                            size_t why_len)
{
    const ASN1_OBJECT *type = CMS_get0_type(cms);
    if (OBJ_obj2nid(type) != NID_pkcs7_signed) {
        char name[80];
        OBJ_obj2txt(name, sizeof name, type, 0);
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len,
                               "CMS ContentInfo is %s, not SignedData", name);
    }
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    int n = signers ? sk_CMS_SignerInfo_num(signers) : 0;
    if (n != 1)
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len,
                               "CMS SignedData has %d SignerInfos, expected exactly one", n);
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(signers, 0);
    d->is_cms = 1;
    d->cms_signed_attrs = CMS_signed_get_attr_count(si) > 0;
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    d->cms_has_content = content != NULL && *content != NULL;
    if (!d->cms_signed_attrs) {
        ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature(si);
        if (value == NULL || ASN1_STRING_length(value) <= 0)
            return mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "CMS SignerInfo has no signature");
        if (!copy_bytes(ASN1_STRING_get0_data(value), (size_t)ASN1_STRING_length(value), &d->raw,
                        &d->raw_len))
            return mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
    }
    return take_certs(cms, si, d, why, why_len);
}

mss_error mss_signature_decode(mss_signature_kind kind, const unsigned char *sig,
                               size_t sig_len, const unsigned char *cert, size_t cert_len,
                               mss_decoded_signature *out, mss_detail *detail)
{
    mss_detail_reset(detail);
    char *why = detail != NULL ? detail->text : NULL;
    size_t why_len = detail != NULL ? sizeof detail->text : 0;
    if (out == NULL || sig == NULL || sig_len == 0 || sig_len > MSS_MAX_BODY)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no signature bytes given");
    if (kind != MSS_SIG_BASE64 && kind != MSS_SIG_FICOM_PKCS1)
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "signature kind %d is not decodable",
                               (int)kind);
    mss_decoded_signature d = {.signer_cert = -1};
    mss_error rc = MSS_OK;
    CMS_ContentInfo *cms = kind == MSS_SIG_BASE64 ? parse_cms(sig, sig_len) : NULL;
    if (cms != NULL) {
        rc = decode_cms(cms, &d, why, why_len);
        CMS_ContentInfo_free(cms);
    } else {
        if (!copy_bytes(sig, sig_len, &d.raw, &d.raw_len))
            rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
        if (rc == MSS_OK && cert != NULL && cert_len > 0) {
            if ((d.certs = calloc(1, sizeof *d.certs)) == NULL ||
                !copy_bytes(cert, cert_len, &d.certs[0].data, &d.certs[0].len))
                rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
            else
                d.n_certs = 1, d.signer_cert = 0;
        }
    }
    if (rc != MSS_OK) {
        mss_decoded_signature_clear(&d);
        return rc;
    }
    *out = d;
    return MSS_OK;
}

/* The last OpenSSL reason on this thread's queue, for a why line. */
static const char *openssl_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    return r ? r : "no further detail";
}

static X509 *parse_cert(const unsigned char *der, size_t len)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (x != NULL && (size_t)(p - der) != len) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

mss_error mss_verify_cms(const unsigned char *cms_der, size_t cms_len,
                         const unsigned char *content, size_t content_len,
                         const unsigned char *cert_der, size_t cert_len,
                         mss_detail *detail)
{
    mss_detail_reset(detail);
    char *why = detail != NULL ? detail->text : NULL;
    size_t why_len = detail != NULL ? sizeof detail->text : 0;
    if (cms_der == NULL || cms_len == 0 || (content == NULL && content_len > 0) ||
        (cert_der != NULL && cert_len == 0) || cert_len > 1024 * 1024)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "missing or inconsistent arguments");
    CMS_ContentInfo *cms = parse_cms(cms_der, cms_len);
    if (cms == NULL)
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "not a DER CMS ContentInfo");
    X509 *cert = NULL;
    STACK_OF(X509) *given = NULL;
    BIO *dcont = NULL, *out = BIO_new(BIO_s_mem());
    mss_error rc = MSS_OK;
    ASN1_OCTET_STRING **inner = CMS_get0_content(cms);
    int encapsulated = inner != NULL && *inner != NULL;

    if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        rc = mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "CMS ContentInfo is not SignedData");
    } else if (!encapsulated && content == NULL) {
        rc = mss_verify_fail(MSS_ERR_ARGS, why, why_len,
                             "detached CMS: the signed content must be given");
    } else if (cert_der != NULL && ((cert = parse_cert(cert_der, cert_len)) == NULL ||
                                    (given = sk_X509_new_null()) == NULL ||
                                    !sk_X509_push(given, cert))) {
        rc = mss_verify_fail(MSS_ERR_ARGS, why, why_len, "certificate is not X.509");
    } else if (out == NULL ||
               (!encapsulated && (dcont = BIO_new_mem_buf(content, (int)content_len)) == NULL)) {
        rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
    }
    if (rc == MSS_OK) {
        /* Only the signature is checked here; trust in the certificate is the caller's
         * (it came from the token's configuration or a profile query). CMS_NOINTERN:
         * with a given certificate, the signer must be that certificate. */
        unsigned flags = CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | (given ? CMS_NOINTERN : 0);
        if (CMS_verify(cms, given, NULL, dcont, out, flags) != 1) {
            unsigned long e = ERR_peek_last_error();
            if (ERR_GET_REASON(e) == CMS_R_SIGNER_CERTIFICATE_NOT_FOUND)
                rc = mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                                     "CMS is not signed by %s", given ? "the given certificate"
                                                                      : "a certificate it holds");
            else
                rc = mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                                     "CMS signature does not verify: %s", openssl_reason());
        } else if (encapsulated && content != NULL) {
            /* The caller knows what should have been signed: it must be what was. */
            char *got = NULL;
            long got_len = BIO_get_mem_data(out, &got);
            if (got_len < 0 || (size_t)got_len != content_len ||
                (content_len && memcmp(got, content, content_len) != 0))
                rc = mss_verify_fail(MSS_ERR_SIGNATURE_INVALID, why, why_len,
                                     "CMS encapsulates other content than expected");
        }
    }
    BIO_free(dcont);
    BIO_free(out);
    sk_X509_free(given);
    X509_free(cert);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}
