/* SPDX-License-Identifier: BSD-3-Clause */
/* Blank-separated URL lists; see url_list.h. */
#include "url_list.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BLANKS " \t"

/* What is wrong with one entry of LEN bytes at S, or NULL when nothing is. */
static const char *entry_problem(const char *s, size_t len, int allow_plain_http)
{
    size_t host_at;
    if (len > URL_MAX_LEN)
        return "is longer than 2048 bytes";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return "contains control characters";
    if (len >= 8 && strncasecmp(s, "https://", 8) == 0)
        host_at = 8;
    else if (len >= 7 && strncasecmp(s, "http://", 7) == 0 && allow_plain_http)
        host_at = 7;
    else if (len >= 7 && strncasecmp(s, "http://", 7) == 0)
        return "must start with https:// (plain http needs allow_plain_http)";
    else
        return "must start with https://";
    if (host_at == len || s[host_at] == '/')
        return "has no host";
    return NULL;
}

static int refuse(url_list *out, char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse(url_list *out, char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;
    url_list_clear(out);
    if (why != NULL && why_len > 0) {
        va_start(ap, fmt);
        vsnprintf(why, why_len, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int url_list_parse(const char *name, const char *text, int allow_plain_http, url_list *out,
                   char *why, size_t why_len)
{
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return refuse(out, why, why_len, "%s is required", name);

    /* Count first, so that a list that is too long is named as such. */
    size_t total = 0;
    for (const char *p = text + strspn(text, BLANKS); *p; p += strspn(p, BLANKS)) {
        total++;
        p += strcspn(p, BLANKS);
    }
    if (total == 0)
        return refuse(out, why, why_len, "%s is required", name);
    if (total > URL_LIST_MAX)
        return refuse(out, why, why_len, "%s lists %zu URLs; at most %d", name, total,
                      URL_LIST_MAX);

    const char *p = text + strspn(text, BLANKS);
    for (size_t i = 0; i < total; i++) {
        size_t len = strcspn(p, BLANKS);
        /* "https://a/mss, https://b/mss": a comma would pass as part of a URL. */
        if (p[0] == ',' || p[len - 1] == ',')
            return refuse(out, why, why_len, "%s: separate the URLs with spaces, not commas",
                          name);
        const char *problem = entry_problem(p, len, allow_plain_http);
        if (problem != NULL && total == 1)
            return refuse(out, why, why_len, "%s %s", name, problem);
        if (problem != NULL)
            return refuse(out, why, why_len, "%s: entry %zu of %zu %s", name, i + 1, total,
                          problem);
        if ((out->url[i] = strndup(p, len)) == NULL)
            return refuse(out, why, why_len, "%s: out of memory", name);
        out->n = i + 1;
        p += len;
        p += strspn(p, BLANKS);
    }
    return 0;
}

void url_list_clear(url_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->n; i++)
        free(list->url[i]);
    memset(list, 0, sizeof *list);
}

int url_authority(const char *url, const char **auth, const char **host, size_t *host_len)
{
    const char *a = strstr(url, "://");
    if (a == NULL)
        return -1;
    a += 3;
    size_t len = strcspn(a, "/?#");
    const char *h = a;
    for (const char *p = a; p < a + len; p++)
        if (*p == '@')
            h = p + 1;
    *auth = a;
    *host = h;
    *host_len = len - (size_t)(h - a);
    return 0;
}
