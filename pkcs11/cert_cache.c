/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The certificate cache: what mss-tool enroll learned from MSS_ProfileQuery, kept on
 * disk so that the module can answer C_GetSlotList, C_FindObjects and the rest without
 * the network. One PEM certificate per key: <cache_dir>/<user>/<role>.pem.
 */
#include "config.h"

#include "mss_config.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A cached certificate larger than this is not a certificate we wrote. */
#define CACHE_MAX_PEM (64 * 1024)

int mss_cache_path(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s/%s/%s.pem", conf->cache_dir, user->name,
                     mss_key_role_name(role));
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

int mss_cache_read(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   unsigned char **der, size_t *der_len)
{
    char path[PATH_MAX];
    *der = NULL;
    *der_len = 0;
    if (mss_cache_path(conf, user, role, path, sizeof path) != 0)
        return -1;
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > CACHE_MAX_PEM) {
        fclose(f);
        return -1;
    }
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!cert)
        return -1;
    unsigned char *out = NULL;
    int n = i2d_X509(cert, &out);
    X509_free(cert);
    if (n <= 0)
        return -1;
    *der = malloc((size_t)n);
    if (!*der) {
        OPENSSL_free(out);
        return -1;
    }
    memcpy(*der, out, (size_t)n);
    OPENSSL_free(out);
    *der_len = (size_t)n;
    return 0;
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

int mss_cache_write(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                    const unsigned char *der, size_t der_len, char *err, size_t err_len)
{
    char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX + 8];
    const unsigned char *p = der;
    X509 *cert = d2i_X509(NULL, &p, (long)der_len);
    if (!cert || p != der + der_len) {
        X509_free(cert);
        snprintf(err, err_len, "not a DER X.509 certificate");
        return -1;
    }
    if (snprintf(dir, sizeof dir, "%s/%s", conf->cache_dir, user->name) >= (int)sizeof dir ||
        mss_cache_path(conf, user, role, path, sizeof path) != 0) {
        X509_free(cert);
        snprintf(err, err_len, "cache path too long");
        return -1;
    }
    if (make_dirs(dir, err, err_len) != 0) {
        X509_free(cert);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        X509_free(cert);
        snprintf(err, err_len, "cannot create %s: %s", tmp, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    int ok = f && fchmod(fd, 0644) == 0 && PEM_write_X509(f, cert) == 1;
    ok = (f ? fclose(f) == 0 : (close(fd), 0)) && ok;
    X509_free(cert);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, err_len, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
