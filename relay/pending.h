/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The signature requests this relay instance has open per phone, so that a desktop
 * cannot queue requests on one phone (the "one pending request per phone").
 * A request counts from the moment it is forwarded until its final status passes
 * through the relay, or until its deadline (the request's TimeOut: the MSSP ends it
 * by then whether anyone asks or not).
 *
 * The count is this process's own, like the rate limits: instances behind a load
 * balancer share nothing, so the final status of a request may pass through another
 * instance. An entry therefore names its upstream transaction, and a request that
 * finds the phone busy lets the caller ask the MSSP whether the blocking one has ended
 * (forward.c) before refusing. Bounded memory; when full it refuses (fails closed).
 * Thread-safe.
 */
#ifndef RELAY_PENDING_H
#define RELAY_PENDING_H

#include <stddef.h>
#include <stdint.h>

typedef struct relay_pending relay_pending;

/* MAX_PER_PHONE 1..100, CAPACITY 1..1000000 entries. NULL on a bad value or no memory. */
relay_pending *relay_pending_new(unsigned max_per_phone, size_t capacity);
void relay_pending_free(relay_pending *p);

typedef enum relay_pending_verdict {
    RELAY_PENDING_ADDED = 0,
    RELAY_PENDING_BUSY,     /* the phone has max_per_phone open requests already */
    RELAY_PENDING_FULL      /* no room (every entry still open) */
} relay_pending_verdict;

/* An open request that keeps a phone busy: its upstream transaction, when known. */
typedef struct relay_pending_entry {
    char id[129];                /* the upstream MSSP_TransID ("" while being sent) */
    int url;                     /* the upstream URL that holds it; -1 while being sent */
} relay_pending_entry;

/*
 * Open a request for MSISDN until DEADLINE_MS (monotonic). ID names it for
 * relay_pending_close (any unique text until relay_pending_named gives the upstream's).
 * BUSY fills *BLOCKING (may be NULL) with one of the phone's open requests.
 */
relay_pending_verdict relay_pending_open(relay_pending *p, const char *msisdn, const char *id,
                                         uint64_t now_ms, uint64_t deadline_ms,
                                         relay_pending_entry *blocking);

/* The entry opened as OLD_ID is upstream transaction NEW_ID at upstream URL number URL
 * (once the MSSP has answered). */
void relay_pending_named(relay_pending *p, const char *msisdn, const char *old_id,
                         const char *new_id, int url);

/* The request has ended (final status, refused, or never sent): the phone is free. */
void relay_pending_close(relay_pending *p, const char *msisdn, const char *id);

/* Open requests now (for tests and the status line). */
size_t relay_pending_count(relay_pending *p, uint64_t now_ms);

#endif /* RELAY_PENDING_H */
