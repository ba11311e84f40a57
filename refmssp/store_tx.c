/* SPDX-License-Identifier: BSD-3-Clause */
/* SQLite state: signature transactions; see store.h. */
#include "store.h"
#include "store_db.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const tx_state_names[] = {"pending", "done", "failed"};

static int tx_insertable(const store_tx *tx)
{
    return (unsigned)tx->state <= STORE_TX_FAILED && tx->mssp_trans_id != NULL &&
           tx->ap_id != NULL && tx->ap_trans_id != NULL && tx->msisdn != NULL &&
           tx->mode != NULL;
}

static void bind_tx(sqlite3_stmt *st, const store_tx *tx)
{
    sqlite3_bind_text(st, 1, tx->mssp_trans_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, tx->ap_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, tx->ap_trans_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, tx->msisdn, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, tx->mode, -1, SQLITE_TRANSIENT);
    store_bind_text_or_null(st, 6, tx->profile);
    store_bind_text_or_null(st, 7, tx->mss_format);
    sqlite3_bind_text(st, 8, tx_state_names[tx->state], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, tx->status_code);
    sqlite3_bind_int(st, 10, tx->specifier);
    store_bind_blob_or_null(st, 11, tx->signature, tx->signature_len);
    store_bind_blob_or_null(st, 12, tx->cert_der, tx->cert_len);
    sqlite3_bind_int64(st, 13, tx->created ? tx->created : (sqlite3_int64)time(NULL));
    if (tx->key_id > 0)
        sqlite3_bind_int64(st, 14, tx->key_id);
    else
        sqlite3_bind_null(st, 14);
    sqlite3_bind_int(st, 15, tx->alg);
    sqlite3_bind_int(st, 16, tx->ecdsa_raw ? 1 : 0);
    /* The data to be signed is kept only while the transaction is pending. */
    store_bind_blob_or_null(st, 17, tx->state == STORE_TX_PENDING ? tx->dtbs : NULL,
                            tx->dtbs_len);
    store_bind_text_or_null(st, 18, tx->dtbd);
    store_bind_text_or_null(st, 19, tx->event_id);
    sqlite3_bind_int64(st, 20, tx->approve_at_ms);
    sqlite3_bind_int64(st, 21, tx->deadline_ms);
}

int store_tx_insert(rm_store *s, const store_tx *tx)
{
    if (!tx_insertable(tx))
        return -1;
    sqlite3_stmt *st = store_take_stmt(s, ST_TX_INSERT);
    bind_tx(st, tx);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release_stmt(s, st);
    return rc;
}

/* Append the audit lines; the lock is held inside a transaction. 0 or -1. */
static int audit_locked(rm_store *s, const store_audit_line *audit, size_t n_audit)
{
    for (size_t i = 0; i < n_audit; i++) {
        store_bind_audit(s->stmt[ST_AUDIT], audit[i].event, audit[i].msisdn, audit[i].detail);
        if (store_step_locked(s->stmt[ST_AUDIT]) != 0)
            return -1;
    }
    return 0;
}

int store_tx_record(rm_store *s, const store_tx *tx, const store_audit_line *audit,
                    size_t n_audit)
{
    if (!tx_insertable(tx) || store_lock_begin(s) != 0)
        return -1;
    bind_tx(s->stmt[ST_TX_INSERT], tx);
    int ok = store_step_locked(s->stmt[ST_TX_INSERT]) == 0 &&
             audit_locked(s, audit, n_audit) == 0;
    return store_commit_unlock(s, ok);
}

static store_tx_state parse_tx_state(const char *name)
{
    for (int i = 0; i <= STORE_TX_FAILED; i++)
        if (name != NULL && strcmp(name, tx_state_names[i]) == 0)
            return (store_tx_state)i;
    return STORE_TX_FAILED;
}

static void read_tx(sqlite3_stmt *st, store_tx *out, int *oom)
{
    out->mssp_trans_id = store_column_text(st, 0, oom);
    out->ap_id = store_column_text(st, 1, oom);
    out->ap_trans_id = store_column_text(st, 2, oom);
    out->msisdn = store_column_text(st, 3, oom);
    out->mode = store_column_text(st, 4, oom);
    out->profile = store_column_text(st, 5, oom);
    out->mss_format = store_column_text(st, 6, oom);
    out->state = parse_tx_state((const char *)sqlite3_column_text(st, 7));
    out->status_code = sqlite3_column_int(st, 8);
    out->specifier = sqlite3_column_int(st, 9);
    out->signature = store_column_blob(st, 10, &out->signature_len, oom);
    out->cert_der = store_column_blob(st, 11, &out->cert_len, oom);
    out->created = sqlite3_column_int64(st, 12);
    out->key_id = sqlite3_column_int64(st, 13);
    out->alg = sqlite3_column_int(st, 14);
    out->ecdsa_raw = sqlite3_column_int(st, 15);
    out->dtbs = store_column_blob(st, 16, &out->dtbs_len, oom);
    out->dtbd = store_column_text(st, 17, oom);
    out->event_id = store_column_text(st, 18, oom);
    out->approve_at_ms = sqlite3_column_int64(st, 19);
    out->deadline_ms = sqlite3_column_int64(st, 20);
}

int store_tx_find(rm_store *s, const char *mssp_trans_id, store_tx *out)
{
    memset(out, 0, sizeof *out);
    int oom = 0;
    sqlite3_stmt *st = store_take_stmt(s, ST_TX_FIND);
    sqlite3_bind_text(st, 1, mssp_trans_id, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        read_tx(st, out, &oom);
    store_release_stmt(s, st);
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
    free(tx->dtbs);
    free(tx->dtbd);
    free(tx->event_id);
    memset(tx, 0, sizeof *tx);
}

static void bind_finish(sqlite3_stmt *st, const char *mssp_trans_id, store_tx_state state,
                        int code, int specifier, const unsigned char *sig, size_t sig_len)
{
    sqlite3_bind_text(st, 1, mssp_trans_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, tx_state_names[state], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, code);
    sqlite3_bind_int(st, 4, specifier);
    store_bind_blob_or_null(st, 5, sig, sig_len);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
}

int store_tx_finish(rm_store *s, const char *mssp_trans_id, store_tx_state state, int code,
                    int specifier, const unsigned char *sig, size_t sig_len)
{
    return store_tx_finish_audited(s, mssp_trans_id, state, code, specifier, sig, sig_len, NULL);
}

int store_tx_finish_audited(rm_store *s, const char *mssp_trans_id, store_tx_state state,
                            int code, int specifier, const unsigned char *sig, size_t sig_len,
                            const store_audit_line *audit)
{
    if (state != STORE_TX_DONE && state != STORE_TX_FAILED)
        return -1;
    /* One commit whether or not there is an audit line: the update alone is one too. */
    if (store_lock_begin(s) != 0)
        return -1;
    bind_finish(s->stmt[ST_TX_FINISH], mssp_trans_id, state, code, specifier, sig, sig_len);
    int ok = store_step_locked(s->stmt[ST_TX_FINISH]) == 0;
    int changes = ok ? sqlite3_changes(s->db) : 0;
    if (ok && changes > 0)
        ok = audit_locked(s, audit, audit != NULL ? 1 : 0) == 0;
    if (store_commit_unlock(s, ok) != 0)
        return -1;
    return changes > 0 ? 1 : 0;
}

/* The first column of every row of ST (its parameters bound, the lock held), as
 * malloc'd strings; releases ST. 0 or -1. */
static int collect_ids(rm_store *s, sqlite3_stmt *st, char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    char **list = NULL;
    size_t count = 0;
    int failed = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        char **grown = realloc(list, (count + 1) * sizeof *list);
        if (grown == NULL) {
            failed = 1;
            break;
        }
        list = grown;
        list[count] = store_column_text(st, 0, &failed);
        if (list[count++] == NULL) {
            failed = 1;
            break;
        }
    }
    if (!failed && step != SQLITE_DONE)
        failed = 1;
    store_release_stmt(s, st);
    if (failed) {
        store_ids_free(list, count);
        return -1;
    }
    *ids = list;
    *n = count;
    return 0;
}

int store_tx_pending_ids(rm_store *s, const char *msisdn, char ***ids, size_t *n)
{
    sqlite3_stmt *st = store_take_stmt(s, msisdn ? ST_TX_PENDING_MSISDN : ST_TX_PENDING_ALL);
    if (msisdn != NULL)
        sqlite3_bind_text(st, 1, msisdn, -1, SQLITE_TRANSIENT);
    return collect_ids(s, st, ids, n);
}

int store_tx_due_ids(rm_store *s, long long now_ms, char ***ids, size_t *n)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_TX_DUE);
    sqlite3_bind_int64(st, 1, now_ms);
    return collect_ids(s, st, ids, n);
}

void store_ids_free(char **ids, size_t n)
{
    for (size_t i = 0; ids != NULL && i < n; i++)
        free(ids[i]);
    free(ids);
}

int store_tx_expire_all(rm_store *s, int *count)
{
    sqlite3_stmt *st = store_take_stmt(s, ST_TX_EXPIRE_ALL);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (count != NULL)
        *count = rc == 0 ? sqlite3_changes(s->db) : 0;
    store_release_stmt(s, st);
    return rc;
}
