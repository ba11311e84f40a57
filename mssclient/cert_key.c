/* SPDX-License-Identifier: BSD-3-Clause */
/* Getting a verification key out of a certificate, with exact reasons on failure. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "verify_internal.h"

mss_error mss_verify_fail(mss_error rc, char *why, size_t why_len, const char *fmt, ...)
{
    if (why != NULL && why_len > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_len, fmt, ap);
        va_end(ap);
    }
    /* Leave no OpenSSL errors of ours on this thread's queue for the caller to trip over. */
    ERR_clear_error();
    return rc;
}

mss_error mss_cert_public_key(const unsigned char *cert_der, size_t cert_len, EVP_PKEY **key,
                              char *why, size_t why_len)
{
    *key = NULL;
    if (cert_der == NULL || cert_len == 0)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no certificate given");
    if (cert_len > 1024 * 1024)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "certificate implausibly large");
    const unsigned char *p = cert_der;
    X509 *cert = d2i_X509(NULL, &p, (long)cert_len);
    if (cert == NULL)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "certificate is not X.509");
    if ((size_t)(p - cert_der) != cert_len) {
        X509_free(cert);
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "certificate has %zu trailing bytes",
                               cert_len - (size_t)(p - cert_der));
    }
    *key = X509_get_pubkey(cert);
    X509_free(cert);
    if (*key == NULL)
        return mss_verify_fail(MSS_ERR_FORMAT, why, why_len, "certificate public key is unreadable");
    return MSS_OK;
}
