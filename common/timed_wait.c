/* SPDX-License-Identifier: BSD-3-Clause */
/* Time arithmetic for bounded waits; see timed_wait.h. */
#include "timed_wait.h"

#define NS_PER_S 1000000000L
#define NS_PER_MS 1000000L

struct timespec timespec_add_ms(struct timespec ts, uint64_t ms)
{
    ts.tv_sec += (time_t)(ms / 1000u);
    ts.tv_nsec += (long)(ms % 1000u) * NS_PER_MS;
    /* Both parts were below a second, so one carry is enough. */
    if (ts.tv_nsec >= NS_PER_S) {
        ts.tv_sec++;
        ts.tv_nsec -= NS_PER_S;
    }
    return ts;
}

struct timespec timespec_after_ms(uint64_t ms)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return timespec_add_ms(now, ms);
}

uint64_t monotonic_ms(void)
{
    return monotonic_us() / 1000u;
}

uint64_t monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
