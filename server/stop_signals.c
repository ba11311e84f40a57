/* SPDX-License-Identifier: BSD-3-Clause */
/* Waiting for a server's stop signal; see stop_signals.h. */
#include "stop_signals.h"

#include <pthread.h>
#include <signal.h>

static void stop_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
}

void srv_stop_signals_block(void)
{
    sigset_t stop;
    stop_set(&stop);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
}

const char *srv_stop_signals_wait(void (*on_hup)(void *ctx), void *ctx)
{
    sigset_t stop;
    stop_set(&stop);
    for (;;) {
        int sig = 0;
        if (sigwait(&stop, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            return sig == SIGINT ? "SIGINT" : "SIGTERM";
        if (on_hup != NULL)
            on_hup(ctx);
    }
}
