/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What people and programs compare certificates by: the validity period (mss-tool show
 * warns before the end, the module refuses to sign after it) and the SHA-256
 * fingerprint (mss-tool enroll --renew shows the old and the new one). Written in the
 * form openssl prints, so a person can check it with openssl x509 -fingerprint -sha256.
 */
#include "config.h"

#include "conf_internal.h"

#include <openssl/asn1.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <stdio.h>
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

int mss_cert_dates(const unsigned char *der, size_t der_len, time_t *not_before,
                   time_t *not_after)
{
    const unsigned char *p = der;
    X509 *x = der_len > 0 && der_len < 64 * 1024 ? d2i_X509(NULL, &p, (long)der_len) : NULL;
    int rc = x != NULL && p == der + der_len &&
                     asn1_to_time(X509_get0_notBefore(x), not_before) == 0 &&
                     asn1_to_time(X509_get0_notAfter(x), not_after) == 0
                 ? 0
                 : -1;
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
