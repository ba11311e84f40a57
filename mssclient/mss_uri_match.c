/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Comparing signature profile URIs the way TS 102 204's SignatureProfileComparison
 * asks (exact / minimum / better). The rules are documented with the API in mss/uri.h;
 * the parser has already lower-cased every element.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <mss/mss.h>

/* A named element: NULL (any) on either side matches. */
static int element_matches(const char *requested, const char *offered)
{
    if (requested == NULL || offered == NULL)
        return 1;
    return strcmp(requested, offered) == 0;
}

static int same_optional_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcasecmp(a, b) == 0;
}

/* Query or fragment: exact needs both the same; otherwise absent asks for nothing. */
static int tail_matches(const char *requested, const char *offered, mss_uri_comparison how)
{
    if (how != MSS_URI_EXACT && requested == NULL)
        return 1;
    return same_optional_text(requested, offered);
}

static int loa_matches(const mss_profile_uri *r, const mss_profile_uri *o, mss_uri_comparison how)
{
    if (r->loa == 0 || o->loa == 0)
        return 1;
    switch (how) {
    case MSS_URI_EXACT:
        return o->loa == r->loa && same_optional_text(r->loa_ext, o->loa_ext);
    case MSS_URI_MINIMUM:
        if (o->loa != r->loa)
            return o->loa > r->loa;
        return r->loa_ext == NULL || same_optional_text(r->loa_ext, o->loa_ext);
    case MSS_URI_BETTER:
        return o->loa > r->loa;
    }
    return 0;
}

int mss_uri_matches(const mss_profile_uri *requested, const mss_profile_uri *offered,
                    mss_uri_comparison how)
{
    if (requested == NULL || offered == NULL)
        return 0;
    if (how != MSS_URI_EXACT && how != MSS_URI_MINIMUM && how != MSS_URI_BETTER)
        return 0;
    if (requested->is_opaque || offered->is_opaque) {
        /* No elements known: only the very same legacy text, and never "better". */
        return how != MSS_URI_BETTER && requested->is_opaque && offered->is_opaque &&
               requested->original && offered->original &&
               strcmp(requested->original, offered->original) == 0;
    }
    return element_matches(requested->brand, offered->brand) &&
           element_matches(requested->operation, offered->operation) &&
           element_matches(requested->sscd, offered->sscd) &&
           loa_matches(requested, offered, how) &&
           tail_matches(requested->query, offered->query, how) &&
           tail_matches(requested->fragment, offered->fragment, how);
}
