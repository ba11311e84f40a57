/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which hash a bare digest comes from, by its length (mss/verify.h). Pure, so it lives in
 * the codec library that refmssp links too: both sides read DataToBeSigned the same way.
 */
#include "config.h"

#include <mss/verify.h>

const char *mss_hash_name_for_length(size_t digest_len)
{
    switch (digest_len) {
    case 20: return "SHA1";
    case 28: return "SHA224";
    case 32: return "SHA256";
    case 48: return "SHA384";
    case 64: return "SHA512";
    default: return NULL;
    }
}
