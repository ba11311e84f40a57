/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parsing signature profile URIs, mss:<Brand>:<Operation>:<LoA>:<SSCD> (and legacy
 * http:// profiles), into an mss_profile_uri; the canonical text is printed by
 * mss_uri_format.c. The rules are documented with the API in mss/uri.h.
 *
 * Parsing works on a private struct and hands it over only when every check passed,
 * so a rejected text leaves the caller's struct as it was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <mss/mss.h>
#include "detail.h"
#include "mss_uri_chars.h"
#include "utf8.h"

/* ------------------------------------------------------------ small helpers */

static void set_why(char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_why(char *why, size_t why_len, const char *fmt, ...)
{
    if (why == NULL || why_len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t len)
{
    for (size_t i = 0, n; i < len; i += n)
        if ((n = utf8_sequence(s + i, len - i)) == 0)
            return 0;
    return 1;
}

static char *dup_range(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* ------------------------------------------------------------ element parsers */

typedef enum { PARSE_OK, PARSE_BAD, PARSE_NOMEM } parse_result;

/* Is the element s[0..len) the wildcard `any` (ASCII case ignored)? */
static int is_any(const char *s, size_t len)
{
    return len == 3 && strncasecmp(s, "any", 3) == 0;
}

/* Brand: percent-decoded, then UTF-8 without control characters, ASCII lower-cased.
 * An empty brand or `any` leaves *out NULL (any brand). */
static parse_result parse_brand(const char *s, size_t len, char **out, char *why, size_t why_len)
{
    *out = NULL;
    if (len == 0)
        return PARSE_OK;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%' && !uri_is_element_char((unsigned char)s[i])) {
            set_why(why, why_len, "brand: character '%c' must be percent-encoded", s[i]);
            return PARSE_BAD;
        }
    }
    if (!uri_escapes_well_formed(s, len)) {
        set_why(why, why_len, "brand: '%%' not followed by two hex digits");
        return PARSE_BAD;
    }
    char *d = malloc(len + 1);
    if (d == NULL)
        return PARSE_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            c = (unsigned char)(hex_digit_value((unsigned char)s[i + 1]) * 16 +
                                hex_digit_value((unsigned char)s[i + 2]));
            i += 2;
        }
        if (c < 0x20 || c == 0x7f) {
            free(d);
            set_why(why, why_len, "brand: encodes a control character");
            return PARSE_BAD;
        }
        d[n++] = (char)uri_lower_ascii(c);
    }
    d[n] = '\0';
    if (!utf8_valid((const unsigned char *)d, n)) {
        free(d);
        set_why(why, why_len, "brand: decodes to invalid UTF-8");
        return PARSE_BAD;
    }
    if (is_any(d, n)) {
        free(d);
        return PARSE_OK;
    }
    *out = d;
    return PARSE_OK;
}

/* Operation or SSCD: a lower-cased token of [a-z0-9._~-]; `any` leaves *out NULL.
 * The SSCD `uicc` is the same device class as `sim` (design.md §4). */
static parse_result parse_token(const char *what, const char *s, size_t len, int is_sscd,
                                char **out, char *why, size_t why_len)
{
    *out = NULL;
    if (len == 0) {
        set_why(why, why_len, "%s: empty (write `any` or leave trailing elements out)", what);
        return PARSE_BAD;
    }
    if (is_any(s, len))
        return PARSE_OK;
    for (size_t i = 0; i < len; i++) {
        if (!uri_is_unreserved((unsigned char)s[i])) {
            set_why(why, why_len, "%s: character '%c' not allowed", what, s[i]);
            return PARSE_BAD;
        }
    }
    if (is_sscd && len == 4 && strncasecmp(s, "uicc", 4) == 0) {
        s = "sim";
        len = 3;
    }
    char *d = dup_range(s, len);
    if (d == NULL)
        return PARSE_NOMEM;
    for (size_t i = 0; i < len; i++)
        d[i] = (char)uri_lower_ascii((unsigned char)d[i]);
    *out = d;
    return PARSE_OK;
}

/* LoA: `any`, or loa2 / loa3 / loa4 followed by zero or more `.ext` tokens of
 * [a-z0-9_~-]. *level 0 means any; *ext is the lower-cased text after the first dot. */
static parse_result parse_loa(const char *s, size_t len, int *level, char **ext,
                              char *why, size_t why_len)
{
    *level = 0;
    *ext = NULL;
    if (is_any(s, len))
        return PARSE_OK;
    if (len < 4 || strncasecmp(s, "loa", 3) != 0 || s[3] < '2' || s[3] > '4' ||
        (len > 4 && s[4] != '.')) {
        set_why(why, why_len, "LoA: expected loa2, loa3, loa4 (optionally .extensions) or any");
        return PARSE_BAD;
    }
    if (len > 4) {
        const char *e = s + 5;
        size_t elen = len - 5;
        int token_len = 0;
        for (size_t i = 0; i <= elen; i++) {
            if (i == elen || e[i] == '.') {
                if (token_len == 0) {
                    set_why(why, why_len, "LoA: empty extension");
                    return PARSE_BAD;
                }
                token_len = 0;
            } else if (uri_is_alpha((unsigned char)e[i]) || uri_is_digit((unsigned char)e[i]) ||
                       e[i] == '_' || e[i] == '~' || e[i] == '-') {
                token_len++;
            } else {
                set_why(why, why_len, "LoA: character '%c' not allowed in an extension", e[i]);
                return PARSE_BAD;
            }
        }
        *ext = dup_range(e, elen);
        if (*ext == NULL)
            return PARSE_NOMEM;
        for (size_t i = 0; i < elen; i++)
            (*ext)[i] = (char)uri_lower_ascii((unsigned char)(*ext)[i]);
    }
    *level = s[3] - '0';
    return PARSE_OK;
}

/* Query or fragment text: verbatim, checked against the URI character set.
 * An empty one is the same as none. */
static parse_result parse_tail(const char *what, const char *s, size_t len, char **out,
                               char *why, size_t why_len)
{
    *out = NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '%' && !uri_is_tail_char((unsigned char)s[i])) {
            set_why(why, why_len, "%s: character '%c' not allowed", what, s[i]);
            return PARSE_BAD;
        }
    }
    if (!uri_escapes_well_formed(s, len)) {
        set_why(why, why_len, "%s: '%%' not followed by two hex digits", what);
        return PARSE_BAD;
    }
    if (len == 0)
        return PARSE_OK;
    *out = dup_range(s, len);
    return *out ? PARSE_OK : PARSE_NOMEM;
}

/* ------------------------------------------------------------ the whole URI */

/* Parse what follows "mss:" into u (elements, query, fragment). */
static parse_result parse_mss_body(const char *body, mss_profile_uri *u, char *why, size_t why_len)
{
    size_t len = strlen(body);
    const char *hash = memchr(body, '#', len);
    size_t before_hash = hash ? (size_t)(hash - body) : len;
    const char *qmark = memchr(body, '?', before_hash);
    size_t path_len = qmark ? (size_t)(qmark - body) : before_hash;
    parse_result r;

    if (hash) {
        if (strchr(hash + 1, '#') != NULL) {
            set_why(why, why_len, "fragment: a second '#'");
            return PARSE_BAD;
        }
        r = parse_tail("fragment", hash + 1, len - before_hash - 1, &u->fragment, why, why_len);
        if (r != PARSE_OK)
            return r;
    }
    if (qmark) {
        r = parse_tail("query", qmark + 1, before_hash - path_len - 1, &u->query, why, why_len);
        if (r != PARSE_OK)
            return r;
    }

    /* Split the path at ':' into at most four elements. */
    const char *elem[MSS_URI_ELEMENTS];
    size_t elem_len[MSS_URI_ELEMENTS];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= path_len; i++) {
        if (i < path_len && body[i] != ':')
            continue;
        if (n == MSS_URI_ELEMENTS) {
            set_why(why, why_len, "more than %d elements after mss:", MSS_URI_ELEMENTS);
            return PARSE_BAD;
        }
        elem[n] = body + start;
        elem_len[n] = i - start;
        n++;
        start = i + 1;
    }

    r = parse_brand(elem[0], elem_len[0], &u->brand, why, why_len);
    if (r == PARSE_OK && n > 1)
        r = parse_token("operation", elem[1], elem_len[1], 0, &u->operation, why, why_len);
    if (r == PARSE_OK && n > 2)
        r = parse_loa(elem[2], elem_len[2], &u->loa, &u->loa_ext, why, why_len);
    if (r == PARSE_OK && n > 3)
        r = parse_token("SSCD", elem[3], elem_len[3], 1, &u->sscd, why, why_len);
    return r;
}

/* Length of a URI scheme at the start of s (ALPHA *( ALPHA / DIGIT / + - . ) then ':'),
 * or 0 when s does not start with one. */
static size_t scheme_length(const char *s)
{
    if (!uri_is_alpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (uri_is_alpha((unsigned char)s[i]) || uri_is_digit((unsigned char)s[i]) || s[i] == '+' ||
           s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i : 0;
}

/* Legacy profiles are http(s) URLs or URNs; any other scheme is far more likely a
 * typo (a forgotten "mss:" makes "ficom.fi:authn" look like scheme "ficom.fi"). */
static int is_legacy_scheme(const char *text, size_t scheme_len)
{
    static const char *const schemes[] = { "http", "https", "urn" };
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (scheme_len == strlen(schemes[i]) && strncasecmp(text, schemes[i], scheme_len) == 0)
            return 1;
    return 0;
}

mss_error mss_uri_parse(const char *text, mss_profile_uri *out, mss_detail *detail)
{
    mss_detail_reset(detail);
    char *why = detail != NULL ? detail->text : NULL;
    size_t why_len = detail != NULL ? sizeof detail->text : 0;
    if (text == NULL || out == NULL) {
        set_why(why, why_len, "no URI given");
        return MSS_ERR_ARGS;
    }
    size_t len = strnlen(text, MSS_URI_MAX + 1);
    if (len == 0) {
        set_why(why, why_len, "empty profile URI");
        return MSS_ERR_ARGS;
    }
    if (len > MSS_URI_MAX) {
        set_why(why, why_len, "profile URI longer than %d bytes", MSS_URI_MAX);
        return MSS_ERR_ARGS;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= 0x20 || c >= 0x7f) {
            set_why(why, why_len, "byte 0x%02x at offset %zu: control, space or non-ASCII", c, i);
            return MSS_ERR_ARGS;
        }
    }
    size_t scheme_len = scheme_length(text);
    if (scheme_len == 0) {
        set_why(why, why_len, "not an absolute URI (no scheme)");
        return MSS_ERR_ARGS;
    }

    mss_profile_uri u;
    memset(&u, 0, sizeof u);
    parse_result r;
    if (scheme_len == 3 && strncasecmp(text, "mss", 3) == 0) {
        r = parse_mss_body(text + 4, &u, why, why_len);
    } else if (!is_legacy_scheme(text, scheme_len)) {
        set_why(why, why_len, "scheme is neither mss: nor a legacy http:, https: or urn:");
        return MSS_ERR_ARGS;
    } else {
        /* A legacy profile: known ones take their elements from the mss: equivalent
         * (a constant that always parses), unknown ones stay opaque. */
        const char *mapped = mss_uri_legacy_map(text);
        u.is_legacy = 1;
        u.is_opaque = mapped == NULL;
        r = mapped ? parse_mss_body(mapped + 4, &u, why, why_len) : PARSE_OK;
    }
    if (r == PARSE_OK) {
        u.original = dup_range(text, len);
        if (u.original == NULL)
            r = PARSE_NOMEM;
    }
    if (r != PARSE_OK) {
        mss_uri_clear(&u);
        if (r == PARSE_NOMEM)
            set_why(why, why_len, "out of memory");
        return r == PARSE_NOMEM ? MSS_ERR_NOMEM : MSS_ERR_ARGS;
    }
    *out = u;
    return MSS_OK;
}

void mss_uri_clear(mss_profile_uri *uri)
{
    if (uri == NULL)
        return;
    free(uri->original);
    free(uri->brand);
    free(uri->operation);
    free(uri->loa_ext);
    free(uri->sscd);
    free(uri->query);
    free(uri->fragment);
    memset(uri, 0, sizeof *uri);
}
