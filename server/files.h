/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Small file-system helpers of the servers: whole-file reads with a size cap and
 * exclusive, permission-exact writes (a key file must never be created world-readable
 * first and chmod'ed later).
 */
#ifndef MSS_SERVER_FILES_H
#define MSS_SERVER_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* Create PATH with MODE; fails (errno EEXIST) when it already exists. 0 or -1. */
int srv_write_new_file(const char *path, const void *data, size_t len, mode_t mode);

/*
 * Read a whole file of at most MAX bytes into a malloc'd, NUL-terminated buffer.
 * Returns 0, or -1 with errno set (EFBIG when larger than MAX).
 */
int srv_read_file(const char *path, size_t max, char **out, size_t *out_len);

/* Join DIR and NAME into BUF. 0, or -1 when BUF is too small. */
int srv_path_join(char *buf, size_t len, const char *dir, const char *name);

#endif /* MSS_SERVER_FILES_H */
