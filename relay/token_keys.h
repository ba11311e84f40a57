/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The keys that seal the relay's transaction tokens: a file shared by every relay
 * instance of an organisation, so that any instance opens a token another one sealed.
 *
 * File format: one key per line, 64 hex digits (32 random bytes); '#' starts a comment,
 * blank lines are ignored. The first key seals new tokens; every key listed opens them,
 * so a key is rotated by putting the new one first and removing the old one after the
 * longest MSS TimeOut. The file must not be readable or writable by others
 * (mss_conf_open's secret-file rules); the keys never reach a log.
 */
#ifndef RELAY_TOKEN_KEYS_H
#define RELAY_TOKEN_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define RELAY_KEY_LEN 32      /* AES-256 */
#define RELAY_KEY_ID_LEN 4    /* the first bytes of SHA-256 of the key: which key sealed */
#define RELAY_MAX_KEYS 4

typedef struct relay_token_keys relay_token_keys;

/* Keys from KEYS (N of them, 1..RELAY_MAX_KEYS; the first seals). NULL on bad N or no
 * memory. */
relay_token_keys *relay_token_keys_new(const unsigned char (*keys)[RELAY_KEY_LEN], size_t n);

/* Keys from the file at PATH. NULL and the reason in WHY (the caller names the file). */
relay_token_keys *relay_token_keys_load(const char *path, char *why, size_t why_len);

/* Write a new key file at PATH (mode 0600, refused when PATH exists) holding one random
 * key. 0, or -1 and the reason in WHY. */
int relay_token_keys_create(const char *path, char *why, size_t why_len);

/* Wipes the keys. NULL is accepted. */
void relay_token_keys_free(relay_token_keys *keys);

/* The key that seals, and its id. */
const unsigned char *relay_token_keys_sealing(const relay_token_keys *keys,
                                              unsigned char id[RELAY_KEY_ID_LEN]);

/* The key whose id is ID, or NULL. */
const unsigned char *relay_token_keys_find(const relay_token_keys *keys,
                                           const unsigned char id[RELAY_KEY_ID_LEN]);

#endif /* RELAY_TOKEN_KEYS_H */
