/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AP_TransID and Instant generation. Transaction ids come from the OpenSSL CSPRNG so
 * two processes signing for the same AP never collide (MSSPs reject repeats).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "ids.h"

mss_error mss_new_trans_id(char out[MSS_TRANS_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char rnd[16];

    if (out == NULL)
        return MSS_ERR_ARGS;
    if (RAND_bytes(rnd, (int)sizeof rnd) != 1)
        return MSS_ERR_NOMEM; /* no randomness: refuse rather than send a guessable id */
    /* The leading "_" makes the id an NCName whatever the first hex digit is. */
    out[0] = '_';
    for (size_t i = 1; i < MSS_TRANS_ID_LEN; i++) {
        unsigned char b = rnd[(i - 1) / 2];
        out[i] = hex[(i % 2) ? (b >> 4) : (b & 0x0f)];
    }
    out[MSS_TRANS_ID_LEN] = '\0';
    return MSS_OK;
}

mss_error mss_now_instant(char out[MSS_INSTANT_LEN + 1])
{
    time_t now = time(NULL);
    struct tm utc;

    if (out == NULL)
        return MSS_ERR_ARGS;
    if (now == (time_t)-1 || gmtime_r(&now, &utc) == NULL)
        return MSS_ERR_ARGS;
    if (strftime(out, MSS_INSTANT_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &utc) != MSS_INSTANT_LEN)
        return MSS_ERR_ARGS;
    return MSS_OK;
}
