/* SPDX-License-Identifier: BSD-3-Clause */
/* A hash of a NUL-terminated text for in-memory tables (FNV-1a, 64 bits). Not for anything
 * an attacker must not predict: tables keyed by it hold keys the caller has already
 * checked (user names, phone numbers), so colliding keys only slow their own lookups. */
#ifndef COMMON_TEXT_HASH_H
#define COMMON_TEXT_HASH_H

#include <stddef.h>

size_t text_hash(const char *text);

#endif /* COMMON_TEXT_HASH_H */
