/* SPDX-License-Identifier: BSD-3-Clause */
/* The accepted HMAC signatures, until they expire; see hmac_replay.h. */
#include "hmac_replay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAC_LEN (MSS_REST_HMAC_HEX_SIZE - 1)

typedef struct seen {
    time_t until;
    int ap;
    char mac[MAC_LEN];
} seen;

struct rm_hmac_replay {
    pthread_mutex_t lock;
    size_t capacity, n;
    seen *entries;          /* n live ones first, in no order */
};

rm_hmac_replay *rm_hmac_replay_new(size_t capacity)
{
    rm_hmac_replay *r = calloc(1, sizeof *r);
    if (r == NULL || capacity == 0 || (r->entries = calloc(capacity, sizeof *r->entries)) == NULL) {
        free(r);
        return NULL;
    }
    r->capacity = capacity;
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

void rm_hmac_replay_free(rm_hmac_replay *replay)
{
    if (replay == NULL)
        return;
    pthread_mutex_destroy(&replay->lock);
    free(replay->entries);
    free(replay);
}

/* Drop the entries whose time has passed (the last one moves into each gap). */
static void drop_expired(rm_hmac_replay *r, time_t now)
{
    for (size_t i = 0; i < r->n;) {
        if (r->entries[i].until < now)
            r->entries[i] = r->entries[--r->n];
        else
            i++;
    }
}

rm_hmac_use rm_hmac_replay_record(rm_hmac_replay *replay, int ap, const char *mac,
                                  time_t until, time_t now)
{
    pthread_mutex_lock(&replay->lock);
    drop_expired(replay, now);
    rm_hmac_use use = RM_HMAC_FIRST_USE;
    for (size_t i = 0; i < replay->n && use == RM_HMAC_FIRST_USE; i++)
        if (replay->entries[i].ap == ap && memcmp(replay->entries[i].mac, mac, MAC_LEN) == 0)
            use = RM_HMAC_REPLAYED;
    if (use == RM_HMAC_FIRST_USE && replay->n == replay->capacity)
        use = RM_HMAC_TABLE_FULL;
    if (use == RM_HMAC_FIRST_USE) {
        seen *e = &replay->entries[replay->n++];
        e->until = until;
        e->ap = ap;
        memcpy(e->mac, mac, MAC_LEN);
    }
    pthread_mutex_unlock(&replay->lock);
    return use;
}
