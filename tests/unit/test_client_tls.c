/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client's TLS rules against the stand-in MSSP speaking https: the configured CA
 * file is what verifies the server, the host name must match, and nothing falls back.
 * Certificates are made here with OpenSSL (a test CA, a server certificate for
 * 127.0.0.1, a second CA and a certificate for another name).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mock_mssp.h"
#include <mss/mss.h>

typedef struct pki {
    char ca_file[64];          /* PEM of the CA that issued the server certificates */
    char other_ca_file[64];    /* PEM of an unrelated CA */
    char *key_pem;             /* server key */
    char *cert_pem;            /* server certificate for IP 127.0.0.1 */
    char *wrong_name_cert_pem; /* same key, certificate only for wrong.example */
    char pin[64];              /* sha256//base64 of the server's public key */
    char other_pin[64];        /* the same for the other CA's key */
    char client_cert_file[64]; /* an AP client certificate ... */
    char client_key_file[64];  /* ... and its key, encrypted with the password below */
    char password_file[64];    /* "ap key password\n" */
    char wrong_password_file[64];
    char *ca_pem;              /* the CA, as the server's trust list for client certificates */
    char other_client_cert_file[64]; /* a client certificate from the other CA ... */
    char other_client_key_file[64];  /* ... and its (plain) key */
} pki;

#define CLIENT_KEY_PASSWORD "ap key password"

/* libcurl's pin form: "sha256//" + base64(SHA-256(SubjectPublicKeyInfo DER)). */
static void make_pin(EVP_PKEY *key, char out[64])
{
    unsigned char *spki = NULL;
    int len = i2d_PUBKEY(key, &spki);
    assert_true(len > 0);
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(spki, (size_t)len, md);
    OPENSSL_free(spki);
    memcpy(out, "sha256//", 8);
    assert_int_equal(EVP_EncodeBlock((unsigned char *)out + 8, md, sizeof md), 44);
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    assert_non_null(ext);
    assert_int_equal(X509_add_ext(cert, ext, -1), 1);
    X509_EXTENSION_free(ext);
}

/* A certificate for key, issued by issuer_key/issuer (self-signed when issuer is NULL). */
static X509 *make_cert(EVP_PKEY *key, EVP_PKEY *issuer_key, X509 *issuer, const char *cn,
                       const char *san, long serial)
{
    X509 *x = X509_new();
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, 2), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), serial), 1);
    assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), -60));
    assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 3600));
    X509_NAME *name = X509_get_subject_name(x);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)cn, -1, -1, 0), 1);
    assert_int_equal(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name), 1);
    assert_int_equal(X509_set_pubkey(x, key), 1);
    X509 *iss = issuer ? issuer : x;
    add_ext(x, iss, NID_subject_key_identifier, "hash");
    add_ext(x, iss, NID_authority_key_identifier, "keyid:always");
    if (san == NULL) {
        add_ext(x, iss, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(x, iss, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(x, iss, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(x, iss, NID_ext_key_usage, "serverAuth");
        add_ext(x, iss, NID_subject_alt_name, san);
    }
    assert_true(X509_sign(x, issuer_key, EVP_sha256()) > 0);
    return x;
}

static char *bio_string(BIO *bio)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    assert_true(n > 0);
    char *out = malloc((size_t)n + 1);
    assert_non_null(out);
    memcpy(out, data, (size_t)n);
    out[n] = '\0';
    BIO_free(bio);
    return out;
}

static char *cert_pem(X509 *x)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_X509(bio, x), 1);
    return bio_string(bio);
}

static void write_temp(char path[64], const char *text)
{
    snprintf(path, 64, "/tmp/mss-test-ca-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static int setup(void **state)
{
    pki *p = calloc(1, sizeof *p);
    EVP_PKEY *ca_key = EVP_EC_gen("P-256"), *other_key = EVP_EC_gen("P-256");
    EVP_PKEY *server_key = EVP_EC_gen("P-256");
    if (p == NULL || ca_key == NULL || other_key == NULL || server_key == NULL)
        return -1;
    X509 *ca = make_cert(ca_key, ca_key, NULL, "mss test CA", NULL, 1);
    X509 *other_ca = make_cert(other_key, other_key, NULL, "mss other CA", NULL, 1);
    X509 *server_cert = make_cert(server_key, ca_key, ca, "127.0.0.1", "IP:127.0.0.1", 2);
    X509 *wrong = make_cert(server_key, ca_key, ca, "wrong.example", "DNS:wrong.example", 3);

    char *pem = cert_pem(ca);
    write_temp(p->ca_file, pem);
    p->ca_pem = pem;
    pem = cert_pem(other_ca);
    write_temp(p->other_ca_file, pem);
    free(pem);
    p->cert_pem = cert_pem(server_cert);
    p->wrong_name_cert_pem = cert_pem(wrong);
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey(bio, server_key, NULL, NULL, 0, NULL, NULL), 1);
    p->key_pem = bio_string(bio);
    make_pin(server_key, p->pin);
    make_pin(other_key, p->other_pin);

    /* An AP client certificate whose key is stored encrypted. */
    EVP_PKEY *client_key = EVP_EC_gen("P-256");
    assert_non_null(client_key);
    X509 *client_cert = make_cert(client_key, ca_key, ca, "ap.test", "DNS:ap.test", 4);
    pem = cert_pem(client_cert);
    write_temp(p->client_cert_file, pem);
    free(pem);
    bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey(bio, client_key, EVP_aes_256_cbc(), NULL, 0, NULL,
                                              (void *)CLIENT_KEY_PASSWORD), 1);
    pem = bio_string(bio);
    write_temp(p->client_key_file, pem);
    free(pem);
    write_temp(p->password_file, CLIENT_KEY_PASSWORD "\n");
    write_temp(p->wrong_password_file, "not the password\n");
    X509_free(client_cert);
    EVP_PKEY_free(client_key);

    /* A client certificate the server's trust list does not know. */
    EVP_PKEY *stranger_key = EVP_EC_gen("P-256");
    assert_non_null(stranger_key);
    X509 *stranger = make_cert(stranger_key, other_key, other_ca, "ap.test", "DNS:ap.test", 5);
    pem = cert_pem(stranger);
    write_temp(p->other_client_cert_file, pem);
    free(pem);
    bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PrivateKey(bio, stranger_key, NULL, NULL, 0, NULL, NULL), 1);
    pem = bio_string(bio);
    write_temp(p->other_client_key_file, pem);
    free(pem);
    X509_free(stranger);
    EVP_PKEY_free(stranger_key);

    X509_free(ca);
    X509_free(other_ca);
    X509_free(server_cert);
    X509_free(wrong);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(other_key);
    EVP_PKEY_free(server_key);
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    pki *p = *state;
    unlink(p->ca_file);
    unlink(p->other_ca_file);
    unlink(p->client_cert_file);
    unlink(p->client_key_file);
    unlink(p->password_file);
    unlink(p->wrong_password_file);
    unlink(p->other_client_cert_file);
    unlink(p->other_client_key_file);
    free(p->ca_pem);
    free(p->key_pem);
    free(p->cert_pem);
    free(p->wrong_name_cert_pem);
    free(p);
    return 0;
}

/* Options a test adds on top of the URL and CA file. */
typedef struct extra_opts {
    const char *pin;
    const char *client_cert, *client_key, *password_file;
} extra_opts;

static mss_error sign_with(const char *url, const char *ca_file, const extra_opts *x)
{
    mss_detail detail;
    mss_client_options o = {0};
    o.url = url;
    o.ca_file = ca_file;
    if (x != NULL) {
        o.pinned_pubkey = x->pin;
        o.client_cert = x->client_cert;
        o.client_key = x->client_key;
        o.client_key_password_file = x->password_file;
    }
    o.ap_id = "http://ap.test/";
    o.mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    o.timeout_s = 5;
    o.poll_first_ms = 10;
    o.poll_interval_ms = 10;
    o.connect_timeout_ms = 3000;
    mss_client *c = NULL;
    assert_int_equal(mss_client_new(&o, &c, &detail), MSS_OK);
    mss_sign_request r = {0};
    r.msisdn = MOCK_MSISDN;
    r.dtbs = (const unsigned char *)"abc";
    r.dtbs_len = 3;
    mss_sign_result res;
    mss_error rc = mss_client_sign(c, &r, &res, &detail);
    if (rc == MSS_OK)
        assert_memory_equal(res.signature, MOCK_SIG, sizeof MOCK_SIG);
    else
        assert_true(detail.text[0] != '\0');
    mss_sign_result_clear(&res);
    mss_client_free(c);
    return rc;
}

static mss_error sign_once(const char *url, const char *ca_file)
{
    return sign_with(url, ca_file, NULL);
}

static void test_configured_ca_verifies_server(void **state)
{
    pki *p = *state;
    server *s = server_start(respond_immediate, p->key_pem, p->cert_pem);
    assert_int_equal(strncmp(s->url, "https://", 8), 0);
    assert_int_equal(sign_once(s->url, p->ca_file), MSS_OK);
    assert_int_equal(s->n_sig, 1);
    assert_int_equal(s->n_status, 1);
    server_stop(s);
}

static void test_other_ca_is_refused(void **state)
{
    pki *p = *state;
    server *s = server_start(respond_immediate, p->key_pem, p->cert_pem);
    assert_int_equal(sign_once(s->url, p->other_ca_file), MSS_ERR_TLS);
    /* The system trust store does not know the test CA either. */
    assert_int_equal(sign_once(s->url, NULL), MSS_ERR_TLS);
    assert_int_equal(s->n_sig, 0);
    server_stop(s);
}

static void test_host_name_must_match(void **state)
{
    pki *p = *state;
    server *s = server_start(respond_immediate, p->key_pem, p->wrong_name_cert_pem);
    assert_int_equal(sign_once(s->url, p->ca_file), MSS_ERR_TLS);
    assert_int_equal(s->n_sig, 0);
    server_stop(s);
}

static void test_public_key_pin(void **state)
{
    pki *p = *state;
    server *s = server_start(respond_immediate, p->key_pem, p->cert_pem);
    extra_opts right = {.pin = p->pin}, wrong = {.pin = p->other_pin};
    char both[160];
    snprintf(both, sizeof both, "%s;%s", p->other_pin, p->pin);
    extra_opts either = {.pin = both};
    assert_int_equal(sign_with(s->url, p->ca_file, &right), MSS_OK);
    assert_int_equal(sign_with(s->url, p->ca_file, &either), MSS_OK);
    assert_int_equal(s->n_sig, 2);
    /* A pin that does not match stops the request before anything is sent... */
    assert_int_equal(sign_with(s->url, p->ca_file, &wrong), MSS_ERR_TLS);
    assert_int_equal(s->n_sig, 2);
    /* ... and a matching pin does not replace CA verification. */
    assert_int_equal(sign_with(s->url, p->other_ca_file, &right), MSS_ERR_TLS);
    assert_int_equal(s->n_sig, 2);
    server_stop(s);
}

static void test_encrypted_client_key_with_password_file(void **state)
{
    pki *p = *state;
    server *s = server_start(respond_immediate, p->key_pem, p->cert_pem);
    extra_opts good = {.client_cert = p->client_cert_file, .client_key = p->client_key_file,
                       .password_file = p->password_file};
    extra_opts bad = good;
    bad.password_file = p->wrong_password_file;
    assert_int_equal(sign_with(s->url, p->ca_file, &good), MSS_OK);
    assert_int_equal(sign_with(s->url, p->ca_file, &bad), MSS_ERR_TLS);
    assert_int_equal(s->n_sig, 1);
    server_stop(s);
}

/* An MSSP that checks the AP's client certificate. */
static void test_client_certificate_is_checked(void **state)
{
    pki *p = *state;
    server *s = server_start_client_auth(respond_immediate, p->key_pem, p->cert_pem, p->ca_pem);
    extra_opts good = {.client_cert = p->client_cert_file, .client_key = p->client_key_file,
                       .password_file = p->password_file};
    extra_opts stranger = {.client_cert = p->other_client_cert_file,
                           .client_key = p->other_client_key_file};
    assert_int_equal(sign_with(s->url, p->ca_file, &good), MSS_OK);
    assert_int_equal(s->n_rejected, 0);
    assert_int_equal(sign_with(s->url, p->ca_file, NULL), MSS_ERR_HTTP);
    assert_int_equal(sign_with(s->url, p->ca_file, &stranger), MSS_ERR_HTTP);
    assert_int_equal(s->n_rejected, 2);
    assert_int_equal(s->n_sig, 1);
    server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_configured_ca_verifies_server),
        cmocka_unit_test(test_other_ca_is_refused),
        cmocka_unit_test(test_host_name_must_match),
        cmocka_unit_test(test_public_key_pin),
        cmocka_unit_test(test_encrypted_client_key_with_password_file),
        cmocka_unit_test(test_client_certificate_is_checked),
    };
    return cmocka_run_group_tests_name("mss_client TLS", tests, setup, teardown);
}
