/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers of the REST binding's tests (see rest_fixtures.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec_fixtures.h"
#include "rest_fixtures.h"

/* The text with each ' turned into ", so that JSON reads in C source; caller frees. */
char *json_of(const char *quoted)
{
    char *s = fixture_dup_s(quoted);
    for (char *p = s; *p != '\0'; p++)
        if (*p == '\'')
            *p = '"';
    return s;
}

/* BASE (in json_of's quoting) with its one occurrence of FROM replaced by TO. */
char *variant(const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    if (at == NULL)
        fail_msg("variant: '%s' is not in the base message", from);
    size_t head = (size_t)(at - base), from_len = strlen(from), to_len = strlen(to);
    char *s = malloc(strlen(base) - from_len + to_len + 1);
    assert_non_null(s);
    memcpy(s, base, head);
    memcpy(s + head, to, to_len);
    strcpy(s + head + to_len, at + from_len);
    char *json = json_of(s);
    free(s);
    return json;
}

int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

/* Decoding BODY (LEN bytes) fails with WANT, leaves the message zeroed and says WHY. */
void expect_refused_n(const char *body, size_t len, mss_error want, const char *why)
{
    mss_message m;
    mss_detail derr;
    memset(&m, 0xA5, sizeof m);
    mss_error rc = mss_rest_decode(body, len, &m, &derr);
    if (rc != want)
        fail_msg("expected %s, got %s (%s) for:\n%.300s", mss_error_string(want),
                 mss_error_string(rc), derr.text, body);
    assert_true(all_zero(&m, sizeof m));
    if (strstr(derr.text, why) == NULL)
        fail_msg("reason \"%s\" does not say \"%s\"", derr.text, why);
}

void expect_refused(const char *body, mss_error want, const char *why)
{
    expect_refused_n(body, strlen(body), want, why);
}

/* A variant of BASE that the decoder must refuse as WANT, saying WHY. */
void expect_variant_refused(const char *base, const char *from, const char *to,
                                   mss_error want, const char *why)
{
    char *json = variant(base, from, to);
    expect_refused(json, want, why);
    free(json);
}

void expect_decodes(const char *json, mss_message *out)
{
    mss_detail derr;
    mss_error rc = mss_rest_decode(json, strlen(json), out, &derr);
    if (rc != MSS_OK)
        fail_msg("decode failed: %s\n%s", derr.text, json);
}

/* The same for a whole body in json_of's quoting. */
void expect_quoted_refused(const char *quoted, mss_error want, const char *why)
{
    char *json = json_of(quoted);
    expect_refused(json, want, why);
    free(json);
}

void expect_quoted_decodes(const char *quoted, mss_message *out)
{
    char *json = json_of(quoted);
    expect_decodes(json, out);
    free(json);
}

void expect_variant_decodes(const char *base, const char *from, const char *to,
                                   mss_message *out)
{
    char *json = variant(base, from, to);
    expect_decodes(json, out);
    free(json);
}
