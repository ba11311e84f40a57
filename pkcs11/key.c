/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A key's public facts, decoded once from its cached certificate: what the objects'
 * attributes show (object.c), what a signature is checked against, and CKA_ID = SHA-1
 * of the public key BIT STRING's contents (the usual "subject key identifier"
 * method 1), which is how OpenSSH, NSS, libp11 and SunPKCS11 pair the three objects.
 * The certificate's validity period is kept too: a key is not asked to sign outside
 * it (docs/errors.md).
 */
#include "module.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "mlog.h"

/* Copy an i2d encoding into malloc'd memory (OpenSSL's allocation freed at once). */
static int take_der(int der_len, unsigned char *ossl_buf, unsigned char **out, size_t *len)
{
    if (der_len <= 0 || ossl_buf == NULL)
        return -1;
    *out = malloc((size_t)der_len);
    if (*out != NULL)
        memcpy(*out, ossl_buf, (size_t)der_len);
    OPENSSL_free(ossl_buf);
    *len = (size_t)der_len;
    return *out != NULL ? 0 : -1;
}

static int take_bn(const EVP_PKEY *pk, const char *param, unsigned char **out, size_t *len)
{
    BIGNUM *bn = NULL;
    int n, ok = -1;

    if (!EVP_PKEY_get_bn_param(pk, param, &bn))
        return -1;
    n = BN_num_bytes(bn);
    *out = malloc(n > 0 ? (size_t)n : 1);
    if (*out != NULL) {
        *len = (size_t)BN_bn2bin(bn, *out);
        ok = 0;
    }
    BN_free(bn);
    return ok;
}

static int rsa_fill(p11_key *key, const EVP_PKEY *pk)
{
    if (take_bn(pk, OSSL_PKEY_PARAM_RSA_N, &key->modulus, &key->modulus_len) != 0 ||
        take_bn(pk, OSSL_PKEY_PARAM_RSA_E, &key->exponent, &key->exponent_len) != 0)
        return -1;
    key->key_type = CKK_RSA;
    key->bits = (CK_ULONG)EVP_PKEY_get_bits(pk);
    return 0;
}

/* The named curves a SIM key can be on (their field length fits mss_ecdsa_to_raw). */
static const char *const ec_curves[] = {"prime256v1", "secp384r1", "secp521r1"};

/* CKA_EC_PARAMS: the curve's DER OBJECT IDENTIFIER. CKA_EC_POINT: the uncompressed
 * point in a DER OCTET STRING (what OpenSSH, NSS and p11-kit expect). */
static int ec_fill(p11_key *key, const EVP_PKEY *pk)
{
    char curve[64];
    unsigned char point[160];
    size_t point_len = 0, i, hdr;
    ASN1_OBJECT *oid;
    unsigned char *buf = NULL;
    int n, known = 0;

    if (!EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, curve, sizeof curve,
                                        NULL))
        return -1;
    for (i = 0; i < sizeof ec_curves / sizeof ec_curves[0]; i++)
        known |= strcmp(curve, ec_curves[i]) == 0;
    if (!known) {
        mlog_warn("cached certificate holds an EC key on curve %s; only P-256, P-384 and "
                  "P-521 are supported", curve);
        return -1;
    }
    oid = OBJ_txt2obj(curve, 0);
    n = oid != NULL ? i2d_ASN1_OBJECT(oid, &buf) : -1;
    ASN1_OBJECT_free(oid);
    if (take_der(n, buf, &key->ec_params, &key->ec_params_len) != 0)
        return -1;
    if (!EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                         sizeof point, &point_len) ||
        point_len < 3 || point[0] != 0x04)
        return -1;
    hdr = point_len < 0x80 ? 2 : 3;
    key->ec_point = malloc(hdr + point_len);
    if (key->ec_point == NULL)
        return -1;
    key->ec_point[0] = 0x04; /* OCTET STRING */
    if (hdr == 2) {
        key->ec_point[1] = (unsigned char)point_len;
    } else {
        key->ec_point[1] = 0x81;
        key->ec_point[2] = (unsigned char)point_len;
    }
    memcpy(key->ec_point + hdr, point, point_len);
    key->ec_point_len = hdr + point_len;
    key->key_type = CKK_EC;
    key->bits = (CK_ULONG)EVP_PKEY_get_bits(pk); /* the field size: 256, 384, 521 */
    return 0;
}

static int key_fill(p11_key *key, X509 *x)
{
    X509_PUBKEY *xpk = X509_get_X509_PUBKEY(x);
    EVP_PKEY *pk = X509_get0_pubkey(x);
    const unsigned char *bits;
    unsigned char *buf;
    int bits_len, n;

    if (pk == NULL || xpk == NULL)
        return -1;
    switch (EVP_PKEY_get_base_id(pk)) {
    case EVP_PKEY_RSA:
        if (rsa_fill(key, pk) != 0)
            return -1;
        break;
    case EVP_PKEY_EC:
        if (ec_fill(key, pk) != 0)
            return -1;
        break;
    default:
        mlog_warn("cached certificate holds neither an RSA nor an EC key");
        return -1;
    }

    buf = NULL;
    n = i2d_X509_NAME(X509_get_subject_name(x), &buf);
    if (take_der(n, buf, &key->subject, &key->subject_len) != 0)
        return -1;
    buf = NULL;
    n = i2d_X509_NAME(X509_get_issuer_name(x), &buf);
    if (take_der(n, buf, &key->issuer, &key->issuer_len) != 0)
        return -1;
    buf = NULL;
    n = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &buf);
    if (take_der(n, buf, &key->serial, &key->serial_len) != 0)
        return -1;
    buf = NULL;
    n = i2d_X509_PUBKEY(xpk, &buf);
    if (take_der(n, buf, &key->spki, &key->spki_len) != 0)
        return -1;

    if (!X509_PUBKEY_get0_param(NULL, &bits, &bits_len, NULL, xpk) || bits_len <= 0)
        return -1;
    SHA1(bits, (size_t)bits_len, key->id);
    return 0;
}

int p11_key_load_cert(p11_key *key, X509 *x, const unsigned char *der, size_t der_len)
{
    if (x == NULL || der == NULL || der_len == 0 || der_len > 64 * 1024)
        return -1;
    key->cert = malloc(der_len);
    if (key->cert == NULL || key_fill(key, x) != 0 ||
        mss_cert_dates_of(x, &key->not_before, &key->not_after) != 0) {
        p11_key_clear(key);
        return -1;
    }
    memcpy(key->cert, der, der_len);
    key->cert_len = der_len;
    return 0;
}

int p11_key_load(p11_key *key, const unsigned char *der, size_t der_len)
{
    const unsigned char *p = der;
    X509 *x;
    int rc;

    if (der == NULL || der_len == 0 || der_len > 64 * 1024)
        return -1;
    x = d2i_X509(NULL, &p, (long)der_len);
    rc = x != NULL && p == der + der_len ? p11_key_load_cert(key, x, der, der_len) : -1;
    X509_free(x);
    return rc;
}

const mss_verify_key *p11_key_verifier(const p11_key *key, mss_detail *detail)
{
    /* The cache is the key's own, so the key stays const for its readers; the pointer
     * is set once, by whichever thread gets there first. */
    _Atomic(mss_verify_key *) *slot = (_Atomic(mss_verify_key *) *)&key->verifier;
    mss_verify_key *made = atomic_load(slot), *none = NULL;

    if (made != NULL)
        return made;
    if (mss_verify_key_new(key->cert, key->cert_len, &made, detail) != MSS_OK)
        return NULL;
    if (!atomic_compare_exchange_strong(slot, &none, made)) {
        mss_verify_key_free(made); /* another thread's is there: use that one */
        return none;
    }
    return made;
}

void p11_key_clear(p11_key *key)
{
    mss_verify_key_free(atomic_exchange(&key->verifier, NULL));
    free(key->cert);
    free(key->subject);
    free(key->issuer);
    free(key->serial);
    free(key->spki);
    free(key->modulus);
    free(key->exponent);
    free(key->ec_params);
    free(key->ec_point);
    key->cert = key->subject = key->issuer = key->serial = NULL;
    key->spki = key->modulus = key->exponent = key->ec_params = key->ec_point = NULL;
    key->present = 0;
}

int p11_key_valid_at(const p11_key *key, time_t now)
{
    const char *what = now < key->not_before ? "is not valid before" : "expired on";
    time_t when = now < key->not_before ? key->not_before : key->not_after;
    char date[40];

    if (now >= key->not_before && now <= key->not_after)
        return 1;
    mss_cert_time_text(when, date, sizeof date);
    mlog_error("%s key \"%s\": its certificate %s %s; refusing to sign, nothing is sent to "
               "the MSSP (mss-tool enroll --renew fetches a new certificate)",
               mss_key_role_name(key->role), key->label ? key->label : "", what, date);
    return 0;
}

size_t p11_key_sig_len(const p11_key *key)
{
    if (key->key_type == CKK_EC)
        return 2 * (((size_t)key->bits + 7) / 8);
    return ((size_t)key->bits + 7) / 8;
}
