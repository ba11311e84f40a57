/* SPDX-License-Identifier: BSD-3-Clause */
/* Hexadecimal digits: bytes to lowercase hex text, and a digit back to its value. */
#ifndef COMMON_HEX_H
#define COMMON_HEX_H

#include <stddef.h>

/* Write the N bytes of BYTES as 2*N lowercase hex digits and a NUL into OUT, which
 * must have room for 2*N+1 characters. */
void hex_encode(const unsigned char *bytes, size_t n, char *out);

/* The value 0..15 of the hex digit C (either case), or -1 when it is not one. */
int hex_digit_value(int c);

/* A SHA-256 fingerprint as people copy it ("sha256:AB:CD:…", "AB:CD:…" or plain hex,
 * either case) -> 64 lower-case hex digits in OUT. 0, or -1 for anything else. */
int hex_sha256_fingerprint(const char *text, char out[65]);

#endif /* COMMON_HEX_H */
