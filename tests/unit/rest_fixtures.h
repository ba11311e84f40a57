/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the REST binding's tests (test_codec_rest, test_codec_rest_strict): JSON
 * written in C with ' for ", variants of a valid body, and decoding that must succeed or
 * must fail in a stated way (the output message left zeroed, the reason saying WHY).
 * Each fails the running test instead of returning an error.
 */
#ifndef REST_FIXTURES_H
#define REST_FIXTURES_H

#include <stddef.h>

#include <mss/mss.h>

/* The text with each ' turned into ", so that JSON reads in C source; caller frees. */
char *json_of(const char *quoted);
/* BASE (in json_of's quoting) with its first occurrence of FROM replaced by TO, as JSON;
 * caller frees. An empty FROM gives BASE itself. */
char *variant(const char *base, const char *from, const char *to);
int all_zero(const void *p, size_t n);

/* Decoding BODY fails with WANT, leaves the message zeroed and the reason says WHY. */
void expect_refused_n(const char *body, size_t len, mss_error want, const char *why);
void expect_refused(const char *body, mss_error want, const char *why);
void expect_quoted_refused(const char *quoted, mss_error want, const char *why);
void expect_variant_refused(const char *base, const char *from, const char *to, mss_error want,
                            const char *why);

/* Decoding succeeds into *out (the caller clears it). */
void expect_decodes(const char *json, mss_message *out);
void expect_quoted_decodes(const char *quoted, mss_message *out);
void expect_variant_decodes(const char *base, const char *from, const char *to,
                            mss_message *out);

#endif
