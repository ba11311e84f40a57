/* SPDX-License-Identifier: BSD-3-Clause */
#include "rate_limit.h"
#include "text_hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Units: one request costs 60000 units and the bucket gains PER_MINUTE units per
 * millisecond, which is PER_MINUTE requests a minute in exact integer arithmetic. */
#define UNITS_PER_REQUEST 60000u

typedef struct entry {
    struct entry *next;
    uint64_t units;      /* in the bucket at `at` */
    uint64_t at;         /* last update, ms */
    char key[];
} entry;

struct relay_rate_limit {
    pthread_mutex_t lock;
    uint64_t capacity;   /* units of a full bucket */
    unsigned per_minute;
    size_t max_keys, n_keys, n_slots;
    entry **slots;
};

relay_rate_limit *relay_rate_limit_new(unsigned per_minute, size_t max_keys)
{
    if (per_minute == 0 || per_minute > 1000000 || max_keys == 0 || max_keys > 10000000)
        return NULL;
    relay_rate_limit *rl = calloc(1, sizeof *rl);
    if (rl == NULL)
        return NULL;
    rl->n_slots = 16;
    while (rl->n_slots < max_keys)
        rl->n_slots *= 2;
    if ((rl->slots = calloc(rl->n_slots, sizeof *rl->slots)) == NULL) {
        free(rl);
        return NULL;
    }
    pthread_mutex_init(&rl->lock, NULL);
    rl->per_minute = per_minute;
    rl->capacity = (uint64_t)per_minute * UNITS_PER_REQUEST;
    rl->max_keys = max_keys;
    return rl;
}

void relay_rate_limit_free(relay_rate_limit *rl)
{
    if (rl == NULL)
        return;
    for (size_t i = 0; i < rl->n_slots; i++)
        for (entry *e = rl->slots[i], *next; e != NULL; e = next) {
            next = e->next;
            free(e);
        }
    free(rl->slots);
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

/* The bucket of E brought forward to NOW. */
static void refill(const relay_rate_limit *rl, entry *e, uint64_t now)
{
    if (now > e->at) {
        uint64_t gained = (now - e->at) * rl->per_minute;
        e->units = gained >= rl->capacity - e->units ? rl->capacity : e->units + gained;
        e->at = now;
    }
}

/* Forget every key whose bucket is full again. */
static void forget_idle(relay_rate_limit *rl, uint64_t now)
{
    for (size_t i = 0; i < rl->n_slots; i++)
        for (entry **p = &rl->slots[i]; *p != NULL;) {
            refill(rl, *p, now);
            if ((*p)->units == rl->capacity) {
                entry *gone = *p;
                *p = gone->next;
                free(gone);
                rl->n_keys--;
            } else {
                p = &(*p)->next;
            }
        }
}

static entry *find_or_add(relay_rate_limit *rl, const char *key, uint64_t now)
{
    size_t slot = text_hash(key) & (rl->n_slots - 1);
    for (entry *e = rl->slots[slot]; e != NULL; e = e->next)
        if (strcmp(e->key, key) == 0)
            return e;
    if (rl->n_keys == rl->max_keys)
        forget_idle(rl, now);
    if (rl->n_keys == rl->max_keys)
        return NULL;
    size_t len = strlen(key);
    entry *e = malloc(sizeof *e + len + 1);
    if (e == NULL)
        return NULL;
    memcpy(e->key, key, len + 1);
    e->units = rl->capacity;
    e->at = now;
    e->next = rl->slots[slot];
    rl->slots[slot] = e;
    rl->n_keys++;
    return e;
}

int relay_rate_limit_take(relay_rate_limit *rl, const char *key, uint64_t now_ms)
{
    int allowed = 0;
    pthread_mutex_lock(&rl->lock);
    entry *e = find_or_add(rl, key, now_ms);
    if (e != NULL) {
        refill(rl, e, now_ms);
        if (e->units >= UNITS_PER_REQUEST) {
            e->units -= UNITS_PER_REQUEST;
            allowed = 1;
        }
    }
    pthread_mutex_unlock(&rl->lock);
    return allowed;
}

size_t relay_rate_limit_tracked(relay_rate_limit *rl)
{
    pthread_mutex_lock(&rl->lock);
    size_t n = rl->n_keys;
    pthread_mutex_unlock(&rl->lock);
    return n;
}
