/* SPDX-License-Identifier: BSD-3-Clause */
/* Character classes of mss: profile URIs (RFC 3986 terms), shared by the parser
 * (mss_uri.c) and the printer (mss_uri_format.c). Internal. */
#ifndef MSS_URI_CHARS_H
#define MSS_URI_CHARS_H

#include <stddef.h>
#include <string.h>

#include "hex.h"

/* The elements after "mss:" — brand, operation, LoA, SSCD. */
#define MSS_URI_ELEMENTS 4

static inline int uri_is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int uri_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline unsigned char uri_lower_ascii(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* RFC 3986 unreserved: ALPHA DIGIT - . _ ~ */
static inline int uri_is_unreserved(unsigned char c)
{
    return uri_is_alpha(c) || uri_is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 3986 pchar without ':' (the element separator) and without '%' (checked apart). */
static inline int uri_is_element_char(unsigned char c)
{
    return uri_is_unreserved(c) || (c != '\0' && strchr("!$&'()*+,;=@", c) != NULL);
}

/* Characters of a query or fragment: pchar, '/' and '?' ('%' checked apart). */
static inline int uri_is_tail_char(unsigned char c)
{
    return uri_is_element_char(c) || c == ':' || c == '/' || c == '?';
}

/* Every '%' in s[0..len) starts a %XX escape with two hex digits. */
static inline int uri_escapes_well_formed(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%')
            continue;
        if (i + 2 >= len)
            return 0;
        if (hex_digit_value((unsigned char)s[i + 1]) < 0 || hex_digit_value((unsigned char)s[i + 2]) < 0)
            return 0;
        i += 2;
    }
    return 1;
}

#endif
