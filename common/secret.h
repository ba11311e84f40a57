/* SPDX-License-Identifier: BSD-3-Clause */
/* A secret held as a malloc'd string (a password, token or key read from a file). */
#ifndef COMMON_SECRET_H
#define COMMON_SECRET_H

/* Overwrite S (up to its NUL) so the freed memory holds no copy, then free it. NULL is
 * fine. */
void secret_free(char *s);

#endif /* COMMON_SECRET_H */
