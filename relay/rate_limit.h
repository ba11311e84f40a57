/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Requests per minute per key (a relay user, an MSISDN): a token bucket per key that
 * holds at most PER_MINUTE requests and refills at PER_MINUTE per minute, so a quiet key
 * may send a burst of PER_MINUTE and then one every 60/PER_MINUTE s.
 *
 * Memory is bounded: at most MAX_KEYS keys are tracked. A key whose bucket has refilled
 * is forgotten when room is needed (forgetting it changes no later answer). When every
 * tracked key is still limited, a new key is refused: under a flood of distinct keys the
 * limiter fails closed, never open. Thread-safe; the state is this process's own (see
 * docs/relay.md for limits that must hold across relay instances).
 */
#ifndef RELAY_RATE_LIMIT_H
#define RELAY_RATE_LIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct relay_rate_limit relay_rate_limit;

/* PER_MINUTE 1..1000000, MAX_KEYS 1..10000000. NULL on a bad value or no memory. */
relay_rate_limit *relay_rate_limit_new(unsigned per_minute, size_t max_keys);
void relay_rate_limit_free(relay_rate_limit *rl);

/* Take one request for KEY at NOW_MS (a monotonic clock in milliseconds). 1 = allowed,
 * 0 = over the limit (nothing taken). */
int relay_rate_limit_take(relay_rate_limit *rl, const char *key, uint64_t now_ms);

/* Keys tracked now (for tests and the status line). */
size_t relay_rate_limit_tracked(relay_rate_limit *rl);

#endif /* RELAY_RATE_LIMIT_H */
