/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The servers' own PKI (refmssp's test CA, mss-relay's CA for its users): key
 * generation and X.509v3 certificates, each kind with the extensions real clients
 * check (TLS server, TLS client, user authentication key, user non-repudiation key).
 */
#ifndef MSS_SERVER_PKI_H
#define MSS_SERVER_PKI_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* Validity of every issued certificate (the CA/Browser Forum's old maximum). */
#define PKI_VALIDITY_DAYS 825

typedef enum pki_cert_kind {
    PKI_CERT_CA = 0,      /* self-signed root: CA:TRUE, keyCertSign + cRLSign */
    PKI_CERT_SERVER,      /* TLS server: SAN IP:127.0.0.1 + DNS:localhost (+ host_name),
                           * serverAuth */
    PKI_CERT_TLS_CLIENT,  /* a TLS client (an AP toward an MSSP, a desktop toward
                           * mss-relay): digitalSignature, clientAuth */
    PKI_CERT_USER_AUTHN,  /* a user's authentication key: digitalSignature, clientAuth */
    PKI_CERT_USER_SIGN    /* a user's signing key: nonRepudiation */
} pki_cert_kind;

/* Subject name parts; NULL parts are left out. */
typedef struct pki_name {
    const char *cn;
    const char *serial_number;  /* the DN attribute serialNumber (e.g. an MSISDN) */
    const char *org;
    const char *host_name;      /* PKI_CERT_SERVER: one more name in its subjectAltName, a
                                 * DNS name or an IP address; NULL: none */
} pki_name;

/* A fresh RSA key of BITS bits, or NULL. */
EVP_PKEY *pki_rsa_generate(unsigned bits);

/* The key types a user's key may have. */
typedef enum pki_key_type {
    PKI_KEY_RSA2048 = 0,
    PKI_KEY_RSA3072,
    PKI_KEY_EC_P256,
    PKI_KEY_EC_P384
} pki_key_type;

/* "rsa2048", "rsa3072", "ecp256", "ecp384" <-> the enum. Parse: 0 or -1. */
int pki_key_type_parse(const char *name, pki_key_type *out);
const char *pki_key_type_name(pki_key_type type);
/* 1 for the EC types. */
int pki_key_type_is_ec(pki_key_type type);

/* A fresh key of TYPE, or NULL. */
EVP_PKEY *pki_key_generate(pki_key_type type);

/*
 * Issue a certificate of KIND for SUBJECT_KEY. For PKI_CERT_CA the certificate is
 * self-signed (issuer_cert NULL, issuer_key = subject_key). Returns NULL and a
 * one-line reason in err on failure.
 */
X509 *pki_issue(pki_cert_kind kind, const pki_name *subject, EVP_PKEY *subject_key,
                X509 *issuer_cert, EVP_PKEY *issuer_key, char *err, size_t err_len);

/* PEM / DER conversions. Returned buffers are malloc'd; the caller frees them. */
char *pki_key_to_pem(EVP_PKEY *key);                 /* PKCS#8, unencrypted */
char *pki_cert_to_pem(X509 *cert);
int pki_cert_to_der(X509 *cert, unsigned char **der, size_t *der_len);
EVP_PKEY *pki_key_from_pem(const char *pem);
X509 *pki_cert_from_der(const unsigned char *der, size_t der_len);

/* Read a CA (or any) certificate and its private key from PEM files. 0, or -1 with
 * "FILE: reason" in ERR and nothing set. The key's text is wiped after parsing. */
int pki_load_pair(const char *cert_path, const char *key_path, X509 **cert, EVP_PKEY **key,
                  char *err, size_t err_len);

#endif /* MSS_SERVER_PKI_H */
