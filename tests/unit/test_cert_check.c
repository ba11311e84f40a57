/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the certificate checks mss-tool enroll applies (conf/cert_check.c) and
 * of the facts show and --renew print (conf/cert_facts.c): dates, fingerprint, serial
 * and subject. The certificates are made here at run time, because refmssp only ever
 * issues good ones: a CA that is user_ca_file, a foreign CA, and users' certificates
 * from either with chosen dates and key usage. "Now" is passed in, so nothing depends
 * on the clock.
 */
#include "config.h"

#include "mss_conf.h"
#include "conf_fixture.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define DAY 86400L

static struct {
    EVP_PKEY *ca_key, *foreign_key, *user_key;
    X509 *ca, *foreign;
    mss_conf *anchored, *tofu; /* user_ca_file = ca.pem; trust_on_first_use = yes */
    time_t now;
} t;

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    assert_non_null(ext);
    assert_int_equal(X509_add_ext(x, ext, -1), 1);
    X509_EXTENSION_free(ext);
}

/* A certificate for key, valid from now + from to now + to seconds; issuer NULL makes
 * a self-signed CA. key_usage NULL: no keyUsage extension. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
                       long from, long to, const char *key_usage)
{
    static long serial = 1;
    X509 *x = X509_new();
    assert_non_null(x);
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
    X509_time_adj_ex(X509_getm_notBefore(x), 0, from, &t.now);
    X509_time_adj_ex(X509_getm_notAfter(x), 0, to, &t.now);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(issuer ? issuer : x));
    X509_set_pubkey(x, key);
    add_ext(x, issuer ? issuer : x, NID_basic_constraints,
            issuer ? "critical,CA:FALSE" : "critical,CA:TRUE");
    add_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
    if (issuer)
        add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
    if (key_usage)
        add_ext(x, issuer ? issuer : x, NID_key_usage, key_usage);
    assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
    return x;
}

static const char *write_pem(const char *name, X509 *x)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL;
    assert_int_equal(PEM_write_bio_X509(bio, x), 1);
    long n = BIO_get_mem_data(bio, &data);
    char *text = strndup(data, (size_t)n);
    const char *path = conf_fixture_write(name, text, 0644);
    free(text);
    BIO_free(bio);
    return path;
}

/* A configuration that trusts the file anchor (NULL: none) or, with tofu, anything. */
static mss_conf *conf_with(const char *anchor, int tofu)
{
    mss_conf *c = mss_conf_new();
    assert_non_null(c);
    if (anchor)
        assert_int_equal(mss_conf_set_str(&c->user_ca_file, conf_fixture_path(anchor)), 0);
    c->trust_on_first_use = tofu;
    return c;
}

static int group_setup(void **state)
{
    if (conf_fixture_setup(state) != 0)
        return -1;
    t.now = time(NULL);
    t.ca_key = EVP_EC_gen("P-256");
    t.foreign_key = EVP_EC_gen("P-256");
    t.user_key = EVP_EC_gen("P-256");
    t.ca = make_cert("Users CA", t.ca_key, NULL, t.ca_key, -DAY, 3650 * DAY,
                     "critical,keyCertSign,cRLSign");
    t.foreign = make_cert("Foreign CA", t.foreign_key, NULL, t.foreign_key, -DAY, 3650 * DAY,
                          "critical,keyCertSign,cRLSign");
    write_pem("ca.pem", t.ca);
    write_pem("foreign.pem", t.foreign);
    conf_fixture_write("empty.pem", "no certificate here\n", 0644);
    t.anchored = conf_with("ca.pem", 0);
    t.tofu = conf_with(NULL, 1);
    return 0;
}

static int group_teardown(void **state)
{
    X509_free(t.ca);
    X509_free(t.foreign);
    EVP_PKEY_free(t.ca_key);
    EVP_PKEY_free(t.foreign_key);
    EVP_PKEY_free(t.user_key);
    mss_conf_free(t.anchored);
    mss_conf_free(t.tofu);
    return conf_fixture_teardown(state);
}

/* Check x for role against c at t.now; returns the verdict, the reason in why. */
static mss_cert_verdict check(const mss_conf *c, mss_key_role role, X509 *x, char *why,
                              size_t why_len)
{
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    assert_true(n > 0);
    why[0] = '\0';
    mss_cert_verdict v = mss_cert_check(c, role, der, (size_t)n, t.now, why, why_len);
    OPENSSL_free(der);
    return v;
}

static X509 *user_cert(X509 *issuer, EVP_PKEY *issuer_key, long from, long to,
                       const char *key_usage)
{
    return make_cert("user", t.user_key, issuer, issuer_key, from, to, key_usage);
}

static void test_certificates_from_user_ca_file_for_their_role_pass(void **state)
{
    (void)state;
    char why[512];
    const mss_conf *c = t.anchored;
    X509 *authn = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY, "critical,digitalSignature");
    X509 *sign = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY, "critical,nonRepudiation");
    assert_int_equal(check(c, MSS_KEY_AUTHN, authn, why, sizeof why), MSS_CERT_OK);
    assert_int_equal(check(c, MSS_KEY_SIGN, sign, why, sizeof why), MSS_CERT_OK);
    X509_free(authn);
    X509_free(sign);
}

static void test_a_certificate_from_a_foreign_ca_is_refused(void **state)
{
    (void)state;
    char why[512];
    const mss_conf *c = t.anchored;
    X509 *x = user_cert(t.foreign, t.foreign_key, -DAY, 365 * DAY, "critical,digitalSignature");
    assert_int_equal(check(c, MSS_KEY_AUTHN, x, why, sizeof why), MSS_CERT_UNTRUSTED);
    assert_non_null(strstr(why, "user_ca_file"));
    /* Self-signed by the user's own key: no better. */
    X509 *self = make_cert("self", t.user_key, NULL, t.user_key, -DAY, DAY,
                           "critical,digitalSignature");
    assert_int_equal(check(c, MSS_KEY_AUTHN, self, why, sizeof why), MSS_CERT_UNTRUSTED);
    /* trust_on_first_use checks no chain: the first certificate is taken as it comes. */
    const mss_conf *tofu = t.tofu;
    assert_int_equal(check(tofu, MSS_KEY_AUTHN, x, why, sizeof why), MSS_CERT_OK);
    X509_free(self);
    X509_free(x);
}

static void test_an_expired_or_not_yet_valid_certificate_is_refused(void **state)
{
    (void)state;
    char why[512];
    const mss_conf *c = t.anchored, *tofu = t.tofu;
    X509 *expired = user_cert(t.ca, t.ca_key, -30 * DAY, -DAY, "critical,nonRepudiation");
    X509 *early = user_cert(t.ca, t.ca_key, DAY, 30 * DAY, "critical,nonRepudiation");
    assert_int_equal(check(c, MSS_KEY_SIGN, expired, why, sizeof why), MSS_CERT_EXPIRED);
    assert_non_null(strstr(why, "expired on"));
    assert_int_equal(check(tofu, MSS_KEY_SIGN, expired, why, sizeof why), MSS_CERT_EXPIRED);
    assert_int_equal(check(c, MSS_KEY_SIGN, early, why, sizeof why), MSS_CERT_NOT_YET_VALID);
    assert_int_equal(check(tofu, MSS_KEY_SIGN, early, why, sizeof why), MSS_CERT_NOT_YET_VALID);
    X509_free(expired);
    X509_free(early);
}

static void test_key_usage_must_match_the_role(void **state)
{
    (void)state;
    char why[512];
    const mss_conf *c = t.anchored, *tofu = t.tofu;
    X509 *authn = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY, "critical,digitalSignature");
    X509 *sign = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY, "critical,nonRepudiation");
    X509 *none = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY, NULL);
    X509 *both = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY,
                           "critical,digitalSignature,nonRepudiation");
    assert_int_equal(check(c, MSS_KEY_SIGN, authn, why, sizeof why), MSS_CERT_WRONG_USAGE);
    assert_non_null(strstr(why, "nonRepudiation"));
    assert_int_equal(check(c, MSS_KEY_AUTHN, sign, why, sizeof why), MSS_CERT_WRONG_USAGE);
    assert_non_null(strstr(why, "digitalSignature"));
    assert_int_equal(check(c, MSS_KEY_AUTHN, none, why, sizeof why), MSS_CERT_WRONG_USAGE);
    assert_int_equal(check(tofu, MSS_KEY_SIGN, authn, why, sizeof why), MSS_CERT_WRONG_USAGE);
    assert_int_equal(check(c, MSS_KEY_AUTHN, both, why, sizeof why), MSS_CERT_OK);
    assert_int_equal(check(c, MSS_KEY_SIGN, both, why, sizeof why), MSS_CERT_OK);
    X509_free(authn);
    X509_free(sign);
    X509_free(none);
    X509_free(both);
}

static void test_without_a_trust_anchor_nothing_is_trusted(void **state)
{
    (void)state;
    char why[512];
    mss_conf *none = conf_with(NULL, 0), *empty = conf_with("empty.pem", 0);
    mss_conf *missing = conf_with("no-such.pem", 0);
    X509 *x = user_cert(t.ca, t.ca_key, -DAY, 365 * DAY, "critical,digitalSignature");
    assert_int_equal(mss_cert_trust_configured(none, why, sizeof why), -1);
    assert_non_null(strstr(why, "user_ca_file"));
    assert_non_null(strstr(why, "trust_on_first_use"));
    assert_int_equal(check(none, MSS_KEY_AUTHN, x, why, sizeof why), MSS_CERT_NO_TRUST);
    assert_int_equal(check(empty, MSS_KEY_AUTHN, x, why, sizeof why), MSS_CERT_BAD_ANCHOR);
    assert_int_equal(check(missing, MSS_KEY_AUTHN, x, why, sizeof why), MSS_CERT_BAD_ANCHOR);
    assert_int_equal(mss_cert_check(none, MSS_KEY_AUTHN, (const unsigned char *)"junk", 4,
                                    t.now, why, sizeof why),
                     MSS_CERT_UNREADABLE);
    X509_free(x);
    mss_conf_free(none);
    mss_conf_free(empty);
    mss_conf_free(missing);
}

static void test_dates_and_fingerprint_are_what_openssl_says(void **state)
{
    (void)state;
    X509 *x = user_cert(t.ca, t.ca_key, -DAY, 10 * DAY, "critical,digitalSignature");
    unsigned char *der = NULL, md[SHA256_DIGEST_LENGTH];
    int n = i2d_X509(x, &der);
    time_t from = 0, to = 0;
    char fp[MSS_CERT_FP_SIZE], hex[4];
    assert_int_equal(mss_cert_dates(der, (size_t)n, &from, &to), 0);
    assert_int_equal((long)(to - t.now), 10 * DAY);
    assert_int_equal((long)(t.now - from), DAY);
    mss_cert_fingerprint(der, (size_t)n, fp);
    assert_int_equal(strlen(fp), MSS_CERT_FP_SIZE - 1);
    SHA256(der, (size_t)n, md);
    for (size_t i = 0; i < sizeof md; i++) {
        snprintf(hex, sizeof hex, "%02X", md[i]);
        assert_memory_equal(fp + 3 * i, hex, 2);
        if (i + 1 < sizeof md)
            assert_int_equal(fp[3 * i + 2], ':');
    }
    assert_int_equal(mss_cert_dates((const unsigned char *)"junk", 4, &from, &to), -1);
    /* The same dates from the certificate already parsed. */
    time_t from_x = 0, to_x = 0;
    assert_int_equal(mss_cert_dates_of(x, &from_x, &to_x), 0);
    assert_int_equal((long)(to - to_x), 0);
    assert_int_equal((long)(t.now - DAY - from_x), 0);
    assert_int_equal(mss_cert_dates_of(NULL, &from_x, &to_x), -1);
    OPENSSL_free(der);
    X509_free(x);
}

static void test_serial_and_subject_are_what_openssl_says(void **state)
{
    (void)state;
    X509 *x = user_cert(t.ca, t.ca_key, -DAY, 10 * DAY, "critical,digitalSignature");
    /* Changed after signing: only read here, never verified. */
    BIGNUM *bn = NULL;
    assert_true(BN_hex2bn(&bn, "0A1B2C3D4E5F60718293A4B5C6D7E8F9000102FF") > 0);
    assert_non_null(BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)));
    BN_free(bn);
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               (const unsigned char *)"J\xc3\xbcrgen M\xc3\xbcller", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"ACME, Inc.",
                               -1, -1, 0);
    X509_set_subject_name(x, name);
    X509_NAME_free(name);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    char serial[MSS_CERT_SERIAL_SIZE];
    assert_int_equal(mss_cert_serial(der, (size_t)n, serial), 0);
    assert_string_equal(serial, "0A1B2C3D4E5F60718293A4B5C6D7E8F9000102FF");
    char *subject = mss_cert_subject(der, (size_t)n);
    /* RFC 2253: the last RDN first, the comma in a value escaped, UTF-8 as it is. */
    assert_string_equal(subject, "O=ACME\\, Inc.,CN=J\xc3\xbcrgen M\xc3\xbcller");
    free(subject);
    assert_int_equal(mss_cert_serial((const unsigned char *)"junk", 4, serial), -1);
    assert_null(mss_cert_subject((const unsigned char *)"junk", 4));
    /* One byte more than the certificate: not exactly one certificate. */
    unsigned char *longer = malloc((size_t)n + 1);
    memcpy(longer, der, (size_t)n);
    longer[n] = 0;
    assert_int_equal(mss_cert_serial(longer, (size_t)n + 1, serial), -1);
    free(longer);
    OPENSSL_free(der);
    X509_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificates_from_user_ca_file_for_their_role_pass),
        cmocka_unit_test(test_a_certificate_from_a_foreign_ca_is_refused),
        cmocka_unit_test(test_an_expired_or_not_yet_valid_certificate_is_refused),
        cmocka_unit_test(test_key_usage_must_match_the_role),
        cmocka_unit_test(test_without_a_trust_anchor_nothing_is_trusted),
        cmocka_unit_test(test_dates_and_fingerprint_are_what_openssl_says),
        cmocka_unit_test(test_serial_and_subject_are_what_openssl_says),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
