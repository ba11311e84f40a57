/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's users file (relay/users.c): a user is found by the SHA-256 of their client
 * certificate or of their bearer token and by nothing else; a token lookup compares
 * every listed hash with CRYPTO_memcmp whichever user matches (counted through a
 * link-time wrap, so no clock is involved); a user owns exactly the phones listed; a
 * file with an ambiguous or incomplete user is refused with the reason; what 'user add'
 * and 'user remove' write reads back the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "scratch_dir.h"

#include "users.h"

/* Every CRYPTO_memcmp of the program goes through here (-Wl,--wrap). */
int __real_CRYPTO_memcmp(const void *a, const void *b, size_t len);
int __wrap_CRYPTO_memcmp(const void *a, const void *b, size_t len);
static unsigned memcmp_calls;

int __wrap_CRYPTO_memcmp(const void *a, const void *b, size_t len)
{
    memcmp_calls++;
    return __real_CRYPTO_memcmp(a, b, len);
}

/* Stand-ins for certificates: the relay hashes the DER it is given, whatever it is. */
static const unsigned char ALICE_CERT[] = "alice's certificate, DER";
static const unsigned char CAROL_CERT[] = "carol's certificate, DER";
static const unsigned char OTHER_CERT[] = "a certificate nobody listed";
#define BOB_TOKEN "3b1f0c9e5a7d2468ace013579bdf2468ace013579bdf2468ace013579bdf0001"
#define CAROL_TOKEN "carol-token"

static void sha256_hex(const void *data, size_t len, char *out, int colons)
{
    unsigned char d[32];
    unsigned int n = 0;
    assert_int_equal(EVP_Digest(data, len, d, &n, EVP_sha256(), NULL), 1);
    char *p = out;
    for (size_t i = 0; i < 32; i++) {
        p += sprintf(p, colons ? "%02X%s" : "%02x", d[i], colons && i < 31 ? ":" : "");
    }
}

static char dir[256];

static void write_users(const char *text, mode_t mode)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, RELAY_USERS_FILE);
    assert_int_equal(scratch_write(path, text, mode), 0);
}

/* alice: a certificate, two phones; bob: a token; carol: both. */
static void write_three_users(void)
{
    char alice[100], carol[100], bob_t[65], carol_t[65], text[2048];
    sha256_hex(ALICE_CERT, sizeof ALICE_CERT, alice, 1);
    sha256_hex(CAROL_CERT, sizeof CAROL_CERT, carol, 1);
    sha256_hex(BOB_TOKEN, strlen(BOB_TOKEN), bob_t, 0);
    sha256_hex(CAROL_TOKEN, strlen(CAROL_TOKEN), carol_t, 0);
    snprintf(text, sizeof text,
             "# users\n"
             "[user alice]\nmsisdn = +358401234567  +358401234568\ncert_sha256 = %s\n\n"
             "[user bob]\nmsisdn = +358409999999\ntoken_sha256 = %s\n"
             "[user carol]\nmsisdn = +358401234567\ncert_sha256 = sha256:%s\ntoken_sha256 = %s\n",
             alice, bob_t, carol, carol_t);
    write_users(text, 0644);
}

static int setup(void **state)
{
    (void)state;
    static int n;
    snprintf(dir, sizeof dir, "%scase%d", scratch_path(""), ++n);
    return mkdir(dir, 0700);
}

static void load(relay_users *u)
{
    char err[512] = "";
    if (relay_users_load(dir, u, err, sizeof err) != 0)
        fail_msg("refused: %s", err);
}

static void test_users_are_found_by_certificate(void **state)
{
    (void)state;
    relay_users u;
    write_three_users();
    load(&u);
    assert_int_equal(u.n, 3);
    const relay_user *a = relay_users_by_cert(&u, ALICE_CERT, sizeof ALICE_CERT);
    assert_non_null(a);
    assert_string_equal(a->name, "alice");
    const relay_user *c = relay_users_by_cert(&u, CAROL_CERT, sizeof CAROL_CERT);
    assert_non_null(c);
    assert_string_equal(c->name, "carol");
    assert_null(relay_users_by_cert(&u, OTHER_CERT, sizeof OTHER_CERT));
    assert_null(relay_users_by_cert(&u, ALICE_CERT, sizeof ALICE_CERT - 1));
    assert_null(relay_users_by_cert(&u, NULL, 0));
    /* By the fingerprint as text, as the HTTPS side knows it: any case, colons or none. */
    char hex[100];
    sha256_hex(CAROL_CERT, sizeof CAROL_CERT, hex, 0);
    const relay_user *by_hex = relay_users_by_cert_sha256(&u, hex);
    assert_non_null(by_hex);
    assert_string_equal(by_hex->name, "carol");
    sha256_hex(ALICE_CERT, sizeof ALICE_CERT, hex, 1);
    assert_ptr_equal(relay_users_by_cert_sha256(&u, hex), a);
    sha256_hex(OTHER_CERT, sizeof OTHER_CERT, hex, 0);
    assert_null(relay_users_by_cert_sha256(&u, hex));
    assert_null(relay_users_by_cert_sha256(&u, "abcd"));
    assert_null(relay_users_by_cert_sha256(&u, NULL));
    relay_users_clear(&u);
}

static void test_users_are_found_by_token_in_constant_time(void **state)
{
    (void)state;
    relay_users u;
    write_three_users();
    load(&u);
    memcmp_calls = 0;
    const relay_user *b = relay_users_by_token(&u, BOB_TOKEN);
    assert_non_null(b);
    assert_string_equal(b->name, "bob");
    /* Every user's hash compared, whether it matched or not. */
    assert_int_equal(memcmp_calls, u.n);
    const relay_user *c = relay_users_by_token(&u, CAROL_TOKEN);
    assert_non_null(c);
    assert_string_equal(c->name, "carol");
    memcmp_calls = 0;
    assert_null(relay_users_by_token(&u, "not-a-token"));
    assert_int_equal(memcmp_calls, u.n);
    /* A token is not a certificate, nor the other way round. */
    assert_null(relay_users_by_token(&u, (const char *)ALICE_CERT));
    assert_null(relay_users_by_cert(&u, (const unsigned char *)BOB_TOKEN, strlen(BOB_TOKEN)));
    assert_null(relay_users_by_token(&u, ""));
    assert_null(relay_users_by_token(&u, NULL));
    memcmp_calls = 0;
    assert_non_null(relay_users_by_cert(&u, ALICE_CERT, sizeof ALICE_CERT));
    assert_int_equal(memcmp_calls, u.n);
    relay_users_clear(&u);
}

static void test_a_user_owns_exactly_the_phones_listed(void **state)
{
    (void)state;
    relay_users u;
    write_three_users();
    load(&u);
    const relay_user *a = relay_users_by_name(&u, "alice");
    const relay_user *b = relay_users_by_name(&u, "bob");
    const relay_user *c = relay_users_by_name(&u, "carol");
    assert_non_null(a);
    assert_true(relay_user_owns_msisdn(a, "+358401234567"));
    assert_true(relay_user_owns_msisdn(a, "+358401234568"));
    assert_false(relay_user_owns_msisdn(a, "+358409999999"));
    assert_false(relay_user_owns_msisdn(a, "+35840123456"));
    assert_false(relay_user_owns_msisdn(a, "358401234567"));
    assert_false(relay_user_owns_msisdn(a, ""));
    assert_false(relay_user_owns_msisdn(a, NULL));
    assert_true(relay_user_owns_msisdn(b, "+358409999999"));
    assert_false(relay_user_owns_msisdn(b, "+358401234567"));
    /* Two users may share a phone (one person, two desktops). */
    assert_true(relay_user_owns_msisdn(c, "+358401234567"));
    assert_false(relay_user_owns_msisdn(NULL, "+358401234567"));
    assert_null(relay_users_by_name(&u, "dave"));
    relay_users_clear(&u);
}

static void expect_refused(const char *text, const char *needle)
{
    relay_users u;
    char err[512] = "";
    write_users(text, 0644);
    if (relay_users_load(dir, &u, err, sizeof err) == 0) {
        relay_users_clear(&u);
        fail_msg("accepted, expected '%s':\n%s", needle, text);
    }
    if (strstr(err, needle) == NULL || strstr(err, RELAY_USERS_FILE) == NULL)
        fail_msg("error '%s' does not name the file and '%s'", err, needle);
    assert_int_equal(u.n, 0);
    assert_null(u.users);
}

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H64B "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_mistakes_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *needle;
    } cases[] = {
        {"msisdn = +3581\n", ":1: 'msisdn' appears before any [user NAME]"},
        {"[users a]\n", ":1: unknown section"},
        {"[user a/b]\nmsisdn = +3581\ntoken_sha256 = " H64 "\n", ":1: a user name is"},
        {"[user a]\nmsisdn = +3581\ntoken_sha256 = " H64 "\n[user a]\n", ":4: [user a] is given twice"},
        {"[user a]\nmsisdn = 3581\n", ":2: msisdn '3581' is not"},
        {"[user a]\nmsisdn = +3581 +3581\n", ":2: msisdn +3581 is listed twice"},
        {"[user a]\nmsisdn = +3581 +3582 +3583 +3584 +3585 +3586 +3587 +3588 +3589\n",
         ":2: a user has at most 8 phone numbers"},
        {"[user a]\nmsisdn = +3581\nmsisdn = +3582\n", ":3: 'msisdn' is given twice"},
        {"[user a]\nmsisdn = +3581\ncert_sha256 = abcd\n", ":3: cert_sha256 must be 64 hex"},
        {"[user a]\nmsisdn = +3581\ntoken_sha256 = " H64 "00\n", ":3: token_sha256 must be 64 hex"},
        {"[user a]\nmsisdn = +3581\ncolour = red\n", ":3: unknown key 'colour' in [user a]"},
        {"[user a]\ntoken_sha256 = " H64 "\n", "[user a] has no msisdn"},
        {"[user a]\nmsisdn = +3581\n", "[user a] has neither cert_sha256 nor token_sha256"},
        {"[user a]\nmsisdn = +3581\ntoken_sha256 = " H64 "\n"
         "[user b]\nmsisdn = +3582\ntoken_sha256 = " H64 "\n", "[user a] and [user b] have the same token"},
        {"[user a]\nmsisdn = +3581\ncert_sha256 = " H64 "\n"
         "[user b]\nmsisdn = +3582\ncert_sha256 = " H64B "\n"
         "[user c]\nmsisdn = +3582\ncert_sha256 = " H64 "\n", "have the same certificate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_refused(cases[i].text, cases[i].needle);
    /* The same hash as a certificate of one and a token of another is no clash. */
    relay_users u;
    write_users("[user a]\nmsisdn = +3581\ncert_sha256 = " H64 "\n"
                "[user b]\nmsisdn = +3582\ntoken_sha256 = " H64 "\n", 0644);
    load(&u);
    relay_users_clear(&u);
    /* Who may write the file decides who may sign. */
    write_users("", 0666);
    char err[512] = "";
    assert_int_equal(relay_users_load(dir, &u, err, sizeof err), -1);
    assert_non_null(strstr(err, "writable by others"));
}

static void test_what_user_add_and_remove_write_reads_back(void **state)
{
    (void)state;
    relay_users u;
    char err[512] = "", why[256] = "";
    write_users("", 0644);
    load(&u);
    assert_int_equal(u.n, 0);

    relay_user dave = {.name = "dave", .msisdns = {"+358401111111", "+358402222222"},
                       .n_msisdns = 2, .has_cert = 1};
    EVP_Digest(OTHER_CERT, sizeof OTHER_CERT, dave.cert_sha256, NULL, EVP_sha256(), NULL);
    relay_user erin = {.name = "erin", .msisdns = {"+358403333333"}, .n_msisdns = 1,
                       .has_token = 1};
    assert_int_equal(relay_token_digest("erin-token", erin.token_sha256), 0);
    assert_int_equal(relay_users_add(&u, &dave, why, sizeof why), 0);
    assert_int_equal(relay_users_add(&u, &erin, why, sizeof why), 0);

    /* Refused: a taken name, the same certificate or token, no credential, bad phones. */
    relay_user bad = dave;
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    assert_non_null(strstr(why, "there is a user dave already"));
    bad.name = "frank";
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    assert_non_null(strstr(why, "same certificate or token"));
    bad = erin;
    bad.name = "frank";
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    bad.has_token = 0;
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    assert_non_null(strstr(why, "certificate or a token"));
    bad = (relay_user){.name = "frank", .msisdns = {"0401"}, .n_msisdns = 1, .has_token = 1};
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    bad.msisdns[0] = "+3581";
    bad.msisdns[1] = "+3581";
    bad.n_msisdns = 2;
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    bad.n_msisdns = 0;
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    bad = erin;
    bad.name = "../x";
    assert_int_equal(relay_users_add(&u, &bad, why, sizeof why), -1);
    assert_int_equal(u.n, 2);

    assert_int_equal(relay_users_save(dir, &u, err, sizeof err), 0);
    relay_users_clear(&u);
    load(&u);
    assert_int_equal(u.n, 2);
    const relay_user *d = relay_users_by_cert(&u, OTHER_CERT, sizeof OTHER_CERT);
    assert_non_null(d);
    assert_string_equal(d->name, "dave");
    assert_true(relay_user_owns_msisdn(d, "+358402222222"));
    const relay_user *e = relay_users_by_token(&u, "erin-token");
    assert_non_null(e);
    assert_string_equal(e->name, "erin");

    assert_int_equal(relay_users_remove(&u, "dave"), 0);
    assert_int_equal(relay_users_remove(&u, "dave"), -1);
    assert_int_equal(relay_users_save(dir, &u, err, sizeof err), 0);
    relay_users_clear(&u);
    load(&u);
    assert_int_equal(u.n, 1);
    assert_null(relay_users_by_cert(&u, OTHER_CERT, sizeof OTHER_CERT));
    assert_non_null(relay_users_by_token(&u, "erin-token"));
    relay_users_clear(&u);

    /* The file holds hashes, never a token. */
    char path[512], text[4096] = "";
    snprintf(path, sizeof path, "%s/%s", dir, RELAY_USERS_FILE);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_null(strstr(text, "erin-token"));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_users_are_found_by_certificate, setup),
        cmocka_unit_test_setup(test_users_are_found_by_token_in_constant_time, setup),
        cmocka_unit_test_setup(test_a_user_owns_exactly_the_phones_listed, setup),
        cmocka_unit_test_setup(test_mistakes_are_refused, setup),
        cmocka_unit_test_setup(test_what_user_add_and_remove_write_reads_back, setup),
    };
    return cmocka_run_group_tests(tests, scratch_dir_make, scratch_dir_remove);
}
