/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internals shared by the parts of the store (store.c: open, users, keys, audit;
 * store_tx.c: transactions). Not for other files.
 */
#ifndef REFMSSP_STORE_DB_H
#define REFMSSP_STORE_DB_H

#include <pthread.h>
#include <stddef.h>

#include <sqlite3.h>

enum stmt_id {
    ST_ADD_USER, ST_SET_USER_OPTIONS, ST_SET_PHONE_TOKEN, ST_USER_BY_TOKEN, ST_FIND_USER, ST_GET_USER, ST_SCENARIO_USER, ST_LIST_USERS,
    ST_SET_BLOCKED, ST_RESET_PINS, ST_REMOVE_KEYS, ST_REMOVE_USER,
    ST_ADD_KEY, ST_USER_KEYS, ST_KEY_BY_ID, ST_PIN_FAILED, ST_PIN_OK,
    ST_TX_INSERT, ST_TX_FIND, ST_TX_FINISH, ST_TX_PENDING_ALL, ST_TX_PENDING_MSISDN,
    ST_TX_DUE, ST_TX_EXPIRE_ALL, ST_AUDIT, ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST_COUNT
};

struct rm_store {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
    pthread_mutex_t lock;
    /* store_checkpoint.c: a second connection that copies the log into the database,
     * and the log's size at the last commit (set by the commit, read by the ticker). */
    sqlite3 *checkpoint_db;
    _Atomic int wal_pages;
};

/* Take a statement under the lock; release_stmt resets it and unlocks. */
sqlite3_stmt *store_take_stmt(struct rm_store *s, enum stmt_id id);
void store_release_stmt(struct rm_store *s, sqlite3_stmt *st);

/*
 * Several statements as one SQLite transaction (one commit: one WAL append): take the
 * lock and BEGIN IMMEDIATE; run statements from s->stmt with store_step_locked; then
 * store_commit_unlock(OK): COMMIT when OK, else ROLLBACK, and unlock. The lock is what
 * keeps other threads' statements on the shared connection out of the transaction.
 * store_lock_begin: 0, or -1 (not locked). store_commit_unlock: 0 committed, -1 not.
 */
int store_lock_begin(struct rm_store *s);
int store_commit_unlock(struct rm_store *s, int ok);
/* Step a statement that returns no rows, then reset it and clear its bindings. 0 or -1. */
int store_step_locked(sqlite3_stmt *st);
/* Bind an audit line to s->stmt[ST_AUDIT]. */
void store_bind_audit(sqlite3_stmt *st, const char *event, const char *msisdn,
                      const char *detail);

void store_bind_text_or_null(sqlite3_stmt *st, int i, const char *text);
void store_bind_blob_or_null(sqlite3_stmt *st, int i, const unsigned char *b, size_t n);
/* Malloc'd copies of columns (NULL for SQL NULL); set *oom on allocation failure. */
char *store_column_text(sqlite3_stmt *st, int col, int *oom);
unsigned char *store_column_blob(sqlite3_stmt *st, int col, size_t *len, int *oom);

#endif /* REFMSSP_STORE_DB_H */
