/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DIR/users.conf: who may use the relay, how each one proves it, and which phones are
 * theirs. 'mss-relay user add|remove' write it; an operator may read it, and edit it
 * with care. Same syntax as every configuration file of the project
 * (conf/mss_conf_lines.h):
 *
 *   [user alice]
 *   msisdn = +358401234567 +358401234568   (one or more, E.164; the phones alice may use)
 *   cert_sha256 = AB:CD:…                  (SHA-256 of alice's client certificate, DER)
 *   token_sha256 = 3f2a…                   (SHA-256 of alice's bearer token)
 *
 * A user has a certificate, a token or both. The relay never stores a token: only its
 * SHA-256, so this file holds no secret; it must still not be writable by others (who
 * writes it decides who may sign). Two users may share a phone, never a certificate or a
 * token.
 */
#ifndef RELAY_USERS_H
#define RELAY_USERS_H

#include <stddef.h>

#define RELAY_USERS_FILE "users.conf"
#define RELAY_USER_MAX_MSISDNS 8
#define RELAY_USERS_MAX 100000
#define RELAY_SHA256_LEN 32
/* A bearer token made by 'mss-relay user add --token': 32 random bytes as 64 hex
 * digits. The relay accepts any token whose SHA-256 is listed. */
#define RELAY_TOKEN_HEX_LEN 64

typedef struct relay_user {
    char *name;                                /* [A-Za-z0-9_.-]{1,64} */
    char *msisdns[RELAY_USER_MAX_MSISDNS];
    size_t n_msisdns;
    int has_cert;
    unsigned char cert_sha256[RELAY_SHA256_LEN];
    int has_token;
    unsigned char token_sha256[RELAY_SHA256_LEN];
} relay_user;

typedef struct relay_users {
    relay_user *users;
    size_t n;
    size_t capacity;           /* of the users array */
} relay_users;

/* Load DIR/users.conf into *USERS (cleared first). 0, or -1 with "FILE:LINE: reason"
 * or "FILE: reason" in ERR and *USERS empty. */
int relay_users_load(const char *dir, relay_users *users, char *err, size_t err_len);

/* Free what *USERS holds; it is then empty. */
void relay_users_clear(relay_users *users);

/* ---- Who is asking ---- */

/* The user whose certificate has this DER encoding, or NULL. */
const relay_user *relay_users_by_cert(const relay_users *users, const unsigned char *der,
                                      size_t der_len);

/* The same by the certificate's SHA-256 as text (hex, with or without colons, either
 * case; what the HTTPS side hands over), or NULL (also for text that is no SHA-256). */
const relay_user *relay_users_by_cert_sha256(const relay_users *users, const char *hex);

/* The user whose token is TOKEN (the text after "Bearer "), or NULL. Every listed token
 * hash is compared, each with CRYPTO_memcmp, whatever matched before: the time taken
 * tells nothing about which hash came close. */
const relay_user *relay_users_by_token(const relay_users *users, const char *token);

/* The user called NAME, or NULL. */
const relay_user *relay_users_by_name(const relay_users *users, const char *name);

/* 1 when MSISDN is one of USER's phones (exact E.164 text), else 0. */
int relay_user_owns_msisdn(const relay_user *user, const char *msisdn);

/* ---- Changing the file ('mss-relay user') ---- */

/* SHA-256 of TOKEN's text, as listed in token_sha256. 0 or -1. */
int relay_token_digest(const char *token, unsigned char out[RELAY_SHA256_LEN]);

/* Add a copy of USER (its name, phones and hashes), refused with a reason when the name
 * is invalid or taken, a phone number is invalid, it has neither a certificate nor a
 * token, or another user has the same certificate or token. 0 or -1. */
int relay_users_add(relay_users *users, const relay_user *user, char *why, size_t why_len);

/* Remove the user called NAME. 0, or -1 when there is none. */
int relay_users_remove(relay_users *users, const char *name);

/* The text of the file (malloc'd into *TEXT). 0 or -1 (memory). */
int relay_users_format(const relay_users *users, char **text);

/* Write DIR/users.conf atomically (0644). 0, or -1 with the reason in ERR. */
int relay_users_save(const char *dir, const relay_users *users, char *err, size_t err_len);

#endif /* RELAY_USERS_H */
