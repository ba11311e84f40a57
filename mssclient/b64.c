/* SPDX-License-Identifier: BSD-3-Clause */
/* Base64 via OpenSSL's EVP block functions, with the input checks they lack. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <mss/message.h>

mss_error mss_base64_encode(const unsigned char *data, size_t len, char **out)
{
    if (out == NULL || (data == NULL && len != 0) || len > (size_t)INT_MAX / 4 * 3 - 3)
        return MSS_ERR_ARGS;
    size_t enc_len = (len + 2) / 3 * 4;
    char *buf = malloc(enc_len + 1);
    if (buf == NULL)
        return MSS_ERR_NOMEM;
    int n = len ? EVP_EncodeBlock((unsigned char *)buf, data, (int)len) : 0;
    if (n < 0 || (size_t)n != enc_len) {
        free(buf);
        return MSS_ERR_NOMEM;
    }
    buf[n] = '\0';
    *out = buf;
    return MSS_OK;
}

static int is_b64_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_b64_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

mss_error mss_base64_decode(const char *text, unsigned char **out, size_t *out_len)
{
    if (text == NULL || out == NULL || out_len == NULL)
        return MSS_ERR_ARGS;
    size_t text_len = strlen(text);
    if (text_len > (size_t)INT_MAX)
        return MSS_ERR_ARGS;
    /* Compact the input without whitespace; EVP_DecodeBlock would otherwise
     * silently accept or misread embedded spaces. */
    char *compact = malloc(text_len + 1);
    if (compact == NULL)
        return MSS_ERR_NOMEM;
    size_t n = 0, pad = 0;
    for (size_t i = 0; i < text_len; i++) {
        char c = text[i];
        if (is_b64_space(c))
            continue;
        if (c == '=') {
            pad++;
        } else if (!is_b64_alpha(c) || pad != 0) {
            free(compact); /* bad character, or data after padding */
            return MSS_ERR_ARGS;
        }
        compact[n++] = c;
    }
    compact[n] = '\0';
    if (n % 4 != 0 || pad > 2) {
        free(compact);
        return MSS_ERR_ARGS;
    }
    unsigned char *buf = malloc(n / 4 * 3 + 1);
    if (buf == NULL) {
        free(compact);
        return MSS_ERR_NOMEM;
    }
    int dec = n ? EVP_DecodeBlock(buf, (const unsigned char *)compact, (int)n) : 0;
    free(compact);
    if (dec < 0 || (size_t)dec < pad) {
        free(buf);
        return MSS_ERR_ARGS;
    }
    /* EVP_DecodeBlock counts the padding as zero bytes: drop them. */
    *out = buf;
    *out_len = (size_t)dec - pad;
    return MSS_OK;
}
