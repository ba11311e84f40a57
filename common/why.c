/* SPDX-License-Identifier: BSD-3-Clause */
/* Reasons; see why.h. */
#include "why.h"

#include <stdarg.h>
#include <stdio.h>

int why_set(char *why, size_t why_len, const char *fmt, ...)
{
    if (why == NULL || why_len == 0)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
    return -1;
}
