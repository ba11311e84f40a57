/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The files and folders one set-up command creates ('refmssp init', 'mss-relay init',
 * 'mss-relay user add'): each is created new (never over an existing one) with its
 * exact mode and remembered, so that on a failure half-way the command removes what it
 * made and leaves nothing behind.
 */
#ifndef MSS_SERVER_FILE_SET_H
#define MSS_SERVER_FILE_SET_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define SRV_FILE_SET_MAX 24

typedef struct srv_file_set {
    char paths[SRV_FILE_SET_MAX][PATH_MAX];
    int is_dir[SRV_FILE_SET_MAX];
    size_t n;
} srv_file_set;

/* Create PATH with DATA and exactly MODE (refused when PATH exists). 0, or -1 with
 * "PATH: reason" in ERR. */
int srv_file_set_write(srv_file_set *set, const char *path, const void *data, size_t len,
                       mode_t mode, char *err, size_t err_len);

/* KEY as unencrypted PKCS#8 PEM, mode 0600 (the PEM text is wiped after). */
int srv_file_set_write_key(srv_file_set *set, const char *path, EVP_PKEY *key, char *err,
                           size_t err_len);

/* CERT as PEM, mode 0644. */
int srv_file_set_write_cert(srv_file_set *set, const char *path, X509 *cert, char *err,
                            size_t err_len);

/* Create the folder PATH with exactly MODE (refused when it exists). */
int srv_file_set_mkdir(srv_file_set *set, const char *path, mode_t mode, char *err,
                       size_t err_len);

/* Remember PATH (made by someone else, e.g. a database) as part of the set. 0 or -1. */
int srv_file_set_add(srv_file_set *set, const char *path);

/* Remove everything of the set, newest first; the set is then empty. */
void srv_file_set_undo(srv_file_set *set);

#endif /* MSS_SERVER_FILE_SET_H */
