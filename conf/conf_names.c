/* SPDX-License-Identifier: BSD-3-Clause */
/* What a phone number and a user name may be: the reader checks them while parsing and
 * the writer before it adds a user, so the rule lives below both. */
#include <ctype.h>
#include <string.h>

#include "mss_conf.h"

/* "+" followed by 3 to 15 digits (E.164). */
int mss_conf_msisdn_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 4 || n > 16 || s[0] != '+')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Letters, digits, '_', '.', '-'; at most 64; not "." or "..": it names a cache folder. */
int mss_conf_user_name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64 || !strcmp(s, ".") || !strcmp(s, ".."))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return 0;
    return 1;
}
