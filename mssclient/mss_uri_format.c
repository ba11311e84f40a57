/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Printing a signature profile URI in its canonical text form (mss.h, section 5):
 * the inverse of mss_uri_parse for everything the parser can produce.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>
#include "mss_uri_chars.h"

/* A growing string; ok drops to 0 on the first allocation failure. */
typedef struct text_buf {
    char *s;
    size_t len, cap;
    int ok;
} text_buf;

static void put_bytes(text_buf *b, const char *s, size_t n)
{
    if (!b->ok)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (p == NULL) {
            b->ok = 0;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void put_str(text_buf *b, const char *s)
{
    put_bytes(b, s, strlen(s));
}

/* The brand with every byte that may not stand raw in an element percent-encoded,
 * so that a decoded ':', '#', '%' or UTF-8 byte can never change how the text
 * splits. Bytes that may stand raw are printed raw: the canonical text is then
 * never longer than the text it came from, and so always parses again. */
static void put_brand(text_buf *b, const char *brand)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)brand; *p; p++) {
        if (uri_is_element_char(*p)) {
            put_bytes(b, (const char *)p, 1);
        } else {
            char esc[3] = { '%', hex[*p >> 4], hex[*p & 0x0f] };
            put_bytes(b, esc, 3);
        }
    }
}

/* Only print what the parser could have produced: a struct filled by hand with,
 * say, a ':' in its operation would otherwise print as a different profile. */
static int token_ok(const char *s, int allow_dot)
{
    if (s == NULL)
        return 1;
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!uri_is_unreserved(c) || (c >= 'A' && c <= 'Z') || (c == '.' && !allow_dot))
            return 0;
    }
    return 1;
}

static int tail_ok(const char *s)
{
    if (s == NULL)
        return 1;
    size_t len = strlen(s);
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '%' && !uri_is_tail_char((unsigned char)s[i]))
            return 0;
    return uri_escapes_well_formed(s, len);
}

static int printable_as_parsed(const mss_profile_uri *uri)
{
    if (uri->loa != 0 && (uri->loa < 2 || uri->loa > 4))
        return 0;
    if (!token_ok(uri->loa_ext, 1))
        return 0;
    if (uri->loa_ext && (uri->loa_ext[0] == '.' || uri->loa_ext[strlen(uri->loa_ext) - 1] == '.' ||
                         strstr(uri->loa_ext, "..") != NULL))
        return 0;
    return token_ok(uri->operation, 1) && token_ok(uri->sscd, 1) && token_ok(uri->loa_ext, 1) &&
           tail_ok(uri->query) && tail_ok(uri->fragment) &&
           (uri->fragment == NULL || strchr(uri->fragment, '#') == NULL) &&
           (uri->query == NULL || strchr(uri->query, '#') == NULL);
}

char *mss_uri_format(const mss_profile_uri *uri)
{
    if (uri == NULL)
        return NULL;
    if (uri->is_opaque)
        return uri->original ? strdup(uri->original) : NULL;
    if (!printable_as_parsed(uri))
        return NULL;

    /* How many elements to print: trailing `any` ones are left out. */
    int n = MSS_URI_ELEMENTS;
    if (n == 4 && uri->sscd == NULL)
        n = 3;
    if (n == 3 && uri->loa == 0)
        n = 2;
    if (n == 2 && uri->operation == NULL)
        n = 1;

    text_buf b = { NULL, 0, 0, 1 };
    put_str(&b, "mss:");
    if (uri->brand)
        put_brand(&b, uri->brand);
    if (n > 1) {
        put_str(&b, ":");
        put_str(&b, uri->operation ? uri->operation : "any");
    }
    if (n > 2) {
        char level[8];
        snprintf(level, sizeof level, "loa%d", uri->loa);
        put_str(&b, ":");
        put_str(&b, uri->loa ? level : "any");
        if (uri->loa && uri->loa_ext) {
            put_str(&b, ".");
            put_str(&b, uri->loa_ext);
        }
    }
    if (n > 3) {
        put_str(&b, ":");
        put_str(&b, uri->sscd);
    }
    if (uri->query) {
        put_str(&b, "?");
        put_str(&b, uri->query);
    }
    if (uri->fragment) {
        put_str(&b, "#");
        put_str(&b, uri->fragment);
    }
    if (!b.ok) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
