/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared by the libmssconf tests: a scratch folder per test program, and small files
 * written into and read from it.
 */
#ifndef CONF_FIXTURE_H
#define CONF_FIXTURE_H

#include <sys/types.h>

/* The scratch folder (valid between conf_fixture_setup and conf_fixture_teardown). */
extern char conf_fixture_dir[256];

/* cmocka group setup / teardown: make and remove the scratch folder. */
int conf_fixture_setup(void **state);
int conf_fixture_teardown(void **state);

/* Write text to <dir>/name with mode; returns the path (a static buffer). */
const char *conf_fixture_write(const char *name, const char *text, mode_t mode);

/* <dir>/name into a static buffer. */
const char *conf_fixture_path(const char *name);

/* The whole file at path, malloc'd (fails the test when it cannot be read). */
char *conf_fixture_read(const char *path);

#endif
