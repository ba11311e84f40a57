/* SPDX-License-Identifier: BSD-3-Clause */
/* A scratch folder for one cmocka test program: made before its group, removed after. */
#ifndef TESTS_SCRATCH_DIR_H
#define TESTS_SCRATCH_DIR_H

#include <sys/types.h>

/* Group set-up and tear-down for cmocka_run_group_tests. */
int scratch_dir_make(void **state);
int scratch_dir_remove(void **state);

/* DIR/NAME in a static buffer (valid until the next call). */
const char *scratch_path(const char *name);

/* Write TEXT to PATH (replacing what is there) with exactly MODE. 0 or -1. */
int scratch_write(const char *path, const char *text, mode_t mode);

#endif /* TESTS_SCRATCH_DIR_H */
