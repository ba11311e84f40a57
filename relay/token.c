/* SPDX-License-Identifier: BSD-3-Clause */
#include "token.h"

#include "base64url.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define TOKEN_VERSION 1
#define TOKEN_PREFIX 'R' /* base64url may start with a digit or '-'; an NCName may not */
#define NONCE_LEN 12
#define TAG_LEN 16
#define HEADER_LEN (1 + RELAY_KEY_ID_LEN)
/* expires (8) | upstream (1) | three length-prefixed strings */
#define PLAIN_MAX (8 + 1 + 3 + RELAY_TX_MAX_ID + RELAY_TX_MAX_USER + RELAY_TX_MAX_MSISDN)
#define SEALED_MAX (HEADER_LEN + NONCE_LEN + PLAIN_MAX + TAG_LEN)

_Static_assert(1 + BASE64URL_ENCODED_LEN(SEALED_MAX) + 1 <= RELAY_TOKEN_MAX_TEXT,
               "RELAY_TOKEN_MAX_TEXT holds the largest token");

static int put_string(unsigned char *buf, size_t *pos, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len == 0 || len > max)
        return -1;
    buf[(*pos)++] = (unsigned char)len;
    memcpy(buf + *pos, s, len);
    *pos += len;
    return 0;
}

static int get_string(const unsigned char *buf, size_t len, size_t *pos, char *out, size_t max)
{
    if (*pos >= len)
        return -1;
    size_t n = buf[(*pos)++];
    if (n == 0 || n > max || n > len - *pos || memchr(buf + *pos, '\0', n) != NULL)
        return -1;
    memcpy(out, buf + *pos, n);
    out[n] = '\0';
    *pos += n;
    return 0;
}

static size_t encode_plain(const relay_tx *tx, unsigned char *buf)
{
    size_t pos = 0;
    uint64_t expires = (uint64_t)tx->expires;
    for (int i = 7; i >= 0; i--)
        buf[pos++] = (unsigned char)(expires >> (8 * i));
    buf[pos++] = (unsigned char)tx->upstream;
    if (put_string(buf, &pos, tx->upstream_id, RELAY_TX_MAX_ID) != 0 ||
        put_string(buf, &pos, tx->user, RELAY_TX_MAX_USER) != 0 ||
        put_string(buf, &pos, tx->msisdn, RELAY_TX_MAX_MSISDN) != 0)
        return 0;
    return pos;
}

static int decode_plain(const unsigned char *buf, size_t len, relay_tx *tx)
{
    if (len < 9)
        return -1;
    uint64_t expires = 0;
    for (int i = 0; i < 8; i++)
        expires = expires << 8 | buf[i];
    tx->expires = (int64_t)expires;
    tx->upstream = buf[8];
    size_t pos = 9;
    if (get_string(buf, len, &pos, tx->upstream_id, RELAY_TX_MAX_ID) != 0 ||
        get_string(buf, len, &pos, tx->user, RELAY_TX_MAX_USER) != 0 ||
        get_string(buf, len, &pos, tx->msisdn, RELAY_TX_MAX_MSISDN) != 0 || pos != len)
        return -1;
    return 0;
}

/* AES-256-GCM over IN with the header as associated data; ENCRYPT 1 seals (TAG written),
 * 0 opens (TAG checked). 0 on success. */
static int gcm(int encrypt, const unsigned char *key, const unsigned char *nonce,
               const unsigned char *header, const unsigned char *in, size_t len,
               unsigned char *out, unsigned char *tag)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int ok = 0, n = 0;
    if (ctx != NULL &&
        EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) == 1 &&
        EVP_CipherInit_ex(ctx, NULL, NULL, key, nonce, encrypt) == 1 &&
        EVP_CipherUpdate(ctx, NULL, &n, header, HEADER_LEN) == 1 &&
        EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
        (encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1) &&
        EVP_CipherFinal_ex(ctx, out + n, &n) == 1 &&
        (!encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) == 1))
        ok = 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : -1;
}

int relay_token_seal(const relay_token_keys *keys, const relay_tx *tx, char *out, size_t out_len)
{
    unsigned char plain[PLAIN_MAX], sealed[SEALED_MAX];
    size_t plain_len = tx->upstream <= 255 ? encode_plain(tx, plain) : 0;
    int rc = -1;
    if (plain_len == 0 || out_len < 2)
        goto done;
    sealed[0] = TOKEN_VERSION;
    const unsigned char *key = relay_token_keys_sealing(keys, sealed + 1);
    unsigned char *nonce = sealed + HEADER_LEN, *body = nonce + NONCE_LEN;
    /* Random 96-bit nonces: safe for far more tokens than a key seals before rotation. */
    if (RAND_bytes(nonce, NONCE_LEN) != 1 ||
        gcm(1, key, nonce, sealed, plain, plain_len, body, body + plain_len) != 0)
        goto done;
    out[0] = TOKEN_PREFIX;
    rc = base64url_encode(sealed, HEADER_LEN + NONCE_LEN + plain_len + TAG_LEN, out + 1,
                          out_len - 1);
done:
    OPENSSL_cleanse(plain, sizeof plain);
    return rc;
}

relay_token_verdict relay_token_open(const relay_token_keys *keys, const char *token, int64_t now,
                                     relay_tx *tx)
{
    unsigned char sealed[SEALED_MAX], plain[PLAIN_MAX];
    size_t len = 0, text_len = token != NULL ? strnlen(token, RELAY_TOKEN_MAX_TEXT) : 0;
    relay_token_verdict v = RELAY_TOKEN_MALFORMED;
    memset(tx, 0, sizeof *tx);
    if (text_len < 2 || text_len == RELAY_TOKEN_MAX_TEXT || token[0] != TOKEN_PREFIX ||
        base64url_decode(token + 1, text_len - 1, sealed, sizeof sealed, &len) != 0 ||
        len < HEADER_LEN + NONCE_LEN + TAG_LEN + 9 || sealed[0] != TOKEN_VERSION)
        return RELAY_TOKEN_MALFORMED;
    const unsigned char *key = relay_token_keys_find(keys, sealed + 1);
    size_t body_len = len - HEADER_LEN - NONCE_LEN - TAG_LEN;
    unsigned char *nonce = sealed + HEADER_LEN, *body = nonce + NONCE_LEN;
    if (key == NULL || gcm(0, key, nonce, sealed, body, body_len, plain, body + body_len) != 0) {
        v = RELAY_TOKEN_FORGED;
    } else if (decode_plain(plain, body_len, tx) != 0) {
        /* Authentic but unreadable: only a relay of another version seals that. */
        v = RELAY_TOKEN_MALFORMED;
    } else {
        v = tx->expires < now ? RELAY_TOKEN_EXPIRED : RELAY_TOKEN_OK;
    }
    if (v != RELAY_TOKEN_OK)
        memset(tx, 0, sizeof *tx);
    OPENSSL_cleanse(plain, sizeof plain);
    return v;
}
