/* SPDX-License-Identifier: BSD-3-Clause */
/* The relay's users file; see users.h. */
#include "users.h"

#include "hex.h"
#include "mss_conf.h"
#include "mss_conf_lines.h"
#include "why.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/* 100000 users of about 250 bytes each. */
#define USERS_FILE_MAX (32 * 1024 * 1024)

static void user_clear(relay_user *u)
{
    free(u->name);
    for (size_t i = 0; i < u->n_msisdns; i++)
        free(u->msisdns[i]);
    memset(u, 0, sizeof *u);
}

void relay_users_clear(relay_users *users)
{
    for (size_t i = 0; i < users->n; i++)
        user_clear(&users->users[i]);
    free(users->users);
    memset(users, 0, sizeof *users);
}

/* A new empty user at the end. NULL when out of memory or full. */
static relay_user *append_user(relay_users *users)
{
    if (users->n == RELAY_USERS_MAX)
        return NULL;
    /* Grow by doubling: the count is not known before the file is read. */
    if (users->n == users->capacity) {
        size_t cap = users->capacity == 0 ? 8 : users->capacity * 2;
        relay_user *grown = realloc(users->users, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        users->users = grown;
        users->capacity = cap;
    }
    relay_user *u = &users->users[users->n++];
    memset(u, 0, sizeof *u);
    return u;
}

static int digest_of_hex(const char *text, unsigned char out[RELAY_SHA256_LEN])
{
    char hex[65];
    if (hex_sha256_fingerprint(text, hex) != 0)
        return -1;
    for (size_t i = 0; i < RELAY_SHA256_LEN; i++)
        out[i] = (unsigned char)(hex_digit_value(hex[2 * i]) << 4 | hex_digit_value(hex[2 * i + 1]));
    return 0;
}

/* ---- Reading ---- */

typedef struct reader {
    relay_users *users;
    relay_user *user;          /* the current [user NAME] */
} reader;

static int on_section(void *ctx, unsigned line, char *name, char *why, size_t why_len)
{
    (void)line;
    reader *r = ctx;
    if (strncmp(name, "user", 4) != 0 || (name[4] != ' ' && name[4] != '\t'))
        return why_set(why, why_len, "unknown section [%.64s] (expected [user NAME])", name);
    const char *user_name = mss_conf_trim(name + 4);
    if (!mss_conf_user_name_valid(user_name))
        return why_set(why, why_len, "a user name is 1 to 64 of A-Z a-z 0-9 _ . -");
    if (relay_users_by_name(r->users, user_name) != NULL)
        return why_set(why, why_len, "[user %s] is given twice", user_name);
    r->user = append_user(r->users);
    if (r->user == NULL || (r->user->name = strdup(user_name)) == NULL)
        return why_set(why, why_len, "out of memory, or more than %d users", RELAY_USERS_MAX);
    return 0;
}

static int set_msisdns(relay_user *u, char *value, char *why, size_t why_len)
{
    char *words[RELAY_USER_MAX_MSISDNS];
    int n = mss_conf_split_words(value, words, RELAY_USER_MAX_MSISDNS);
    if (n < 0)
        return why_set(why, why_len, "a user has at most %d phone numbers",
                      RELAY_USER_MAX_MSISDNS);
    for (int i = 0; i < n; i++) {
        if (!mss_conf_msisdn_valid(words[i]))
            return why_set(why, why_len, "msisdn '%.20s' is not '+' and 3 to 15 digits", words[i]);
        if (relay_user_owns_msisdn(u, words[i]))
            return why_set(why, why_len, "msisdn %s is listed twice", words[i]);
        if ((u->msisdns[i] = strdup(words[i])) == NULL)
            return why_set(why, why_len, "out of memory");
        u->n_msisdns = (size_t)i + 1;
    }
    return 0;
}

static int on_entry(void *ctx, unsigned line, const char *key, char *value, char *why,
                    size_t why_len)
{
    (void)line;
    reader *r = ctx;
    relay_user *u = r->user;
    if (u == NULL)
        return why_set(why, why_len, "'%.64s' appears before any [user NAME] section", key);
    if (strcmp(key, "msisdn") == 0)
        return set_msisdns(u, value, why, why_len);
    if (strcmp(key, "cert_sha256") == 0) {
        if (digest_of_hex(value, u->cert_sha256) != 0)
            return why_set(why, why_len, "cert_sha256 must be 64 hex digits (colons allowed)");
        u->has_cert = 1;
        return 0;
    }
    if (strcmp(key, "token_sha256") == 0) {
        if (digest_of_hex(value, u->token_sha256) != 0)
            return why_set(why, why_len, "token_sha256 must be 64 hex digits");
        u->has_token = 1;
        return 0;
    }
    return why_set(why, why_len, "unknown key '%.64s' in [user %s]", key, u->name);
}

/* For the checks of the whole file: a hash and whose it is, sorted. */
typedef struct owned_hash {
    const unsigned char *hash;
    const char *user;
} owned_hash;

static int compare_owned(const void *a, const void *b)
{
    return memcmp(((const owned_hash *)a)->hash, ((const owned_hash *)b)->hash,
                  RELAY_SHA256_LEN);
}

/* No two users with the same certificate, nor with the same token (whichever of them a
 * connection presented, the relay could not tell whose it is). Sorted, so a large
 * file costs n log n, not n². */
static int check_unique(const relay_users *users, const char *path, char *err, size_t err_len)
{
    if (users->n < 2)
        return 0;
    owned_hash *h = malloc(users->n * sizeof *h);
    if (h == NULL)
        return why_set(err, err_len, "%s: out of memory", path);
    int rc = 0;
    for (int kind = 0; kind < 2 && rc == 0; kind++) {
        size_t n = 0;
        for (size_t i = 0; i < users->n; i++) {
            const relay_user *u = &users->users[i];
            if (kind == 0 ? u->has_cert : u->has_token)
                h[n++] = (owned_hash){kind == 0 ? u->cert_sha256 : u->token_sha256, u->name};
        }
        qsort(h, n, sizeof *h, compare_owned);
        for (size_t i = 1; i < n && rc == 0; i++)
            if (memcmp(h[i - 1].hash, h[i].hash, RELAY_SHA256_LEN) == 0)
                rc = why_set(err, err_len, "%s: [user %s] and [user %s] have the same %s", path,
                            h[i - 1].user, h[i].user, kind == 0 ? "certificate" : "token");
    }
    free(h);
    return rc;
}

static int check_complete(const relay_users *users, const char *path, char *err,
                          size_t err_len)
{
    for (size_t i = 0; i < users->n; i++) {
        const relay_user *u = &users->users[i];
        if (u->n_msisdns == 0)
            return why_set(err, err_len, "%s: [user %s] has no msisdn", path, u->name);
        if (!u->has_cert && !u->has_token)
            return why_set(err, err_len, "%s: [user %s] has neither cert_sha256 nor "
                          "token_sha256", path, u->name);
    }
    return check_unique(users, path, err, err_len);
}

static int users_path(const char *dir, char path[PATH_MAX], char *err, size_t err_len)
{
    if ((size_t)snprintf(path, PATH_MAX, "%s/%s", dir, RELAY_USERS_FILE) < PATH_MAX)
        return 0;
    return why_set(err, err_len, "%s: the path is too long", dir);
}

int relay_users_load(const char *dir, relay_users *users, char *err, size_t err_len)
{
    memset(users, 0, sizeof *users);
    char path[PATH_MAX], *text = NULL, why[200];
    if (users_path(dir, path, err, err_len) != 0)
        return -1;
    if (mss_conf_read_file(path, USERS_FILE_MAX, MSS_CONF_FILE_NOT_WRITABLE, &text, NULL, why,
                           sizeof why) != 0)
        return why_set(err, err_len, "%s: %s", path, why);
    static const mss_conf_lines_handler handler = {on_section, on_entry};
    reader r = {.users = users, .user = NULL};
    int rc = mss_conf_lines_parse(text, path, &handler, &r, err, err_len);
    free(text);
    if (rc == 0)
        rc = check_complete(users, path, err, err_len);
    if (rc != 0)
        relay_users_clear(users);
    return rc;
}

/* ---- Who is asking ---- */

static const relay_user *by_digest(const relay_users *users, const unsigned char *digest,
                                   int token)
{
    const relay_user *found = NULL;
    for (size_t i = 0; i < users->n; i++) {
        const relay_user *u = &users->users[i];
        int has = token ? u->has_token : u->has_cert;
        const unsigned char *mine = token ? u->token_sha256 : u->cert_sha256;
        /* No early exit: every hash is compared in full. */
        int equal = CRYPTO_memcmp(mine, digest, RELAY_SHA256_LEN) == 0;
        if (has && equal && found == NULL)
            found = u;
    }
    return found;
}

static int sha256(const void *data, size_t len, unsigned char out[RELAY_SHA256_LEN])
{
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 && n == RELAY_SHA256_LEN
               ? 0 : -1;
}

const relay_user *relay_users_by_cert(const relay_users *users, const unsigned char *der,
                                      size_t der_len)
{
    unsigned char digest[RELAY_SHA256_LEN];
    if (der == NULL || der_len == 0 || sha256(der, der_len, digest) != 0)
        return NULL;
    return by_digest(users, digest, 0);
}

const relay_user *relay_users_by_cert_sha256(const relay_users *users, const char *hex)
{
    unsigned char digest[RELAY_SHA256_LEN];
    if (hex == NULL || digest_of_hex(hex, digest) != 0)
        return NULL;
    return by_digest(users, digest, 0);
}

int relay_token_digest(const char *token, unsigned char out[RELAY_SHA256_LEN])
{
    return sha256(token, strlen(token), out);
}

const relay_user *relay_users_by_token(const relay_users *users, const char *token)
{
    unsigned char digest[RELAY_SHA256_LEN];
    if (token == NULL || token[0] == '\0' || relay_token_digest(token, digest) != 0)
        return NULL;
    return by_digest(users, digest, 1);
}

const relay_user *relay_users_by_name(const relay_users *users, const char *name)
{
    for (size_t i = 0; i < users->n; i++)
        if (users->users[i].name != NULL && strcmp(users->users[i].name, name) == 0)
            return &users->users[i];
    return NULL;
}

int relay_user_owns_msisdn(const relay_user *user, const char *msisdn)
{
    for (size_t i = 0; user != NULL && msisdn != NULL && i < user->n_msisdns; i++)
        if (strcmp(user->msisdns[i], msisdn) == 0)
            return 1;
    return 0;
}

/* ---- Changing the file ---- */

int relay_users_add(relay_users *users, const relay_user *user, char *why, size_t why_len)
{
    if (user->name == NULL || !mss_conf_user_name_valid(user->name))
        return why_set(why, why_len, "a user name is 1 to 64 of A-Z a-z 0-9 _ . -");
    if (relay_users_by_name(users, user->name) != NULL)
        return why_set(why, why_len, "there is a user %s already", user->name);
    if (user->n_msisdns == 0 || user->n_msisdns > RELAY_USER_MAX_MSISDNS)
        return why_set(why, why_len, "a user has 1 to %d phone numbers", RELAY_USER_MAX_MSISDNS);
    if (!user->has_cert && !user->has_token)
        return why_set(why, why_len, "a user needs a certificate or a token");
    for (size_t i = 0; i < users->n; i++) {
        const relay_user *o = &users->users[i];
        if ((user->has_cert && o->has_cert &&
             memcmp(o->cert_sha256, user->cert_sha256, RELAY_SHA256_LEN) == 0) ||
            (user->has_token && o->has_token &&
             memcmp(o->token_sha256, user->token_sha256, RELAY_SHA256_LEN) == 0))
            return why_set(why, why_len, "user %s has the same certificate or token", o->name);
    }
    relay_user copy;
    memset(&copy, 0, sizeof copy);
    copy.has_cert = user->has_cert;
    copy.has_token = user->has_token;
    memcpy(copy.cert_sha256, user->cert_sha256, RELAY_SHA256_LEN);
    memcpy(copy.token_sha256, user->token_sha256, RELAY_SHA256_LEN);
    int ok = (copy.name = strdup(user->name)) != NULL;
    for (size_t i = 0; ok && i < user->n_msisdns; i++) {
        if (!mss_conf_msisdn_valid(user->msisdns[i]) ||
            relay_user_owns_msisdn(&copy, user->msisdns[i])) {
            user_clear(&copy);
            return why_set(why, why_len, "'%.20s' is not a phone number ('+' and 3 to 15 "
                          "digits) or is given twice", user->msisdns[i]);
        }
        ok = (copy.msisdns[i] = strdup(user->msisdns[i])) != NULL;
        copy.n_msisdns = i + 1;
    }
    relay_user *slot = ok ? append_user(users) : NULL;
    if (slot == NULL) {
        user_clear(&copy);
        return why_set(why, why_len, "out of memory, or more than %d users", RELAY_USERS_MAX);
    }
    *slot = copy;
    return 0;
}

int relay_users_remove(relay_users *users, const char *name)
{
    relay_user *u = (relay_user *)relay_users_by_name(users, name);
    if (u == NULL)
        return -1;
    user_clear(u);
    size_t i = (size_t)(u - users->users);
    memmove(u, u + 1, (users->n - i - 1) * sizeof *u);
    users->n--;
    return 0;
}

int relay_users_format(const relay_users *users, char **text)
{
    static const char head[] =
        "# mss-relay users: written by 'mss-relay user add|remove' (mss-relay(8)).\n"
        "# cert_sha256: the SHA-256 of the user's client certificate; token_sha256: of\n"
        "# the user's bearer token (the token itself is kept nowhere here).\n";
    /* A user's section is at most: the header and name (80), 8 numbers (8 x 17), two
     * hashes (2 x 110). */
    size_t cap = sizeof head + users->n * 512, len = 0;
    char *out = malloc(cap);
    if (out == NULL)
        return -1;
    len += (size_t)snprintf(out, cap, "%s", head);
    for (size_t i = 0; i < users->n; i++) {
        const relay_user *u = &users->users[i];
        char fp[MSS_CERT_FP_SIZE], hex[2 * RELAY_SHA256_LEN + 1];
        len += (size_t)snprintf(out + len, cap - len, "\n[user %s]\nmsisdn =", u->name);
        for (size_t m = 0; m < u->n_msisdns; m++)
            len += (size_t)snprintf(out + len, cap - len, " %s", u->msisdns[m]);
        len += (size_t)snprintf(out + len, cap - len, "\n");
        if (u->has_cert) {
            /* As openssl x509 -fingerprint -sha256 prints it, to compare by eye. */
            for (size_t b = 0; b < RELAY_SHA256_LEN; b++)
                snprintf(fp + 3 * b, sizeof fp - 3 * b, "%02X%s", u->cert_sha256[b],
                         b + 1 < RELAY_SHA256_LEN ? ":" : "");
            len += (size_t)snprintf(out + len, cap - len, "cert_sha256 = %s\n", fp);
        }
        if (u->has_token) {
            hex_encode(u->token_sha256, RELAY_SHA256_LEN, hex);
            len += (size_t)snprintf(out + len, cap - len, "token_sha256 = %s\n", hex);
        }
    }
    *text = out;
    return 0;
}

int relay_users_save(const char *dir, const relay_users *users, char *err, size_t err_len)
{
    char path[PATH_MAX], *text = NULL;
    if (users_path(dir, path, err, err_len) != 0)
        return -1;
    if (relay_users_format(users, &text) != 0)
        return why_set(err, err_len, "%s: out of memory", path);
    int rc = mss_conf_write_atomic(path, text, strlen(text), 0644, err, err_len);
    free(text);
    return rc;
}
