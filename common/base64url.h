/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * base64url without padding (RFC 4648 §5): the alphabet A–Z a–z 0–9 '-' '_', so the text
 * is also a valid XML NCName tail and needs no escaping in URLs or SOAP.
 */
#ifndef COMMON_BASE64URL_H
#define COMMON_BASE64URL_H

#include <stddef.h>

/* Characters base64url_encode writes for N bytes, without the NUL. */
#define BASE64URL_ENCODED_LEN(n) (((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))

/* Encode N bytes of IN into OUT (OUT_LEN bytes, NUL-terminated). 0, or -1 when OUT is
 * too small. */
int base64url_encode(const unsigned char *in, size_t n, char *out, size_t out_len);

/*
 * Decode the LEN characters of TEXT into OUT (room for OUT_CAP bytes); *OUT_LEN gets the
 * count. Only the unpadded canonical form is accepted: any other character, a length of
 * 1 mod 4 or unused bits that are not zero give -1, so each byte string has exactly one
 * text.
 */
int base64url_decode(const char *text, size_t len, unsigned char *out, size_t out_cap,
                     size_t *out_len);

#endif /* COMMON_BASE64URL_H */
