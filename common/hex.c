/* SPDX-License-Identifier: BSD-3-Clause */
/* Hexadecimal digits; see hex.h. */
#include "hex.h"

#include <string.h>

void hex_encode(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

int hex_digit_value(int c)
{
    /* Spelled out rather than isxdigit(): the locale must not widen what counts. */
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hex_sha256_fingerprint(const char *text, char out[65])
{
    if (strncmp(text, "sha256:", 7) == 0 || strncmp(text, "SHA256:", 7) == 0)
        text += 7;
    size_t n = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == ':')
            continue;
        int v = hex_digit_value((unsigned char)*p);
        if (v < 0 || n >= 64)
            return -1;
        out[n++] = "0123456789abcdef"[v];
    }
    out[n] = '\0';
    return n == 64 ? 0 : -1;
}
