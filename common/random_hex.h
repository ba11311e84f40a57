/* SPDX-License-Identifier: BSD-3-Clause */
/* Unguessable identifiers and passwords: CSPRNG bytes written as hex. */
#ifndef COMMON_RANDOM_HEX_H
#define COMMON_RANDOM_HEX_H

#include <stddef.h>

/* Largest N_BYTES random_hex takes (the bytes live on the stack meanwhile). */
#define RANDOM_HEX_MAX_BYTES 64

/*
 * Write N_BYTES bytes from the OpenSSL CSPRNG as 2*N_BYTES lowercase hex digits
 * and a NUL into OUT (OUT_LEN bytes). 0 on success; -1 when OUT is too small,
 * N_BYTES is 0 or above RANDOM_HEX_MAX_BYTES, or there is no randomness (OUT is
 * then the empty string, never a guessable value).
 */
int random_hex(char *out, size_t out_len, size_t n_bytes);

#endif /* COMMON_RANDOM_HEX_H */
