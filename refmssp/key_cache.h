/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parsed private keys of the users, kept between requests. Reading a PEM key through
 * OpenSSL 3's decoders and setting up its RSA blinding cost more than the signature
 * itself (callgrind: 40% and 20% of refmssp's instructions per signature), so each key
 * is parsed once per process.
 *
 * An entry is found by the key's id AND the SHA-256 of its PEM as read from the
 * database for this request: a key changed or removed by another process (the admin
 * CLI), or an id reused by SQLite after a removal, is simply a miss, so nothing has
 * to tell the cache that keys changed. Thread-safe; a fixed number of entries, the
 * least recently used replaced. The PEM itself is not kept.
 */
#ifndef REFMSSP_KEY_CACHE_H
#define REFMSSP_KEY_CACHE_H

#include <openssl/evp.h>

/* Entries kept: more than the users a test set-up signs for at once. */
#define KEY_CACHE_ENTRIES 64

/* The parsed key KEY_ID whose stored PEM is PEM: a new reference (release it with
 * EVP_PKEY_free), or NULL when the PEM is not a key or memory runs out. */
EVP_PKEY *key_cache_get(long long key_id, const char *pem);

/* Drop every entry (at exit, so leak checkers see a clean process). */
void key_cache_clear(void);

#endif /* REFMSSP_KEY_CACHE_H */
