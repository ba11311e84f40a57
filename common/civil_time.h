/* SPDX-License-Identifier: BSD-3-Clause */
/* A date and time as people write them, turned into a moment: what every date parser of
 * the tree (xs_datetime.h, rfc2822_date.h) ends with. */
#ifndef COMMON_CIVIL_TIME_H
#define COMMON_CIVIL_TIME_H

#include <time.h>

/*
 * The moment of YEAR-MON-DAY HOUR:MIN:SEC (MON 1..12) in the zone OFFSET seconds east of
 * UTC, in seconds since the epoch. SEC may be 60: a leap second, counted as the first
 * second of the next minute. 0 and *out, or -1 for a day the month does not have
 * (31 February) or a time timegm cannot give.
 */
int civil_time_to_epoch(int year, int mon, int day, int hour, int min, int sec, long offset,
                        time_t *out);

#endif /* COMMON_CIVIL_TIME_H */
