/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * seed_users DIR COUNT [POLICY]: add COUNT mobile users to refmssp's database in DIR
 * (made by 'refmssp init'), MSISDNs +999600000001, +999600000002, … (names load1,
 * load2, …), with POLICY (default "manual": every request waits for a person), each
 * given copies of the first user's keys and certificates. 'refmssp user add' makes a
 * key pair and certificate per user, seconds for thousands; the capacity benchmark
 * needs 10,000 phones (refmssp takes one request per phone at a time), which this
 * writes in one SQLite transaction through refmssp's own store code.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../refmssp/store.h"

#define FIRST_MSISDN 999600000001ULL

static int usage(void)
{
    fprintf(stderr, "usage: seed_users DIR COUNT [approve|manual|delay:MS]"
                    "   (COUNT: 1 to 1000000 users)\n");
    return 2;
}

static int add_user(rm_store *store, unsigned long long i, const char *policy,
                    const store_key *keys, size_t n_keys)
{
    char msisdn[24], name[32];
    snprintf(msisdn, sizeof msisdn, "+%llu", FIRST_MSISDN + i);
    snprintf(name, sizeof name, "load%llu", i + 1);
    long long id = 0;
    if (store_add_user(store, msisdn, name, &id) != 0 ||
        store_set_user_options(store, id, policy, 0, NULL) != 0)
        return -1;
    for (size_t k = 0; k < n_keys; k++)
        if (store_add_key(store, id, keys[k].role, keys[k].profile, keys[k].key_type,
                          keys[k].pss, keys[k].key_pem, keys[k].cert_der, keys[k].cert_len) != 0)
            return -1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4)
        return usage();
    char *end = NULL;
    unsigned long long count = strtoull(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || count == 0 || count > 1000000ULL)
        return usage();
    const char *policy = argc == 4 ? argv[3] : "manual";
    if (strcmp(policy, "approve") != 0 && strcmp(policy, "manual") != 0 &&
        strncmp(policy, "delay:", 6) != 0)
        return usage();
    char path[PATH_MAX], err[512];
    if (snprintf(path, sizeof path, "%s/%s", argv[1], RM_DB_FILE) >= (int)sizeof path) {
        fprintf(stderr, "seed_users: %s: path too long\n", argv[1]);
        return 1;
    }
    rm_store *store = NULL;
    if (store_open(path, 0, &store, err, sizeof err) != 0) {
        fprintf(stderr, "seed_users: %s\n", err);
        return 1;
    }
    store_user *users = NULL;
    size_t n_users = 0;
    store_key *keys = NULL;
    size_t n_keys = 0;
    int rc = 1;
    if (store_list_users(store, &users, &n_users) != 0 || n_users == 0 ||
        store_user_keys(store, users[0].id, &keys, &n_keys) != 0 || n_keys == 0) {
        fprintf(stderr, "seed_users: no user with keys to copy (run 'refmssp init' first)\n");
        goto out;
    }
    int failed = store_begin(store) != 0;
    for (unsigned long long i = 0; !failed && i < count; i++)
        failed = add_user(store, i, policy, keys, n_keys) != 0;
    if (failed || store_commit(store) != 0) {
        store_rollback(store);
        fprintf(stderr, "seed_users: cannot add the users (seeded before? MSISDNs from +%llu)\n",
                FIRST_MSISDN);
        goto out;
    }
    printf("seed_users: %llu users (+%llu …, policy %s) added to %s\n", count, FIRST_MSISDN,
           policy, path);
    rc = 0;
out:
    store_keys_free(keys, n_keys);
    store_users_free(users, n_users);
    store_close(store);
    return rc;
}
