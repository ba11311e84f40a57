/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The certificate cache: what mss-tool enroll learned from MSS_ProfileQuery, kept on
 * disk so that the module can answer C_GetSlotList, C_FindObjects and the rest without
 * the network. One PEM certificate per key: <cache_dir>/<user>/<role>.pem.
 */
#include "config.h"

#include "conf_internal.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A cached certificate larger than this is not a certificate we wrote. */
#define CACHE_MAX_PEM (64 * 1024)

int mss_cache_path(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s/%s/%s.pem", conf->cache_dir, user->name,
                     mss_key_role_name(role));
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

/* The whole PEM file: mss_conf_read_file refuses what is not a plain file of sensible size,
 * a symlink, or a file others may replace, before OpenSSL sees a byte of it. */
static char *read_pem(const char *path)
{
    char *pem = NULL, why[128];
    if (mss_conf_read_file(path, CACHE_MAX_PEM, MSS_CONF_FILE_NOT_WRITABLE, &pem, NULL, why,
                           sizeof why) != 0)
        return NULL;
    return pem;
}

/* PEM text → DER, and the parsed certificate when cert is not NULL (else freed). */
static int decode_cert(const char *pem, unsigned char **der, size_t *der_len, X509 **cert)
{
    *der = NULL;
    *der_len = 0;
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (!x)
        return -1;
    unsigned char *out = NULL;
    int n = i2d_X509(x, &out);
    if (n <= 0 || (*der = malloc((size_t)n)) == NULL) {
        OPENSSL_free(out);
        X509_free(x);
        return -1;
    }
    memcpy(*der, out, (size_t)n);
    OPENSSL_free(out);
    *der_len = (size_t)n;
    if (cert != NULL)
        *cert = x;
    else
        X509_free(x);
    return 0;
}

int conf_cache_decode(const char *pem, unsigned char **der, size_t *der_len)
{
    return decode_cert(pem, der, der_len, NULL);
}

int mss_cache_read_cert(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                        unsigned char **der, size_t *der_len, X509 **cert)
{
    char path[PATH_MAX];
    *der = NULL;
    *der_len = 0;
    if (cert != NULL)
        *cert = NULL;
    if (mss_cache_path(conf, user, role, path, sizeof path) != 0)
        return -1;
    /* A refused or unreadable certificate is an absent one: the key is not offered. */
    char *pem = read_pem(path);
    if (!pem)
        return -1;
    int rc = decode_cert(pem, der, der_len, cert);
    free(pem);
    return rc;
}

int mss_cache_read(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   unsigned char **der, size_t *der_len)
{
    return mss_cache_read_cert(conf, user, role, der, der_len, NULL);
}

static int make_dir(const char *path, char *err, size_t err_len)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    snprintf(err, err_len, "cannot create %s: %s", path, strerror(errno));
    return -1;
}

/* mkdir -p for the cache folder (each created level is 0700). */
static int make_dirs(const char *path, char *err, size_t err_len)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, err_len, "cache path too long");
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (make_dir(buf, err, err_len) != 0)
            return -1;
        *p = '/';
    }
    return make_dir(buf, err, err_len);
}

/* DER in, PEM text out (malloc'd): the cache holds PEM so that people can read it. */
static char *der_to_pem(const unsigned char *der, size_t der_len, size_t *pem_len)
{
    const unsigned char *p = der;
    X509 *cert = d2i_X509(NULL, &p, (long)der_len);
    if (!cert || p != der + der_len) {
        X509_free(cert);
        return NULL;
    }
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *pem = NULL;
    long n = bio && PEM_write_bio_X509(bio, cert) == 1 ? BIO_get_mem_data(bio, &data) : 0;
    if (n > 0 && (pem = malloc((size_t)n)) != NULL) {
        memcpy(pem, data, (size_t)n);
        *pem_len = (size_t)n;
    }
    BIO_free(bio);
    X509_free(cert);
    return pem;
}

int mss_cache_write(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                    const unsigned char *der, size_t der_len, char *err, size_t err_len)
{
    char dir[PATH_MAX], path[PATH_MAX];
    size_t pem_len = 0;
    char *pem = der_to_pem(der, der_len, &pem_len);
    if (!pem) {
        snprintf(err, err_len, "not a DER X.509 certificate");
        return -1;
    }
    int rc = -1;
    if (snprintf(dir, sizeof dir, "%s/%s", conf->cache_dir, user->name) >= (int)sizeof dir ||
        mss_cache_path(conf, user, role, path, sizeof path) != 0)
        snprintf(err, err_len, "cache path too long");
    else if (make_dirs(dir, err, err_len) == 0)
        rc = mss_conf_write_atomic(path, pem, pem_len, 0644, err, err_len);
    free(pem);
    return rc;
}
