/* SPDX-License-Identifier: BSD-3-Clause */
/* refmssp's SQLite database in a scratch folder, for the store and flow tests. */
#ifndef MSS_TEST_SCRATCH_DB_H
#define MSS_TEST_SCRATCH_DB_H

/* Remove the database at path with its WAL and shared-memory files, then the folder. */
void scratch_db_remove(const char *path, const char *dir);

#endif
