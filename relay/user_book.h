/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The users a running relay knows: DIR/users.conf, read again whenever it has been
 * replaced ('mss-relay user add|remove' write it atomically), so that a user added or
 * removed is let in or refused from the next request on, with no restart or signal.
 * Each lookup compares the file's identity (device, inode, size, modification time)
 * with the one read; a file that no longer loads keeps the previous users and is said
 * once on stderr. Thread-safe.
 */
#ifndef RELAY_USER_BOOK_H
#define RELAY_USER_BOOK_H

#include "serve.h"

typedef struct relay_user_book relay_user_book;

/* Read DIR/users.conf now. NULL with the reason in ERR. */
relay_user_book *relay_user_book_open(const char *dir, char *err, size_t err_len);
void relay_user_book_free(relay_user_book *book);

/* Users known now (for the start-up line). */
size_t relay_user_book_count(relay_user_book *book);

/* relay_lookup_fn (serve.h): CTX is the book. A certificate first, else the token. */
int relay_user_book_lookup(void *ctx, const char *cert_sha256, const char *bearer,
                           relay_identity *out);

#endif /* RELAY_USER_BOOK_H */
