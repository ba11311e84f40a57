/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of mss: signature profile URIs: parsing the IANA examples and the
 * smallest profiles, canonical printing and round trips, the legacy http:// map,
 * the exact / minimum / better comparisons, and rejection of malformed text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mss/mss.h>

/* ------------------------------------------------------------------ helpers */

static void assert_str_eq_opt(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static mss_profile_uri parse_ok(const char *text)
{
    mss_profile_uri u;
    mss_detail why;
    memset(&u, 0, sizeof u);
    mss_error rc = mss_uri_parse(text, &u, &why);
    if (rc != MSS_OK)
        fail_msg("'%s' rejected: %s", text, why.text);
    assert_non_null(u.original);
    assert_string_equal(u.original, text);
    return u;
}

static void assert_elements(const mss_profile_uri *u, const char *brand, const char *op, int loa,
                            const char *ext, const char *sscd, const char *query, const char *frag)
{
    assert_str_eq_opt(u->brand, brand);
    assert_str_eq_opt(u->operation, op);
    assert_int_equal(u->loa, loa);
    assert_str_eq_opt(u->loa_ext, ext);
    assert_str_eq_opt(u->sscd, sscd);
    assert_str_eq_opt(u->query, query);
    assert_str_eq_opt(u->fragment, frag);
}

static void assert_same_profile(const mss_profile_uri *a, const mss_profile_uri *b)
{
    assert_int_equal(a->is_opaque, b->is_opaque);
    assert_elements(a, b->brand, b->operation, b->loa, b->loa_ext, b->sscd, b->query, b->fragment);
}

static void assert_formats_as(const char *text, const char *canonical)
{
    mss_profile_uri u = parse_ok(text);
    char *s = mss_uri_format(&u);
    assert_non_null(s);
    assert_string_equal(s, canonical);
    free(s);
    mss_uri_clear(&u);
}

/* Parse both texts and compare them; returns mss_uri_matches(requested, offered, how). */
static int match(const char *requested, const char *offered, mss_uri_comparison how)
{
    mss_profile_uri r = parse_ok(requested);
    mss_profile_uri o = parse_ok(offered);
    int m = mss_uri_matches(&r, &o, how);
    mss_uri_clear(&r);
    mss_uri_clear(&o);
    return m;
}

/* ------------------------------------------------------------------ parsing */

static void test_iana_examples_parse(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss:ficom.fi:authn:loa4:UICC");
    assert_int_equal(u.is_legacy, 0);
    assert_int_equal(u.is_opaque, 0);
    assert_elements(&u, "ficom.fi", "authn", 4, NULL, "sim", NULL, NULL);
    mss_uri_clear(&u);

    u = parse_ok("mss:ficom.fi:authn:loa4:UICC#rsa&2048");
    assert_elements(&u, "ficom.fi", "authn", 4, NULL, "sim", NULL, "rsa&2048");
    mss_uri_clear(&u);

    u = parse_ok("mss:ficom.fi:consent:loa4:any");
    assert_elements(&u, "ficom.fi", "consent", 4, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
}

static void test_smallest_profiles_parse(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss::authn:loa2");
    assert_elements(&u, NULL, "authn", 2, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
    u = parse_ok("mss::authn:loa3");
    assert_elements(&u, NULL, "authn", 3, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
    u = parse_ok("mss::sign:loa3");
    assert_elements(&u, NULL, "sign", 3, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
    /* Everything left out: any profile at all. */
    u = parse_ok("mss:");
    assert_elements(&u, NULL, NULL, 0, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
}

static void test_case_is_folded(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("MSS:FiCom.FI:AUTHN:LoA3.EIDAS.High:Sim");
    assert_elements(&u, "ficom.fi", "authn", 3, "eidas.high", "sim", NULL, NULL);
    mss_uri_clear(&u);
    u = parse_ok("mss:ficom.fi:Sign:ANY:uicc");
    assert_elements(&u, "ficom.fi", "sign", 0, NULL, "sim", NULL, NULL);
    mss_uri_clear(&u);
}

static void test_all_registered_vocabulary(void **state)
{
    (void)state;
    static const char *const ops[] = { "sign", "authn", "encrypt", "pop", "popo",
                                       "consent", "anonymous", "digest" };
    static const char *const sscds[] = { "sim", "app", "se", "server" };
    char text[64];
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        for (size_t k = 0; k < sizeof sscds / sizeof sscds[0]; k++) {
            snprintf(text, sizeof text, "mss:b:%s:loa%zu:%s", ops[i], 2 + (i + k) % 3, sscds[k]);
            mss_profile_uri u = parse_ok(text);
            assert_elements(&u, "b", ops[i], (int)(2 + (i + k) % 3), NULL, sscds[k], NULL, NULL);
            mss_uri_clear(&u);
        }
    }
}

static void test_unknown_operation_and_sscd_kept_as_tokens(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss:acme:TimeStamp:loa3:hsm-2");
    assert_elements(&u, "acme", "timestamp", 3, NULL, "hsm-2", NULL, NULL);
    mss_uri_clear(&u);
}

static void test_loa_extensions(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss:acme:sign:loa4.qes");
    assert_elements(&u, "acme", "sign", 4, "qes", NULL, NULL, NULL);
    mss_uri_clear(&u);
    u = parse_ok("mss:acme:sign:loa2.a_b.c-d.e~f:app");
    assert_elements(&u, "acme", "sign", 2, "a_b.c-d.e~f", "app", NULL, NULL);
    mss_uri_clear(&u);
}

static void test_percent_encoded_brand_is_decoded(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss:Caf%C3%A9%20Mobile:authn:loa3");
    assert_elements(&u, "caf\xc3\xa9 mobile", "authn", 3, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
    /* A ':' inside the brand is data, not a separator. */
    u = parse_ok("mss:a%3ab:sign");
    assert_elements(&u, "a:b", "sign", 0, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
    /* Sub-delimiters are allowed raw and mean the same as their escapes. */
    u = parse_ok("mss:at&t:sign");
    assert_string_equal(u.brand, "at&t");
    mss_uri_clear(&u);
    /* An encoded `any` is still the wildcard once decoded. */
    u = parse_ok("mss:%61NY:sign");
    assert_null(u.brand);
    mss_uri_clear(&u);
}

static void test_query_and_fragment(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss:ficom.fi:sign:loa4:sim?ECC=true&AlgECC=NIST-256");
    assert_elements(&u, "ficom.fi", "sign", 4, NULL, "sim", "ECC=true&AlgECC=NIST-256", NULL);
    mss_uri_clear(&u);
    u = parse_ok("mss:ficom.fi:sign?x=1/2?#rsa&2048");
    assert_elements(&u, "ficom.fi", "sign", 0, NULL, NULL, "x=1/2?", "rsa&2048");
    mss_uri_clear(&u);
    /* The fragment may hold ':' and '?', which do not split it. */
    u = parse_ok("mss:b:sign:loa3#a:b?c");
    assert_elements(&u, "b", "sign", 3, NULL, NULL, NULL, "a:b?c");
    mss_uri_clear(&u);
    /* Empty ones are the same as none. */
    u = parse_ok("mss:b:sign?#");
    assert_elements(&u, "b", "sign", 0, NULL, NULL, NULL, NULL);
    mss_uri_clear(&u);
}

/* ------------------------------------------------------------------ printing */

static void test_format_canonical(void **state)
{
    (void)state;
    assert_formats_as("mss:ficom.fi:authn:loa4:UICC", "mss:ficom.fi:authn:loa4:sim");
    assert_formats_as("mss:ficom.fi:authn:loa4:UICC#rsa&2048", "mss:ficom.fi:authn:loa4:sim#rsa&2048");
    assert_formats_as("mss:ficom.fi:consent:loa4:any", "mss:ficom.fi:consent:loa4");
    assert_formats_as("mss::authn:loa2", "mss::authn:loa2");
    assert_formats_as("MSS:ANY:AUTHN:LOA2:ANY", "mss::authn:loa2");
    assert_formats_as("mss:ficom.fi:any:any:any", "mss:ficom.fi");
    assert_formats_as("mss:any:any:any:any", "mss:");
    assert_formats_as("mss:acme:any:loa3", "mss:acme:any:loa3");
    assert_formats_as("mss:acme:any:any:app", "mss:acme:any:any:app");
    assert_formats_as("mss:acme:sign:LOA3.Eidas", "mss:acme:sign:loa3.eidas");
    assert_formats_as("mss:Caf%c3%a9%20Mobile:authn", "mss:caf%C3%A9%20mobile:authn");
    assert_formats_as("mss:at&t:sign", "mss:at&t:sign");
    assert_formats_as("mss:at%26t%40x:sign", "mss:at&t@x:sign");
    assert_formats_as("mss:%41%3a%2F", "mss:a%3A%2F");
    assert_formats_as("mss:b:any?q=1", "mss:b?q=1");
}

static void test_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "mss:ficom.fi:authn:loa4:UICC",
        "mss:ficom.fi:authn:loa4:UICC#rsa&2048",
        "mss:ficom.fi:consent:loa4:any",
        "mss::authn:loa2",
        "mss:",
        "mss:%3A%23%25%3F:sign:loa3",
        "mss:caf%C3%A9:any:loa2.x.y:server?ECC=true&AlgECC=NIST-256#v1",
        "mss:any:any:any:se",
        "http://mss.ficom.fi/TS102206/v1.0.0/consent-profile.xml",
        "http://alauda.mobi/nonRepudiation",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        mss_profile_uri a = parse_ok(texts[i]);
        char *s1 = mss_uri_format(&a);
        assert_non_null(s1);
        mss_profile_uri b = parse_ok(s1);
        assert_same_profile(&a, &b);
        assert_int_equal(mss_uri_matches(&a, &b, MSS_URI_EXACT), 1);
        char *s2 = mss_uri_format(&b);
        assert_non_null(s2);
        assert_string_equal(s1, s2);
        free(s1);
        free(s2);
        mss_uri_clear(&a);
        mss_uri_clear(&b);
    }
}

static void test_format_refuses_what_cannot_parse_back(void **state)
{
    (void)state;
    assert_null(mss_uri_format(NULL));
    mss_profile_uri u;
    memset(&u, 0, sizeof u);
    u.operation = (char *)"si:gn";
    assert_null(mss_uri_format(&u));
    u.operation = (char *)"sign";
    u.loa = 5;
    assert_null(mss_uri_format(&u));
    u.loa = 3;
    u.loa_ext = (char *)"";
    assert_null(mss_uri_format(&u));
    u.loa_ext = (char *)"a..b";
    assert_null(mss_uri_format(&u));
    u.loa_ext = NULL;
    u.fragment = (char *)"a#b";
    assert_null(mss_uri_format(&u));
    u.fragment = (char *)"a b";
    assert_null(mss_uri_format(&u));
    u.fragment = (char *)"ab";
    char *s = mss_uri_format(&u);
    assert_non_null(s);
    assert_string_equal(s, "mss::sign:loa3#ab");
    free(s);
}

/* ------------------------------------------------------------------ legacy */

static void test_legacy_map_every_listed_uri(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        { "http://mss.ficom.fi/TS102206/v1.0.0/authentication-profile.xml", "mss:ficom.fi:authn:loa4:sim" },
        { "http://mss.ficom.fi/TS102206/v1.0.0/signature-profile.xml", "mss:ficom.fi:sign:loa4:sim" },
        { "http://mss.ficom.fi/TS102206/v1.0.0/digestive-signature-profile.xml", "mss:ficom.fi:digest:loa4:sim" },
        { "http://mss.ficom.fi/TS102206/v1.0.0/consent-profile.xml", "mss:ficom.fi:consent:loa4:sim" },
        { "http://mss.ficom.fi/TS102206/v1.0.0/anonymous-profile.xml", "mss:ficom.fi:anonymous:loa4:sim" },
        { "http://www.swisscom.ch/mid/v1/AuthenticationProfile", "mss:mid.ch:authn:loa4:sim#v1" },
        { "http://uri.gsma.com/mobileconnect/LoA2", "mss:mobileconnect:authn:loa2:sim" },
        { "http://uri.gsma.com/mobileconnect/LoA3", "mss:mobileconnect:authn:loa3:sim" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *m = mss_uri_legacy_map(pairs[i][0]);
        assert_non_null(m);
        assert_string_equal(m, pairs[i][1]);

        /* Parsing the legacy text gives the elements of its equivalent. */
        mss_profile_uri legacy = parse_ok(pairs[i][0]);
        mss_profile_uri modern = parse_ok(pairs[i][1]);
        assert_int_equal(legacy.is_legacy, 1);
        assert_int_equal(legacy.is_opaque, 0);
        assert_same_profile(&legacy, &modern);
        assert_int_equal(mss_uri_matches(&legacy, &modern, MSS_URI_EXACT), 1);
        char *s = mss_uri_format(&legacy);
        assert_non_null(s);
        assert_string_equal(s, pairs[i][1]);
        free(s);
        mss_uri_clear(&legacy);
        mss_uri_clear(&modern);
    }
}

static void test_legacy_map_misses(void **state)
{
    (void)state;
    assert_null(mss_uri_legacy_map(NULL));
    assert_null(mss_uri_legacy_map(""));
    assert_null(mss_uri_legacy_map("http://alauda.mobi/digitalSignature"));
    assert_null(mss_uri_legacy_map("http://mss.ficom.fi/TS102206/v1.0.0/operauth-profile.xml"));
    /* Whole-string match only, not a prefix. */
    assert_null(mss_uri_legacy_map("http://mss.ficom.fi/TS102206/v1.0.0/signature-profile.xml/x"));
    assert_null(mss_uri_legacy_map("http://uri.gsma.com/mobileconnect/LoA"));
    /* ASCII case is ignored. */
    const char *m = mss_uri_legacy_map("HTTP://URI.GSMA.COM/MOBILECONNECT/loa3");
    assert_non_null(m);
    assert_string_equal(m, "mss:mobileconnect:authn:loa3:sim");
}

static void test_unknown_legacy_stays_opaque(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("http://alauda.mobi/digitalSignature");
    assert_int_equal(u.is_legacy, 1);
    assert_int_equal(u.is_opaque, 1);
    assert_elements(&u, NULL, NULL, 0, NULL, NULL, NULL, NULL);
    char *s = mss_uri_format(&u);
    assert_non_null(s);
    assert_string_equal(s, "http://alauda.mobi/digitalSignature");
    free(s);
    mss_uri_clear(&u);
    u = parse_ok("URN:oid:1.2.3");
    assert_int_equal(u.is_opaque, 1);
    mss_uri_clear(&u);
}

/* ------------------------------------------------------------------ comparisons */

static void test_exact(void **state)
{
    (void)state;
    assert_true(match("mss:ficom.fi:authn:loa4:sim", "MSS:FICOM.FI:Authn:LoA4:UICC", MSS_URI_EXACT));
    assert_true(match("mss:%66icom.fi:authn", "mss:ficom.fi:authn", MSS_URI_EXACT));
    assert_false(match("mss:ficom.fi:authn:loa4:sim", "mss:ficom.fi:sign:loa4:sim", MSS_URI_EXACT));
    assert_false(match("mss:ficom.fi:authn:loa4:sim", "mss:other.fi:authn:loa4:sim", MSS_URI_EXACT));
    assert_false(match("mss:ficom.fi:authn:loa4:sim", "mss:ficom.fi:authn:loa4:app", MSS_URI_EXACT));
    assert_false(match("mss:ficom.fi:authn:loa3:sim", "mss:ficom.fi:authn:loa4:sim", MSS_URI_EXACT));
    assert_false(match("mss:ficom.fi:authn:loa4:sim", "mss:ficom.fi:authn:loa3:sim", MSS_URI_EXACT));
    /* LoA extensions are part of the level. */
    assert_true(match("mss:b:sign:loa3.x", "mss:b:sign:LOA3.X", MSS_URI_EXACT));
    assert_false(match("mss:b:sign:loa3.x", "mss:b:sign:loa3", MSS_URI_EXACT));
    assert_false(match("mss:b:sign:loa3", "mss:b:sign:loa3.x", MSS_URI_EXACT));
    /* Fragments and queries: exact needs the same text (ASCII case ignored). */
    assert_true(match("mss:b:sign#rsa&2048", "mss:b:sign#RSA&2048", MSS_URI_EXACT));
    assert_false(match("mss:b:sign", "mss:b:sign#rsa&2048", MSS_URI_EXACT));
    assert_false(match("mss:b:sign#rsa&2048", "mss:b:sign", MSS_URI_EXACT));
    assert_false(match("mss:b:sign?ECC=true", "mss:b:sign", MSS_URI_EXACT));
}

static void test_any_matches_anything(void **state)
{
    (void)state;
    static const mss_uri_comparison modes[] = { MSS_URI_EXACT, MSS_URI_MINIMUM, MSS_URI_BETTER };
    for (size_t i = 0; i < 3; i++) {
        mss_uri_comparison how = modes[i];
        /* Requested any: no requirement. */
        assert_true(match("mss::authn", "mss:ficom.fi:authn:loa4:sim", how));
        assert_true(match("mss:ficom.fi:any:any:sim", "mss:ficom.fi:consent:loa3:sim", how));
        assert_true(match("mss:ficom.fi:consent:any", "mss:ficom.fi:consent:loa2:app", how));
        /* Offered any: the MSSP serves every value. */
        assert_true(match("mss:ficom.fi:consent:loa4:sim", "mss:ficom.fi:consent:any:any", how));
        assert_true(match("mss:ficom.fi:consent:loa4:sim", "mss::consent", how));
        assert_true(match("mss:ficom.fi:consent:loa3:sim", "mss:ficom.fi:consent:loa4:any",
                          how == MSS_URI_EXACT ? MSS_URI_MINIMUM : how));
        /* any does not excuse a mismatch in another element. */
        assert_false(match("mss::authn:any:sim", "mss:ficom.fi:sign:loa4:sim", how));
        assert_false(match("mss:ficom.fi:authn", "mss:mid.ch:authn:loa4:sim", how));
    }
}

static void test_minimum(void **state)
{
    (void)state;
    assert_true(match("mss::authn:loa3", "mss:ficom.fi:authn:loa4:sim", MSS_URI_MINIMUM));
    assert_true(match("mss::authn:loa3", "mss:ficom.fi:authn:loa3:sim", MSS_URI_MINIMUM));
    assert_false(match("mss::authn:loa4", "mss:ficom.fi:authn:loa3:sim", MSS_URI_MINIMUM));
    assert_false(match("mss::authn:loa3", "mss:ficom.fi:authn:loa2:sim", MSS_URI_MINIMUM));
    assert_false(match("mss::authn:loa3", "mss:ficom.fi:sign:loa4:sim", MSS_URI_MINIMUM));
    /* Extensions: a higher level dominates; at the same level they must be offered. */
    assert_true(match("mss:b:sign:loa3.x", "mss:b:sign:loa4", MSS_URI_MINIMUM));
    assert_true(match("mss:b:sign:loa3", "mss:b:sign:loa3.x", MSS_URI_MINIMUM));
    assert_true(match("mss:b:sign:loa3.x", "mss:b:sign:loa3.X", MSS_URI_MINIMUM));
    assert_false(match("mss:b:sign:loa3.x", "mss:b:sign:loa3", MSS_URI_MINIMUM));
    assert_false(match("mss:b:sign:loa3.x", "mss:b:sign:loa3.y", MSS_URI_MINIMUM));
    /* Fragments: none requested asks for nothing; a requested one must be offered. */
    assert_true(match("mss:b:sign:loa3", "mss:b:sign:loa3#rsa&2048", MSS_URI_MINIMUM));
    assert_false(match("mss:b:sign:loa3#rsa&2048", "mss:b:sign:loa3", MSS_URI_MINIMUM));
    assert_false(match("mss:b:sign:loa3#rsa&2048", "mss:b:sign:loa4#rsa&4096", MSS_URI_MINIMUM));
    assert_true(match("mss:b:sign:loa3?ECC=true", "mss:b:sign:loa4?ecc=TRUE", MSS_URI_MINIMUM));
}

static void test_better(void **state)
{
    (void)state;
    assert_true(match("mss::authn:loa3", "mss:ficom.fi:authn:loa4:sim", MSS_URI_BETTER));
    assert_true(match("mss::authn:loa2", "mss:ficom.fi:authn:loa3", MSS_URI_BETTER));
    assert_false(match("mss::authn:loa3", "mss:ficom.fi:authn:loa3:sim", MSS_URI_BETTER));
    assert_false(match("mss::authn:loa4", "mss:ficom.fi:authn:loa3:sim", MSS_URI_BETTER));
    assert_false(match("mss:b:authn:loa3.x", "mss:b:authn:loa3.x.y", MSS_URI_BETTER));
    assert_false(match("mss:b:authn:loa2", "mss:c:authn:loa4", MSS_URI_BETTER));
    assert_false(match("mss:b:authn:loa2#v1", "mss:b:authn:loa4#v2", MSS_URI_BETTER));
    assert_true(match("mss:b:authn:loa2#v1", "mss:b:authn:loa4#V1", MSS_URI_BETTER));
}

static void test_legacy_comparisons(void **state)
{
    (void)state;
    /* A mapped legacy profile compares by its elements. */
    assert_true(match("http://mss.ficom.fi/TS102206/v1.0.0/authentication-profile.xml",
                      "mss:ficom.fi:authn:loa4:UICC", MSS_URI_EXACT));
    assert_true(match("mss::authn:loa3", "http://uri.gsma.com/mobileconnect/LoA3", MSS_URI_MINIMUM));
    assert_false(match("mss::authn:loa3", "http://uri.gsma.com/mobileconnect/LoA2", MSS_URI_MINIMUM));
    assert_true(match("http://uri.gsma.com/mobileconnect/LoA2", "http://uri.gsma.com/mobileconnect/LoA3",
                      MSS_URI_BETTER));
    /* An opaque one only matches its own text, never as "better". */
    const char *op = "http://alauda.mobi/nonRepudiation";
    assert_true(match(op, op, MSS_URI_EXACT));
    assert_true(match(op, op, MSS_URI_MINIMUM));
    assert_false(match(op, op, MSS_URI_BETTER));
    assert_false(match(op, "http://alauda.mobi/nonrepudiation", MSS_URI_EXACT));
    assert_false(match(op, "http://alauda.mobi/digitalSignature", MSS_URI_MINIMUM));
    assert_false(match(op, "mss:", MSS_URI_MINIMUM));
    assert_false(match("mss:", op, MSS_URI_MINIMUM));
}

static void test_matches_bad_arguments(void **state)
{
    (void)state;
    mss_profile_uri u = parse_ok("mss::authn:loa2");
    assert_false(mss_uri_matches(NULL, &u, MSS_URI_EXACT));
    assert_false(mss_uri_matches(&u, NULL, MSS_URI_EXACT));
    assert_true(mss_uri_matches(&u, &u, MSS_URI_EXACT));
    assert_false(mss_uri_matches(&u, &u, (mss_uri_comparison)42));
    mss_uri_clear(&u);
}

/* ------------------------------------------------------------------ rejects */

static void assert_rejected(const char *text)
{
    mss_profile_uri u;
    mss_detail why = {.text = ""};
    /* A sentinel shows that a rejected parse writes nothing. */
    memset(&u, 0, sizeof u);
    u.loa = 77;
    mss_error rc = mss_uri_parse(text, &u, &why);
    if (rc != MSS_ERR_ARGS)
        fail_msg("'%s' gave %d, expected MSS_ERR_ARGS", text ? text : "(null)", (int)rc);
    assert_int_equal(u.loa, 77);
    assert_null(u.original);
    assert_true(strlen(why.text) > 0);
}

static void test_rejects_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "ficom.fi:authn:loa4",             /* a forgotten mss: */
        "mss",                             /* no scheme at all */
        "1mss:ficom.fi",                   /* scheme must start with a letter */
        "ftp://example.org/profile",       /* neither mss: nor a legacy scheme */
        "mss:ficom.fi:authn:loa4:sim:x",   /* too many elements */
        "mss:a:b:loa3:d:e:f:g",
        "mss:ficom.fi:authn:loa9",         /* bad LoAs */
        "mss:ficom.fi:authn:loaX",
        "mss:ficom.fi:authn:loa1",
        "mss:ficom.fi:authn:loa",
        "mss:ficom.fi:authn:loa33",
        "mss:ficom.fi:authn:3",
        "mss:ficom.fi:authn:loa3.",
        "mss:ficom.fi:authn:loa3..x",
        "mss:ficom.fi:authn:loa3.a%20b",
        "mss:ficom.fi:authn:loa3.a!b",
        "mss:ficom.fi::loa3",              /* empty operation / SSCD */
        "mss:ficom.fi:authn:loa3:",
        "mss:ficom.fi:au%74hn",            /* escapes only in the brand */
        "mss:ficom.fi:authn:loa3:s/m",
        "mss:ab%zz:sign",                  /* bad escapes */
        "mss:ab%4",
        "mss:ab%",
        "mss:a%0Ab:sign",                  /* brand decoding to control characters */
        "mss:a%00b:sign",
        "mss:a%7Fb",
        "mss:%C3:sign",                    /* brand decoding to bad UTF-8 */
        "mss:%C0%AF:sign",
        "mss:%ED%A0%80",
        "mss:a/b:sign",                    /* raw characters outside the element set */
        "mss:a[b]:sign",
        "mss:x#a#b",                       /* fragment and query character sets */
        "mss:x#a[b",
        "mss:x?a\"b",
        "mss:x#50%",
        "mss:ficom.fi:authn loa3",         /* spaces, controls, non-ASCII */
        "mss:ficom.fi:authn\t",
        "mss:ficom.fi\n",
        "mss:caf\xc3\xa9",
        "http://example.org/a b",
        "http://example.org/\x7f",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_rejected(bad[i]);
    assert_rejected(NULL);
    assert_int_equal(mss_uri_parse("mss:", NULL, NULL), MSS_ERR_ARGS);
}

static void test_length_limit(void **state)
{
    (void)state;
    char text[MSS_URI_MAX + 2];
    memcpy(text, "mss:", 4);
    memset(text + 4, 'a', sizeof text - 4);
    text[MSS_URI_MAX] = '\0'; /* exactly MSS_URI_MAX bytes */
    mss_profile_uri u = parse_ok(text);
    assert_int_equal(strlen(u.brand), MSS_URI_MAX - 4);
    mss_uri_clear(&u);
    /* The canonical form of a longest text is never longer: it parses again. */
    memset(text + 4, '&', MSS_URI_MAX - 4);
    u = parse_ok(text);
    char *canon = mss_uri_format(&u);
    assert_non_null(canon);
    assert_true(strlen(canon) <= MSS_URI_MAX);
    mss_profile_uri again = parse_ok(canon);
    assert_string_equal(again.brand, u.brand);
    mss_uri_clear(&again);
    mss_uri_clear(&u);
    free(canon);
    text[MSS_URI_MAX] = 'a';
    text[MSS_URI_MAX + 1] = '\0'; /* one byte more */
    assert_rejected(text);
}

static void test_clear_is_safe(void **state)
{
    (void)state;
    mss_uri_clear(NULL);
    mss_profile_uri u;
    memset(&u, 0, sizeof u);
    mss_uri_clear(&u);
    u = parse_ok("mss:b:sign:loa3.x:sim?q#f");
    mss_uri_clear(&u);
    assert_null(u.original);
    assert_null(u.brand);
    assert_int_equal(u.loa, 0);
    mss_uri_clear(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iana_examples_parse),
        cmocka_unit_test(test_smallest_profiles_parse),
        cmocka_unit_test(test_case_is_folded),
        cmocka_unit_test(test_all_registered_vocabulary),
        cmocka_unit_test(test_unknown_operation_and_sscd_kept_as_tokens),
        cmocka_unit_test(test_loa_extensions),
        cmocka_unit_test(test_percent_encoded_brand_is_decoded),
        cmocka_unit_test(test_query_and_fragment),
        cmocka_unit_test(test_format_canonical),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_format_refuses_what_cannot_parse_back),
        cmocka_unit_test(test_legacy_map_every_listed_uri),
        cmocka_unit_test(test_legacy_map_misses),
        cmocka_unit_test(test_unknown_legacy_stays_opaque),
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_any_matches_anything),
        cmocka_unit_test(test_minimum),
        cmocka_unit_test(test_better),
        cmocka_unit_test(test_legacy_comparisons),
        cmocka_unit_test(test_matches_bad_arguments),
        cmocka_unit_test(test_rejects_malformed),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_clear_is_safe),
    };
    return cmocka_run_group_tests_name("mss_uri", tests, NULL, NULL);
}
