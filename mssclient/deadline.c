/* SPDX-License-Identifier: BSD-3-Clause */
/* Time keeping for the polling loop: everything here is bounded and cancelable. */
#include <errno.h>
#include <time.h>

#include "deadline.h"
#include "timed_wait.h"

/* The longest single sleep; cancel latency is at most this plus one callback. */
#define SLICE_MS 50u

uint64_t mss_now_ms(void)
{
    return monotonic_ms();
}

uint64_t mss_ms_left(uint64_t deadline_ms)
{
    uint64_t now = mss_now_ms();
    return now >= deadline_ms ? 0 : deadline_ms - now;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

mss_error mss_sleep_cancelable(unsigned ms, uint64_t deadline_ms, mss_cancel_fn cancel,
                               void *cancel_ctx)
{
    uint64_t wake = mss_now_ms() + ms;

    for (;;) {
        if (cancel != NULL && cancel(cancel_ctx))
            return MSS_ERR_CANCELED;
        uint64_t now = mss_now_ms();
        if (now >= wake)
            return MSS_OK;
        if (now >= deadline_ms)
            return MSS_ERR_TIMEOUT;
        uint64_t until = wake < deadline_ms ? wake : deadline_ms;
        uint64_t step = until - now;
        sleep_ms(step > SLICE_MS ? SLICE_MS : (unsigned)step);
    }
}
