/* SPDX-License-Identifier: BSD-3-Clause */
/* Filling an mss_detail from inside the library. Every call accepts NULL (the caller
 * did not ask for details) and keeps each text one printable line. */
#ifndef MSS_DETAIL_H
#define MSS_DETAIL_H

#include <stddef.h>
#include <mss/errors.h>

void mss_detail_reset(mss_detail *detail);

/* Our explanation, replacing the previous one. */
void mss_detail_printf(mss_detail *detail, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The MSS status, sub-code and the MSSP's own words (copied, control characters as '?'). */
void mss_detail_status(mss_detail *detail, int status, int subcode, const char *reason);

/* Copy text from a peer into buf for a log or detail line: printable, bounded, never
 * NULL (NULL in gives ""). Returns buf. */
const char *mss_printable(const char *in, char *buf, size_t size);

/* A decoder's context (each binding's): where the one-line reason of a failure goes,
 * usually an mss_detail's text. */
typedef struct mss_dec {
    char *err;
    size_t err_len;
} mss_dec;

/* Write a reason into d (when it has a buffer and none is written yet); returns e. */
mss_error mss_dec_fail(mss_dec *d, mss_error e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
