/* SPDX-License-Identifier: BSD-3-Clause */
/* Files made by one set-up command, removed again on failure; see file_set.h. */
#include "file_set.h"

#include "files.h"
#include "pki.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

static int remember(srv_file_set *set, const char *path, int is_dir)
{
    if (set->n == SRV_FILE_SET_MAX || strlen(path) >= PATH_MAX)
        return -1;
    snprintf(set->paths[set->n], PATH_MAX, "%s", path);
    set->is_dir[set->n++] = is_dir;
    return 0;
}

int srv_file_set_add(srv_file_set *set, const char *path)
{
    return remember(set, path, 0);
}

int srv_file_set_write(srv_file_set *set, const char *path, const void *data, size_t len,
                       mode_t mode, char *err, size_t err_len)
{
    if (set->n == SRV_FILE_SET_MAX) {
        snprintf(err, err_len, "%s: too many files for one command", path);
        return -1;
    }
    if (srv_write_new_file(path, data, len, mode) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    return remember(set, path, 0);
}

int srv_file_set_write_key(srv_file_set *set, const char *path, EVP_PKEY *key, char *err,
                           size_t err_len)
{
    char *pem = pki_key_to_pem(key);
    if (pem == NULL) {
        snprintf(err, err_len, "%s: cannot encode the key", path);
        return -1;
    }
    int rc = srv_file_set_write(set, path, pem, strlen(pem), 0600, err, err_len);
    OPENSSL_cleanse(pem, strlen(pem));
    free(pem);
    return rc;
}

int srv_file_set_write_cert(srv_file_set *set, const char *path, X509 *cert, char *err,
                            size_t err_len)
{
    char *pem = pki_cert_to_pem(cert);
    if (pem == NULL) {
        snprintf(err, err_len, "%s: cannot encode the certificate", path);
        return -1;
    }
    int rc = srv_file_set_write(set, path, pem, strlen(pem), 0644, err, err_len);
    free(pem);
    return rc;
}

int srv_file_set_mkdir(srv_file_set *set, const char *path, mode_t mode, char *err,
                       size_t err_len)
{
    if (set->n == SRV_FILE_SET_MAX) {
        snprintf(err, err_len, "%s: too many files for one command", path);
        return -1;
    }
    if (mkdir(path, mode) != 0 || remember(set, path, 1) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* mkdir's mode passed through the umask; set it exactly as asked. */
    if (chmod(path, mode) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

void srv_file_set_undo(srv_file_set *set)
{
    while (set->n > 0) {
        set->n--;
        if (set->is_dir[set->n])
            rmdir(set->paths[set->n]);
        else
            unlink(set->paths[set->n]);
    }
}
