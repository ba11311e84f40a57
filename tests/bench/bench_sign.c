/* SPDX-License-Identifier: BSD-3-Clause */
/* The threaded signing loop; see bench_sign.h. */
#include "bench_sign.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bench_stats.h"

int bench_mech_parse(const char *name, bench_mech *mech)
{
    if (strcmp(name, "rsa") == 0)
        *mech = BENCH_MECH_SHA256_RSA_PKCS;
    else if (strcmp(name, "ecdsa") == 0)
        *mech = BENCH_MECH_ECDSA_SHA256;
    else
        return -1;
    return 0;
}

const char *bench_mech_name(bench_mech mech)
{
    return mech == BENCH_MECH_SHA256_RSA_PKCS ? "CKM_SHA256_RSA_PKCS"
                                              : "CKM_ECDSA over SHA-256";
}

/* One session with its key. */
typedef struct signer {
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE key;
    size_t slot_index;
} signer;

/* Holds the threads until all have their sessions, so that they start together. */
typedef struct start_gate {
    pthread_mutex_t lock;
    pthread_cond_t opened;
    int state; /* 0 closed, 1 go, -1 give up */
} start_gate;

/* Wait until the gate opens: 1 to go, 0 to give up. */
static int gate_wait(start_gate *g)
{
    pthread_mutex_lock(&g->lock);
    while (g->state == 0)
        pthread_cond_wait(&g->opened, &g->lock);
    int go = g->state == 1;
    pthread_mutex_unlock(&g->lock);
    return go;
}

static void gate_open(start_gate *g, int state)
{
    pthread_mutex_lock(&g->lock);
    g->state = state;
    pthread_cond_broadcast(&g->opened);
    pthread_mutex_unlock(&g->lock);
}

typedef struct worker {
    const bench_sign_plan *plan;
    bench_sign_result *result;
    start_gate *start;
    size_t first;       /* this thread's first entry in the result arrays */
    signer *signers;
    size_t n_signers;
    int failed;
} worker;

/* One signature of the plan's kind over data; the host's digest counts in the time. */
static CK_RV sign_once(const bench_sign_plan *plan, const signer *s, const unsigned char *data,
                       size_t len)
{
    CK_FUNCTION_LIST *f = plan->module->f;
    unsigned char sig[1024], hash[EVP_MAX_MD_SIZE];
    CK_ULONG sig_len = sizeof sig;
    CK_MECHANISM mech = { CKM_SHA256_RSA_PKCS, NULL, 0 };
    const unsigned char *input = data;
    size_t input_len = len;
    if (plan->mech == BENCH_MECH_ECDSA_SHA256) {
        unsigned hash_len = 0;
        if (EVP_Digest(data, len, hash, &hash_len, EVP_sha256(), NULL) != 1)
            return CKR_HOST_MEMORY;
        mech.mechanism = CKM_ECDSA;
        input = hash;
        input_len = hash_len;
    }
    CK_RV rv = f->C_SignInit(s->session, &mech, s->key);
    if (rv != CKR_OK)
        return rv;
    return f->C_Sign(s->session, (CK_BYTE *)input, input_len, sig, &sig_len);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    const bench_sign_plan *plan = w->plan;
    bench_sign_result *r = w->result;
    unsigned char data[64];
    memset(data, 'x', sizeof data);
    if (!gate_wait(w->start))
        return NULL;
    for (long j = 0; j < plan->count && !w->failed; j++) {
        const signer *s = &w->signers[(size_t)j % w->n_signers];
        memcpy(data, &w->first, sizeof w->first); /* every signature signs other data */
        memcpy(data + sizeof w->first, &j, sizeof j);
        double t0 = bench_now_ms();
        CK_RV rv = sign_once(plan, s, data, sizeof data);
        if (rv != CKR_OK) {
            bench_fail("C_SignInit/C_Sign", rv);
            w->failed = 1;
            break;
        }
        size_t at = w->first + (size_t)j;
        if (r->duration_ms != NULL)
            r->duration_ms[at] = bench_now_ms() - t0;
        if (r->returned_wall != NULL)
            r->returned_wall[at] = bench_wall_ms();
        if (r->slot_index != NULL)
            r->slot_index[at] = s->slot_index;
    }
    return NULL;
}

/* Open the sessions of thread t: one, or one per slot when the plan rotates. */
static int open_signers(const bench_sign_plan *plan, int t, worker *w)
{
    size_t n = plan->rotate ? plan->n_slots : 1;
    w->signers = calloc(n, sizeof *w->signers);
    if (w->signers == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t slot_index = plan->rotate ? i : (size_t)t % plan->n_slots;
        signer *s = &w->signers[i];
        s->slot_index = slot_index;
        if (bench_open_signer(plan->module, plan->slots[slot_index], plan->pin,
                              plan->key_label, &s->session, &s->key) != 0)
            return -1;
        w->n_signers++;
    }
    return 0;
}

static void close_signers(const bench_sign_plan *plan, worker *w)
{
    for (size_t i = 0; i < w->n_signers; i++)
        plan->module->f->C_CloseSession(w->signers[i].session);
    free(w->signers);
}

int bench_sign_run(const bench_sign_plan *plan, bench_sign_result *result)
{
    int threads = plan->rotate ? 1 : plan->threads;
    worker *workers = calloc((size_t)threads, sizeof *workers);
    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    start_gate gate = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
    int rc = -1, started = 0;
    if (workers == NULL || ids == NULL) {
        fprintf(stderr, "p11_sign_bench: out of memory\n");
        goto out;
    }
    for (int t = 0; t < threads; t++) {
        workers[t] = (worker){ .plan = plan, .result = result, .start = &gate,
                               .first = (size_t)t * (size_t)plan->count };
        if (open_signers(plan, t, &workers[t]) != 0)
            goto out;
    }
    for (; started < threads; started++) {
        if (pthread_create(&ids[started], NULL, worker_main, &workers[started]) != 0) {
            fprintf(stderr, "p11_sign_bench: cannot start thread %d\n", started + 1);
            break;
        }
    }
    double t0 = bench_now_ms();
    gate_open(&gate, started == threads ? 1 : -1);
    for (int t = 0; t < started; t++)
        pthread_join(ids[t], NULL);
    result->elapsed_ms = bench_now_ms() - t0;
    rc = started == threads ? 0 : -1;
    for (int t = 0; t < started; t++)
        if (workers[t].failed)
            rc = -1;
out:
    for (int t = 0; workers != NULL && t < threads; t++)
        close_signers(plan, &workers[t]);
    free(workers);
    free(ids);
    return rc;
}
