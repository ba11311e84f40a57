/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What people and programs compare certificates by: the validity period (mss-tool show
 * warns before the end, the module refuses to sign after it), the SHA-256 fingerprint
 * (mss-tool enroll --renew shows the old and the new one), the subject and the serial
 * number (mss-tool show). Written in the form openssl prints, so a person can check
 * them with openssl x509 -fingerprint -sha256, -serial.
 */
#include "config.h"

#include "conf_internal.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ASN1_TIME is UTC; timegm reads the broken-down time as UTC too. */
static int asn1_to_time(const ASN1_TIME *a, time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1)
        return -1;
    *out = timegm(&tm);
    return 0;
}

/* DER as exactly one certificate (nothing after it), or NULL. */
static X509 *parse_cert(const unsigned char *der, size_t der_len)
{
    const unsigned char *p = der;
    X509 *x = der_len > 0 && der_len < 64 * 1024 ? d2i_X509(NULL, &p, (long)der_len) : NULL;
    if (x != NULL && p != der + der_len) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

int mss_cert_dates_of(const X509 *x, time_t *not_before, time_t *not_after)
{
    return x != NULL && asn1_to_time(X509_get0_notBefore(x), not_before) == 0 &&
                   asn1_to_time(X509_get0_notAfter(x), not_after) == 0
               ? 0
               : -1;
}

int mss_cert_dates(const unsigned char *der, size_t der_len, time_t *not_before,
                   time_t *not_after)
{
    X509 *x = parse_cert(der, der_len);
    int rc = mss_cert_dates_of(x, not_before, not_after);
    X509_free(x);
    return rc;
}

void mss_cert_time_text(time_t t, char *buf, size_t len)
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(buf, len, "%lld", (long long)t);
}

void mss_cert_fingerprint(const unsigned char *der, size_t der_len,
                          char out[MSS_CERT_FP_SIZE])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(der, der_len, md);
    for (size_t i = 0; i < sizeof md; i++)
        snprintf(out + 3 * i, MSS_CERT_FP_SIZE - 3 * i, i + 1 < sizeof md ? "%02X:" : "%02X",
                 md[i]);
}

int mss_cert_serial(const unsigned char *der, size_t der_len, char out[MSS_CERT_SERIAL_SIZE])
{
    X509 *x = parse_cert(der, der_len);
    const ASN1_INTEGER *serial = x != NULL ? X509_get0_serialNumber(x) : NULL;
    int len = serial != NULL ? ASN1_STRING_length(serial) : -1;
    int rc = -1;
    if (len >= 0 && 2 * (size_t)len + 2 < MSS_CERT_SERIAL_SIZE) {
        const unsigned char *bytes = ASN1_STRING_get0_data(serial);
        size_t at = 0;
        if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER)
            out[at++] = '-';
        for (int i = 0; i < len; i++, at += 2)
            snprintf(out + at, MSS_CERT_SERIAL_SIZE - at, "%02X", bytes[i]);
        /* A zero serial has no content bytes; openssl prints it as 00. */
        if (len == 0)
            snprintf(out + at, MSS_CERT_SERIAL_SIZE - at, "00");
        rc = 0;
    }
    X509_free(x);
    return rc;
}

char *mss_cert_subject(const unsigned char *der, size_t der_len)
{
    X509 *x = parse_cert(der, der_len);
    BIO *bio = x != NULL ? BIO_new(BIO_s_mem()) : NULL;
    char *text = NULL, *data = NULL;
    /* RFC 2253 escapes bytes past ASCII unless told not to; UTF-8 reads better as it is. */
    if (bio != NULL &&
        X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
                           XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        long n = BIO_get_mem_data(bio, &data);
        text = n >= 0 ? strndup(n > 0 ? data : "", (size_t)n) : NULL;
    }
    BIO_free(bio);
    X509_free(x);
    return text;
}
