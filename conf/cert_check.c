/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whether a certificate the MSSP sends may become a key's certificate in the cache.
 * The cache is what the module, and through it ssh, NSS or a PAM login, believes a
 * key to be; the MSSP is a network peer, so what it sends is checked like a TLS peer's
 * certificate: issued by a CA the configuration names, valid now, and meant for the
 * role (authentication: digitalSignature, signing: nonRepudiation, as ETSI EN 319 412-2
 * lays out the two keys of a qualified signature device).
 */
#include "config.h"

#include "conf_internal.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

int mss_cert_trust_configured(const mss_conf *c, char *why, size_t why_len)
{
    if (c->user_ca_file || c->trust_on_first_use)
        return 0;
    snprintf(why, why_len,
             "%s: [mssp] says nothing about whom the users' certificates come from: set "
             "user_ca_file to the CA that issues them, or write trust_on_first_use = yes "
             "to accept what the first enrolment brings",
             c->path ? c->path : "the configuration");
    return -1;
}

static mss_cert_verdict check_dates(const unsigned char *der, size_t der_len, time_t now,
                                    char *why, size_t why_len)
{
    time_t not_before, not_after;
    char when[40];
    if (mss_cert_dates(der, der_len, &not_before, &not_after) != 0) {
        snprintf(why, why_len, "the certificate's validity dates cannot be read");
        return MSS_CERT_UNREADABLE;
    }
    if (now < not_before) {
        mss_cert_time_text(not_before, when, sizeof when);
        snprintf(why, why_len, "the certificate is not valid before %s", when);
        return MSS_CERT_NOT_YET_VALID;
    }
    if (now > not_after) {
        mss_cert_time_text(not_after, when, sizeof when);
        snprintf(why, why_len, "the certificate expired on %s", when);
        return MSS_CERT_EXPIRED;
    }
    return MSS_CERT_OK;
}

/* A keyUsage extension is required: without one a certificate allows every use, and
 * nothing would tell an authentication key from a signing key. */
static mss_cert_verdict check_usage(X509 *x, mss_key_role role, char *why, size_t why_len)
{
    uint32_t flags = X509_get_extension_flags(x);
    uint32_t need = role == MSS_KEY_SIGN ? KU_NON_REPUDIATION : KU_DIGITAL_SIGNATURE;
    const char *need_name = role == MSS_KEY_SIGN ? "nonRepudiation" : "digitalSignature";
    if (flags & EXFLAG_INVALID) {
        snprintf(why, why_len, "the certificate has a malformed or repeated extension");
        return MSS_CERT_UNREADABLE;
    }
    if (!(flags & EXFLAG_KUSAGE) || !(X509_get_key_usage(x) & need)) {
        snprintf(why, why_len, "the certificate's keyUsage lacks %s, which an %s key needs",
                 need_name, mss_key_role_name(role));
        return MSS_CERT_WRONG_USAGE;
    }
    return MSS_CERT_OK;
}

static mss_cert_verdict check_chain(const char *anchor, X509 *x, time_t now, char *why,
                                    size_t why_len)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    mss_cert_verdict v = MSS_CERT_UNTRUSTED;
    if (store == NULL || ctx == NULL || X509_STORE_load_file(store, anchor) != 1) {
        snprintf(why, why_len, "user_ca_file %s cannot be read or holds no certificate",
                 anchor);
        v = MSS_CERT_BAD_ANCHOR;
    } else if (X509_STORE_CTX_init(ctx, store, x, NULL) != 1) {
        snprintf(why, why_len, "cannot set up the chain check");
    } else {
        X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
        X509_VERIFY_PARAM_set_time(param, now);
        if (X509_verify_cert(ctx) == 1)
            v = MSS_CERT_OK;
        else
            snprintf(why, why_len, "the certificate does not chain to user_ca_file %s: %s",
                     anchor, X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return v;
}

mss_cert_verdict mss_cert_check(const mss_conf *conf, mss_key_role role,
                                const unsigned char *der, size_t der_len, time_t now,
                                char *why, size_t why_len)
{
    const unsigned char *p = der;
    X509 *x = der_len > 0 && der_len < 64 * 1024 ? d2i_X509(NULL, &p, (long)der_len) : NULL;
    mss_cert_verdict v = MSS_CERT_OK;
    if (x == NULL || p != der + der_len) {
        snprintf(why, why_len, "not one DER X.509 certificate");
        v = MSS_CERT_UNREADABLE;
    } else if (mss_cert_trust_configured(conf, why, why_len) != 0) {
        v = MSS_CERT_NO_TRUST;
    }
    if (v == MSS_CERT_OK)
        v = check_dates(der, der_len, now, why, why_len);
    if (v == MSS_CERT_OK)
        v = check_usage(x, role, why, why_len);
    /* trust_on_first_use: the chain is not checked; the cache then pins what came. */
    if (v == MSS_CERT_OK && conf->user_ca_file)
        v = check_chain(conf->user_ca_file, x, now, why, why_len);
    X509_free(x);
    return v;
}
