/* SPDX-License-Identifier: BSD-3-Clause */
#include "token_keys.h"

#include "hex.h"
#include "mss_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* A key file holds a few lines; anything larger is not one. */
#define KEY_FILE_MAX 4096

struct relay_token_keys {
    size_t n;
    unsigned char key[RELAY_MAX_KEYS][RELAY_KEY_LEN];
    unsigned char id[RELAY_MAX_KEYS][RELAY_KEY_ID_LEN];
};

static int key_id(const unsigned char key[RELAY_KEY_LEN], unsigned char id[RELAY_KEY_ID_LEN])
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(key, RELAY_KEY_LEN, digest, &len, EVP_sha256(), NULL) != 1)
        return -1;
    memcpy(id, digest, RELAY_KEY_ID_LEN);
    return 0;
}

relay_token_keys *relay_token_keys_new(const unsigned char (*keys)[RELAY_KEY_LEN], size_t n)
{
    if (n == 0 || n > RELAY_MAX_KEYS)
        return NULL;
    relay_token_keys *k = OPENSSL_secure_zalloc(sizeof *k);
    if (k == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        memcpy(k->key[i], keys[i], RELAY_KEY_LEN);
        if (key_id(k->key[i], k->id[i]) != 0) {
            relay_token_keys_free(k);
            return NULL;
        }
    }
    k->n = n;
    return k;
}

void relay_token_keys_free(relay_token_keys *keys)
{
    if (keys != NULL)
        OPENSSL_secure_clear_free(keys, sizeof *keys);
}

const unsigned char *relay_token_keys_sealing(const relay_token_keys *keys,
                                              unsigned char id[RELAY_KEY_ID_LEN])
{
    memcpy(id, keys->id[0], RELAY_KEY_ID_LEN);
    return keys->key[0];
}

const unsigned char *relay_token_keys_find(const relay_token_keys *keys,
                                           const unsigned char id[RELAY_KEY_ID_LEN])
{
    for (size_t i = 0; i < keys->n; i++)
        if (CRYPTO_memcmp(keys->id[i], id, RELAY_KEY_ID_LEN) == 0)
            return keys->key[i];
    return NULL;
}

/* One line of the file: 64 hex digits, surrounding blanks allowed. 1 = a key in OUT,
 * 0 = a blank or comment line, -1 = anything else. */
static int parse_line(const char *line, unsigned char out[RELAY_KEY_LEN])
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '\0' || *line == '#')
        return 0;
    for (size_t i = 0; i < RELAY_KEY_LEN; i++) {
        int hi = hex_digit_value((unsigned char)line[2 * i]);
        int lo = hi < 0 ? -1 : hex_digit_value((unsigned char)line[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    for (line += 2 * RELAY_KEY_LEN; *line == ' ' || *line == '\t' || *line == '\r'; line++)
        ;
    return *line == '\0' ? 1 : -1;
}

static relay_token_keys *parse_keys(char *text, char *why, size_t why_len)
{
    unsigned char keys[RELAY_MAX_KEYS][RELAY_KEY_LEN];
    size_t n = 0, line_no = 0;
    relay_token_keys *k = NULL;
    for (char *line = text, *next; line != NULL; line = next) {
        if ((next = strchr(line, '\n')) != NULL)
            *next++ = '\0';
        line_no++;
        unsigned char key[RELAY_KEY_LEN];
        int r = parse_line(line, key);
        if (r < 0) {
            snprintf(why, why_len, "line %zu is not a key of 64 hex digits", line_no);
            goto done;
        }
        if (r == 0)
            continue;
        if (n == RELAY_MAX_KEYS) {
            snprintf(why, why_len, "holds more than %d keys", RELAY_MAX_KEYS);
            goto done;
        }
        memcpy(keys[n++], key, RELAY_KEY_LEN);
        OPENSSL_cleanse(key, sizeof key);
    }
    if (n == 0) {
        snprintf(why, why_len, "holds no key");
        goto done;
    }
    if ((k = relay_token_keys_new((const unsigned char(*)[RELAY_KEY_LEN])keys, n)) == NULL) {
        snprintf(why, why_len, "could not be held in memory");
        goto done;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(k->id[i], k->id[j], RELAY_KEY_ID_LEN) == 0) {
                snprintf(why, why_len, "lists the same key twice (keys %zu and %zu)", j + 1,
                         i + 1);
                relay_token_keys_free(k);
                k = NULL;
                goto done;
            }
done:
    OPENSSL_cleanse(keys, sizeof keys);
    return k;
}

relay_token_keys *relay_token_keys_load(const char *path, char *why, size_t why_len)
{
    char *text = NULL;
    if (mss_conf_read_file(path, KEY_FILE_MAX, MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET,
                           &text, NULL, why, why_len) != 0)
        return NULL;
    size_t len = strlen(text);
    relay_token_keys *k = parse_keys(text, why, why_len);
    OPENSSL_cleanse(text, len);
    free(text);
    return k;
}

int relay_token_keys_create(const char *path, char *why, size_t why_len)
{
    unsigned char key[RELAY_KEY_LEN];
    char line[2 * RELAY_KEY_LEN + 2];
    if (RAND_bytes(key, sizeof key) != 1) {
        snprintf(why, why_len, "no randomness for a key");
        return -1;
    }
    hex_encode(key, sizeof key, line);
    OPENSSL_cleanse(key, sizeof key);
    strcat(line, "\n");
    int rc = -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, why_len, "could not be created: %s", strerror(errno));
    } else {
        size_t len = strlen(line);
        if (write(fd, line, len) != (ssize_t)len || fsync(fd) != 0) {
            snprintf(why, why_len, "could not be written: %s", strerror(errno));
            unlink(path);
        } else {
            rc = 0;
        }
        if (close(fd) != 0 && rc == 0) {
            snprintf(why, why_len, "could not be written: %s", strerror(errno));
            unlink(path);
            rc = -1;
        }
    }
    OPENSSL_cleanse(line, sizeof line);
    return rc;
}
