/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 2822 dates; see rfc2822_date.h. */
#include "rfc2822_date.h"
#include "civil_time.h"

#include <stdio.h>
#include <string.h>

static const char *const day_names[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int rfc2822_date_format(time_t when, char *out, size_t out_len)
{
    struct tm tm;
    if (out == NULL || out_len < RFC2822_DATE_SIZE || gmtime_r(&when, &tm) == NULL ||
        tm.tm_year < 70 || tm.tm_year > 9999 - 1900)
        return -1;
    snprintf(out, out_len, "%s, %02d %s %04d %02d:%02d:%02d +0000", day_names[tm.tm_wday],
             tm.tm_mday, month_names[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             tm.tm_sec);
    return 0;
}

/* Between MIN and MAX decimal digits at *P as a number, advancing *P; -1 otherwise. */
static int digits(const char **p, int min, int max)
{
    int v = 0, n = 0;
    while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
        v = v * 10 + ((*p)[n] - '0');
        n++;
    }
    if (n < min)
        return -1;
    *p += n;
    return v;
}

/* Is the text at *P the string S? Then step over it. */
static int expect(const char **p, const char *s)
{
    size_t n = strlen(s);
    if (strncmp(*p, s, n) != 0)
        return 0;
    *p += n;
    return 1;
}

/* The index in NAMES (N of three letters) of the name at *P, stepped over; -1: none. */
static int name_index(const char **p, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (expect(p, names[i]))
            return i;
    return -1;
}

/* The zone's offset from UTC in seconds into *OFFSET; 0, or -1. */
static int zone_offset(const char **p, long *offset)
{
    if (expect(p, "GMT")) {
        *offset = 0;
        return 0;
    }
    if (**p != '+' && **p != '-')
        return -1;
    int sign = *(*p)++ == '-' ? -1 : 1;
    int hhmm = digits(p, 4, 4);
    if (hhmm < 0 || hhmm / 100 > 14 || hhmm % 100 > 59)
        return -1;
    *offset = sign * ((hhmm / 100) * 3600L + (hhmm % 100) * 60L);
    return 0;
}

int rfc2822_date_parse(const char *s, time_t *out)
{
    if (s == NULL || out == NULL)
        return -1;
    const char *p = s;
    int ok = name_index(&p, day_names, 7) >= 0 && expect(&p, ", ");
    int day = ok ? digits(&p, 1, 2) : -1;
    ok = ok && day >= 1 && day <= 31 && expect(&p, " ");
    int mon = ok ? name_index(&p, month_names, 12) : -1;
    ok = ok && mon >= 0 && expect(&p, " ");
    int year = ok ? digits(&p, 4, 4) : -1;
    ok = ok && year >= 1970 && expect(&p, " ");
    int hour = ok ? digits(&p, 2, 2) : -1;
    ok = ok && hour >= 0 && hour <= 23 && expect(&p, ":");
    int min = ok ? digits(&p, 2, 2) : -1;
    ok = ok && min >= 0 && min <= 59 && expect(&p, ":");
    int sec = ok ? digits(&p, 2, 2) : -1;
    ok = ok && sec >= 0 && sec <= 60 && expect(&p, " ");
    long offset = 0;
    if (!ok || zone_offset(&p, &offset) != 0 || *p != '\0')
        return -1;
    return civil_time_to_epoch(year, mon + 1, day, hour, min, sec, offset, out);
}
