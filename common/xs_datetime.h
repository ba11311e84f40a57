/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading an XML Schema dateTime (the Instant of a TS 102 204 message) as a time_t. */
#ifndef COMMON_XS_DATETIME_H
#define COMMON_XS_DATETIME_H

#include <time.h>

/*
 * "2026-11-27T10:00:02Z", "2026-11-27T10:00:02.250+02:00": the moment, in seconds since
 * the epoch (a fraction of a second is dropped). 0 and *out, or -1 when S is not such a
 * text or has no time zone: a time without one names no single moment, so it cannot
 * be compared with a clock.
 */
int xs_datetime_parse(const char *s, time_t *out);

#endif /* COMMON_XS_DATETIME_H */
