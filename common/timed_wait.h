/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time arithmetic for bounded waits: the absolute deadline that
 * pthread_cond_timedwait and pthread_mutex_timedlock take, and a monotonic clock
 * for measuring durations (unaffected by wall-clock changes).
 */
#ifndef COMMON_TIMED_WAIT_H
#define COMMON_TIMED_WAIT_H

#include <stdint.h>
#include <time.h>

/* TS plus MS milliseconds, with tv_nsec normalised into [0, 1e9). */
struct timespec timespec_add_ms(struct timespec ts, uint64_t ms);

/*
 * The CLOCK_REALTIME time MS milliseconds from now: the deadline for
 * pthread_cond_timedwait (on a condition variable with the default clock) and
 * pthread_mutex_timedlock, which both measure against the realtime clock.
 */
struct timespec timespec_after_ms(uint64_t ms);

/* Milliseconds on CLOCK_MONOTONIC: for deadlines and durations, not dates. */
uint64_t monotonic_ms(void);

/* Microseconds on CLOCK_MONOTONIC: for durations reported below a millisecond. */
uint64_t monotonic_us(void);

#endif /* COMMON_TIMED_WAIT_H */
