/* SPDX-License-Identifier: BSD-3-Clause */
/* The reason a check failed, for the functions that answer "0, or -1 with the reason in
 * WHY": one line that writes the reason and gives the -1. */
#ifndef COMMON_WHY_H
#define COMMON_WHY_H

#include <stddef.h>

/* Format the reason into WHY (WHY_LEN bytes; cut short when longer). Returns -1. */
int why_set(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* COMMON_WHY_H */
