/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * seed_history DIR COUNT: give refmssp's database in DIR (made by 'refmssp init') COUNT
 * finished signature transactions, spread over its users, as if they had been made
 * over the past days: most done with a signature and the key's certificate (what a
 * real row holds), some failed (expired, cancelled). One SQLite transaction, through
 * refmssp's own store code, so the rows are what refmssp writes. For the benchmark
 * "history does not matter" (tests/bench/bench-refmssp.sh); run it while refmssp is
 * stopped or running, either works.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../refmssp/store.h"

#define SIGNATURE_BYTES 256   /* an RSA-2048 signature */

static int usage(void)
{
    fprintf(stderr, "usage: seed_history DIR COUNT   (COUNT: 1 to 10000000 transactions)\n");
    return 2;
}

/* The certificate of each user's first key, so rows carry one like real ones. */
typedef struct user_row {
    store_user user;
    store_key *keys;
    size_t n_keys;
} user_row;

static int load_users(rm_store *store, user_row **rows, size_t *n)
{
    store_user *users = NULL;
    if (store_list_users(store, &users, n) != 0 || *n == 0) {
        fprintf(stderr, "seed_history: no users in the database (run 'refmssp init' first)\n");
        store_users_free(users, *n);
        return -1;
    }
    *rows = calloc(*n, sizeof **rows);
    if (*rows == NULL) {
        store_users_free(users, *n);
        return -1;
    }
    for (size_t i = 0; i < *n; i++)
        (*rows)[i].user = users[i];
    free(users);   /* the strings now belong to rows */
    for (size_t i = 0; i < *n; i++)
        if (store_user_keys(store, (*rows)[i].user.id, &(*rows)[i].keys, &(*rows)[i].n_keys) != 0)
            return -1;
    return 0;
}

static void free_users(user_row *rows, size_t n)
{
    for (size_t i = 0; rows != NULL && i < n; i++) {
        store_user_clear(&rows[i].user);
        store_keys_free(rows[i].keys, rows[i].n_keys);
    }
    free(rows);
}

/* Row I of the history: user I mod n, a week back spread, 1 in 10 failed. */
static void make_row(const user_row *u, size_t i, long long now, const char *run_tag,
                     unsigned char *sig, char *trans_id, size_t id_len, char *ap_trans_id,
                     size_t ap_len, store_tx *tx)
{
    snprintf(trans_id, id_len, "H%s%09zu", run_tag, i);
    snprintf(ap_trans_id, ap_len, "seed%zu", i);
    memset(tx, 0, sizeof *tx);
    tx->mssp_trans_id = trans_id;
    tx->ap_id = "http://ap.refmssp.test";
    tx->ap_trans_id = ap_trans_id;
    tx->msisdn = u->user.msisdn;
    tx->mode = i % 2 ? "synch" : "asynchClientServer";
    tx->created = now - 7 * 24 * 3600 + (long long)(i % (7 * 24 * 3600));
    const store_key *key = u->n_keys > 0 ? &u->keys[i % u->n_keys] : NULL;
    tx->profile = key != NULL ? key->profile : NULL;
    tx->key_id = key != NULL ? key->id : 0;
    if (i % 10 == 9) {
        tx->state = STORE_TX_FAILED;
        tx->status_code = i % 20 == 19 ? 401 : 208;
        tx->specifier = i % 20 == 19 ? 4011 : 2082;
        return;
    }
    tx->state = STORE_TX_DONE;
    tx->status_code = 500;
    sig[0] = (unsigned char)i;
    tx->signature = sig;
    tx->signature_len = SIGNATURE_BYTES;
    if (key != NULL) {
        tx->cert_der = key->cert_der;
        tx->cert_len = key->cert_len;
    }
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return usage();
    char *end = NULL;
    unsigned long long count = strtoull(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || count == 0 || count > 10000000ULL)
        return usage();
    char path[PATH_MAX], err[512];
    if (snprintf(path, sizeof path, "%s/%s", argv[1], RM_DB_FILE) >= (int)sizeof path) {
        fprintf(stderr, "seed_history: %s: path too long\n", argv[1]);
        return 1;
    }
    rm_store *store = NULL;
    if (store_open(path, 0, &store, err, sizeof err) != 0) {
        fprintf(stderr, "seed_history: %s\n", err);
        return 1;
    }
    user_row *users = NULL;
    size_t n_users = 0;
    if (load_users(store, &users, &n_users) != 0) {
        free_users(users, n_users);
        store_close(store);
        return 1;
    }
    /* A tag per run, so that seeding twice adds rows instead of colliding. */
    char run_tag[16];
    snprintf(run_tag, sizeof run_tag, "%08lx%04x", (unsigned long)time(NULL),
             (unsigned)getpid() & 0xffff);
    unsigned char sig[SIGNATURE_BYTES];
    memset(sig, 0x5a, sizeof sig);
    long long now = (long long)time(NULL);
    int failed = store_begin(store) != 0;
    for (unsigned long long i = 0; !failed && i < count; i++) {
        char trans_id[40], ap_trans_id[32];
        store_tx tx;
        make_row(&users[i % n_users], (size_t)i, now, run_tag, sig, trans_id, sizeof trans_id,
                 ap_trans_id, sizeof ap_trans_id, &tx);
        failed = store_tx_insert(store, &tx) != 0;
    }
    if (failed || store_commit(store) != 0) {
        store_rollback(store);
        fprintf(stderr, "seed_history: cannot write the transactions\n");
        free_users(users, n_users);
        store_close(store);
        return 1;
    }
    printf("seed_history: %llu finished transactions over %zu users added to %s\n", count,
           n_users, path);
    free_users(users, n_users);
    store_close(store);
    return 0;
}
