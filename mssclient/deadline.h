/* SPDX-License-Identifier: BSD-3-Clause */
/* A monotonic clock and a sleep that wakes for cancels and deadlines. Internal. */
#ifndef MSS_DEADLINE_H
#define MSS_DEADLINE_H

#include <stdint.h>

#include <mss/mss.h>

/* Milliseconds on CLOCK_MONOTONIC (unaffected by wall-clock changes). */
uint64_t mss_now_ms(void);

/* Milliseconds left until deadline_ms, 0 when it has passed. */
uint64_t mss_ms_left(uint64_t deadline_ms);

/*
 * Sleep ms milliseconds in slices of at most 50 ms, asking cancel() between slices.
 * Returns MSS_OK after the full sleep, MSS_ERR_CANCELED as soon as cancel() says so,
 * MSS_ERR_TIMEOUT when deadline_ms comes first.
 */
mss_error mss_sleep_cancelable(unsigned ms, uint64_t deadline_ms, mss_cancel_fn cancel,
                               void *cancel_ctx);

#endif
