/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the certificate cache reader (conf_cache_decode, the half of
 * mss_cache_read that parses what the file holds), and for what is then read from the
 * certificate: its dates and fingerprint (conf/cert_facts.c) and the checks of
 * conf/cert_check.c. The cache folder is the user's; its files are input like any other.
 *
 * For every input (as DER, and as a NUL-terminated PEM text): no crash, leak or sanitizer
 * report; what the reader accepts is one whole certificate.
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_cache) with clang -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "conf_internal.h"

/* What enrol, show and the module read from a certificate: dates, fingerprint, and the
 * date and key-usage checks for both roles (the chain is skipped: no anchor here). */
static void read_facts(const mss_conf *trusting, const unsigned char *der, size_t der_len)
{
    time_t not_before, not_after;
    char fp[MSS_CERT_FP_SIZE], why[256];
    (void)mss_cert_dates(der, der_len, &not_before, &not_after);
    mss_cert_fingerprint(der, der_len, fp);
    for (int role = 0; role < MSS_KEY_ROLES; role++)
        (void)mss_cert_check(trusting, (mss_key_role)role, der, der_len, 1790000000,
                             why, sizeof why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    static mss_conf *trusting;
    if (trusting == NULL && (trusting = mss_conf_new()) != NULL)
        trusting->trust_on_first_use = 1;
    if (trusting == NULL)
        return 0;
    read_facts(trusting, data, size); /* the module and the tools hand on DER */
    char *pem = malloc(size + 1);
    if (pem == NULL)
        return 0;
    memcpy(pem, data, size);
    pem[size] = '\0';
    unsigned char *der = NULL;
    size_t der_len = 0;
    if (conf_cache_decode(pem, &der, &der_len) == 0) {
        const unsigned char *p = der;
        X509 *cert = d2i_X509(NULL, &p, (long)der_len);
        if (cert == NULL || p != der + der_len)
            abort(); /* what the reader hands on must be one whole certificate */
        X509_free(cert);
        read_facts(trusting, der, der_len);
        free(der);
    }
    free(pem);
    return 0;
}
