/* SPDX-License-Identifier: BSD-3-Clause */
/* xs:dateTime; see xs_datetime.h. */
#include "xs_datetime.h"
#include "civil_time.h"

#include <string.h>

/* N decimal digits at *P as a number, advancing *P; -1 when they are not all digits. */
static int digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    return v;
}

/* Is the next character C? Then step over it. */
static int expect(const char **p, char c)
{
    if (**p != c)
        return 0;
    (*p)++;
    return 1;
}

int xs_datetime_parse(const char *s, time_t *out)
{
    if (s == NULL)
        return -1;
    const char *p = s;
    int year = digits(&p, 4);
    int ok = year >= 1970 && expect(&p, '-');
    int mon = ok ? digits(&p, 2) : -1;
    ok = ok && mon >= 1 && mon <= 12 && expect(&p, '-');
    int day = ok ? digits(&p, 2) : -1;
    ok = ok && day >= 1 && day <= 31 && expect(&p, 'T');
    int hour = ok ? digits(&p, 2) : -1;
    ok = ok && hour >= 0 && hour <= 23 && expect(&p, ':');
    int min = ok ? digits(&p, 2) : -1;
    ok = ok && min >= 0 && min <= 59 && expect(&p, ':');
    int sec = ok ? digits(&p, 2) : -1;
    /* 60: a leap second, counted as the first second of the next minute. */
    ok = ok && sec >= 0 && sec <= 60;
    if (!ok)
        return -1;
    if (expect(&p, '.')) {
        size_t n = strspn(p, "0123456789");
        if (n == 0)
            return -1;
        p += n;
    }
    long offset = 0;
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int oh = digits(&p, 2);
        int om = expect(&p, ':') ? digits(&p, 2) : -1;
        if (oh < 0 || oh > 14 || om < 0 || om > 59)
            return -1;
        offset = sign * (oh * 3600L + om * 60L);
    } else if (!expect(&p, 'Z')) {
        return -1;
    }
    if (*p != '\0')
        return -1;
    return civil_time_to_epoch(year, mon, day, hour, min, sec, offset, out);
}
