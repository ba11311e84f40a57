/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AP_TransID and Instant generation. Transaction ids come from the OpenSSL CSPRNG so
 * two processes signing for the same AP never collide (MSSPs reject repeats).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ids.h"
#include "random_hex.h"

mss_error mss_new_trans_id(char out[MSS_TRANS_ID_LEN + 1])
{
    char digits[2 * 16 + 1];

    if (out == NULL)
        return MSS_ERR_ARGS;
    if (random_hex(digits, sizeof digits, 16) != 0)
        return MSS_ERR_NOMEM; /* no randomness: refuse rather than send a guessable id */
    /* The leading "_" makes the id an NCName whatever the first hex digit is. */
    out[0] = '_';
    memcpy(out + 1, digits, MSS_TRANS_ID_LEN - 1);
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
