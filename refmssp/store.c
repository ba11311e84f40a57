/* SQLite state; see store.h. */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 1

static const char schema_sql[] =
    "CREATE TABLE users("
    " id INTEGER PRIMARY KEY,"
    " msisdn TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL,"
    " policy TEXT NOT NULL DEFAULT 'approve',"   /* SIM emulator behaviour */
    " created INTEGER NOT NULL);"
    "CREATE TABLE keys("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " role TEXT NOT NULL CHECK(role IN ('authn','sign')),"
    " profile TEXT NOT NULL,"
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
    " signature BLOB,"
    " cert_der BLOB,"
    " created INTEGER NOT NULL,"
    " updated INTEGER NOT NULL);"
    "CREATE INDEX transactions_msisdn ON transactions(msisdn, created);"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY,"
    " time INTEGER NOT NULL,"
    " event TEXT NOT NULL,"
    " msisdn TEXT,"
    " detail TEXT);"
    "PRAGMA user_version = 1;";

enum stmt_id {
    ST_ADD_USER, ST_ADD_KEY, ST_FIND_USER, ST_USER_KEYS, ST_TX_INSERT, ST_TX_FIND, ST_AUDIT,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_ADD_USER] = "INSERT INTO users(msisdn, name, created) VALUES(?1, ?2, ?3)",
    [ST_ADD_KEY] = "INSERT INTO keys(user_id, role, profile, key_pem, cert_der)"
                   " VALUES(?1, ?2, ?3, ?4, ?5)",
    [ST_FIND_USER] = "SELECT id FROM users WHERE msisdn = ?1",
    [ST_USER_KEYS] = "SELECT role, profile, state, key_pem, cert_der FROM keys"
                     " WHERE user_id = ?1 ORDER BY role = 'sign', id",
    [ST_TX_INSERT] = "INSERT INTO transactions(mssp_trans_id, ap_id, ap_trans_id, msisdn, mode,"
                     " profile, mss_format, state, status_code, signature, cert_der, created,"
                     " updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    [ST_TX_FIND] = "SELECT mssp_trans_id, ap_id, ap_trans_id, msisdn, mode, profile, mss_format,"
                   " state, status_code, signature, cert_der, created FROM transactions"
                   " WHERE mssp_trans_id = ?1",
    [ST_AUDIT] = "INSERT INTO audit(time, event, msisdn, detail) VALUES(?1, ?2, ?3, ?4)",
};

struct rm_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
    pthread_mutex_t lock;
};

static const char *const tx_state_names[] = {"pending", "done", "failed"};

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
    if (version != STORE_SCHEMA_VERSION) {
        snprintf(err, err_len, "database schema version %d, expected %d (not a refmssp database?)",
                 version, STORE_SCHEMA_VERSION);
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
    if (create && exec_sql(s, schema_sql) != 0) {
        snprintf(err, err_len, "%s: cannot create schema: %s", path, sqlite3_errmsg(s->db));
        goto fail;
    }
    if (!create && check_schema_version(s, err, err_len) != 0)
        goto fail;
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

/* Take the statement under the lock; release_stmt resets it and unlocks. */
static sqlite3_stmt *take_stmt(rm_store *s, enum stmt_id id)
{
    pthread_mutex_lock(&s->lock);
    return s->stmt[id];
}

static void release_stmt(rm_store *s, sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    pthread_mutex_unlock(&s->lock);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *text)
{
    if (text != NULL)
        sqlite3_bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_blob_or_null(sqlite3_stmt *st, int i, const unsigned char *b, size_t n)
{
    if (b != NULL && n > 0)
        sqlite3_bind_blob64(st, i, b, n, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int store_add_user(rm_store *s, const char *msisdn, const char *name, long long *user_id)
{
    sqlite3_stmt *st = take_stmt(s, ST_ADD_USER);
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc == 0 && user_id != NULL)
        *user_id = sqlite3_last_insert_rowid(s->db);
    release_stmt(s, st);
    return rc;
}

int store_add_key(rm_store *s, long long user_id, const char *role, const char *profile,
                  const char *key_pem, const unsigned char *cert_der, size_t cert_len)
{
    sqlite3_stmt *st = take_stmt(s, ST_ADD_KEY);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, profile, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, key_pem, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob64(st, 5, cert_der, cert_len, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    release_stmt(s, st);
    return rc;
}

int store_find_user(rm_store *s, const char *msisdn, long long *user_id)
{
    sqlite3_stmt *st = take_stmt(s, ST_FIND_USER);
    sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    int rc = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
    if (rc == 1 && user_id != NULL)
        *user_id = sqlite3_column_int64(st, 0);
    release_stmt(s, st);
    return rc;
}

/* A malloc'd copy of a text column, or NULL for SQL NULL. Sets *oom on failure. */
static char *column_text(sqlite3_stmt *st, int col, int *oom)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (t == NULL)
        return NULL;
    char *copy = strdup((const char *)t);
    if (copy == NULL)
        *oom = 1;
    return copy;
}

static unsigned char *column_blob(sqlite3_stmt *st, int col, size_t *len, int *oom)
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

int store_user_keys(rm_store *s, long long user_id, store_key **keys, size_t *n)
{
    *keys = NULL;
    *n = 0;
    store_key *list = NULL;
    size_t count = 0;
    int failed = 0;
    sqlite3_stmt *st = take_stmt(s, ST_USER_KEYS);
    sqlite3_bind_int64(st, 1, user_id);
    int step = SQLITE_DONE;
    while (!failed && (step = sqlite3_step(st)) == SQLITE_ROW) {
        store_key *grown = realloc(list, (count + 1) * sizeof *list);
        if (grown == NULL) {
            failed = 1;
            break;
        }
        list = grown;
        store_key *k = &list[count++];
        memset(k, 0, sizeof *k);
        k->role = column_text(st, 0, &failed);
        k->profile = column_text(st, 1, &failed);
        k->state = column_text(st, 2, &failed);
        k->key_pem = column_text(st, 3, &failed);
        k->cert_der = column_blob(st, 4, &k->cert_len, &failed);
        if (k->role == NULL || k->profile == NULL || k->key_pem == NULL || k->cert_der == NULL)
            failed = 1;
    }
    if (!failed && step != SQLITE_DONE)
        failed = 1;
    release_stmt(s, st);
    if (failed) {
        store_keys_free(list, count);
        return -1;
    }
    *keys = list;
    *n = count;
    return 0;
}

void store_keys_free(store_key *keys, size_t n)
{
    if (keys == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        if (keys[i].key_pem != NULL)
            OPENSSL_cleanse(keys[i].key_pem, strlen(keys[i].key_pem));
        free(keys[i].role);
        free(keys[i].profile);
        free(keys[i].state);
        free(keys[i].key_pem);
        free(keys[i].cert_der);
    }
    free(keys);
}

int store_tx_insert(rm_store *s, const store_tx *tx)
{
    if ((unsigned)tx->state > STORE_TX_FAILED)
        return -1;
    sqlite3_stmt *st = take_stmt(s, ST_TX_INSERT);
    sqlite3_bind_text(st, 1, tx->mssp_trans_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, tx->ap_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, tx->ap_trans_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, tx->msisdn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, tx->mode, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 6, tx->profile);
    bind_text_or_null(st, 7, tx->mss_format);
    sqlite3_bind_text(st, 8, tx_state_names[tx->state], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, tx->status_code);
    bind_blob_or_null(st, 10, tx->signature, tx->signature_len);
    bind_blob_or_null(st, 11, tx->cert_der, tx->cert_len);
    sqlite3_bind_int64(st, 12, tx->created ? tx->created : (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    release_stmt(s, st);
    return rc;
}

static store_tx_state parse_tx_state(const char *name)
{
    for (int i = 0; i <= STORE_TX_FAILED; i++)
        if (name != NULL && strcmp(name, tx_state_names[i]) == 0)
            return (store_tx_state)i;
    return STORE_TX_FAILED;
}

int store_tx_find(rm_store *s, const char *mssp_trans_id, store_tx *out)
{
    memset(out, 0, sizeof *out);
    int oom = 0;
    sqlite3_stmt *st = take_stmt(s, ST_TX_FIND);
    sqlite3_bind_text(st, 1, mssp_trans_id, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->mssp_trans_id = column_text(st, 0, &oom);
        out->ap_id = column_text(st, 1, &oom);
        out->ap_trans_id = column_text(st, 2, &oom);
        out->msisdn = column_text(st, 3, &oom);
        out->mode = column_text(st, 4, &oom);
        out->profile = column_text(st, 5, &oom);
        out->mss_format = column_text(st, 6, &oom);
        out->state = parse_tx_state((const char *)sqlite3_column_text(st, 7));
        out->status_code = sqlite3_column_int(st, 8);
        out->signature = column_blob(st, 9, &out->signature_len, &oom);
        out->cert_der = column_blob(st, 10, &out->cert_len, &oom);
        out->created = sqlite3_column_int64(st, 11);
    }
    release_stmt(s, st);
    if (step == SQLITE_DONE)
        return 0;
    if (step != SQLITE_ROW || oom) {
        store_tx_clear(out);
        return -1;
    }
    return 1;
}

void store_tx_clear(store_tx *tx)
{
    free(tx->mssp_trans_id);
    free(tx->ap_id);
    free(tx->ap_trans_id);
    free(tx->msisdn);
    free(tx->mode);
    free(tx->profile);
    free(tx->mss_format);
    free(tx->signature);
    free(tx->cert_der);
    memset(tx, 0, sizeof *tx);
}

int store_audit(rm_store *s, const char *event, const char *msisdn, const char *detail)
{
    sqlite3_stmt *st = take_stmt(s, ST_AUDIT);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sqlite3_bind_text(st, 2, event, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 3, msisdn);
    bind_text_or_null(st, 4, detail);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    release_stmt(s, st);
    return rc;
}
