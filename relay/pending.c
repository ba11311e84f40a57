/* SPDX-License-Identifier: BSD-3-Clause */
/* Open signature requests per phone; see pending.h. */
#include "pending.h"
#include "token.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A linear table: a relay has at most a few thousand phones waiting at once, and one
 * scan of that is far below the cost of the TLS request that triggers it. */
typedef struct entry {
    int used;
    int named;                   /* id is the upstream's */
    int url;
    uint64_t deadline_ms;
    char msisdn[RELAY_TX_MAX_MSISDN + 1];
    char id[RELAY_TX_MAX_ID + 1];
} entry;

struct relay_pending {
    pthread_mutex_t lock;
    unsigned max_per_phone;
    size_t capacity;
    entry *entries;
};

relay_pending *relay_pending_new(unsigned max_per_phone, size_t capacity)
{
    if (max_per_phone < 1 || max_per_phone > 100 || capacity < 1 || capacity > 1000000)
        return NULL;
    relay_pending *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->entries = calloc(capacity, sizeof *p->entries);
    if (p->entries == NULL) {
        free(p);
        return NULL;
    }
    p->max_per_phone = max_per_phone;
    p->capacity = capacity;
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void relay_pending_free(relay_pending *p)
{
    if (p == NULL)
        return;
    pthread_mutex_destroy(&p->lock);
    free(p->entries);
    free(p);
}

static int live(const entry *e, uint64_t now_ms)
{
    return e->used && e->deadline_ms > now_ms;
}

static entry *find(relay_pending *p, const char *msisdn, const char *id)
{
    for (size_t i = 0; i < p->capacity; i++) {
        entry *e = &p->entries[i];
        if (e->used && strcmp(e->msisdn, msisdn) == 0 && strcmp(e->id, id) == 0)
            return e;
    }
    return NULL;
}

relay_pending_verdict relay_pending_open(relay_pending *p, const char *msisdn, const char *id,
                                         uint64_t now_ms, uint64_t deadline_ms,
                                         relay_pending_entry *blocking)
{
    if (strlen(msisdn) > RELAY_TX_MAX_MSISDN || strlen(id) > RELAY_TX_MAX_ID)
        return RELAY_PENDING_FULL;
    pthread_mutex_lock(&p->lock);
    unsigned open = 0;
    entry *room = NULL;
    for (size_t i = 0; i < p->capacity; i++) {
        entry *e = &p->entries[i];
        if (live(e, now_ms)) {
            if (strcmp(e->msisdn, msisdn) != 0)
                continue;
            open++;
            /* Tell of one the MSSP can be asked about, when there is one. */
            if (blocking != NULL && (open == 1 || e->named)) {
                snprintf(blocking->id, sizeof blocking->id, "%s", e->named ? e->id : "");
                blocking->url = e->named ? e->url : -1;
            }
        } else if (room == NULL) {
            room = e;   /* free, or past its deadline: reusable */
        }
    }
    relay_pending_verdict v = open >= p->max_per_phone ? RELAY_PENDING_BUSY
                              : room == NULL          ? RELAY_PENDING_FULL
                                                      : RELAY_PENDING_ADDED;
    if (v == RELAY_PENDING_ADDED) {
        memset(room, 0, sizeof *room);
        room->used = 1;
        room->deadline_ms = deadline_ms;
        snprintf(room->msisdn, sizeof room->msisdn, "%s", msisdn);
        snprintf(room->id, sizeof room->id, "%s", id);
    }
    pthread_mutex_unlock(&p->lock);
    return v;
}

void relay_pending_named(relay_pending *p, const char *msisdn, const char *old_id,
                         const char *new_id, int url)
{
    if (strlen(new_id) > RELAY_TX_MAX_ID)
        return;
    pthread_mutex_lock(&p->lock);
    entry *e = find(p, msisdn, old_id);
    if (e != NULL) {
        snprintf(e->id, sizeof e->id, "%s", new_id);
        e->named = 1;
        e->url = url;
    }
    pthread_mutex_unlock(&p->lock);
}

void relay_pending_close(relay_pending *p, const char *msisdn, const char *id)
{
    pthread_mutex_lock(&p->lock);
    entry *e = find(p, msisdn, id);
    if (e != NULL)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&p->lock);
}

size_t relay_pending_count(relay_pending *p, uint64_t now_ms)
{
    pthread_mutex_lock(&p->lock);
    size_t n = 0;
    for (size_t i = 0; i < p->capacity; i++)
        n += live(&p->entries[i], now_ms) ? 1 : 0;
    pthread_mutex_unlock(&p->lock);
    return n;
}
