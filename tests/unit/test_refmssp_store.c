/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's SQLite store: what is written comes back, unknown things are reported as
 * unknown (not as errors), bad input changes nothing, and a database survives a
 * close and re-open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <sqlite3.h>

#include "../../refmssp/store.h"
#include "../../refmssp/store_db.h"
#include "scratch_db.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    rm_store *store;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/test_refmssp_store.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/refmssp.db", f->dir);
    char err[256];
    if (store_open(f->path, 1, &f->store, err, sizeof err) != 0) {
        print_error("store_open: %s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->store);
    scratch_db_remove(f->path, f->dir);
    free(f);
    return 0;
}

static const unsigned char cert_a[] = {0x30, 0x03, 0x02, 0x01, 0x01};
static const unsigned char cert_b[] = {0x30, 0x03, 0x02, 0x01, 0x02};

static long long add_demo_user(rm_store *s)
{
    long long id = 0;
    assert_int_equal(store_add_user(s, "+99900000001", "demo", &id), 0);
    assert_int_equal(store_add_key(s, id, "sign", "mss:t:sign:loa4:sim", "rsa2048", 0, "SIGN-PEM", cert_b,
                                   sizeof cert_b), 0);
    assert_int_equal(store_add_key(s, id, "authn", "mss:t:authn:loa3:sim", "rsa2048", 0, "AUTHN-PEM", cert_a,
                                   sizeof cert_a), 0);
    return id;
}

static void users_and_keys_come_back_authn_first(void **state)
{
    fixture *f = *state;
    long long id = add_demo_user(f->store);
    long long found = -1;
    assert_int_equal(store_find_user(f->store, "+99900000001", &found), 1);
    assert_int_equal(found, id);
    store_key *keys = NULL;
    size_t n = 0;
    assert_int_equal(store_user_keys(f->store, id, &keys, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(keys[0].role, "authn");
    assert_string_equal(keys[0].profile, "mss:t:authn:loa3:sim");
    assert_string_equal(keys[0].state, "ACTIVE");
    assert_string_equal(keys[0].key_pem, "AUTHN-PEM");
    assert_int_equal(keys[0].cert_len, sizeof cert_a);
    assert_memory_equal(keys[0].cert_der, cert_a, sizeof cert_a);
    assert_string_equal(keys[1].role, "sign");
    assert_memory_equal(keys[1].cert_der, cert_b, sizeof cert_b);
    store_keys_free(keys, n);
}

static void unknown_user_is_not_an_error(void **state)
{
    fixture *f = *state;
    long long found = 42;
    assert_int_equal(store_find_user(f->store, "+1000", &found), 0);
    assert_int_equal(found, 42);
    store_key *keys = NULL;
    size_t n = 7;
    assert_int_equal(store_user_keys(f->store, 12345, &keys, &n), 0);
    assert_int_equal(n, 0);
    store_keys_free(keys, n);
}

static void bad_rows_are_refused(void **state)
{
    fixture *f = *state;
    long long id = add_demo_user(f->store);
    /* the same MSISDN twice, a role that does not exist, a key for no user, a
     * profile bound twice to one user */
    assert_int_equal(store_add_user(f->store, "+99900000001", "again", NULL), -1);
    assert_int_equal(store_add_key(f->store, id, "encrypt", "mss:t:x", "rsa2048", 0, "P", cert_a,
                                   sizeof cert_a), -1);
    assert_int_equal(store_add_key(f->store, id + 100, "sign", "mss:t:y", "rsa2048", 0, "P", cert_a,
                                   sizeof cert_a), -1);
    assert_int_equal(store_add_key(f->store, id, "sign", "mss:t:sign:loa4:sim", "rsa2048", 0, "P", cert_a,
                                   sizeof cert_a), -1);
    store_key *keys = NULL;
    size_t n = 0;
    assert_int_equal(store_user_keys(f->store, id, &keys, &n), 0);
    assert_int_equal(n, 2);
    store_keys_free(keys, n);
}

static void transactions_round_trip_and_ids_are_unique(void **state)
{
    fixture *f = *state;
    unsigned char sig[4] = {1, 2, 3, 4};
    store_tx tx = {
        .mssp_trans_id = "T1", .ap_id = "http://ap", .ap_trans_id = "A1",
        .msisdn = "+99900000001", .mode = "asynchClientServer", .profile = "mss:t:authn",
        .mss_format = NULL, .state = STORE_TX_DONE, .status_code = 500,
        .signature = sig, .signature_len = sizeof sig,
        .cert_der = (unsigned char *)cert_a, .cert_len = sizeof cert_a, .created = 1000,
    };
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
    assert_int_equal(store_tx_insert(f->store, &tx), -1);   /* same MSSP_TransID */

    store_tx out;
    assert_int_equal(store_tx_find(f->store, "T1", &out), 1);
    assert_string_equal(out.ap_id, "http://ap");
    assert_string_equal(out.ap_trans_id, "A1");
    assert_string_equal(out.mode, "asynchClientServer");
    assert_null(out.mss_format);
    assert_int_equal(out.state, STORE_TX_DONE);
    assert_int_equal(out.status_code, 500);
    assert_int_equal(out.signature_len, sizeof sig);
    assert_memory_equal(out.signature, sig, sizeof sig);
    assert_memory_equal(out.cert_der, cert_a, sizeof cert_a);
    assert_int_equal(out.created, 1000);
    store_tx_clear(&out);

    assert_int_equal(store_tx_find(f->store, "T2", &out), 0);
    assert_null(out.mssp_trans_id);
}

static void users_can_be_found_listed_blocked_and_removed(void **state)
{
    fixture *f = *state;
    long long id = add_demo_user(f->store);
    long long other = 0;
    assert_int_equal(store_add_user(f->store, "+35840000", "other", &other), 0);
    assert_int_equal(store_add_user(f->store, "+35840001", "demo", NULL), -1);   /* name taken */
    assert_int_equal(store_set_user_options(f->store, other, "delay:5", 1, "ab"), 0);
    assert_int_equal(store_set_user_options(f->store, other + 100, "manual", 0, NULL), -1);

    store_user u;
    assert_int_equal(store_get_user(f->store, "other", &u), 1);   /* by name */
    assert_string_equal(u.msisdn, "+35840000");
    assert_string_equal(u.policy, "delay:5");
    assert_int_equal(u.ecdsa_raw, 1);
    store_user_clear(&u);
    assert_int_equal(store_get_user(f->store, "+99900000001", &u), 1);   /* by MSISDN */
    assert_string_equal(u.name, "demo");
    assert_string_equal(u.policy, "approve");
    assert_int_equal(u.blocked, 0);
    store_user_clear(&u);
    assert_int_equal(store_get_user(f->store, "nobody", &u), 0);
    assert_int_equal(store_get_scenario_user(f->store, &u), 1);
    assert_string_equal(u.name, "demo");
    store_user_clear(&u);

    store_key *keys = NULL;
    size_t n = 0;
    assert_int_equal(store_user_keys(f->store, id, &keys, &n), 0);
    long long key_id = keys[1].id;
    assert_string_equal(keys[1].key_type, "rsa2048");
    store_keys_free(keys, n);
    int failures = 0;
    assert_int_equal(store_key_pin_failed(f->store, key_id, &failures), 0);
    assert_int_equal(store_key_pin_failed(f->store, key_id, &failures), 0);
    assert_int_equal(failures, 2);
    assert_int_equal(store_set_user_blocked(f->store, id, 1), 0);
    assert_int_equal(store_get_user(f->store, "demo", &u), 1);
    assert_int_equal(u.blocked, 1);
    store_user_clear(&u);
    assert_int_equal(store_set_user_blocked(f->store, id, 0), 0);   /* also resets PINs */
    store_key k;
    assert_int_equal(store_key_by_id(f->store, key_id, &k), 1);
    assert_int_equal(k.pin_failures, 0);
    store_key_clear(&k);

    assert_int_equal(store_remove_user(f->store, id), 1);
    assert_int_equal(store_remove_user(f->store, id), 0);
    assert_int_equal(store_key_by_id(f->store, key_id, &k), 0);
    store_user *all = NULL;
    assert_int_equal(store_list_users(f->store, &all, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(all[0].name, "other");
    store_users_free(all, n);
}

static void pending_transactions_end_once(void **state)
{
    fixture *f = *state;
    store_tx tx = {
        .mssp_trans_id = "TP1", .ap_id = "http://ap", .ap_trans_id = "A1", .msisdn = "+1234",
        .mode = "synch", .state = STORE_TX_PENDING, .status_code = 504,
        .dtbs = (unsigned char *)cert_a, .dtbs_len = sizeof cert_a, .deadline_ms = 99,
    };
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
    tx.mssp_trans_id = "TP2";
    tx.msisdn = "+5678";
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
    char **ids = NULL;
    size_t n = 0;
    assert_int_equal(store_tx_pending_ids(f->store, "+1234", &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], "TP1");
    store_ids_free(ids, n);

    unsigned char sig[3] = {9, 8, 7};
    assert_int_equal(store_tx_finish(f->store, "TP1", STORE_TX_DONE, 500, 0, sig, 3), 1);
    assert_int_equal(store_tx_finish(f->store, "TP1", STORE_TX_FAILED, 401, 4011, NULL, 0), 0);
    assert_int_equal(store_tx_finish(f->store, "TP1", STORE_TX_PENDING, 504, 0, NULL, 0), -1);
    store_tx out;
    assert_int_equal(store_tx_find(f->store, "TP1", &out), 1);
    assert_int_equal(out.state, STORE_TX_DONE);
    assert_int_equal(out.signature_len, 3);
    assert_null(out.dtbs);   /* dropped once ended */
    store_tx_clear(&out);

    int count = 0;
    assert_int_equal(store_tx_expire_all(f->store, &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(store_tx_find(f->store, "TP2", &out), 1);
    assert_int_equal(out.status_code, 208);
    assert_int_equal(out.specifier, 2081);
    store_tx_clear(&out);
    assert_int_equal(store_tx_pending_ids(f->store, NULL, &ids, &n), 0);
    assert_int_equal(n, 0);
    store_ids_free(ids, n);
}

static void data_survives_reopen_and_create_refuses_existing(void **state)
{
    fixture *f = *state;
    add_demo_user(f->store);
    assert_int_equal(store_audit(f->store, "test", NULL, "detail"), 0);
    store_close(f->store);
    f->store = NULL;

    char err[256] = "";
    rm_store *again = NULL;
    assert_int_equal(store_open(f->path, 1, &again, err, sizeof err), -1);
    assert_non_null(strstr(err, "exists"));
    assert_int_equal(store_open(f->path, 0, &f->store, err, sizeof err), 0);
    assert_int_equal(store_find_user(f->store, "+99900000001", NULL), 1);
}

static void open_refuses_missing_and_foreign_files(void **state)
{
    fixture *f = *state;
    char err[256] = "", path[160];
    rm_store *s = NULL;
    snprintf(path, sizeof path, "%s/missing.db", f->dir);
    assert_int_equal(store_open(path, 0, &s, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "does not exist"));

    snprintf(path, sizeof path, "%s/foreign.db", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("this is not a database, just some text long enough to look like a header\n", fp);
    fclose(fp);
    assert_int_equal(store_open(path, 0, &s, err, sizeof err), -1);
    assert_null(s);
    unlink(path);
}

/* A database of schema 2 (unsalted PIN digests, no phone tokens) is refused with a
 * line that says what to do, not opened half-working. */
static void older_schema_is_refused(void **state)
{
    fixture *f = *state;
    store_close(f->store);
    f->store = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 2", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[256] = "";
    rm_store *s = NULL;
    assert_int_equal(store_open(f->path, 0, &s, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "older refmssp (schema 2"));
    assert_non_null(strstr(err, "refmssp init"));
}

/* ------------------------------------------------------------------ query plans */

/* The lines of EXPLAIN QUERY PLAN for statement ID, joined with '\n' into buf. */
static void query_plan(rm_store *s, enum stmt_id id, char *buf, size_t len)
{
    char sql[1200];
    snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(s->stmt[id]));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    buf[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s\n", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
}

/*
 * Every line of the plan finds its rows through an index (no SCAN of a table or of a
 * whole index), except a SCAN of a partial index of pending transactions; and what it
 * reads of the transactions table it reads through such an index or the primary key,
 * never through an index over every transaction, which grows with the history.
 */
static void assert_plan_skips_history(rm_store *s, enum stmt_id id, const char *name)
{
    char plan[2000];
    query_plan(s, id, plan, sizeof plan);
    int looked_up = 0;
    for (char *line = plan; *line != '\0';) {
        char *end = strchr(line, '\n');
        *end = '\0';
        int pending = strstr(line, "INDEX transactions_pending") != NULL;
        int by_key = strstr(line, "USING INDEX sqlite_autoindex_transactions_1 "
                                  "(mssp_trans_id=?)") != NULL;
        if (strncmp(line, "SCAN ", 5) == 0 && !pending)
            fail_msg("%s reads a whole table or index: %s", name, line);
        if (strstr(line, " transactions ") != NULL && !pending && !by_key)
            fail_msg("%s reads past transactions: %s", name, line);
        looked_up |= strncmp(line, "SEARCH ", 7) == 0 || strncmp(line, "SCAN ", 5) == 0;
        line = end + 1;
    }
    if (!looked_up)
        fail_msg("%s: no table in the plan:\n%s", name, plan);
}

/* The queries of every request (signature, status query, phone page) and of the ticker
 * find their rows through indexes, and cost the same however many transactions have
 * ended before. */
static void per_request_queries_skip_finished_transactions(void **state)
{
    fixture *f = *state;
    static const struct {
        enum stmt_id id;
        const char *name;
    } queries[] = {
        {ST_TX_FIND, "find by MSSP_TransID"},
        {ST_TX_FINISH, "finish"},
        {ST_TX_PENDING_MSISDN, "a phone's pending requests"},
        {ST_TX_PENDING_ALL, "all pending requests"},
        {ST_TX_DUE, "the ticker's due transactions"},
        {ST_TX_EXPIRE_ALL, "expire all pending"},
        {ST_GET_USER, "user by MSISDN or name"},
        {ST_FIND_USER, "user id by MSISDN"},
        {ST_SCENARIO_USER, "scenario user"},
        {ST_USER_BY_TOKEN, "user by phone token"},
        {ST_USER_KEYS, "a user's keys"},
        {ST_KEY_BY_ID, "key by id"},
        {ST_PIN_FAILED, "PIN counter"},
        {ST_PIN_OK, "PIN counter reset"},
    };
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        assert_plan_skips_history(f->store, queries[i].id, queries[i].name);
}

static int index_exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE type ="
                                            " 'index' AND name = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A schema-3 database of an earlier refmssp (indexes over every transaction, no partial
 * ones) opens with its transactions intact and gets the partial indexes. */
static void earlier_database_gets_the_pending_indexes(void **state)
{
    fixture *f = *state;
    store_tx tx = {
        .mssp_trans_id = "TOLD", .ap_id = "http://ap", .ap_trans_id = "A1", .msisdn = "+1234",
        .mode = "synch", .state = STORE_TX_PENDING, .status_code = 504, .deadline_ms = 99,
    };
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
    store_close(f->store);
    f->store = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP INDEX transactions_pending;"
                                  "DROP INDEX transactions_pending_deadline;"
                                  "DROP INDEX transactions_pending_approve;"
                                  "CREATE INDEX transactions_msisdn ON transactions(msisdn, created);"
                                  "CREATE INDEX transactions_state ON transactions(state);",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    char err[256] = "";
    assert_int_equal(store_open(f->path, 0, &f->store, err, sizeof err), 0);
    assert_int_equal(index_exists(f->store->db, "transactions_pending"), 1);
    assert_int_equal(index_exists(f->store->db, "transactions_pending_deadline"), 1);
    assert_int_equal(index_exists(f->store->db, "transactions_pending_approve"), 1);
    assert_int_equal(index_exists(f->store->db, "transactions_msisdn"), 0);
    assert_int_equal(index_exists(f->store->db, "transactions_state"), 0);
    per_request_queries_skip_finished_transactions(state);
    char **ids = NULL;
    size_t n = 0;
    assert_int_equal(store_tx_pending_ids(f->store, "+1234", &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], "TOLD");
    store_ids_free(ids, n);
}

/* The connection runs in WAL mode with synchronous = NORMAL (a commit is a write to
 * the WAL, no fsync): both pragmas must really be in force on the store's connection. */
static void connection_uses_wal_and_normal_sync(void **state)
{
    fixture *f = *state;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->store->db, "PRAGMA journal_mode", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(f->store->db, "PRAGMA synchronous", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);   /* NORMAL */
    sqlite3_finalize(st);
}

/* Due: past the deadline, or past the SIM's own approval; not: waiting for a person. */
static void due_transactions_are_the_ones_whose_time_has_come(void **state)
{
    fixture *f = *state;
    store_tx tx = {
        .ap_id = "http://ap", .ap_trans_id = "A1", .mode = "asynchClientServer",
        .state = STORE_TX_PENDING, .status_code = 504,
    };
    static const struct {
        const char *id, *msisdn;
        long long approve_at, deadline;
    } rows[] = {
        {"TWAIT", "+1", 0, 5000},        /* a person must answer; deadline later */
        {"TLATE", "+2", 0, 1000},        /* past its deadline */
        {"TSIM", "+3", 1500, 5000},      /* its SIM approves by itself, now */
        {"TSOON", "+4", 4000, 5000},     /* approves later */
        {"TBOTH", "+5", 1200, 1800},     /* both: listed once */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tx.mssp_trans_id = (char *)rows[i].id;
        tx.msisdn = (char *)rows[i].msisdn;
        tx.approve_at_ms = rows[i].approve_at;
        tx.deadline_ms = rows[i].deadline;
        assert_int_equal(store_tx_insert(f->store, &tx), 0);
    }
    assert_int_equal(store_tx_finish(f->store, "TBOTH", STORE_TX_DONE, 500, 0, NULL, 0), 1);
    tx.mssp_trans_id = "TBOTH2";
    tx.approve_at_ms = 1200;
    tx.deadline_ms = 1800;
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
    char **ids = NULL;
    size_t n = 0;
    assert_int_equal(store_tx_due_ids(f->store, 2000, &ids, &n), 0);
    assert_int_equal(n, 3);
    int seen_late = 0, seen_sim = 0, seen_both = 0;
    for (size_t i = 0; i < n; i++) {
        seen_late += strcmp(ids[i], "TLATE") == 0;
        seen_sim += strcmp(ids[i], "TSIM") == 0;
        seen_both += strcmp(ids[i], "TBOTH2") == 0;
    }
    assert_int_equal(seen_late + seen_sim + seen_both, 3);
    assert_int_equal(seen_both, 1);
    store_ids_free(ids, n);
}

/* A transaction and its audit lines are written together, or not at all. */
static void recorded_transaction_comes_with_its_audit_lines(void **state)
{
    fixture *f = *state;
    unsigned char sig[2] = {5, 6};
    store_tx tx = {
        .mssp_trans_id = "TREC", .ap_id = "http://ap", .ap_trans_id = "A1", .msisdn = "+77",
        .mode = "synch", .state = STORE_TX_DONE, .status_code = 500, .signature = sig,
        .signature_len = sizeof sig,
    };
    store_audit_line audit[2] = {{"request", "+77", "one"}, {"signed", "+77", "two"}};
    assert_int_equal(store_tx_record(f->store, &tx, audit, 2), 0);
    assert_int_equal(store_tx_record(f->store, &tx, audit, 2), -1);   /* same id: nothing */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->store->db, "SELECT count(*) FROM audit WHERE"
                                        " msisdn = '+77'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    store_tx out;
    assert_int_equal(store_tx_find(f->store, "TREC", &out), 1);
    assert_int_equal(out.state, STORE_TX_DONE);
    assert_int_equal(out.signature_len, sizeof sig);
    store_tx_clear(&out);
    /* the store is usable after the rolled-back attempt */
    assert_int_equal(store_audit(f->store, "after", NULL, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(users_and_keys_come_back_authn_first, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_user_is_not_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_rows_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(transactions_round_trip_and_ids_are_unique, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(data_survives_reopen_and_create_refuses_existing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(open_refuses_missing_and_foreign_files, setup, teardown),
        cmocka_unit_test_setup_teardown(older_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(users_can_be_found_listed_blocked_and_removed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(pending_transactions_end_once, setup, teardown),
        cmocka_unit_test_setup_teardown(per_request_queries_skip_finished_transactions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(earlier_database_gets_the_pending_indexes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(connection_uses_wal_and_normal_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(due_transactions_are_the_ones_whose_time_has_come,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(recorded_transaction_comes_with_its_audit_lines, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
