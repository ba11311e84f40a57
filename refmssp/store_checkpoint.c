/* SPDX-License-Identifier: BSD-3-Clause */
/* Write-ahead log checkpoints in the ticker instead of in a request (store.h). */
#include "store.h"
#include "store_db.h"

#include <stdio.h>

/* SQLite's own threshold (pages of the log), so the log stays the size it always was. */
#define CHECKPOINT_PAGES 1000

/* Runs after each commit on the store's connection, in the committing thread, in place
 * of SQLite's automatic checkpoint: it only notes the size. */
static int note_wal_size(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    rm_store *s = ctx;
    s->wal_pages = pages;
    return SQLITE_OK;
}

int store_checkpoint_in_background(rm_store *s, char *err, size_t err_len)
{
    const char *path = sqlite3_db_filename(s->db, "main");
    sqlite3 *db = NULL;
    if (path == NULL || path[0] == '\0' ||
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "cannot open a checkpoint connection: %s",
                 db != NULL ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_TIMEOUT_MS);
    /* A new connection learns that the file is in WAL mode at its first read; until then
     * a checkpoint on it does nothing. */
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err_len, "cannot prepare the checkpoint connection: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    s->checkpoint_db = db;
    /* Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint is a hook too). */
    sqlite3_wal_hook(s->db, note_wal_size, s);
    return 0;
}

void store_checkpoint(rm_store *s)
{
    if (s->checkpoint_db == NULL || s->wal_pages < CHECKPOINT_PAGES)
        return;
    int log_pages = 0, copied = 0;
    /* PASSIVE: copies what no reader still needs, without waiting; what is left is
     * copied next time. A failure (another process holding a lock) is retried then too. */
    if (sqlite3_wal_checkpoint_v2(s->checkpoint_db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_pages,
                                  &copied) == SQLITE_OK &&
        copied == log_pages)
        s->wal_pages = 0;
}
