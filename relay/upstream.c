/* SPDX-License-Identifier: BSD-3-Clause */
/* A pool of upstream clients; see upstream.h. */
#include "upstream.h"
#include "timed_wait.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct relay_upstream {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    mss_client_options opts;     /* strings borrowed from the caller */
    unsigned size;               /* clients at most */
    unsigned made;               /* clients[0 .. made-1] exist */
    mss_client **clients;
    int *busy;
};

relay_upstream *relay_upstream_new(const mss_client_options *opts, unsigned size, char *err,
                                   size_t err_len)
{
    if (size < 1 || size > 100000) {
        snprintf(err, err_len, "upstream connections: %u is not in 1..100000", size);
        return NULL;
    }
    relay_upstream *up = calloc(1, sizeof *up);
    if (up != NULL) {
        up->clients = calloc(size, sizeof *up->clients);
        up->busy = calloc(size, sizeof *up->busy);
    }
    if (up == NULL || up->clients == NULL || up->busy == NULL) {
        if (up != NULL) {
            free(up->clients);
            free(up->busy);
        }
        free(up);
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&up->lock, NULL);
    pthread_cond_init(&up->freed, NULL);
    up->opts = *opts;
    up->size = size;
    mss_detail detail;
    memset(&detail, 0, sizeof detail);
    if (mss_client_new(opts, &up->clients[0], &detail) != MSS_OK) {
        snprintf(err, err_len, "upstream: %s", detail.text[0] != '\0' ? detail.text
                                                                      : "bad options");
        relay_upstream_free(up);
        return NULL;
    }
    up->made = 1;
    return up;
}

void relay_upstream_free(relay_upstream *up)
{
    if (up == NULL)
        return;
    for (unsigned i = 0; i < up->made; i++)
        mss_client_free(up->clients[i]);
    pthread_cond_destroy(&up->freed);
    pthread_mutex_destroy(&up->lock);
    free(up->clients);
    free(up->busy);
    free(up);
}

size_t relay_upstream_url_count(const relay_upstream *up)
{
    return mss_client_url_count(up->clients[0]);
}

/* A free client's index (made now when all are busy and there is room), waiting until
 * DEADLINE_MS (monotonic); -1 when none came. */
static int acquire(relay_upstream *up, uint64_t deadline_ms)
{
    pthread_mutex_lock(&up->lock);
    int found = -1;
    for (;;) {
        for (unsigned i = 0; i < up->made && found < 0; i++)
            if (!up->busy[i])
                found = (int)i;
        /* The options were checked by the first client; another fails only without
         * memory, and then the request waits for a busy one instead. */
        if (found < 0 && up->made < up->size &&
            mss_client_new(&up->opts, &up->clients[up->made], NULL) == MSS_OK)
            found = (int)up->made++;
        uint64_t now = monotonic_ms();
        if (found >= 0 || now >= deadline_ms)
            break;
        struct timespec until = timespec_after_ms(deadline_ms - now);
        pthread_cond_timedwait(&up->freed, &up->lock, &until);
    }
    if (found >= 0)
        up->busy[found] = 1;
    pthread_mutex_unlock(&up->lock);
    return found;
}

static void release(relay_upstream *up, int i)
{
    pthread_mutex_lock(&up->lock);
    up->busy[i] = 0;
    pthread_cond_signal(&up->freed);
    pthread_mutex_unlock(&up->lock);
}

mss_error relay_upstream_call(void *ctx, const mss_message *req, int url_index,
                              unsigned timeout_ms, mss_message *resp, int *url_used,
                              mss_detail *detail)
{
    relay_upstream *up = ctx;
    uint64_t start = monotonic_ms();
    memset(resp, 0, sizeof *resp);
    *url_used = -1;
    int i = acquire(up, start + timeout_ms);
    if (i < 0) {
        if (detail != NULL)
            snprintf(detail->text, sizeof detail->text,
                     "all %u upstream connections are busy", up->size);
        return MSS_ERR_TIMEOUT;
    }
    uint64_t waited = monotonic_ms() - start;
    unsigned left = waited < timeout_ms ? timeout_ms - (unsigned)waited : 1;
    mss_error err = mss_client_call(up->clients[i], req, url_index, left, resp, url_used, detail);
    release(up, i);
    return err;
}
