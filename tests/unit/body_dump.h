/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Saving message bodies for a later check: with MSS_REST_DUMP_DIR set, each body handed
 * here becomes the next file NNN-WHAT.json of that folder (test_rest_schema.sh validates
 * them against tests/schemas/mss-rest.schema.json). Unset, nothing is written. Test code
 * only; safe from several threads (the mock MSSP answers each connection in its own).
 */
#ifndef MSS_TEST_BODY_DUMP_H
#define MSS_TEST_BODY_DUMP_H

#include <stddef.h>

/* Fails the cmocka test when the folder is set but the file cannot be written. */
void body_dump(const char *body, size_t len, const char *what);

#endif
