/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HMAC signatures refmssp has accepted, kept until their Date leaves the window
 * (ap_hmac.h, RM_HMAC_SKEW_S), so that a captured request cannot be sent again: the
 * scheme has no nonce, and a replayed signature request would put a fresh prompt on
 * the user's phone. A client never sends the same MAC twice on purpose (each message has
 * its own AP_TransID). The table is bounded; when it is full of live entries, a new
 * signature is refused rather than an old one forgotten. Safe to use from any thread.
 */
#ifndef REFMSSP_HMAC_REPLAY_H
#define REFMSSP_HMAC_REPLAY_H

#include <stddef.h>
#include <time.h>

#include <mss/rest.h>

/* How many signatures fit: at refmssp's request rates far more than arrive within the
 * window of 2 x RM_HMAC_SKEW_S. */
#define RM_HMAC_REPLAY_CAPACITY 16384

typedef struct rm_hmac_replay rm_hmac_replay;

/* A table of CAPACITY entries; NULL when out of memory. */
rm_hmac_replay *rm_hmac_replay_new(size_t capacity);
void rm_hmac_replay_free(rm_hmac_replay *replay);

typedef enum {
    RM_HMAC_FIRST_USE = 0, /* not seen before; now kept until UNTIL */
    RM_HMAC_REPLAYED,      /* the same AP and MAC were accepted before */
    RM_HMAC_TABLE_FULL,    /* no room until an entry expires */
} rm_hmac_use;

/* Record AP's signature MAC (MSS_REST_HMAC_HEX_SIZE - 1 hex digits), valid until UNTIL,
 * at time NOW; entries whose time has passed are dropped first. */
rm_hmac_use rm_hmac_replay_record(rm_hmac_replay *replay, int ap, const char *mac,
                                  time_t until, time_t now);

#endif
