/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Printing a signature profile URI in its canonical text form (mss/uri.h):
 * the inverse of mss_uri_parse for everything the parser can produce.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>
#include "mss_uri_chars.h"
#include "textbuf.h"

/* The brand with every byte that may not stand raw in an element percent-encoded,
 * so that a decoded ':', '#', '%' or UTF-8 byte can never change how the text
 * splits. Bytes that may stand raw are printed raw: the canonical text is then
 * never longer than the text it came from, and so always parses again. */
static void put_brand(textbuf *b, const char *brand)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)brand; *p; p++) {
        if (uri_is_element_char(*p)) {
            textbuf_append(b, p, 1);
        } else {
            char esc[3] = { '%', hex[*p >> 4], hex[*p & 0x0f] };
            textbuf_append(b, esc, 3);
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

    textbuf b;
    textbuf_init(&b, 0);
    textbuf_append_str(&b, "mss:");
    if (uri->brand)
        put_brand(&b, uri->brand);
    if (n > 1) {
        textbuf_append_str(&b, ":");
        textbuf_append_str(&b, uri->operation ? uri->operation : "any");
    }
    if (n > 2) {
        char level[8];
        snprintf(level, sizeof level, "loa%d", uri->loa);
        textbuf_append_str(&b, ":");
        textbuf_append_str(&b, uri->loa ? level : "any");
        if (uri->loa && uri->loa_ext) {
            textbuf_append_str(&b, ".");
            textbuf_append_str(&b, uri->loa_ext);
        }
    }
    if (n > 3) {
        textbuf_append_str(&b, ":");
        textbuf_append_str(&b, uri->sscd);
    }
    if (uri->query) {
        textbuf_append_str(&b, "?");
        textbuf_append_str(&b, uri->query);
    }
    if (uri->fragment) {
        textbuf_append_str(&b, "#");
        textbuf_append_str(&b, uri->fragment);
    }
    return textbuf_take(&b, NULL); /* NULL after an allocation failure */
}
