/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of libmssconf's writer (conf/conf_write.c): what it writes reads back the
 * same, a file holding a secret is 0600, one user section can be replaced without
 * touching the rest, and a bad value is refused with a reason while nothing is written.
 */
#include "config.h"

#include "mss_conf.h"
#include "conf_fixture.h"

#include <dirent.h>
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

static mode_t mode_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mode & 07777;
}

/* How many entries the scratch folder has: a refused write must leave no temp file. */
static int count_files(void)
{
    DIR *d = opendir(conf_fixture_dir);
    int n = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void add_user(mss_conf *c, const char *name, const char *msisdn, const char *label)
{
    char err[256];
    mss_conf_user *u = mss_conf_add_user(c, name, err, sizeof err);
    assert_non_null(u);
    assert_int_equal(mss_conf_set_str(&u->msisdn, msisdn), 0);
    assert_int_equal(mss_conf_set_str(&u->label, label), 0);
    assert_int_equal(mss_conf_user_set_key(u, MSS_KEY_SIGN, "mss:test:sign", NULL, 0), 0);
}

/* A configuration with every [mssp] option set away from its default. The reader
 * checks client_key's permissions, so a private one exists in the scratch folder. */
static mss_conf *full_conf(void)
{
    mss_conf *c = mss_conf_new();
    assert_non_null(c);
    conf_fixture_write("ap.key", "-----BEGIN PRIVATE KEY-----\n", 0600);
    assert_int_equal(mss_conf_set_str(&c->url, "https://127.0.0.1:9443/mss"), 0);
    assert_int_equal(mss_conf_set_str(&c->ca_file, "/etc/mss/ca.pem"), 0);
    assert_int_equal(mss_conf_set_str(&c->user_ca_file, "/etc/mss/users-ca.pem"), 0);
    assert_int_equal(mss_conf_set_str(&c->client_cert, "/etc/mss/ap.pem"), 0);
    assert_int_equal(mss_conf_set_str(&c->client_key, conf_fixture_path("ap.key")), 0);
    assert_int_equal(mss_conf_set_str(&c->ap_id, "http://ap.test"), 0);
    assert_int_equal(mss_conf_set_str(&c->ap_pwd_file, conf_fixture_path("ap_pwd")), 0);
    assert_int_equal(mss_conf_set_str(&c->cache_dir, "/var/cache/mss"), 0);
    assert_int_equal(mss_conf_set_str(&c->log_file, "/var/log/mss.log"), 0);
    assert_int_equal(mss_conf_set_str(&c->proxy, "http://proxy.example:3128"), 0);
    c->mode = MSS_MODE_SYNCH;
    c->binding = MSS_CONF_BINDING_REST;
    c->timeout_s = 90;
    c->poll_first_ms = 300;
    c->poll_interval_ms = 400;
    c->connect_timeout_ms = 5000;
    c->allow_plain_http = 1;
    c->log_level = MSS_LOG_DEBUG;
    char err[256];
    mss_conf_user *u = mss_conf_add_user(c, "alice", err, sizeof err);
    assert_non_null(u);
    assert_int_equal(mss_conf_set_str(&u->msisdn, "+358401234567"), 0);
    assert_int_equal(mss_conf_set_str(&u->label, "Alice"), 0);
    assert_int_equal(mss_conf_user_set_key(u, MSS_KEY_AUTHN, "mss:test:authn", "Login", 1), 0);
    assert_int_equal(mss_conf_user_set_key(u, MSS_KEY_SIGN, "mss:test:sign", "Sign", 0), 0);
    add_user(c, "bob", "+358407654321", NULL); /* defaults for the labels */
    return c;
}

static void assert_same_key(const mss_conf_key *a, const mss_conf_key *b)
{
    assert_int_equal(a->present, b->present);
    assert_int_equal(a->pss, b->pss);
    if (a->present)
        assert_string_equal(a->profile, b->profile);
    if (a->label)
        assert_string_equal(a->label, b->label);
}

static void test_round_trip_reads_back_every_value(void **state)
{
    (void)state;
    char err[256];
    conf_fixture_write("ap_pwd", "pw\n", 0600);
    mss_conf *c = full_conf(), *back = NULL;
    const char *path = conf_fixture_path("round.conf");
    assert_int_equal(mss_conf_write(c, path, err, sizeof err), 0);
    assert_int_equal(mode_of(path), 0644); /* the secret is in ap_pwd_file, not here */
    assert_int_equal(mss_conf_load(path, &back, err, sizeof err), 0);
    assert_string_equal(back->url, c->url);
    assert_string_equal(back->ca_file, c->ca_file);
    assert_string_equal(back->user_ca_file, c->user_ca_file);
    assert_false(back->trust_on_first_use);
    assert_string_equal(back->client_cert, c->client_cert);
    assert_string_equal(back->client_key, c->client_key);
    assert_string_equal(back->ap_id, c->ap_id);
    assert_string_equal(back->ap_pwd_file, c->ap_pwd_file);
    assert_string_equal(back->ap_pwd, "pw");
    assert_string_equal(back->cache_dir, c->cache_dir);
    assert_string_equal(back->log_file, c->log_file);
    assert_string_equal(back->proxy, c->proxy);
    assert_int_equal(back->mode, c->mode);
    assert_int_equal(back->binding, MSS_CONF_BINDING_REST);
    assert_int_equal(back->timeout_s, c->timeout_s);
    assert_int_equal(back->poll_first_ms, c->poll_first_ms);
    assert_int_equal(back->poll_interval_ms, c->poll_interval_ms);
    assert_int_equal(back->connect_timeout_ms, c->connect_timeout_ms);
    assert_int_equal(back->allow_plain_http, c->allow_plain_http);
    assert_int_equal(back->log_level, c->log_level);
    assert_int_equal(back->n_users, c->n_users);
    for (size_t i = 0; i < c->n_users; i++) {
        assert_string_equal(back->users[i].name, c->users[i].name);
        assert_string_equal(back->users[i].msisdn, c->users[i].msisdn);
        for (int r = 0; r < MSS_KEY_ROLES; r++)
            assert_same_key(&c->users[i].keys[r], &back->users[i].keys[r]);
    }
    /* What the builder left out, the reader's defaults fill in. */
    assert_string_equal(back->users[1].label, MSS_CONF_DEFAULT_TOKEN_LABEL_PREFIX "+358407654321");
    assert_string_equal(back->users[1].keys[MSS_KEY_SIGN].label, MSS_CONF_DEFAULT_SIGN_LABEL);
    mss_conf_free(back);
    mss_conf_free(c);
}

/* The layout docs/mss-pkcs11.conf.5 shows and scripts (sed on "key = value") rely on. */
static void test_format_is_the_documented_layout(void **state)
{
    (void)state;
    char err[256], *text = NULL;
    mss_conf *c = mss_conf_new();
    assert_int_equal(mss_conf_set_str(&c->url, "https://h/mss"), 0);
    assert_int_equal(mss_conf_set_str(&c->ca_file, "/ca.pem"), 0);
    assert_int_equal(mss_conf_set_str(&c->ap_id, "http://ap"), 0);
    c->timeout_s = 60;
    c->trust_on_first_use = 1;
    add_user(c, "demo", "+99900000001", "Demo User");
    assert_int_equal(mss_conf_format(c, &text, err, sizeof err), 0);
    assert_string_equal(text, "[mssp]\n"
                              "url = https://h/mss\n"
                              "ca_file = /ca.pem\n"
                              "trust_on_first_use = yes\n"
                              "ap_id = http://ap\n"
                              "binding = soap\n"
                              "messaging_mode = synch\n"
                              "timeout = 60\n"
                              "\n"
                              "[user demo]\n"
                              "msisdn = +99900000001\n"
                              "label = Demo User\n"
                              "sign_profile = mss:test:sign\n");
    free(text);
    mss_conf_free(c);
}

static void test_a_file_holding_the_secret_is_0600(void **state)
{
    (void)state;
    char err[256];
    mss_conf *c = full_conf(), *back = NULL;
    assert_int_equal(mss_conf_set_str(&c->ap_pwd_file, NULL), 0);
    assert_int_equal(mss_conf_set_str(&c->ap_pwd, "inline secret"), 0);
    /* Even over a world-readable file of the same name. */
    const char *path = conf_fixture_write("secret.conf", "# old\n", 0644);
    assert_int_equal(mss_conf_write(c, path, err, sizeof err), 0);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(mss_conf_load(path, &back, err, sizeof err), 0);
    assert_string_equal(back->ap_pwd, "inline secret");
    assert_null(back->ap_pwd_file);
    mss_conf_free(back);
    mss_conf_free(c);
}

static const char *const THREE_USERS =
    "# kept as it is\n"
    "[mssp]\n"
    "url = https://h/mss\n"
    "ca_file = /ca.pem\n"
    "ap_id = http://ap\n"
    "\n"
    "[user a]\n"
    "msisdn = +3581\n"
    "sign_profile = p\n"
    "\n"
    "[user b]\n"
    "msisdn = +3582\n"
    "sign_profile = p\n"
    "; a comment in b\n"
    "\n"
    "[user c]\n"
    "msisdn = +3583\n"
    "authn_profile = q\n";

static void test_replacing_a_user_keeps_the_others(void **state)
{
    (void)state;
    char err[256];
    const char *path = conf_fixture_write("users.conf", THREE_USERS, 0640);
    mss_conf *c = mss_conf_new();
    add_user(c, "b", "+3589", "New B");
    assert_int_equal(mss_conf_put_user(path, &c->users[0], MSS_CONF_PUT_REPLACE, err,
                                       sizeof err), 0);
    char *text = conf_fixture_read(path);
    assert_non_null(strstr(text, "# kept as it is\n[mssp]\n"));
    assert_null(strstr(text, "a comment in b"));
    assert_non_null(strstr(text, "[user a]\nmsisdn = +3581\nsign_profile = p\n\n[user b]\n"
                                 "msisdn = +3589\nlabel = New B\nsign_profile = mss:test:sign\n"
                                 "\n[user c]\nmsisdn = +3583\nauthn_profile = q\n"));
    free(text);
    assert_int_equal(mode_of(path), 0640); /* permissions are kept */

    mss_conf *back = NULL;
    assert_int_equal(mss_conf_load(path, &back, err, sizeof err), 0);
    assert_int_equal(back->n_users, 3);
    assert_string_equal(back->users[0].msisdn, "+3581");
    assert_string_equal(back->users[1].msisdn, "+3589");
    assert_string_equal(back->users[2].msisdn, "+3583");
    mss_conf_free(back);
    mss_conf_free(c);
}

static void test_adding_appends_and_an_existing_user_is_refused(void **state)
{
    (void)state;
    char err[256];
    const char *path = conf_fixture_write("add.conf", THREE_USERS, 0644);
    mss_conf *c = mss_conf_new();
    add_user(c, "a", "+3580", NULL);
    add_user(c, "d", "+3584", NULL);
    assert_int_equal(mss_conf_put_user(path, &c->users[0], 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "already has a [user a] section"));
    char *text = conf_fixture_read(path);
    assert_string_equal(text, THREE_USERS);
    free(text);

    assert_int_equal(mss_conf_put_user(path, &c->users[1], 0, err, sizeof err), 0);
    text = conf_fixture_read(path);
    assert_int_equal(strncmp(text, THREE_USERS, strlen(THREE_USERS)), 0);
    assert_string_equal(text + strlen(THREE_USERS),
                        "\n[user d]\nmsisdn = +3584\nsign_profile = mss:test:sign\n");
    free(text);
    mss_conf_free(c);
}

/* Write conf over a file that must stay as it was; err must mention needle. */
static void expect_refused(const mss_conf *c, const char *needle)
{
    char err[256] = "";
    const char *path = conf_fixture_write("keep.conf", "# unchanged\n", 0644);
    int before = count_files();
    assert_int_equal(mss_conf_write(c, path, err, sizeof err), -1);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
    assert_non_null(strstr(err, "nothing was written"));
    char *text = conf_fixture_read(path);
    assert_string_equal(text, "# unchanged\n");
    free(text);
    assert_int_equal(count_files(), before);
}

static void test_bad_values_are_refused_and_nothing_is_written(void **state)
{
    (void)state;
    char err[256];
    mss_conf *c = full_conf();
    assert_int_equal(mss_conf_set_str(&c->users[0].label, "two\n[user evil]"), 0);
    expect_refused(c, "'label' must be one line");
    assert_int_equal(mss_conf_set_str(&c->users[0].label, "Thirty-three bytes is one too many"), 0);
    expect_refused(c, "label is longer than 32 bytes");
    assert_int_equal(mss_conf_set_str(&c->users[0].label, "Alice"), 0);
    assert_int_equal(mss_conf_set_str(&c->users[1].msisdn, "0401234567"), 0);
    expect_refused(c, "msisdn must be");
    assert_int_equal(mss_conf_set_str(&c->users[1].msisdn, "+358407654321"), 0);
    c->timeout_s = 7200;
    expect_refused(c, "'timeout' must be a whole number from 1 to 3600");
    c->timeout_s = 0;
    assert_int_equal(mss_conf_set_str(&c->url, " https://h/mss"), 0);
    expect_refused(c, "'url' must not start or end with a blank");
    mss_conf_free(c);

    /* A secret that cannot be written is refused without being echoed. */
    c = full_conf();
    assert_int_equal(mss_conf_set_str(&c->ap_pwd_file, NULL), 0);
    assert_int_equal(mss_conf_set_str(&c->ap_pwd, "hunter2\nx"), 0);
    expect_refused(c, "'ap_pwd' must be one line");
    const char *path = conf_fixture_path("never.conf");
    assert_int_equal(mss_conf_write(c, path, err, sizeof err), -1);
    assert_null(strstr(err, "hunter2"));
    assert_int_equal(access(path, F_OK), -1);
    mss_conf_free(c);

    /* A bad user section is refused by put_user too, the file unchanged. */
    path = conf_fixture_write("put.conf", THREE_USERS, 0644);
    c = mss_conf_new();
    add_user(c, "e", "+3585", "bad\tlabel");
    assert_int_equal(mss_conf_put_user(path, &c->users[0], 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "nothing was written"));
    char *text = conf_fixture_read(path);
    assert_string_equal(text, THREE_USERS);
    free(text);
    mss_conf_free(c);
}

static void test_builder_refuses_bad_and_duplicate_names(void **state)
{
    (void)state;
    char err[256];
    mss_conf *c = mss_conf_new();
    assert_null(mss_conf_add_user(c, "../etc", err, sizeof err));
    assert_non_null(strstr(err, "user name"));
    assert_non_null(mss_conf_add_user(c, "x", err, sizeof err));
    assert_null(mss_conf_add_user(c, "x", err, sizeof err));
    assert_non_null(strstr(err, "appears twice"));
    assert_int_equal(c->n_users, 1);
    mss_conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_reads_back_every_value),
        cmocka_unit_test(test_format_is_the_documented_layout),
        cmocka_unit_test(test_a_file_holding_the_secret_is_0600),
        cmocka_unit_test(test_replacing_a_user_keeps_the_others),
        cmocka_unit_test(test_adding_appends_and_an_existing_user_is_refused),
        cmocka_unit_test(test_bad_values_are_refused_and_nothing_is_written),
        cmocka_unit_test(test_builder_refuses_bad_and_duplicate_names),
    };
    return cmocka_run_group_tests(tests, conf_fixture_setup, conf_fixture_teardown);
}
