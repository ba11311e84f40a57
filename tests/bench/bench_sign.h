/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The signing loop: THREADS threads, each with its own session(s), each making COUNT
 * signatures (C_SignInit + C_Sign) as fast as the module answers, all started together.
 * The same loop runs against every module, so their figures compare.
 */
#ifndef MSS_BENCH_SIGN_H
#define MSS_BENCH_SIGN_H

#include <stddef.h>

#include "bench_module.h"

/* What one signature is. Both work with SoftHSM 2.6, which has no CKM_ECDSA_SHA256. */
typedef enum {
    BENCH_MECH_SHA256_RSA_PKCS, /* CKM_SHA256_RSA_PKCS over 64 bytes */
    BENCH_MECH_ECDSA_SHA256,    /* SHA-256 of 64 bytes in the host, then CKM_ECDSA */
} bench_mech;

/* "rsa" or "ecdsa" into *mech; -1 for anything else. */
int bench_mech_parse(const char *name, bench_mech *mech);
const char *bench_mech_name(bench_mech mech);

typedef struct bench_sign_plan {
    bench_module *module;
    const CK_SLOT_ID *slots; /* thread i signs on slots[i % n_slots] */
    size_t n_slots;
    const char *pin;         /* NULL: no C_Login */
    const char *key_label;
    bench_mech mech;
    int threads;
    long count;              /* signatures per thread */
    int rotate;              /* one thread only, signature j on slots[j % n_slots] */
} bench_sign_plan;

/* What happened. The arrays (threads * count entries, thread by thread) are filled
 * when the caller set them (footprint runs leave them NULL so that they add nothing). */
typedef struct bench_sign_result {
    double elapsed_ms;      /* from the common start to the last thread's end */
    double *duration_ms;    /* C_SignInit to C_Sign's return */
    double *returned_wall;  /* bench_wall_ms() when C_Sign returned */
    size_t *slot_index;     /* index into plan->slots */
} bench_sign_result;

/* Run the plan: 0 when every signature succeeded, -1 (after a message) otherwise. */
int bench_sign_run(const bench_sign_plan *plan, bench_sign_result *result);

#endif
