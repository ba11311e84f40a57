/* SPDX-License-Identifier: BSD-3-Clause */
/* SQLite state: opening, users, keys, audit; see store.h (transactions: store_tx.c). */
#include "store.h"
#include "store_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* 3: PINs as salted PBKDF2 records and a phone token per user. Older databases are
 * refused (their PIN digests cannot be turned into PBKDF2 records without the PINs). */
#define STORE_SCHEMA_VERSION 3

static const char schema_sql[] =
    "CREATE TABLE users("
    " id INTEGER PRIMARY KEY,"
    " msisdn TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL UNIQUE,"
    " policy TEXT NOT NULL DEFAULT 'approve',"   /* SIM emulator behaviour */
    " blocked INTEGER NOT NULL DEFAULT 0,"
    " ecdsa_raw INTEGER NOT NULL DEFAULT 0,"
    " pin_hash TEXT,"                            /* flow_pin_hash record */
    " phone_token TEXT,"                         /* the phone page's secret (phone url) */
    " phone_token_sha256 TEXT UNIQUE,"           /* what a page's token is looked up by */
    " created INTEGER NOT NULL);"
    "CREATE TABLE keys("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " role TEXT NOT NULL CHECK(role IN ('authn','sign')),"
    " profile TEXT NOT NULL,"
    " key_type TEXT NOT NULL CHECK(key_type IN ('rsa2048','rsa3072','ecp256','ecp384')),"
    " pss INTEGER NOT NULL DEFAULT 0,"
    " pin_failures INTEGER NOT NULL DEFAULT 0,"
    " state TEXT NOT NULL DEFAULT 'ACTIVE',"
    " key_pem TEXT NOT NULL,"
    " cert_der BLOB NOT NULL,"
    " UNIQUE(user_id, profile));"
    "CREATE TABLE transactions("
    " mssp_trans_id TEXT PRIMARY KEY,"
    " ap_id TEXT NOT NULL,"
    " ap_trans_id TEXT NOT NULL,"
    " msisdn TEXT NOT NULL,"
    " mode TEXT NOT NULL,"
    " profile TEXT,"
    " mss_format TEXT,"
    " state TEXT NOT NULL CHECK(state IN ('pending','done','failed')),"
    " status_code INTEGER NOT NULL,"
    " specifier INTEGER NOT NULL DEFAULT 0,"
    " signature BLOB,"
    " cert_der BLOB,"
    " key_id INTEGER,"
    " alg INTEGER NOT NULL DEFAULT 0,"
    " ecdsa_raw INTEGER NOT NULL DEFAULT 0,"
    " dtbs BLOB,"
    " dtbd TEXT,"
    " event_id TEXT,"
    " approve_at INTEGER NOT NULL DEFAULT 0,"
    " deadline INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL,"
    " updated INTEGER NOT NULL);"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY,"
    " time INTEGER NOT NULL,"
    " event TEXT NOT NULL,"
    " msisdn TEXT,"
    " detail TEXT);"
    "PRAGMA user_version = 3;";

/*
 * The indexes of the per-request transaction queries. Each is partial (WHERE state =
 * 'pending'): it holds only the transactions still pending, so a lookup costs the same
 * with 100 or 100,000 finished transactions in the table (an index over all rows, such
 * as the (msisdn, created) one of earlier versions, makes "the pending one of this
 * number" walk every past transaction of the number). Lookups by MSSP_TransID use the
 * primary key. tests/unit/test_refmssp_store.c checks every query's plan.
 *   transactions_pending          a phone's pending requests (406, phone page), oldest first
 *   transactions_pending_deadline the ticker: pending past their deadline
 *   transactions_pending_approve  the ticker: pending whose SIM approves by itself
 * Made with the schema, and on opening a database of an earlier refmssp with the same
 * schema version 3 (see upgrade_indexes), which also drops the indexes they replace.
 */
static const char pending_indexes_sql[] =
    "CREATE INDEX IF NOT EXISTS transactions_pending ON transactions(msisdn, created)"
    " WHERE state = 'pending';"
    "CREATE INDEX IF NOT EXISTS transactions_pending_deadline ON transactions(deadline)"
    " WHERE state = 'pending';"
    "CREATE INDEX IF NOT EXISTS transactions_pending_approve ON transactions(approve_at)"
    " WHERE state = 'pending' AND approve_at > 0;"
    "DROP INDEX IF EXISTS transactions_msisdn;"
    "DROP INDEX IF EXISTS transactions_state;";

#define USER_COLUMNS "id, msisdn, name, policy, blocked, ecdsa_raw, pin_hash, phone_token"
#define KEY_COLUMNS "id, role, profile, key_type, pss, pin_failures, state, key_pem, cert_der"
#define TX_COLUMNS                                                                          \
    "mssp_trans_id, ap_id, ap_trans_id, msisdn, mode, profile, mss_format, state,"          \
    " status_code, specifier, signature, cert_der, created, key_id, alg, ecdsa_raw, dtbs,"  \
    " dtbd, event_id, approve_at, deadline"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_ADD_USER] = "INSERT INTO users(msisdn, name, created) VALUES(?1, ?2, ?3)",
    [ST_SET_USER_OPTIONS] = "UPDATE users SET policy = ?2, ecdsa_raw = ?3, pin_hash = ?4"
                            " WHERE id = ?1",
    [ST_SET_PHONE_TOKEN] = "UPDATE users SET phone_token = ?2, phone_token_sha256 = ?3"
                           " WHERE id = ?1",
    [ST_USER_BY_TOKEN] = "SELECT " USER_COLUMNS " FROM users WHERE phone_token_sha256 = ?1",
    [ST_FIND_USER] = "SELECT id FROM users WHERE msisdn = ?1",
    [ST_GET_USER] = "SELECT " USER_COLUMNS " FROM users WHERE msisdn = ?1 OR name = ?1"
                    " ORDER BY msisdn = ?1 DESC LIMIT 1",
    /* Looked up by name, else the smallest id: no pass over every user. */
    [ST_SCENARIO_USER] = "SELECT " USER_COLUMNS " FROM users WHERE id = coalesce("
                         "(SELECT id FROM users WHERE name = 'demo'), (SELECT min(id) FROM users))",
    [ST_LIST_USERS] = "SELECT " USER_COLUMNS " FROM users ORDER BY id",
    [ST_SET_BLOCKED] = "UPDATE users SET blocked = ?2 WHERE id = ?1",
    [ST_RESET_PINS] = "UPDATE keys SET pin_failures = 0 WHERE user_id = ?1",
    [ST_REMOVE_KEYS] = "DELETE FROM keys WHERE user_id = ?1",
    [ST_REMOVE_USER] = "DELETE FROM users WHERE id = ?1",
    [ST_ADD_KEY] = "INSERT INTO keys(user_id, role, profile, key_type, pss, key_pem, cert_der)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_USER_KEYS] = "SELECT " KEY_COLUMNS " FROM keys WHERE user_id = ?1"
                     " ORDER BY role = 'sign', id",
    [ST_KEY_BY_ID] = "SELECT " KEY_COLUMNS " FROM keys WHERE id = ?1",
    [ST_PIN_FAILED] = "UPDATE keys SET pin_failures = pin_failures + 1 WHERE id = ?1"
                      " RETURNING pin_failures",
    [ST_PIN_OK] = "UPDATE keys SET pin_failures = 0 WHERE id = ?1",
    [ST_TX_INSERT] = "INSERT INTO transactions(" TX_COLUMNS ", updated) VALUES(?1, ?2, ?3,"
                     " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
                     " ?19, ?20, ?21, ?13)",
    [ST_TX_FIND] = "SELECT " TX_COLUMNS " FROM transactions WHERE mssp_trans_id = ?1",
    [ST_TX_FINISH] = "UPDATE transactions SET state = ?2, status_code = ?3, specifier = ?4,"
                     " signature = ?5, updated = ?6, dtbs = NULL"
                     " WHERE mssp_trans_id = ?1 AND state = 'pending'",
    [ST_TX_PENDING_ALL] = "SELECT mssp_trans_id FROM transactions WHERE state = 'pending'"
                          " ORDER BY created, rowid",
    [ST_TX_PENDING_MSISDN] = "SELECT mssp_trans_id FROM transactions WHERE state = 'pending'"
                             " AND msisdn = ?1 ORDER BY created, rowid",
    /* Two halves, each on its own partial index; UNION drops a transaction due on both. */
    [ST_TX_DUE] = "SELECT mssp_trans_id FROM transactions WHERE state = 'pending'"
                  " AND deadline <= ?1"
                  " UNION SELECT mssp_trans_id FROM transactions WHERE state = 'pending'"
                  " AND approve_at > 0 AND approve_at <= ?1",
    [ST_TX_EXPIRE_ALL] = "UPDATE transactions SET state = 'failed', status_code = 208,"
                         " specifier = 2081, updated = ?1, dtbs = NULL WHERE state = 'pending'",
    [ST_AUDIT] = "INSERT INTO audit(time, event, msisdn, detail) VALUES(?1, ?2, ?3, ?4)",
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
};

static int exec_sql(rm_store *s, const char *sql)
{
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int check_schema_version(rm_store *s, char *err, size_t err_len)
{
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version == 1 || version == 2) {
        snprintf(err, err_len, "database made by an older refmssp (schema %d, this one needs %d:"
                 " salted PIN records, phone tokens): make a new set-up with 'refmssp init'",
                 version, STORE_SCHEMA_VERSION);
        return -1;
    }
    if (version != STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "database schema version %d, expected %d (not a refmssp database?)",
                 version, STORE_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}

/*
 * A database made by an earlier refmssp of schema 3 has the (msisdn, created) and
 * (state) indexes instead of the partial ones: make those (one pass over the table,
 * once) and drop these, in one SQLite transaction, so a crash leaves either schema.
 * Only indexes change, no row; an earlier refmssp still opens the database. Checked
 * first so that an up-to-date database is not locked for writing at every open (the
 * admin CLI opens it beside a running server).
 */
static int upgrade_indexes(rm_store *s)
{
    sqlite3_stmt *st = NULL;
    int present = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND"
                           " name IN ('transactions_pending', 'transactions_pending_deadline',"
                           " 'transactions_pending_approve')", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        present = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (present == 3)
        return 0;
    if (exec_sql(s, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (exec_sql(s, pending_indexes_sql) != 0 || exec_sql(s, "COMMIT") != 0) {
        exec_sql(s, "ROLLBACK");
        return -1;
    }
    return 0;
}

int store_open(const char *path, int create, rm_store **out, char *err, size_t err_len)
{
    *out = NULL;
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (create && exists) {
        snprintf(err, err_len, "%s already exists", path);
        return -1;
    }
    if (!create && !exists) {
        snprintf(err, err_len, "%s does not exist (run 'refmssp init' first)", path);
        return -1;
    }
    rm_store *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    pthread_mutex_init(&s->lock, NULL);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    mode_t old_mask = umask(077);   /* the database holds private keys */
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    umask(old_mask);
    if (rc != SQLITE_OK) {
        snprintf(err, err_len, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    if (exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                    " PRAGMA synchronous = NORMAL;") != 0) {
        snprintf(err, err_len, "%s: %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    /* The pending indexes come from upgrade_indexes below, for a new database too. */
    if (create && exec_sql(s, schema_sql) != 0) {
        snprintf(err, err_len, "%s: cannot create schema: %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    if (!create && check_schema_version(s, err, err_len) != 0)
        goto fail;
    if (upgrade_indexes(s) != 0) {
        snprintf(err, err_len, "%s: cannot make the transaction indexes: %s", path,
                 sqlite3_errmsg(s->db));
        goto fail;
    }
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i],
                               NULL) != SQLITE_OK) {
            snprintf(err, err_len, "%s: %s", path, sqlite3_errmsg(s->db));
            goto fail;
        }
    }
    *out = s;
    return 0;
fail:
    store_close(s);
    if (create)
        unlink(path);
    return -1;
}

void store_close(rm_store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->checkpoint_db);
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int store_begin(rm_store *s)
{
    return exec_sql(s, "BEGIN IMMEDIATE");
}

int store_commit(rm_store *s)
{
    return exec_sql(s, "COMMIT");
}

void store_rollback(rm_store *s)
{
    exec_sql(s, "ROLLBACK");
}

sqlite3_stmt *store_take_stmt(rm_store *s, enum stmt_id id)
{
    pthread_mutex_lock(&s->lock);
    return s->stmt[id];
}

void store_release_stmt(rm_store *s, sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    pthread_mutex_unlock(&s->lock);
}

/* Run a prepared statement without rows (BEGIN, COMMIT, ROLLBACK); the lock is held. */
static int step_locked(rm_store *s, enum stmt_id id)
{
    sqlite3_stmt *st = s->stmt[id];
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    return rc;
}

int store_lock_begin(rm_store *s)
{
    pthread_mutex_lock(&s->lock);
    if (step_locked(s, ST_BEGIN) == 0)
        return 0;
    pthread_mutex_unlock(&s->lock);
    return -1;
}

int store_commit_unlock(rm_store *s, int ok)
{
    int rc = -1;
    if (ok && step_locked(s, ST_COMMIT) == 0)
        rc = 0;
    else
        step_locked(s, ST_ROLLBACK);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int store_step_locked(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

void store_bind_text_or_null(sqlite3_stmt *st, int i, const char *text)
{
    if (text != NULL)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void store_bind_blob_or_null(sqlite3_stmt *st, int i, const unsigned char *b, size_t n)
{
    if (b != NULL && n > 0)
        sqlite3_bind_blob64(st, i, b, n, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

char *store_column_text(sqlite3_stmt *st, int col, int *oom)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (t == NULL)
        return NULL;
    char *copy = strdup((const char *)t);
    if (copy == NULL)
        *oom = 1;
    return copy;
}

unsigned char *store_column_blob(sqlite3_stmt *st, int col, size_t *len, int *oom)
{
    const void *b = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    *len = 0;
    if (b == NULL || n <= 0)
        return NULL;
    unsigned char *copy = malloc((size_t)n);
    if (copy == NULL) {
        *oom = 1;
        return NULL;
    }
    memcpy(copy, b, (size_t)n);
    *len = (size_t)n;
    return copy;
}

/* Run a statement that returns no rows; 0 or -1. *changes (may be NULL) gets the count. */
static int run_update(rm_store *s, sqlite3_stmt *st, int *changes)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (changes != NULL)
        *changes = rc == 0 ? sqlite3_changes(s->db) : 0;
    store_release_stmt(s, st);
    return rc;
}

/* ------------------------------------------------------------------ users */

int store_add_user(rm_store *s, const char *msisdn, const char *name, long long *user_id)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_ADD_USER);
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc == 0 && user_id != NULL)
        *user_id = sqlite3_last_insert_rowid(s->db);
    store_release_stmt(s, st);
    return rc;
}

int store_set_user_options(rm_store *s, long long user_id, const char *policy, int ecdsa_raw,
                           const char *pin_hash)
{
    if (policy == NULL)
        return -1;
    sqlite3_stmt *st = store_take_stmt(s, ST_SET_USER_OPTIONS);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, policy, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, ecdsa_raw ? 1 : 0);
    store_bind_text_or_null(st, 4, pin_hash);
    int changes = 0;
    int rc = run_update(s, st, &changes);
    return rc == 0 && changes == 1 ? 0 : -1;
}

int store_find_user(rm_store *s, const char *msisdn, long long *user_id)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_FIND_USER);
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    int rc = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
    if (rc == 1 && user_id != NULL)
        *user_id = sqlite3_column_int64(st, 0);
    store_release_stmt(s, st);
    return rc;
}

static void read_user(sqlite3_stmt *st, store_user *u, int *oom)
{
    u->id = sqlite3_column_int64(st, 0);
    u->msisdn = store_column_text(st, 1, oom);
    u->name = store_column_text(st, 2, oom);
    u->policy = store_column_text(st, 3, oom);
    u->blocked = sqlite3_column_int(st, 4);
    u->ecdsa_raw = sqlite3_column_int(st, 5);
    u->pin_hash = store_column_text(st, 6, oom);
    u->phone_token = store_column_text(st, 7, oom);
    if (u->msisdn == NULL || u->name == NULL || u->policy == NULL)
        *oom = 1;
}

/* One user row from a statement whose parameters are bound. */
static int one_user(rm_store *s, sqlite3_stmt *st, store_user *out)
{
    memset(out, 0, sizeof *out);
    int oom = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        read_user(st, out, &oom);
    store_release_stmt(s, st);
    if (step == SQLITE_DONE)
        return 0;
    if (step != SQLITE_ROW || oom) {
        store_user_clear(out);
        return -1;
    }
    return 1;
}

int store_get_user(rm_store *s, const char *msisdn_or_name, store_user *out)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_GET_USER);
    sqlite3_bind_text(st, 1, msisdn_or_name, -1, SQLITE_TRANSIENT);
    return one_user(s, st, out);
}

int store_set_phone_token(rm_store *s, long long user_id, const char *token,
                          const char *token_sha256)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_SET_PHONE_TOKEN);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, token_sha256, -1, SQLITE_TRANSIENT);
    int changes = 0;
    int rc = run_update(s, st, &changes);
    return rc == 0 && changes == 1 ? 0 : -1;
}

int store_user_by_phone_token(rm_store *s, const char *token_sha256, store_user *out)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_USER_BY_TOKEN);
    sqlite3_bind_text(st, 1, token_sha256, -1, SQLITE_TRANSIENT);
    return one_user(s, st, out);
}

int store_get_scenario_user(rm_store *s, store_user *out)
{
    return one_user(s, store_take_stmt(s, ST_SCENARIO_USER), out);
}

int store_list_users(rm_store *s, store_user **users, size_t *n)
{
    *users = NULL;
    *n = 0;
    store_user *list = NULL;
    size_t count = 0;
    int failed = 0, step;
    sqlite3_stmt *st = store_take_stmt(s, ST_LIST_USERS);
    while (!failed && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_user *grown = realloc(list, (count + 1) * sizeof *list);
        if (grown == NULL) {
            failed = 1;
            break;
        }
        list = grown;
        memset(&list[count], 0, sizeof list[count]);
        read_user(st, &list[count++], &failed);
    }
    if (!failed && step != SQLITE_DONE)
        failed = 1;
    store_release_stmt(s, st);
    if (failed) {
        store_users_free(list, count);
        return -1;
    }
    *users = list;
    *n = count;
    return 0;
}

void store_user_clear(store_user *u)
{
    free(u->msisdn);
    free(u->name);
    free(u->policy);
    if (u->pin_hash != NULL)
        OPENSSL_cleanse(u->pin_hash, strlen(u->pin_hash));
    if (u->phone_token != NULL)
        OPENSSL_cleanse(u->phone_token, strlen(u->phone_token));
    free(u->pin_hash);
    free(u->phone_token);
    memset(u, 0, sizeof *u);
}

void store_users_free(store_user *users, size_t n)
{
    for (size_t i = 0; users != NULL && i < n; i++)
        store_user_clear(&users[i]);
    free(users);
}

int store_set_user_blocked(rm_store *s, long long user_id, int blocked)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_SET_BLOCKED);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, blocked ? 1 : 0);
    int changes = 0;
    if (run_update(s, st, &changes) != 0 || changes != 1)
        return -1;
    if (blocked)
        return 0;
    st = store_take_stmt(s, ST_RESET_PINS);
    sqlite3_bind_int64(st, 1, user_id);
    return run_update(s, st, NULL);
}

int store_remove_user(rm_store *s, long long user_id)
{
    if (store_begin(s) != 0)
        return -1;
    sqlite3_stmt *st = store_take_stmt(s, ST_REMOVE_KEYS);
    sqlite3_bind_int64(st, 1, user_id);
    int changes = 0;
    if (run_update(s, st, NULL) != 0)
        goto fail;
    st = store_take_stmt(s, ST_REMOVE_USER);
    sqlite3_bind_int64(st, 1, user_id);
    if (run_update(s, st, &changes) != 0 || store_commit(s) != 0)
        goto fail;
    return changes == 1 ? 1 : 0;
fail:
    store_rollback(s);
    return -1;
}

/* ------------------------------------------------------------------ keys */

int store_add_key(rm_store *s, long long user_id, const char *role, const char *profile,
                  const char *key_type, int pss, const char *key_pem,
                  const unsigned char *cert_der, size_t cert_len)
{
    if (role == NULL || profile == NULL || key_type == NULL || key_pem == NULL ||
        cert_der == NULL || cert_len == 0)
        return -1;
    sqlite3_stmt *st = store_take_stmt(s, ST_ADD_KEY);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, profile, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, key_type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, pss ? 1 : 0);
    sqlite3_bind_text(st, 6, key_pem, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(st, 7, cert_der, cert_len, SQLITE_TRANSIENT);
    return run_update(s, st, NULL);
}

static void read_key(sqlite3_stmt *st, store_key *k, int *failed)
{
    memset(k, 0, sizeof *k);
    k->id = sqlite3_column_int64(st, 0);
    k->role = store_column_text(st, 1, failed);
    k->profile = store_column_text(st, 2, failed);
    k->key_type = store_column_text(st, 3, failed);
    k->pss = sqlite3_column_int(st, 4);
    k->pin_failures = sqlite3_column_int(st, 5);
    k->state = store_column_text(st, 6, failed);
    k->key_pem = store_column_text(st, 7, failed);
    k->cert_der = store_column_blob(st, 8, &k->cert_len, failed);
    if (k->role == NULL || k->profile == NULL || k->key_type == NULL || k->key_pem == NULL ||
        k->cert_der == NULL)
        *failed = 1;
}

int store_user_keys(rm_store *s, long long user_id, store_key **keys, size_t *n)
{
    *keys = NULL;
    *n = 0;
    store_key *list = NULL;
    size_t count = 0;
    int failed = 0;
    sqlite3_stmt *st = store_take_stmt(s, ST_USER_KEYS);
    sqlite3_bind_int64(st, 1, user_id);
    int step = SQLITE_DONE;
    while (!failed && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_key *grown = realloc(list, (count + 1) * sizeof *list);
        if (grown == NULL) {
            failed = 1;
            break;
        }
        list = grown;
        read_key(st, &list[count++], &failed);
    }
    if (!failed && step != SQLITE_DONE)
        failed = 1;
    store_release_stmt(s, st);
    if (failed) {
        store_keys_free(list, count);
        return -1;
    }
    *keys = list;
    *n = count;
    return 0;
}

int store_key_by_id(rm_store *s, long long key_id, store_key *out)
{
    memset(out, 0, sizeof *out);
    int failed = 0;
    sqlite3_stmt *st = store_take_stmt(s, ST_KEY_BY_ID);
    sqlite3_bind_int64(st, 1, key_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        read_key(st, out, &failed);
    store_release_stmt(s, st);
    if (step == SQLITE_DONE)
        return 0;
    if (step != SQLITE_ROW || failed) {
        store_key_clear(out);
        return -1;
    }
    return 1;
}

void store_key_clear(store_key *k)
{
    if (k->key_pem != NULL)
        OPENSSL_cleanse(k->key_pem, strlen(k->key_pem));
    free(k->role);
    free(k->profile);
    free(k->key_type);
    free(k->state);
    free(k->key_pem);
    free(k->cert_der);
    memset(k, 0, sizeof *k);
}

void store_keys_free(store_key *keys, size_t n)
{
    if (keys == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        store_key_clear(&keys[i]);
    free(keys);
}

int store_key_pin_failed(rm_store *s, long long key_id, int *failures)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_PIN_FAILED);
    sqlite3_bind_int64(st, 1, key_id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *failures = sqlite3_column_int(st, 0);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release_stmt(s, st);
    return rc;
}

int store_key_pin_ok(rm_store *s, long long key_id)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_PIN_OK);
    sqlite3_bind_int64(st, 1, key_id);
    return run_update(s, st, NULL);
}

void store_bind_audit(sqlite3_stmt *st, const char *event, const char *msisdn,
                      const char *detail)
{
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 2, event, -1, SQLITE_TRANSIENT);
    store_bind_text_or_null(st, 3, msisdn);
    store_bind_text_or_null(st, 4, detail);
}

int store_audit(rm_store *s, const char *event, const char *msisdn, const char *detail)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_AUDIT);
    store_bind_audit(st, event, msisdn, detail);
    return run_update(s, st, NULL);
}
