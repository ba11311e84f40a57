/* SPDX-License-Identifier: BSD-3-Clause */
/* Civil time to a moment; see civil_time.h. */
#include "civil_time.h"

#include <string.h>

int civil_time_to_epoch(int year, int mon, int day, int hour, int min, int sec, long offset,
                        time_t *out)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    time_t t = timegm(&tm);
    /* timegm normalises 31 February into March: the day must survive the round trip.
     * The seconds are added after it, so a leap second does not move the day. */
    if (t == (time_t)-1 || tm.tm_mday != day)
        return -1;
    /* "10:00+02:00" is 08:00 UTC. */
    *out = t + sec - offset;
    return 0;
}
