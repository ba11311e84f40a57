/* SPDX-License-Identifier: BSD-3-Clause */
/* Parsed private keys by id and PEM digest; see key_cache.h. */
#include "key_cache.h"
#include "pki.h"

#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

typedef struct cache_entry {
    long long key_id;
    unsigned char pem_sha256[SHA256_DIGEST_LENGTH];
    EVP_PKEY *pkey;             /* NULL: the entry is free */
    unsigned long long used;    /* the clock when last handed out */
} cache_entry;

/* One cache per process: keys belong to the database, not to one server object. */
static struct {
    pthread_mutex_t lock;
    cache_entry entries[KEY_CACHE_ENTRIES];
    unsigned long long clock;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The entry for (id, digest), else NULL; the lock is held. */
static cache_entry *find_locked(long long key_id, const unsigned char *digest)
{
    for (size_t i = 0; i < KEY_CACHE_ENTRIES; i++) {
        cache_entry *e = &cache.entries[i];
        if (e->pkey != NULL && e->key_id == key_id &&
            memcmp(e->pem_sha256, digest, sizeof e->pem_sha256) == 0)
            return e;
    }
    return NULL;
}

/* A free entry, else the least recently used one emptied; the lock is held. */
static cache_entry *victim_locked(void)
{
    cache_entry *oldest = &cache.entries[0];
    for (size_t i = 0; i < KEY_CACHE_ENTRIES; i++) {
        cache_entry *e = &cache.entries[i];
        if (e->pkey == NULL)
            return e;
        if (e->used < oldest->used)
            oldest = e;
    }
    EVP_PKEY_free(oldest->pkey);
    memset(oldest, 0, sizeof *oldest);
    return oldest;
}

EVP_PKEY *key_cache_get(long long key_id, const char *pem)
{
    if (pem == NULL)
        return NULL;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    if (SHA256((const unsigned char *)pem, strlen(pem), digest) == NULL)
        return NULL;
    pthread_mutex_lock(&cache.lock);
    cache_entry *hit = find_locked(key_id, digest);
    EVP_PKEY *pkey = NULL;
    if (hit != NULL && EVP_PKEY_up_ref(hit->pkey) == 1) {
        hit->used = ++cache.clock;
        pkey = hit->pkey;
    }
    pthread_mutex_unlock(&cache.lock);
    if (pkey != NULL || hit != NULL)
        return pkey;
    /* Parsed outside the lock: two threads may both parse a new key; one copy stays. */
    pkey = pki_key_from_pem(pem);
    if (pkey == NULL)
        return NULL;
    pthread_mutex_lock(&cache.lock);
    if (find_locked(key_id, digest) == NULL && EVP_PKEY_up_ref(pkey) == 1) {
        cache_entry *e = victim_locked();
        e->key_id = key_id;
        memcpy(e->pem_sha256, digest, sizeof digest);
        e->pkey = pkey;
        e->used = ++cache.clock;
    }
    pthread_mutex_unlock(&cache.lock);
    OPENSSL_cleanse(digest, sizeof digest);
    return pkey;
}

void key_cache_clear(void)
{
    pthread_mutex_lock(&cache.lock);
    for (size_t i = 0; i < KEY_CACHE_ENTRIES; i++) {
        EVP_PKEY_free(cache.entries[i].pkey);
        memset(&cache.entries[i], 0, sizeof cache.entries[i]);
    }
    pthread_mutex_unlock(&cache.lock);
}
