/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An ordered list of endpoint URLs written as one string, the entries separated by
 * blanks (spaces or tabs): "https://a.example/mss https://b.example/mss". A URL holds no
 * blank, so the separator cannot be part of an entry. The client options (libmssclient)
 * and the configuration file (libmssconf) both read lists with this one parser, so both
 * accept and refuse the same text with the same words.
 */
#ifndef COMMON_URL_LIST_H
#define COMMON_URL_LIST_H

#include <stddef.h>

/* At most this many URLs in a list: a failover list, not a directory. */
#define URL_LIST_MAX 8
/* At most this many bytes in one URL. */
#define URL_MAX_LEN 2048

typedef struct url_list {
    size_t n;                  /* 1 to URL_LIST_MAX after a successful parse */
    char *url[URL_LIST_MAX];   /* malloc'd copies, in the order written */
} url_list;

/*
 * Split TEXT and check every entry: printable, at most URL_MAX_LEN bytes, https:// (or
 * http:// when ALLOW_PLAIN_HTTP), a host. 0 with *OUT filled (free it with
 * url_list_clear), or -1 with *OUT empty and a reason in WHY that starts with NAME and
 * counts the entry instead of quoting it (a URL may carry user:password@):
 * "url is required", "url: entry 2 of 3 must start with https://", "url lists 9 URLs; at
 * most 8", "url: separate the URLs with spaces, not commas". Out of memory: -1, "… out of
 * memory".
 */
int url_list_parse(const char *name, const char *text, int allow_plain_http, url_list *out,
                   char *why, size_t why_len);

/* Free the copies and empty the list; safe on an empty (zeroed) list. */
void url_list_clear(url_list *list);

/* Where the parts of URL's authority are: *AUTH just after "scheme://", *HOST after any
 * "userinfo@" (the last '@', as libcurl reads it), and *HOST_LEN the bytes of host[:port]
 * up to the path, query or fragment. 0, or -1 when URL has no "://". */
int url_authority(const char *url, const char **auth, const char **host, size_t *host_len);

#endif /* COMMON_URL_LIST_H */
