/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <unistd.h>

#include "scratch_db.h"

void scratch_db_remove(const char *path, const char *dir)
{
    char side[4200];
    unlink(path);
    /* SQLite leaves these beside a database in WAL mode. */
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
}
