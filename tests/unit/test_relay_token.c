/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's transaction tokens (relay/token.c) and their key file (relay/token_keys.c):
 * what one instance seals another opens; any change, a foreign key or an expiry is
 * refused, and the fields come back only when the token is good; the key file is
 * refused when others may read it or it is not made of keys, and its reasons never
 * quote a key.
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

#include "scratch_dir.h"

#include "token.h"
#include "token_keys.h"

static const int64_t NOW = 1800000000;

static const char *write_file(const char *name, const char *text, mode_t mode)
{
    const char *path = scratch_path(name);
    assert_int_equal(scratch_write(path, text, mode), 0);
    return path;
}

static relay_token_keys *keys_of(unsigned char fill_first, unsigned char fill_second, size_t n)
{
    unsigned char k[2][RELAY_KEY_LEN];
    memset(k[0], fill_first, RELAY_KEY_LEN);
    memset(k[1], fill_second, RELAY_KEY_LEN);
    relay_token_keys *keys = relay_token_keys_new((const unsigned char(*)[RELAY_KEY_LEN])k, n);
    assert_non_null(keys);
    return keys;
}

static relay_tx sample_tx(void)
{
    relay_tx tx;
    memset(&tx, 0, sizeof tx);
    strcpy(tx.upstream_id, "T0123456789abcdef01234567");
    strcpy(tx.user, "alice");
    strcpy(tx.msisdn, "+358401234567");
    tx.upstream = 1;
    tx.expires = NOW + 130;
    return tx;
}

static int is_ncname_of_base64url(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static void test_what_one_seals_another_opens(void **state)
{
    (void)state;
    relay_token_keys *one = keys_of(7, 0, 1), *other = keys_of(7, 0, 1);
    relay_tx tx = sample_tx(), back;
    char token[RELAY_TOKEN_MAX_TEXT], again[RELAY_TOKEN_MAX_TEXT];
    assert_int_equal(relay_token_seal(one, &tx, token, sizeof token), 0);
    assert_true(is_ncname_of_base64url(token));
    assert_int_equal(relay_token_open(other, token, NOW, &back), RELAY_TOKEN_OK);
    assert_string_equal(back.upstream_id, tx.upstream_id);
    assert_string_equal(back.user, "alice");
    assert_string_equal(back.msisdn, "+358401234567");
    assert_int_equal(back.upstream, 1);
    assert_int_equal(back.expires, NOW + 130);
    /* A fresh nonce each time: equal transactions give unrelated tokens. */
    assert_int_equal(relay_token_seal(one, &tx, again, sizeof again), 0);
    assert_string_not_equal(token, again);
    /* The upstream id is not readable in the token. */
    assert_null(strstr(token, "0123456789abcdef"));
    relay_token_keys_free(one);
    relay_token_keys_free(other);
}

static void test_every_change_is_refused(void **state)
{
    (void)state;
    relay_token_keys *keys = keys_of(7, 0, 1);
    relay_tx tx = sample_tx(), back;
    /* bad: room for a token and two characters more */
    char token[RELAY_TOKEN_MAX_TEXT], bad[RELAY_TOKEN_MAX_TEXT + 2];
    assert_int_equal(relay_token_seal(keys, &tx, token, sizeof token), 0);
    size_t len = strlen(token);
    for (size_t i = 0; i < len; i++) {
        strcpy(bad, token);
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        relay_token_verdict v = relay_token_open(keys, bad, NOW, &back);
        assert_true(v == RELAY_TOKEN_FORGED || v == RELAY_TOKEN_MALFORMED);
        assert_string_equal(back.user, ""); /* nothing handed out */
    }
    for (size_t cut = 0; cut < len; cut++) {
        strcpy(bad, token);
        bad[cut] = '\0';
        assert_int_not_equal(relay_token_open(keys, bad, NOW, &back), RELAY_TOKEN_OK);
    }
    snprintf(bad, sizeof bad, "%sAA", token);
    assert_int_not_equal(relay_token_open(keys, bad, NOW, &back), RELAY_TOKEN_OK);
    assert_int_equal(relay_token_open(keys, "T0123456789abcdef01234567", NOW, &back),
                     RELAY_TOKEN_MALFORMED);
    assert_int_equal(relay_token_open(keys, "", NOW, &back), RELAY_TOKEN_MALFORMED);
    assert_int_equal(relay_token_open(keys, NULL, NOW, &back), RELAY_TOKEN_MALFORMED);
    char huge[RELAY_TOKEN_MAX_TEXT + 10];
    memset(huge, 'A', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    huge[0] = 'R';
    assert_int_equal(relay_token_open(keys, huge, NOW, &back), RELAY_TOKEN_MALFORMED);
    relay_token_keys_free(keys);
}

static void test_foreign_keys_and_expiry(void **state)
{
    (void)state;
    relay_token_keys *ours = keys_of(7, 0, 1), *theirs = keys_of(8, 0, 1);
    relay_tx tx = sample_tx(), back;
    char token[RELAY_TOKEN_MAX_TEXT];
    assert_int_equal(relay_token_seal(ours, &tx, token, sizeof token), 0);
    assert_int_equal(relay_token_open(theirs, token, NOW, &back), RELAY_TOKEN_FORGED);
    assert_int_equal(relay_token_open(ours, token, NOW + 130, &back), RELAY_TOKEN_OK);
    assert_int_equal(relay_token_open(ours, token, NOW + 131, &back), RELAY_TOKEN_EXPIRED);
    assert_string_equal(back.upstream_id, "");
    /* Rotation: the new key first seals, the old one second still opens. */
    relay_token_keys *rotated = keys_of(9, 7, 2);
    assert_int_equal(relay_token_open(rotated, token, NOW, &back), RELAY_TOKEN_OK);
    assert_int_equal(relay_token_seal(rotated, &tx, token, sizeof token), 0);
    assert_int_equal(relay_token_open(ours, token, NOW, &back), RELAY_TOKEN_FORGED);
    relay_token_keys_free(ours);
    relay_token_keys_free(theirs);
    relay_token_keys_free(rotated);
}

static void test_seal_refuses_what_does_not_fit(void **state)
{
    (void)state;
    relay_token_keys *keys = keys_of(7, 0, 1);
    char token[RELAY_TOKEN_MAX_TEXT];
    relay_tx tx = sample_tx(), back;
    tx.user[0] = '\0';
    assert_int_equal(relay_token_seal(keys, &tx, token, sizeof token), -1);
    tx = sample_tx();
    tx.upstream = 256;
    assert_int_equal(relay_token_seal(keys, &tx, token, sizeof token), -1);
    tx = sample_tx();
    assert_int_equal(relay_token_seal(keys, &tx, token, 20), -1);
    /* The largest fields fit RELAY_TOKEN_MAX_TEXT. */
    memset(tx.upstream_id, 'i', RELAY_TX_MAX_ID);
    memset(tx.user, 'u', RELAY_TX_MAX_USER);
    memset(tx.msisdn, '9', RELAY_TX_MAX_MSISDN);
    assert_int_equal(relay_token_seal(keys, &tx, token, sizeof token), 0);
    assert_int_equal(relay_token_open(keys, token, NOW, &back), RELAY_TOKEN_OK);
    assert_int_equal(strlen(back.upstream_id), RELAY_TX_MAX_ID);
    relay_token_keys_free(keys);
}

#define KEY_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define KEY_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static void test_key_file_created_and_loaded(void **state)
{
    (void)state;
    char why[256];
    const char *path = scratch_path("created.keys");
    unlink(path);
    assert_int_equal(relay_token_keys_create(path, why, sizeof why), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(relay_token_keys_create(path, why, sizeof why), -1); /* never overwritten */
    relay_token_keys *a = relay_token_keys_load(path, why, sizeof why);
    relay_token_keys *b = relay_token_keys_load(path, why, sizeof why);
    assert_non_null(a);
    assert_non_null(b);
    relay_tx tx = sample_tx(), back;
    char token[RELAY_TOKEN_MAX_TEXT];
    assert_int_equal(relay_token_seal(a, &tx, token, sizeof token), 0);
    assert_int_equal(relay_token_open(b, token, NOW, &back), RELAY_TOKEN_OK);
    relay_token_keys_free(a);
    relay_token_keys_free(b);

    const char *two = write_file("two.keys", "# new key first\n" KEY_B "\n\n  " KEY_A "  \n", 0600);
    assert_non_null(a = relay_token_keys_load(two, why, sizeof why));
    relay_token_keys_free(a);
}

static void expect_refused(const char *name, const char *text, mode_t mode, const char *reason)
{
    char why[256] = "";
    assert_null(relay_token_keys_load(write_file(name, text, mode), why, sizeof why));
    if (strstr(why, reason) == NULL)
        fail_msg("%s: expected \"%s\" in \"%s\"", name, reason, why);
    assert_null(strstr(why, "00112233"));
    assert_null(strstr(why, "ffeeddcc"));
}

static void test_bad_key_files_are_refused(void **state)
{
    (void)state;
    expect_refused("readable.keys", KEY_A "\n", 0644, "others");
    expect_refused("short.keys", "00112233\n", 0600, "line 1");
    expect_refused("junk.keys", KEY_A " extra\n", 0600, "line 1");
    expect_refused("empty.keys", "# nothing\n\n", 0600, "no key");
    expect_refused("twice.keys", KEY_A "\n" KEY_A "\n", 0600, "same key twice");
    expect_refused("many.keys", KEY_A "\n" KEY_B "\n" KEY_A "\n" KEY_B "\n" KEY_A "\n", 0600,
                   "more than 4");
    char why[256];
    char target[256];
    snprintf(target, sizeof target, "%s", write_file("target.keys", KEY_A "\n", 0600));
    const char *link = scratch_path("link.keys");
    unlink(link);
    assert_int_equal(symlink(target, link), 0);
    assert_null(relay_token_keys_load(link, why, sizeof why));
    assert_non_null(strstr(why, "symbolic link"));
    assert_null(relay_token_keys_load(scratch_path("missing.keys"), why, sizeof why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_what_one_seals_another_opens),
        cmocka_unit_test(test_every_change_is_refused),
        cmocka_unit_test(test_foreign_keys_and_expiry),
        cmocka_unit_test(test_seal_refuses_what_does_not_fit),
        cmocka_unit_test(test_key_file_created_and_loaded),
        cmocka_unit_test(test_bad_key_files_are_refused),
    };
    return cmocka_run_group_tests(tests, scratch_dir_make, scratch_dir_remove);
}
