/* SPDX-License-Identifier: BSD-3-Clause */
/* Base64 (RFC 4648, standard alphabet, with padding) over OpenSSL EVP. Internal. */
#ifndef MSS_B64_H
#define MSS_B64_H

#include <stddef.h>

/* Encode len bytes into a malloc'd NUL-terminated string without line breaks.
 * Returns 0 on success, -1 on a bad argument or allocation failure. */
int mss_b64_encode(const unsigned char *data, size_t len, char **out);

/* Decode a base64 string; whitespace (space, tab, CR, LF) anywhere is ignored.
 * Rejects bad characters, bad padding and lengths that are not a multiple of 4.
 * *out is malloc'd (never NULL on success, even for zero bytes) and *out_len set.
 * Returns 0 on success, -1 on bad input or allocation failure; outputs untouched then. */
int mss_b64_decode(const char *text, unsigned char **out, size_t *out_len);

#endif
