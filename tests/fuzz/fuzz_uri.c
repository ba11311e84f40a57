/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for mss: signature profile URIs (mss_uri_parse and friends).
 *
 * For every input (as a NUL-terminated string):
 *   1. mss_uri_parse must not crash or leak; a rejection leaves the struct untouched.
 *   2. When it accepts, the canonical text (mss_uri_format) must parse again to a
 *      profile that matches the first one exactly both ways, and print the same.
 *   3. mss_uri_matches must be reflexive for EXACT and MINIMUM, never claim that a
 *      profile with a LoA is better than itself, and EXACT must imply MINIMUM.
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_uri) with clang -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *text)
{
    fprintf(stderr, "fuzz_uri: %s: '%s'\n", what, text ? text : "(null)");
    abort();
}

static void check_comparisons(const mss_profile_uri *a, const mss_profile_uri *b, const char *text)
{
    if (!mss_uri_matches(a, a, MSS_URI_EXACT) || !mss_uri_matches(a, a, MSS_URI_MINIMUM))
        broken("a profile does not match itself", text);
    /* With a level on both sides BETTER is strict (an `any` level is a wildcard). */
    if (a->loa != 0 && mss_uri_matches(a, a, MSS_URI_BETTER))
        broken("a profile is better than itself", text);
    if (!mss_uri_matches(a, b, MSS_URI_EXACT) || !mss_uri_matches(b, a, MSS_URI_EXACT))
        broken("the canonical form does not match its source exactly", text);
    if (mss_uri_matches(a, b, MSS_URI_EXACT) && !mss_uri_matches(a, b, MSS_URI_MINIMUM))
        broken("an exact match is not a minimum match", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * MSS_URI_MAX)
        return 0; /* longer texts are all rejected by length; nothing to learn */
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    mss_profile_uri a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.loa = 77; /* sentinel: a rejection must not touch the struct */
    mss_error rc = mss_uri_parse(text, &a, NULL);
    if (rc != MSS_OK) {
        if (a.loa != 77 || a.original != NULL)
            broken("a rejected parse wrote into the struct", text);
        free(text);
        return 0;
    }
    char *canon = mss_uri_format(&a);
    if (canon == NULL)
        broken("a parsed profile cannot be printed", text);
    if (mss_uri_parse(canon, &b, NULL) != MSS_OK)
        broken("the canonical form does not parse", canon);
    char *again = mss_uri_format(&b);
    if (again == NULL || strcmp(canon, again) != 0)
        broken("printing is not stable", canon);
    check_comparisons(&a, &b, text);

    free(again);
    free(canon);
    mss_uri_clear(&a);
    mss_uri_clear(&b);
    free(text);
    return 0;
}
