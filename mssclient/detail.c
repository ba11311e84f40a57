/* SPDX-License-Identifier: BSD-3-Clause */
/* mss_detail: the one structure that says what went wrong beyond the mss_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "detail.h"

const char *mss_printable(const char *in, char *buf, size_t size)
{
    size_t i = 0;
    if (in == NULL)
        in = "";
    /* A peer's text goes into log lines: a line break in it would forge a new line. */
    for (; in[i] != '\0' && i + 1 < size; i++)
        buf[i] = ((unsigned char)in[i] < 0x20 || in[i] == 0x7f) ? '?' : in[i];
    buf[i] = '\0';
    return buf;
}

void mss_detail_reset(mss_detail *detail)
{
    if (detail != NULL)
        memset(detail, 0, sizeof *detail);
}

void mss_detail_printf(mss_detail *detail, const char *fmt, ...)
{
    if (detail == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail->text, sizeof detail->text, fmt, ap);
    va_end(ap);
    for (char *p = detail->text; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}

void mss_detail_status(mss_detail *detail, int status, int subcode, const char *reason)
{
    if (detail == NULL)
        return;
    detail->status = status;
    detail->subcode = subcode;
    mss_printable(reason, detail->reason, sizeof detail->reason);
}

mss_error mss_dec_fail(mss_dec *d, mss_error e, const char *fmt, ...)
{
    if (d != NULL && d->err != NULL && d->err_len > 0 && d->err[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->err, d->err_len, fmt, ap);
        va_end(ap);
    }
    return e;
}
