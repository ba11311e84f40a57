/* SPDX-License-Identifier: BSD-3-Clause */
/* Open signature requests per phone; see pending.h. */
#include "pending.h"
#include "text_hash.h"
#include "token.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The entries hang in chains by the hash of their MSISDN, so that a request looks only at
 * its own phone's chain: the table holds up to CAPACITY entries (100,000 in mss-relay),
 * and scanning all of them on every signature cost more than the rest of the relay's
 * work for it (docs/performance.md, "The relay"). Entries come from one array allocated
 * at the start (bounded memory); a closed or expired one goes back to a free list.
 */
typedef struct entry {
    struct entry *next;          /* in its phone's chain, or in the free list */
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
    entry *entries;              /* capacity of them; [0 .. fresh-1] have been used */
    size_t fresh;
    entry *free_list;
    size_t n_chains;             /* a power of two */
    entry **chains;
};

relay_pending *relay_pending_new(unsigned max_per_phone, size_t capacity)
{
    if (max_per_phone < 1 || max_per_phone > 100 || capacity < 1 || capacity > 1000000)
        return NULL;
    relay_pending *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->n_chains = 16;
    while (p->n_chains < capacity)
        p->n_chains *= 2;
    p->entries = calloc(capacity, sizeof *p->entries);
    p->chains = calloc(p->n_chains, sizeof *p->chains);
    if (p->entries == NULL || p->chains == NULL) {
        free(p->entries);
        free(p->chains);
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
    free(p->chains);
    free(p);
}

static int live(const entry *e, uint64_t now_ms)
{
    return e->deadline_ms > now_ms;
}

static entry **chain_of(relay_pending *p, const char *msisdn)
{
    return &p->chains[text_hash(msisdn) & (p->n_chains - 1)];
}

/* Unlink *LINK from its chain into the free list. */
static void release(relay_pending *p, entry **link)
{
    entry *e = *link;
    *link = e->next;
    memset(e, 0, sizeof *e);
    e->next = p->free_list;
    p->free_list = e;
}

/* Every entry past its deadline back to the free list (only when none is free). */
static void release_expired(relay_pending *p, uint64_t now_ms)
{
    for (size_t c = 0; c < p->n_chains; c++)
        for (entry **link = &p->chains[c]; *link != NULL;) {
            if (live(*link, now_ms))
                link = &(*link)->next;
            else
                release(p, link);
        }
}

static entry *take_free(relay_pending *p, uint64_t now_ms)
{
    if (p->free_list == NULL && p->fresh == p->capacity)
        release_expired(p, now_ms);
    if (p->free_list != NULL) {
        entry *e = p->free_list;
        p->free_list = e->next;
        return e;
    }
    return p->fresh < p->capacity ? &p->entries[p->fresh++] : NULL;
}

static entry **find(relay_pending *p, const char *msisdn, const char *id)
{
    for (entry **link = chain_of(p, msisdn); *link != NULL; link = &(*link)->next)
        if (strcmp((*link)->msisdn, msisdn) == 0 && strcmp((*link)->id, id) == 0)
            return link;
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
    entry **chain = chain_of(p, msisdn);
    for (entry **link = chain; *link != NULL;) {
        entry *e = *link;
        if (!live(e, now_ms)) {
            release(p, link);   /* past its deadline: the MSSP has ended it */
            continue;
        }
        link = &e->next;
        if (strcmp(e->msisdn, msisdn) != 0)
            continue;
        open++;
        /* Tell of one the MSSP can be asked about, when there is one. */
        if (blocking != NULL && (open == 1 || e->named)) {
            snprintf(blocking->id, sizeof blocking->id, "%s", e->named ? e->id : "");
            blocking->url = e->named ? e->url : -1;
        }
    }
    entry *room = open >= p->max_per_phone ? NULL : take_free(p, now_ms);
    relay_pending_verdict v = open >= p->max_per_phone ? RELAY_PENDING_BUSY
                              : room == NULL          ? RELAY_PENDING_FULL
                                                      : RELAY_PENDING_ADDED;
    if (v == RELAY_PENDING_ADDED) {
        memset(room, 0, sizeof *room);
        room->deadline_ms = deadline_ms;
        snprintf(room->msisdn, sizeof room->msisdn, "%s", msisdn);
        snprintf(room->id, sizeof room->id, "%s", id);
        room->next = *chain;
        *chain = room;
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
    entry **link = find(p, msisdn, old_id);
    entry *e = link != NULL ? *link : NULL;
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
    entry **link = find(p, msisdn, id);
    if (link != NULL)
        release(p, link);
    pthread_mutex_unlock(&p->lock);
}

size_t relay_pending_count(relay_pending *p, uint64_t now_ms)
{
    pthread_mutex_lock(&p->lock);
    size_t n = 0;
    for (size_t c = 0; c < p->n_chains; c++)
        for (const entry *e = p->chains[c]; e != NULL; e = e->next)
            n += live(e, now_ms) ? 1 : 0;
    pthread_mutex_unlock(&p->lock);
    return n;
}
