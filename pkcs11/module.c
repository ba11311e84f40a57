/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The instance as the core's files share it: its lock, the count of remote
 * signatures in flight that unloading must wait for, and emptying it without freeing.
 * Nothing here calls into the rest of the core (module_load.c builds and frees the
 * tables), so every core file can use the lock without a file-level circle. Where the
 * instance lives and when it is loaded is the boundary's business (p11_instance.c);
 * a unit test makes its own.
 */
#include "module.h"
#include "timed_wait.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void p11_module_init(p11_module *m)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->cond, NULL);
}

/* Everything but the lock and the condition, which callers may be waiting on. */
void p11_module_forget(p11_module *m)
{
    m->conf = NULL;
    m->slots = NULL;
    m->n_slots = 0;
    m->objects = NULL;
    m->n_objects = 0;
    m->sessions = NULL;
    m->n_sessions = m->cap_sessions = 0;
    m->last_handle = 0;
    m->inflight = 0;
    memset(&m->digests, 0, sizeof m->digests);
    m->generation++;
}

void p11_module_lock(p11_module *m)
{
    pthread_mutex_lock(&m->lock);
}

void p11_module_unlock(p11_module *m)
{
    pthread_mutex_unlock(&m->lock);
}

unsigned long p11_inflight_begin_locked(p11_module *m)
{
    m->inflight++;
    return m->generation;
}

void p11_inflight_end(p11_module *m, unsigned long generation)
{
    p11_module_lock(m);
    if (generation == m->generation && m->inflight > 0)
        m->inflight--;
    pthread_cond_broadcast(&m->cond);
    p11_module_unlock(m);
}

int p11_inflight_drain_locked(p11_module *m, int seconds)
{
    struct timespec deadline = timespec_after_ms((uint64_t)seconds * 1000u);

    while (m->inflight > 0) {
        if (pthread_cond_timedwait(&m->cond, &m->lock, &deadline) == ETIMEDOUT)
            break;
    }
    return m->inflight > 0 ? -1 : 0;
}
