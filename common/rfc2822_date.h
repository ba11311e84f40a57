/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The date of an HTTP Date header in the form RFC 2822 §3.3 gives it, "Wed, 02 Dec 2026
 * 10:06:31 +0000": the form the Kiuru REST API's HMAC authentication signs (see
 * docs/protocol-profile.md, "Authentication"). Written in English whatever the process's
 * locale: a host program's setlocale() must not change a signed header.
 */
#ifndef COMMON_RFC2822_DATE_H
#define COMMON_RFC2822_DATE_H

#include <stddef.h>
#include <time.h>

/* Room for a date this file writes, with its NUL ("Wed, 02 Dec 2026 10:06:31 +0000" is
 * 31 characters; years up to 9999). */
#define RFC2822_DATE_SIZE 40

/* WHEN in UTC as "Ddd, DD Mon YYYY HH:MM:SS +0000" into OUT (OUT_LEN at least
 * RFC2822_DATE_SIZE). 0, or -1 for a time outside the years 1970..9999. */
int rfc2822_date_format(time_t when, char *out, size_t out_len);

/*
 * "Ddd, D[D] Mon YYYY HH:MM:SS ZONE", ZONE +hhmm, -hhmm or GMT, single spaces: the moment
 * in seconds since the epoch. 0 and *out, or -1 for anything else (another form, a day
 * name that is none, a date that does not exist, trailing text). The day name is not
 * checked against the date: it adds nothing a signature does not already cover.
 */
int rfc2822_date_parse(const char *s, time_t *out);

#endif /* COMMON_RFC2822_DATE_H */
