/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp.conf with several APs: the single-AP file of 'refmssp init' still loads as
 * the default AP; [ap NAME] sections; the rule that ties a client certificate or
 * HTTP Basic credentials to APs (rm_ap_transport_match); the REST API's HMAC claims
 * (ap_hmac.h) against a MAC computed with openssl; and the refusals of inconsistent
 * files (unbound certificate sections, shared AP_IDs, bad keys).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../refmssp/ap_hmac.h"
#include "../../refmssp/hmac_replay.h"
#include "../../refmssp/rm_conf.h"
#include "hex.h"

#define BASE "listen = 127.0.0.1:9443\nap_id = http://ap.test\nap_pwd = p0\n" \
             "mssp_id = http://mssp.test\n"
#define FP_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define FP_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define FP_OTHER "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define TWO_APS BASE \
    "ap_auth = cert-or-basic\nap_basic_pwd = b0\n" \
    "\n[ap shop]\nap_id = http://shop.test\nap_pwd = p1\n" \
    "cert_fingerprint = SHA256:" "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:" \
    "AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA:AA\nprofiles = mss:a mss:b\n" \
    "[ ap bank ]\nap_id = http://bank.test\nap_pwd = p2\nauth = cert-or-basic\n" \
    "basic_pwd = b2\ncert_subject = CN=bank,O=test\n"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rm-conf-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/refmssp.conf", dir);
    unlink(path);
    return rmdir(dir);
}

/* Write TEXT as the configuration and load it. The rc of rm_conf_load. */
static int load_text(const char *text, rm_conf *conf, char *err, size_t err_len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/refmssp.conf", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    err[0] = '\0';
    return rm_conf_load(path, conf, err, err_len);
}

static void test_single_ap_file_is_the_default_ap(void **state)
{
    (void)state;
    rm_conf conf;
    char err[256];
    assert_int_equal(load_text(BASE, &conf, err, sizeof err), 0);
    assert_int_equal(conf.n_aps, 1);
    assert_string_equal(conf.aps[0].ap_id, "http://ap.test");
    assert_string_equal(rm_ap_basic_user(&conf.aps[0]), "ap");
    assert_true(rm_ap_allows_cert(&conf.aps[0]));
    assert_false(rm_ap_allows_basic(&conf.aps[0]));
    assert_true(rm_ap_profile_allowed(&conf.aps[0], "mss:anything"));
    assert_int_equal(rm_conf_find_ap(&conf, "http://ap.test"), 0);
    assert_int_equal(rm_conf_find_ap(&conf, "http://other.test"), -1);
    /* Unbound, the default AP accepts no certificate at all: a user's client
     * certificate from the same CA must not pass as the AP ('refmssp run' binds it to
     * DIR/ap.pem). */
    rm_ap_peer peer = {.cert_valid = 1, .cert_fingerprint = FP_OTHER};
    assert_int_equal(rm_ap_transport_match(&conf, &peer), 0);
    rm_conf_clear(&conf);
}

static void test_default_ap_is_bound_to_its_certificate(void **state)
{
    (void)state;
    rm_conf conf;
    char err[256];
    assert_int_equal(load_text(BASE "ap_cert_fingerprint = sha256:" FP_B "\n", &conf, err,
                               sizeof err), 0);
    rm_ap_peer ap_cert = {.cert_valid = 1, .cert_fingerprint = FP_B};
    assert_int_equal(rm_ap_transport_match(&conf, &ap_cert), 1);
    rm_ap_peer user_cert = {.cert_valid = 1, .cert_fingerprint = FP_OTHER,
                            .cert_subject = "CN=Demo User,O=refmssp test"};
    assert_int_equal(rm_ap_transport_match(&conf, &user_cert), 0);
    ap_cert.cert_valid = 0;
    assert_int_equal(rm_ap_transport_match(&conf, &ap_cert), 0);
    rm_conf_clear(&conf);
}

static void test_sections(void **state)
{
    (void)state;
    rm_conf conf;
    char err[256];
    assert_int_equal(load_text(TWO_APS, &conf, err, sizeof err), 0);
    assert_int_equal(conf.n_aps, 3);
    assert_string_equal(conf.aps[1].name, "shop");
    assert_string_equal(conf.aps[1].cert_fingerprint, FP_A);   /* normalised */
    assert_string_equal(conf.aps[2].name, "bank");
    assert_string_equal(rm_ap_basic_user(&conf.aps[2]), "bank");
    assert_int_equal(rm_conf_find_ap(&conf, "http://bank.test"), 2);
    assert_true(rm_ap_profile_allowed(&conf.aps[1], "mss:b"));
    assert_false(rm_ap_profile_allowed(&conf.aps[1], "mss:c"));
    assert_false(rm_ap_profile_allowed(&conf.aps[1], "mss:"));
    assert_true(rm_ap_profile_allowed(&conf.aps[2], "mss:c"));
    assert_true(rm_conf_any_basic(&conf));
    rm_conf_clear(&conf);
}

static void test_transport_match(void **state)
{
    (void)state;
    rm_conf conf;
    char err[256];
    assert_int_equal(load_text(TWO_APS, &conf, err, sizeof err), 0);
    /* shop's certificate: shop only, not the unbound default AP. */
    rm_ap_peer peer = {.cert_valid = 1, .cert_fingerprint = FP_A};
    assert_int_equal(rm_ap_transport_match(&conf, &peer), 1u << 1);
    /* by subject: bank only */
    rm_ap_peer by_subject = {.cert_valid = 1, .cert_fingerprint = FP_B,
                             .cert_subject = "CN=bank,O=test"};
    assert_int_equal(rm_ap_transport_match(&conf, &by_subject), 1u << 2);
    /* a certificate bound to no AP: none, not even the (unbound) default AP */
    rm_ap_peer other = {.cert_valid = 1, .cert_fingerprint = FP_OTHER, .cert_subject = "CN=x"};
    assert_int_equal(rm_ap_transport_match(&conf, &other), 0);
    /* a certificate that failed verification counts for nothing */
    peer.cert_valid = 0;
    assert_int_equal(rm_ap_transport_match(&conf, &peer), 0);
    /* HTTP Basic: the AP of that user and password */
    rm_ap_peer basic = {.basic_user = "bank", .basic_pwd = "b2"};
    assert_int_equal(rm_ap_transport_match(&conf, &basic), 1u << 2);
    basic.basic_pwd = "b0";   /* another AP's password */
    assert_int_equal(rm_ap_transport_match(&conf, &basic), 0);
    basic.basic_pwd = "p2";   /* the AP_PWD is not the Basic password */
    assert_int_equal(rm_ap_transport_match(&conf, &basic), 0);
    rm_ap_peer ap_basic = {.basic_user = "ap", .basic_pwd = "b0"};
    assert_int_equal(rm_ap_transport_match(&conf, &ap_basic), 1u << 0);
    ap_basic.basic_pwd = "p0";
    assert_int_equal(rm_ap_transport_match(&conf, &ap_basic), 0);
    /* shop does not allow Basic */
    rm_ap_peer shop_basic = {.basic_user = "shop", .basic_pwd = "p1"};
    assert_int_equal(rm_ap_transport_match(&conf, &shop_basic), 0);
    rm_conf_clear(&conf);
}

static void expect_refused(const char *extra, const char *why)
{
    char text[2048], err[256];
    snprintf(text, sizeof text, "%s%s", BASE, extra);
    rm_conf conf;
    assert_int_equal(load_text(text, &conf, err, sizeof err), -1);
    if (strstr(err, why) == NULL)
        fail_msg("error '%s' does not say '%s'", err, why);
    assert_null(strstr(err, "p1"));   /* never a password in the reason */
    rm_conf conf_zero;
    memset(&conf_zero, 0, sizeof conf_zero);
    assert_memory_equal(&conf, &conf_zero, sizeof conf);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\n", "cert_fingerprint or cert_subject");
    expect_refused("[ap x]\nap_id = http://x\nauth = basic\n", "'ap_pwd' is missing");
    expect_refused("[ap x]\nap_pwd = p1\nauth = basic\n", "'ap_id' is missing");
    expect_refused("[ap x]\nap_id = http://ap.test\nap_pwd = p1\nauth = basic\n", "same ap_id");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\nauth = basic\n"
                   "[ap x]\nap_id = http://y\nap_pwd = p1\nauth = basic\n", "given twice");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\nauth = basic\nbasic_user = y\n"
                   "[ap y]\nap_id = http://y\nap_pwd = p1\nauth = basic\n", "HTTP Basic user");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\ncert_fingerprint = sha256:" FP_A "\n"
                   "[ap y]\nap_id = http://y\nap_pwd = p1\ncert_fingerprint = " FP_A "\n",
                   "certificate fingerprint");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\ncert_fingerprint = sha256:abcd\n",
                   "64 hex digits");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\nauth = sometimes\n", "auth must be");
    expect_refused("[ap x]\nphone_page = no\n", "unknown key 'phone_page' in an [ap] section");
    expect_refused("[ap default]\n", "AP name");
    expect_refused("[ap a/b]\n", "AP name");
    expect_refused("[user x]\n", "unknown section");
    expect_refused("[ap x\n", "must end with ']'");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\nauth = basic\n", "'basic_pwd' is missing");
    expect_refused("[ap x]\nap_id = http://x\nap_pwd = p1\nauth = basic\nbasic_pwd = p1\n",
                   "basic_pwd must differ from ap_pwd");
    expect_refused("ap_auth = basic\n", "'ap_basic_pwd' is missing");
}

#define HMAC_AP "[ap h]\nap_id = http://h.test\nap_pwd = p1\nauth = hmac\napi_key = k3y\n"
#define HMAC_USER "aHR0cDovL2gudGVzdA=="    /* printf http://h.test | base64 */
#define HMAC_DATE "Wed, 02 Dec 2026 10:06:31 +0000"
#define HMAC_EPOCH 1796205991
/* printf '%s\n%s\n%s\n%s\n%s\n' 'Wed, 02 Dec 2026 10:06:31 +0000' POST mssp.test \
 *     /restapi '{}' | openssl dgst -sha256 -hmac k3y -r */
#define HMAC_MAC "5e848fad3854b95cc90e46c839850b0c7c4da7c6d450842aacd2720ef2e8c36c"

/* WANT: 1 when the request makes no HMAC claim, -1 when its claim is bad. */
static void expect_no_claim(const rm_conf *conf, const char *user, const char *mac,
                            const char *date, const char *host, time_t now, int want,
                            const char *why)
{
    rm_hmac_claim claim;
    const char *reason = NULL;
    assert_int_equal(rm_hmac_claim_read(conf, user, mac, date, host, now, &claim, &reason), want);
    assert_int_equal(claim.ap, -1);
    if (reason == NULL || strstr(reason, why) == NULL)
        fail_msg("reason '%s' does not say '%s'", reason ? reason : "(none)", why);
}

/* An HMAC AP: no certificate or Basic password lets it in; its claim is read from the
 * headers and its MAC checked over the body, with its own key only. */
static void test_hmac_ap(void **state)
{
    (void)state;
    rm_conf conf;
    char err[256];
    assert_int_equal(load_text(BASE HMAC_AP, &conf, err, sizeof err), 0);
    const rm_ap *h = &conf.aps[1];
    assert_true(rm_ap_allows_hmac(h));
    assert_false(rm_ap_allows_cert(h));
    assert_false(rm_ap_allows_basic(h));
    assert_true(rm_conf_any_hmac(&conf));
    rm_ap_peer basic = {.basic_user = HMAC_USER, .basic_pwd = HMAC_MAC};
    assert_int_equal(rm_ap_transport_match(&conf, &basic), 0);

    rm_hmac_claim claim;
    const char *why = NULL;
    assert_int_equal(rm_hmac_claim_read(&conf, HMAC_USER, HMAC_MAC, HMAC_DATE, "mssp.test:443",
                                        HMAC_EPOCH + 299, &claim, &why), 0);
    assert_int_equal(claim.ap, 1);
    assert_string_equal(claim.host, "mssp.test");
    assert_true(rm_hmac_claim_verify(&conf, &claim, "POST", "/restapi", "{}", 2));
    assert_false(rm_hmac_claim_verify(&conf, &claim, "POST", "/restapi", "{ }", 3));
    assert_false(rm_hmac_claim_verify(&conf, &claim, "POST", "/mss", "{}", 2));
    rm_hmac_claim_clear(&claim);
    assert_false(rm_hmac_claim_verify(&conf, &claim, "POST", "/restapi", "{}", 2));

    /* Upper-case hex is the same MAC. */
    char upper[] = HMAC_MAC;
    for (char *p = upper; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    assert_int_equal(rm_hmac_claim_read(&conf, HMAC_USER, upper, HMAC_DATE, "mssp.test",
                                        HMAC_EPOCH, &claim, &why), 0);
    assert_true(rm_hmac_claim_verify(&conf, &claim, "POST", "/restapi", "{}", 2));

    expect_no_claim(&conf, NULL, NULL, HMAC_DATE, "mssp.test", HMAC_EPOCH, 1, "no Authorization");
    expect_no_claim(&conf, "aHR0cDovL2FwLnRlc3Q=", HMAC_MAC, HMAC_DATE, "mssp.test", HMAC_EPOCH, 1,
                    "names no AP that uses an API key");   /* http://ap.test: a cert AP */
    expect_no_claim(&conf, "not base64!", HMAC_MAC, HMAC_DATE, "mssp.test", HMAC_EPOCH, 1,
                    "names no AP");
    expect_no_claim(&conf, HMAC_USER, "abc", HMAC_DATE, "mssp.test", HMAC_EPOCH, -1,
                    "not 64 hex digits");
    expect_no_claim(&conf, HMAC_USER, HMAC_MAC, NULL, "mssp.test", HMAC_EPOCH, -1, "no Date");
    expect_no_claim(&conf, HMAC_USER, HMAC_MAC, "2026-12-02T10:06:31Z", "mssp.test", HMAC_EPOCH, -1,
                    "not an RFC 2822 date");
    expect_no_claim(&conf, HMAC_USER, HMAC_MAC, HMAC_DATE, "mssp.test", HMAC_EPOCH + 301, -1,
                    "more than 300 s");
    expect_no_claim(&conf, HMAC_USER, HMAC_MAC, HMAC_DATE, "mssp.test", HMAC_EPOCH - 3600, -1,
                    "more than 300 s");
    expect_no_claim(&conf, HMAC_USER, HMAC_MAC, HMAC_DATE, NULL, HMAC_EPOCH, -1, "no Host");
    rm_conf_clear(&conf);

    expect_refused("[ap h]\nap_id = http://h.test\nap_pwd = p1\nauth = hmac\n",
                   "'api_key' is missing");
    expect_refused("[ap h]\nap_id = http://h.test\nap_pwd = p1\nauth = hmac\napi_key = p1\n",
                   "api_key must differ from ap_pwd");
    expect_refused("ap_api_key = k3y\n", "'ap_api_key' is only for ap_auth = hmac");
}

/* Secrets compare by their SHA-256 digests: equal only when equal, whatever the lengths. */
static void test_secret_equal(void **state)
{
    (void)state;
    assert_true(rm_secret_equal("s3cret", "s3cret"));
    assert_false(rm_secret_equal("s3cret", "s3creT"));
    assert_false(rm_secret_equal("s3cret", "s3cret-and-more"));
    assert_false(rm_secret_equal("", "x"));
    assert_true(rm_secret_equal("", ""));
}

static void test_helpers(void **state)
{
    (void)state;
    char out[65];
    assert_int_equal(hex_sha256_fingerprint("sha256:" FP_B, out), 0);
    assert_string_equal(out, FP_B);
    assert_int_equal(hex_sha256_fingerprint(FP_B "00", out), -1);
    assert_int_equal(hex_sha256_fingerprint("sha256:" "zz", out), -1);
    assert_true(rm_ap_name_valid("shop-2_b"));
    assert_false(rm_ap_name_valid(""));
    assert_false(rm_ap_name_valid("default"));
    assert_false(rm_ap_name_valid("a b"));
    assert_false(rm_ap_name_valid("123456789012345678901234567890123"));
}

/* An accepted MAC is refused when it comes again within its window, for the same AP only;
 * it is forgotten once its time has passed; a full table refuses instead of forgetting. */
static void test_hmac_replay(void **state)
{
    (void)state;
    rm_hmac_replay *r = rm_hmac_replay_new(2);
    assert_non_null(r);
    const char *mac_a = HMAC_MAC;
    char mac_b[MSS_REST_HMAC_HEX_SIZE];
    memcpy(mac_b, HMAC_MAC, sizeof mac_b);
    mac_b[0] = mac_b[0] == '0' ? '1' : '0';
    time_t now = HMAC_EPOCH;
    assert_int_equal(rm_hmac_replay_record(r, 1, mac_a, now + 300, now), RM_HMAC_FIRST_USE);
    assert_int_equal(rm_hmac_replay_record(r, 1, mac_a, now + 300, now + 10), RM_HMAC_REPLAYED);
    assert_int_equal(rm_hmac_replay_record(r, 2, mac_a, now + 300, now + 10), RM_HMAC_FIRST_USE);
    assert_int_equal(rm_hmac_replay_record(r, 1, mac_b, now + 300, now + 10), RM_HMAC_TABLE_FULL);
    /* Past its time the first entry is gone: room again, and the old MAC is new again
     * (its Date is then outside the window anyway, so the claim is refused before this). */
    assert_int_equal(rm_hmac_replay_record(r, 1, mac_b, now + 700, now + 301), RM_HMAC_FIRST_USE);
    assert_int_equal(rm_hmac_replay_record(r, 1, mac_b, now + 700, now + 302), RM_HMAC_REPLAYED);
    rm_hmac_replay_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_ap_file_is_the_default_ap),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_transport_match),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_default_ap_is_bound_to_its_certificate),
        cmocka_unit_test(test_secret_equal),
        cmocka_unit_test(test_hmac_ap),
        cmocka_unit_test(test_hmac_replay),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
