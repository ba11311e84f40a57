/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's test PKI and SIM emulator: the certificates init makes chain to the test
 * CA for exactly their purpose, carry the extensions clients check, and a SIM
 * signature over a DigestInfo verifies with the certificate's key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "../../server/pki.h"
#include "../../refmssp/sim.h"

typedef struct fixture {
    EVP_PKEY *ca_key;
    X509 *ca;
    EVP_PKEY *other_ca_key;
    X509 *other_ca;
    EVP_PKEY *leaf_key;
} fixture;

static const pki_name ca_name = {.cn = "test CA", .org = "refmssp test"};
static const pki_name user_name = {.cn = "Demo User", .serial_number = "+99900000001",
                                   .org = "refmssp test"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    char err[256];
    pki_name other = {.cn = "other CA"};
    f->ca_key = pki_rsa_generate(2048);
    f->other_ca_key = pki_rsa_generate(2048);
    f->leaf_key = pki_rsa_generate(2048);
    if (f->ca_key == NULL || f->other_ca_key == NULL || f->leaf_key == NULL)
        return -1;
    f->ca = pki_issue(PKI_CERT_CA, &ca_name, f->ca_key, NULL, f->ca_key, err, sizeof err);
    f->other_ca = pki_issue(PKI_CERT_CA, &other, f->other_ca_key, NULL, f->other_ca_key, err,
                            sizeof err);
    if (f->ca == NULL || f->other_ca == NULL)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    X509_free(f->ca);
    X509_free(f->other_ca);
    EVP_PKEY_free(f->ca_key);
    EVP_PKEY_free(f->other_ca_key);
    EVP_PKEY_free(f->leaf_key);
    free(f);
    return 0;
}

static X509 *issue(fixture *f, pki_cert_kind kind, const pki_name *name)
{
    char err[256] = "";
    X509 *cert = pki_issue(kind, name, f->leaf_key, f->ca, f->ca_key, err, sizeof err);
    if (cert == NULL)
        print_error("pki_issue: %s\n", err);
    assert_non_null(cert);
    return cert;
}

/* X509_verify_cert against ANCHOR for PURPOSE; returns the verify error (X509_V_OK). */
static int chain_verify(X509 *anchor, X509 *leaf, int purpose)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    assert_non_null(store);
    assert_non_null(ctx);
    assert_int_equal(X509_STORE_add_cert(store, anchor), 1);
    assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
    if (purpose != 0)
        assert_int_equal(X509_STORE_CTX_set_purpose(ctx, purpose), 1);
    int ok = X509_verify_cert(ctx);
    int err = X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return ok == 1 ? X509_V_OK : (err != X509_V_OK ? err : -1);
}

static void ca_is_a_self_signed_ca_for_certificates_and_crls(void **state)
{
    fixture *f = *state;
    assert_int_equal(X509_get_version(f->ca), X509_VERSION_3);
    assert_int_equal(X509_check_ca(f->ca), 1);
    assert_true(X509_get_extension_flags(f->ca) & EXFLAG_SS);
    uint32_t ku = X509_get_key_usage(f->ca);
    assert_true(ku & KU_KEY_CERT_SIGN);
    assert_true(ku & KU_CRL_SIGN);
    assert_false(ku & KU_DIGITAL_SIGNATURE);
    int crit = -1;
    BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(f->ca, NID_basic_constraints, &crit, NULL);
    assert_non_null(bc);
    assert_true(bc->ca);
    assert_int_equal(crit, 1);
    BASIC_CONSTRAINTS_free(bc);
    assert_int_equal(chain_verify(f->ca, f->ca, 0), X509_V_OK);
}

static void server_cert_verifies_as_tls_server_with_loopback_names(void **state)
{
    fixture *f = *state;
    pki_name name = {.cn = "localhost", .org = "refmssp test"};
    X509 *cert = issue(f, PKI_CERT_SERVER, &name);
    assert_int_equal(chain_verify(f->ca, cert, X509_PURPOSE_SSL_SERVER), X509_V_OK);
    assert_int_not_equal(chain_verify(f->ca, cert, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
    assert_int_equal(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
    assert_int_equal(X509_check_host(cert, "localhost", 0, 0, NULL), 1);
    assert_int_equal(X509_check_ip_asc(cert, "10.0.0.1", 0), 0);
    assert_int_equal(X509_check_host(cert, "example.com", 0, 0, NULL), 0);
    assert_int_equal(X509_check_ca(cert), 0);
    X509_free(cert);
}

static void ap_cert_verifies_as_tls_client_only(void **state)
{
    fixture *f = *state;
    pki_name name = {.cn = "ap.refmssp.test"};
    X509 *cert = issue(f, PKI_CERT_TLS_CLIENT, &name);
    assert_int_equal(chain_verify(f->ca, cert, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
    assert_int_not_equal(chain_verify(f->ca, cert, X509_PURPOSE_SSL_SERVER), X509_V_OK);
    assert_true(X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT);
    X509_free(cert);
}

static void cert_from_another_ca_does_not_verify(void **state)
{
    fixture *f = *state;
    X509 *cert = issue(f, PKI_CERT_USER_AUTHN, &user_name);
    assert_int_equal(chain_verify(f->ca, cert, 0), X509_V_OK);
    assert_int_not_equal(chain_verify(f->other_ca, cert, 0), X509_V_OK);
    X509_free(cert);
}

static void user_authn_cert_is_for_digital_signature_and_client_auth(void **state)
{
    fixture *f = *state;
    X509 *cert = issue(f, PKI_CERT_USER_AUTHN, &user_name);
    uint32_t ku = X509_get_key_usage(cert);
    assert_true(ku & KU_DIGITAL_SIGNATURE);
    assert_false(ku & KU_NON_REPUDIATION);
    assert_int_equal(X509_get_extended_key_usage(cert), XKU_SSL_CLIENT);
    assert_int_equal(chain_verify(f->ca, cert, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
    X509_free(cert);
}

static void user_sign_cert_is_for_non_repudiation_only(void **state)
{
    fixture *f = *state;
    X509 *cert = issue(f, PKI_CERT_USER_SIGN, &user_name);
    uint32_t ku = X509_get_key_usage(cert);
    assert_true(ku & KU_NON_REPUDIATION);
    assert_false(ku & KU_DIGITAL_SIGNATURE);
    assert_int_equal(chain_verify(f->ca, cert, 0), X509_V_OK);
    X509_free(cert);
}

static void user_subject_carries_the_msisdn_as_serial_number(void **state)
{
    fixture *f = *state;
    X509 *cert = issue(f, PKI_CERT_USER_SIGN, &user_name);
    char buf[64];
    X509_NAME *subject = X509_get_subject_name(cert);
    assert_true(X509_NAME_get_text_by_NID(subject, NID_serialNumber, buf, sizeof buf) > 0);
    assert_string_equal(buf, "+99900000001");
    assert_true(X509_NAME_get_text_by_NID(subject, NID_commonName, buf, sizeof buf) > 0);
    assert_string_equal(buf, "Demo User");
    assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(f->ca)), 0);
    X509_free(cert);
}

static void serials_are_random_positive_and_16_bytes(void **state)
{
    fixture *f = *state;
    X509 *a = issue(f, PKI_CERT_USER_SIGN, &user_name);
    X509 *b = issue(f, PKI_CERT_USER_SIGN, &user_name);
    const ASN1_INTEGER *sa = X509_get0_serialNumber(a);
    const ASN1_INTEGER *sb = X509_get0_serialNumber(b);
    assert_int_equal(ASN1_STRING_length(sa), 16);
    assert_int_equal(ASN1_STRING_type(sa), V_ASN1_INTEGER); /* not V_ASN1_NEG_INTEGER */
    assert_int_not_equal(ASN1_INTEGER_cmp(sa, sb), 0);
    X509_free(a);
    X509_free(b);
}

static void validity_is_825_days_and_sha256_signed(void **state)
{
    fixture *f = *state;
    X509 *cert = issue(f, PKI_CERT_USER_AUTHN, &user_name);
    int days = 0, secs = 0;
    assert_int_equal(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert),
                                    X509_get0_notAfter(cert)), 1);
    /* 825 days from now, back-dated by an hour */
    assert_int_equal(days, PKI_VALIDITY_DAYS);
    assert_int_equal(secs, 3600);
    assert_int_equal(X509_get_signature_nid(cert), NID_sha256WithRSAEncryption);
    assert_true(X509_cmp_current_time(X509_get0_notBefore(cert)) < 0);
    X509_free(cert);
}

static void key_and_cert_encodings_round_trip(void **state)
{
    fixture *f = *state;
    char *pem = pki_key_to_pem(f->leaf_key);
    assert_non_null(pem);
    assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
    EVP_PKEY *back = pki_key_from_pem(pem);
    assert_non_null(back);
    assert_int_equal(EVP_PKEY_eq(back, f->leaf_key), 1);
    EVP_PKEY_free(back);
    free(pem);
    assert_null(pki_key_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));

    unsigned char *der = NULL;
    size_t der_len = 0;
    assert_int_equal(pki_cert_to_der(f->ca, &der, &der_len), 0);
    X509 *cert = pki_cert_from_der(der, der_len);
    assert_non_null(cert);
    assert_int_equal(X509_cmp(cert, f->ca), 0);
    X509_free(cert);
    /* Trailing bytes or a truncated certificate are refused. */
    assert_null(pki_cert_from_der(der, der_len - 1));
    unsigned char *longer = malloc(der_len + 1);
    assert_non_null(longer);
    memcpy(longer, der, der_len);
    longer[der_len] = 0;
    assert_null(pki_cert_from_der(longer, der_len + 1));
    free(longer);
    free(der);
}

/* DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1). */
static const unsigned char sha256_prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                              0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                              0x01, 0x05, 0x00, 0x04, 0x20};

static size_t digest_info_of(const char *text, unsigned char *out)
{
    memcpy(out, sha256_prefix, sizeof sha256_prefix);
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(text, strlen(text), out + sizeof sha256_prefix, &len,
                                EVP_sha256(), NULL), 1);
    return sizeof sha256_prefix + len;
}

static void sim_signature_verifies_with_the_certificate_key(void **state)
{
    fixture *f = *state;
    X509 *cert = issue(f, PKI_CERT_USER_SIGN, &user_name);
    unsigned char di[64];
    size_t di_len = digest_info_of("hello", di);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    assert_int_equal(sim_sign_pkcs1(f->leaf_key, di, di_len, &sig, &sig_len), 0);
    assert_int_equal(sig_len, 256);

    /* As a verifier sees it: hash-and-verify "hello" with the certificate's key. */
    EVP_PKEY *pub = X509_get0_pubkey(cert);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub), 1);
    assert_int_equal(EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)"hello", 5), 1);
    EVP_MD_CTX_free(md);

    /* And the recovered block is the DigestInfo byte for byte. */
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pub, NULL);
    unsigned char rec[256];
    size_t rec_len = sizeof rec;
    assert_int_equal(EVP_PKEY_verify_recover_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
    assert_int_equal(EVP_PKEY_verify_recover(ctx, rec, &rec_len, sig, sig_len), 1);
    assert_int_equal(rec_len, di_len);
    assert_memory_equal(rec, di, di_len);
    EVP_PKEY_CTX_free(ctx);

    /* A signature over other data does not verify. */
    md = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub), 1);
    assert_int_not_equal(EVP_DigestVerify(md, sig, sig_len, (const unsigned char *)"hellO", 5),
                         1);
    EVP_MD_CTX_free(md);
    free(sig);
    X509_free(cert);
}

static void sim_signs_up_to_modulus_minus_11_bytes_and_no_more(void **state)
{
    fixture *f = *state;
    unsigned char data[256];
    memset(data, 0xa5, sizeof data);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    assert_int_equal(sim_sign_pkcs1(f->leaf_key, data, 245, &sig, &sig_len), 0);
    free(sig);
    sig = NULL;
    assert_int_equal(sim_sign_pkcs1(f->leaf_key, data, 246, &sig, &sig_len), 103);
    assert_null(sig);
    assert_int_equal(sim_sign_pkcs1(f->leaf_key, data, 0, &sig, &sig_len), 103);
    assert_int_equal(sim_sign_pkcs1(f->leaf_key, NULL, 10, &sig, &sig_len), 103);
    assert_null(sig);
}

static void sim_refuses_a_key_that_is_not_rsa(void **state)
{
    (void)state;
    EVP_PKEY *ec = EVP_EC_gen("P-256");
    assert_non_null(ec);
    unsigned char data[32] = {0};
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    assert_int_equal(sim_sign_pkcs1(ec, data, sizeof data, &sig, &sig_len), 404);
    assert_int_equal(sim_sign_pkcs1(NULL, data, sizeof data, &sig, &sig_len), 404);
    assert_null(sig);
    EVP_PKEY_free(ec);
}

static void issue_refuses_inconsistent_arguments(void **state)
{
    fixture *f = *state;
    char err[128] = "";
    /* a CA with an issuer, a leaf without one */
    assert_null(pki_issue(PKI_CERT_CA, &ca_name, f->leaf_key, f->ca, f->ca_key, err, sizeof err));
    assert_true(err[0] != '\0');
    assert_null(pki_issue(PKI_CERT_SERVER, &ca_name, f->leaf_key, NULL, f->ca_key, err,
                          sizeof err));
    assert_null(pki_issue((pki_cert_kind)99, &ca_name, f->leaf_key, f->ca, f->ca_key, err,
                          sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ca_is_a_self_signed_ca_for_certificates_and_crls),
        cmocka_unit_test(server_cert_verifies_as_tls_server_with_loopback_names),
        cmocka_unit_test(ap_cert_verifies_as_tls_client_only),
        cmocka_unit_test(cert_from_another_ca_does_not_verify),
        cmocka_unit_test(user_authn_cert_is_for_digital_signature_and_client_auth),
        cmocka_unit_test(user_sign_cert_is_for_non_repudiation_only),
        cmocka_unit_test(user_subject_carries_the_msisdn_as_serial_number),
        cmocka_unit_test(serials_are_random_positive_and_16_bytes),
        cmocka_unit_test(validity_is_825_days_and_sha256_signed),
        cmocka_unit_test(key_and_cert_encodings_round_trip),
        cmocka_unit_test(sim_signature_verifies_with_the_certificate_key),
        cmocka_unit_test(sim_signs_up_to_modulus_minus_11_bytes_and_no_more),
        cmocka_unit_test(sim_refuses_a_key_that_is_not_rsa),
        cmocka_unit_test(issue_refuses_inconsistent_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
