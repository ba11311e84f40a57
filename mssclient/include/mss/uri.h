/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — signature profile URIs: the `mss:` scheme and the legacy http ones.
 *
 * The IANA provisional scheme mss:<Brand>:<Operation>:<LoA>:<SSCD>[?query][#fragment]
 * (docs/protocol-profile.md). Rules this parser applies:
 *
 *   - The scheme and every element are case-insensitive; the parsed form is lower case.
 *   - Brand is percent-decoded (it must then be UTF-8 without control characters). An
 *     empty brand (mss::authn:loa2) and the literal `any` both mean any brand; no other
 *     element may be empty.
 *   - Operation: sign, authn, encrypt, pop, popo, consent, anonymous, digest are the
 *     registered ones; any other token of [a-z0-9._~-] is kept as an opaque operation
 *     (the registry's list is open) and compared by name only.
 *   - LoA: loa2 < loa3 < loa4, optionally followed by `.ext` extensions (tokens of
 *     [a-z0-9_~-]); anything else (loa1, loa9, loaX, loa3.) is rejected.
 *   - SSCD: sim, app, se, server; `UICC` is read as `sim`; other tokens are kept opaque.
 *   - Any element may be `any`; trailing `any` elements may be left out. At most the
 *     four elements; no raw bytes outside the URI character set, no control
 *     characters or spaces, at most MSS_URI_MAX bytes.
 *   - Query and fragment (algorithm hints such as `#rsa&2048`) are kept verbatim.
 *   - A text in the http, https or urn scheme is a legacy profile (other schemes are
 *     rejected: "ficom.fi:authn" is a forgotten "mss:", not a URI): is_legacy is set;
 *     when mss_uri_legacy_map() knows its mss: equivalent the elements are filled from
 *     that, otherwise is_opaque is set and only `original` is meaningful.
 */
#ifndef MSS_URI_H
#define MSS_URI_H

#include <mss/api.h>
#include <mss/errors.h>

MSS_BEGIN_DECLS

#define MSS_URI_MAX 512     /* longest profile URI accepted, in bytes */

typedef struct mss_profile_uri {
    char *original;         /* the text as given */
    int is_legacy;          /* 1: not an mss: URI */
    int is_opaque;          /* 1: legacy without a known mss: equivalent */
    char *brand;            /* percent-decoded, ASCII lower case; NULL: any */
    char *operation;        /* lower case; NULL: any */
    int loa;                /* 2, 3 or 4; 0: any */
    char *loa_ext;          /* extensions after the level, e.g. "eidas.high"; NULL: none */
    char *sscd;             /* lower case, UICC given as "sim"; NULL: any */
    char *query;            /* after '?', verbatim; NULL: none */
    char *fragment;         /* after '#', verbatim; NULL: none */
} mss_profile_uri;

/* Parse text into *out (which must not hold anything: zero it or clear it first).
 * MSS_ERR_ARGS for malformed text, with the reason in detail->text; MSS_ERR_NOMEM.
 * *out is untouched on failure. */
MSS_API mss_error mss_uri_parse(const char *text, mss_profile_uri *out, mss_detail *detail);

/* Free what a parsed URI holds and zero it; safe on a zeroed struct. */
MSS_API void mss_uri_clear(mss_profile_uri *uri);

/* The canonical text: lower case, brand bytes percent-encoded (upper-case hex) only
 * where they may not stand raw (not A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = @),
 * an any brand printed empty, interior `any` printed, trailing `any`
 * left out, then ?query and #fragment. A known legacy URI prints as its mss:
 * equivalent, an opaque one as its original. malloc'd (free()); NULL on a bad
 * argument, a hand-filled struct the parser could not have produced, or allocation
 * failure. The result is never longer than the parsed text and parses again to an
 * equal profile. */
MSS_API char *mss_uri_format(const mss_profile_uri *uri);

/* The mss: equivalent of a known legacy profile URI (the FiCom TS 102 206 profiles,
 * Swisscom's AuthenticationProfile, Mobile Connect LoA2/LoA3; ASCII case is ignored),
 * or NULL. The string is constant: do not free it. */
MSS_API const char *mss_uri_legacy_map(const char *legacy_uri);

typedef enum mss_uri_comparison {
    MSS_URI_EXACT,          /* the same profile */
    MSS_URI_MINIMUM,        /* offered is at least as good as requested */
    MSS_URI_BETTER          /* offered is strictly better than requested */
} mss_uri_comparison;

/*
 * Does the offered profile satisfy the requested one under the given comparison
 * (the SignatureProfileComparison of TS 102 204)? Returns 1 or 0 (0 for NULLs).
 *
 *   - Brand, operation and SSCD must be equal in every mode.
 *   - `any` on either side matches that element in every mode: on the requested side
 *     it means "no requirement", on the offered side the MSSP serves every value.
 *   - LoA: EXACT needs the same level and the same extensions; MINIMUM needs a higher
 *     level, or the same level with the same extensions when any were requested;
 *     BETTER needs a strictly higher level (an `any` level still matches).
 *   - Query and fragment: EXACT needs them equal (both absent or the same text,
 *     ASCII case ignored); MINIMUM and BETTER treat an absent requested one as no
 *     requirement and otherwise need the offered one equal.
 *   - An opaque legacy URI has no elements to compare: it matches only the same text
 *     (byte for byte, as URI paths are case-sensitive) in EXACT and MINIMUM, and
 *     nothing in BETTER.
 */
MSS_API int mss_uri_matches(const mss_profile_uri *requested, const mss_profile_uri *offered,
                    mss_uri_comparison how);

MSS_END_DECLS

#endif /* MSS_URI_H */
