/* SPDX-License-Identifier: BSD-3-Clause */
/* Test PKI: keys and certificates. See pki.h. */
#include "pki.h"
#include "files.h"

#include <errno.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

EVP_PKEY *pki_rsa_generate(unsigned bits)
{
    return EVP_RSA_gen(bits);
}

static const char *const key_type_names[] = {
    [PKI_KEY_RSA2048] = "rsa2048",
    [PKI_KEY_RSA3072] = "rsa3072",
    [PKI_KEY_EC_P256] = "ecp256",
    [PKI_KEY_EC_P384] = "ecp384",
};

int pki_key_type_parse(const char *name, pki_key_type *out)
{
    for (size_t i = 0; name != NULL && i < sizeof key_type_names / sizeof key_type_names[0]; i++) {
        if (strcmp(name, key_type_names[i]) == 0) {
            *out = (pki_key_type)i;
            return 0;
        }
    }
    return -1;
}

const char *pki_key_type_name(pki_key_type type)
{
    return (unsigned)type <= PKI_KEY_EC_P384 ? key_type_names[type] : "unknown";
}

int pki_key_type_is_ec(pki_key_type type)
{
    return type == PKI_KEY_EC_P256 || type == PKI_KEY_EC_P384;
}

EVP_PKEY *pki_key_generate(pki_key_type type)
{
    switch (type) {
    case PKI_KEY_RSA2048:
        return EVP_RSA_gen(2048);
    case PKI_KEY_RSA3072:
        return EVP_RSA_gen(3072);
    case PKI_KEY_EC_P256:
        return EVP_EC_gen("P-256");
    case PKI_KEY_EC_P384:
        return EVP_EC_gen("P-384");
    }
    return NULL;
}

static void set_err(char *err, size_t err_len, const char *what)
{
    if (err == NULL || err_len == 0)
        return;
    unsigned long e = ERR_get_error();
    if (e != 0) {
        char buf[160];
        ERR_error_string_n(e, buf, sizeof buf);
        snprintf(err, err_len, "%s: %s", what, buf);
    } else {
        snprintf(err, err_len, "%s", what);
    }
    ERR_clear_error();
}

/* A random positive 128-bit serial: unique without keeping a counter anywhere. */
static int set_random_serial(X509 *cert)
{
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    raw[0] &= 0x7f;    /* positive as a DER INTEGER */
    raw[0] |= 0x40;    /* and exactly 16 bytes long, never zero */
    BIGNUM *bn = BN_bin2bn(raw, sizeof raw, NULL);
    if (bn == NULL)
        return -1;
    ASN1_INTEGER *serial = BN_to_ASN1_INTEGER(bn, NULL);
    BN_free(bn);
    if (serial == NULL)
        return -1;
    int ok = X509_set_serialNumber(cert, serial);
    ASN1_INTEGER_free(serial);
    return ok == 1 ? 0 : -1;
}

static int add_name_part(X509_NAME *name, const char *field, const char *value)
{
    if (value == NULL)
        return 0;
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      (const unsigned char *)value, -1, -1, 0) == 1 ? 0 : -1;
}

static X509_NAME *build_name(const pki_name *n)
{
    X509_NAME *name = X509_NAME_new();
    if (name == NULL)
        return NULL;
    if (add_name_part(name, "CN", n->cn) != 0 ||
        add_name_part(name, "serialNumber", n->serial_number) != 0 ||
        add_name_part(name, "O", n->org) != 0) {
        X509_NAME_free(name);
        return NULL;
    }
    return name;
}

static int add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    if (ext == NULL)
        return -1;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok == 1 ? 0 : -1;
}

/* One row per kind: the extensions that make the certificate fit its one purpose. */
typedef struct kind_profile {
    const char *basic_constraints;
    const char *key_usage;
    const char *ext_key_usage;   /* NULL: none */
    const char *subject_alt_name;/* NULL: none */
} kind_profile;

static const kind_profile kind_profiles[] = {
    [PKI_CERT_CA] = {"critical,CA:TRUE", "critical,keyCertSign,cRLSign", NULL, NULL},
    [PKI_CERT_SERVER] = {"critical,CA:FALSE", "critical,digitalSignature,keyEncipherment",
                         "serverAuth", "IP:127.0.0.1,DNS:localhost"},
    [PKI_CERT_TLS_CLIENT] = {"critical,CA:FALSE", "critical,digitalSignature", "clientAuth", NULL},
    [PKI_CERT_USER_AUTHN] = {"critical,CA:FALSE", "critical,digitalSignature", "clientAuth", NULL},
    [PKI_CERT_USER_SIGN] = {"critical,CA:FALSE", "critical,nonRepudiation", NULL, NULL},
};

/* "IP:127.0.0.1,DNS:localhost" and HOST (an address or a DNS name) when given. */
static int server_alt_names(const char *fixed, const char *host, char *out, size_t len)
{
    if (host == NULL) {
        snprintf(out, len, "%s", fixed);
        return 0;
    }
    unsigned char addr[16];
    int is_ip = inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
    for (const char *p = host; *p != '\0'; p++)
        if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-' || (is_ip && *p == ':')))
            return -1;
    int n = snprintf(out, len, "%s,%s:%s", fixed, is_ip ? "IP" : "DNS", host);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

static int add_kind_extensions(X509 *cert, X509 *issuer, pki_cert_kind kind, const char *host)
{
    const kind_profile *p = &kind_profiles[kind];
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    if (add_ext(cert, &ctx, NID_basic_constraints, p->basic_constraints) != 0 ||
        add_ext(cert, &ctx, NID_key_usage, p->key_usage) != 0 ||
        add_ext(cert, &ctx, NID_subject_key_identifier, "hash") != 0)
        return -1;
    if (kind != PKI_CERT_CA &&
        add_ext(cert, &ctx, NID_authority_key_identifier, "keyid:always") != 0)
        return -1;
    if (p->ext_key_usage != NULL &&
        add_ext(cert, &ctx, NID_ext_key_usage, p->ext_key_usage) != 0)
        return -1;
    char alt[320];
    if (p->subject_alt_name != NULL &&
        (server_alt_names(p->subject_alt_name, host, alt, sizeof alt) != 0 ||
         add_ext(cert, &ctx, NID_subject_alt_name, alt) != 0))
        return -1;
    return 0;
}

X509 *pki_issue(pki_cert_kind kind, const pki_name *subject, EVP_PKEY *subject_key,
                X509 *issuer_cert, EVP_PKEY *issuer_key, char *err, size_t err_len)
{
    if ((unsigned)kind > PKI_CERT_USER_SIGN || subject == NULL || subject_key == NULL ||
        issuer_key == NULL || ((kind == PKI_CERT_CA) != (issuer_cert == NULL))) {
        set_err(err, err_len, "pki_issue: invalid arguments");
        return NULL;
    }
    X509 *cert = X509_new();
    X509_NAME *name = build_name(subject);
    if (cert == NULL || name == NULL)
        goto fail;
    if (X509_set_version(cert, X509_VERSION_3) != 1 || set_random_serial(cert) != 0 ||
        X509_set_subject_name(cert, name) != 1 ||
        X509_set_issuer_name(cert, issuer_cert ? X509_get_subject_name(issuer_cert) : name) != 1 ||
        X509_set_pubkey(cert, subject_key) != 1)
        goto fail;
    /* Back-date by an hour so a client with a slightly slow clock accepts it at once. */
    if (X509_gmtime_adj(X509_getm_notBefore(cert), -3600) == NULL ||
        X509_time_adj_ex(X509_getm_notAfter(cert), PKI_VALIDITY_DAYS, 0, NULL) == NULL)
        goto fail;
    if (add_kind_extensions(cert, issuer_cert ? issuer_cert : cert, kind, subject->host_name) != 0)
        goto fail;
    if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0)
        goto fail;
    X509_NAME_free(name);
    return cert;
fail:
    set_err(err, err_len, "cannot issue certificate");
    X509_NAME_free(name);
    X509_free(cert);
    return NULL;
}

/* Copy a memory BIO's contents into a malloc'd NUL-terminated string. */
static char *bio_to_string(BIO *bio)
{
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    if (n < 0)
        return NULL;
    char *out = malloc((size_t)n + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, data, (size_t)n);
    out[n] = '\0';
    return out;
}

char *pki_key_to_pem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return NULL;
    char *out = NULL;
    if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) == 1)
        out = bio_to_string(bio);
    /* The memory BIO held the key in clear: wipe it before it goes back to the heap. */
    char *data = NULL;
    long n = BIO_get_mem_data(bio, &data);
    if (n > 0)
        OPENSSL_cleanse(data, (size_t)n);
    BIO_free(bio);
    return out;
}

char *pki_cert_to_pem(X509 *cert)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL)
        return NULL;
    char *out = NULL;
    if (PEM_write_bio_X509(bio, cert) == 1)
        out = bio_to_string(bio);
    BIO_free(bio);
    return out;
}

int pki_cert_to_der(X509 *cert, unsigned char **der, size_t *der_len)
{
    int n = i2d_X509(cert, NULL);
    if (n <= 0)
        return -1;
    unsigned char *buf = malloc((size_t)n);
    if (buf == NULL)
        return -1;
    unsigned char *p = buf;
    if (i2d_X509(cert, &p) != n) {
        free(buf);
        return -1;
    }
    *der = buf;
    *der_len = (size_t)n;
    return 0;
}

EVP_PKEY *pki_key_from_pem(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    if (bio == NULL)
        return NULL;
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return key;
}

X509 *pki_cert_from_der(const unsigned char *der, size_t der_len)
{
    const unsigned char *p = der;
    if (der_len > 65536)
        return NULL;
    X509 *cert = d2i_X509(NULL, &p, (long)der_len);
    if (cert != NULL && p != der + der_len) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* Both files are small: a certificate, a key. */
#define PEM_FILE_MAX (64 * 1024)

int pki_load_pair(const char *cert_path, const char *key_path, X509 **cert, EVP_PKEY **key,
                  char *err, size_t err_len)
{
    char *pem = NULL;
    size_t len = 0;
    *cert = NULL;
    *key = NULL;
    if (srv_read_file(cert_path, PEM_FILE_MAX, &pem, NULL) != 0) {
        snprintf(err, err_len, "%s: %s", cert_path, strerror(errno));
        return -1;
    }
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *c = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    free(pem);
    if (c == NULL) {
        snprintf(err, err_len, "%s: not a PEM certificate", cert_path);
        ERR_clear_error();
        return -1;
    }
    if (srv_read_file(key_path, PEM_FILE_MAX, &pem, &len) != 0) {
        snprintf(err, err_len, "%s: %s", key_path, strerror(errno));
        X509_free(c);
        return -1;
    }
    EVP_PKEY *k = pki_key_from_pem(pem);
    OPENSSL_cleanse(pem, len);
    free(pem);
    if (k == NULL || X509_check_private_key(c, k) != 1) {
        snprintf(err, err_len, "%s: %s", key_path,
                 k == NULL ? "not a PEM private key" : "not the key of the certificate");
        ERR_clear_error();
        EVP_PKEY_free(k);
        X509_free(c);
        return -1;
    }
    *cert = c;
    *key = k;
    return 0;
}
