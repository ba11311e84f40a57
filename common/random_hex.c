/* SPDX-License-Identifier: BSD-3-Clause */
/* CSPRNG bytes as hex; see random_hex.h. */
#include "random_hex.h"
#include "hex.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

int random_hex(char *out, size_t out_len, size_t n_bytes)
{
    if (out == NULL || out_len == 0)
        return -1;
    out[0] = '\0';
    if (n_bytes == 0 || n_bytes > RANDOM_HEX_MAX_BYTES || out_len < 2 * n_bytes + 1)
        return -1;
    unsigned char raw[RANDOM_HEX_MAX_BYTES];
    if (RAND_bytes(raw, (int)n_bytes) != 1)
        return -1;
    hex_encode(raw, n_bytes, out);
    /* The raw bytes may be a password's: leave no copy behind on the stack. */
    OPENSSL_cleanse(raw, n_bytes);
    return 0;
}
