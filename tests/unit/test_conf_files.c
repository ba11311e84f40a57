/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The files libmssconf reads (configuration, ap_pwd_file, client_key, token_file, cached
 * certificates: test_config) as hostile input: the module runs inside sshd, su and display managers,
 * so a symlink, a FIFO, a folder, a file others may write, or a secret others may read
 * is refused with a reason that names the file. See docs/security.md.
 */
#include "config.h"

#include "mss_conf.h"
#include "conf_fixture.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define MSSP "[mssp]\nurl = https://h/mss\nca_file = /ca\nap_id = x\n"
#define USER "[user demo]\nmsisdn = +99900000001\nsign_profile = p\n"

/* mss_conf_load must refuse path with an error that names it and contains every needle. */
static void expect_refused(const char *path, const char *needle1, const char *needle2)
{
    mss_conf *c = (mss_conf *)&c; /* non-NULL sentinel: must be reset */
    char err[512] = "";
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), -1);
    assert_null(c);
    if (!strstr(err, needle1) || (needle2 && !strstr(err, needle2)))
        fail_msg("error '%s' does not mention '%s' and '%s'", err, needle1,
                 needle2 ? needle2 : "");
}

static void expect_loaded(const char *path)
{
    mss_conf *c = NULL;
    char err[512] = "";
    if (mss_conf_load(path, &c, err, sizeof err) != 0)
        fail_msg("%s refused: %s", path, err);
    mss_conf_free(c);
}

static char *dup_path(const char *name)
{
    char *p = strdup(conf_fixture_path(name));
    assert_non_null(p);
    return p;
}

static void test_symlinked_config_is_refused(void **state)
{
    (void)state;
    char *real = dup_path("real.conf"), *link = dup_path("link.conf");
    conf_fixture_write("real.conf", MSSP USER, 0644);
    expect_loaded(real);
    assert_int_equal(symlink(real, link), 0);
    expect_refused(link, link, "symbolic link");
    free(real);
    free(link);
}

/* A FIFO as the configuration used to block C_Initialize until someone wrote to it.
 * The load runs in a child with an alarm only so that a regression ends the test
 * instead of hanging it; the fixed reader never waits, whatever the machine's speed. */
static void test_fifo_config_is_refused_without_waiting(void **state)
{
    (void)state;
    char *fifo = dup_path("fifo.conf");
    assert_int_equal(mkfifo(fifo, 0644), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        alarm(30);
        mss_conf *c = NULL;
        char err[512] = "";
        int rc = mss_conf_load(fifo, &c, err, sizeof err);
        _exit(rc == -1 && strstr(err, fifo) && strstr(err, "not a regular file") ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        fail_msg("loading a FIFO blocked (child killed by signal %d)", WTERMSIG(status));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    free(fifo);
}

static void test_directory_config_is_refused(void **state)
{
    (void)state;
    char *dir = dup_path("dir.conf");
    assert_int_equal(mkdir(dir, 0755), 0);
    expect_refused(dir, dir, "is a directory");
    free(dir);
}

static void test_config_writable_by_others_is_refused(void **state)
{
    (void)state;
    const char *path = conf_fixture_write("group-w.conf", MSSP USER, 0664);
    expect_refused(path, "group-w.conf", "writable by its group");
    path = conf_fixture_write("other-w.conf", MSSP USER, 0646);
    expect_refused(path, "other-w.conf", "writable by others");
}

static void test_secrets_readable_by_others_are_refused(void **state)
{
    (void)state;
    char text[1024];
    char *pwd = dup_path("open-pwd"), *key = dup_path("open.key");

    /* ap_pwd_file */
    conf_fixture_write("open-pwd", "pw\n", 0644);
    const char *path = conf_fixture_write("pwdfile.conf", MSSP "ap_pwd_file = open-pwd\n" USER, 0644);
    expect_refused(path, pwd, "readable by others");

    /* client_key: libcurl reads it later; the reader checks it first. */
    conf_fixture_write("open.key", "-----BEGIN PRIVATE KEY-----\n", 0644);
    snprintf(text, sizeof text, MSSP "client_cert = /c.pem\nclient_key = %s\n" USER, key);
    path = conf_fixture_write("key.conf", text, 0644);
    expect_refused(path, key, "readable by others");

    /* The configuration itself when it holds the AP password inline. */
    path = conf_fixture_write("inline.conf", MSSP "ap_pwd = s3cret\n" USER, 0644);
    expect_refused(path, "inline.conf", "readable by others");
    free(pwd);
    free(key);
}

static void test_symlinked_secret_is_refused(void **state)
{
    (void)state;
    char *target = dup_path("pwd-target"), *link = dup_path("pwd-link");
    conf_fixture_write("pwd-target", "pw\n", 0600);
    assert_int_equal(symlink(target, link), 0);
    const char *path = conf_fixture_write("pwdlink.conf", MSSP "ap_pwd_file = pwd-link\n" USER, 0644);
    expect_refused(path, link, "symbolic link");
    free(target);
    free(link);
}

static void test_good_files_are_accepted(void **state)
{
    (void)state;
    char text[1024];
    conf_fixture_write("good-pwd", "pw\n", 0600);
    conf_fixture_write("good.key", "-----BEGIN PRIVATE KEY-----\n", 0640);
    snprintf(text, sizeof text,
             MSSP "client_cert = /c.pem\nclient_key = %s\nap_pwd_file = good-pwd\n" USER,
             conf_fixture_path("good.key"));
    expect_loaded(conf_fixture_write("good.conf", text, 0644));
    expect_loaded(conf_fixture_write("good-inline.conf", MSSP "ap_pwd = s3cret\n" USER, 0600));
    expect_loaded(conf_fixture_write("good-ro.conf", MSSP USER, 0444));
}

/* token_file: the user's own bearer token for mss-relay. Read at load, handed to the
 * client, written back by the writer; refused unless it is the user's alone. */
static void test_token_file_must_be_the_users_own(void **state)
{
    (void)state;
    char *token = dup_path("relay.token");
    conf_fixture_write("relay.token", "0123abcd\n", 0600);
    conf_fixture_write("token.conf", MSSP "token_file = relay.token\n" USER, 0644);
    char *path = dup_path("token.conf");
    mss_conf *c = NULL;
    char err[512] = "";
    if (mss_conf_load(path, &c, err, sizeof err) != 0)
        fail_msg("refused: %s", err);
    assert_string_equal(c->bearer_token, "0123abcd");
    assert_string_equal(c->token_file, token);
    mss_client_options opts;
    mss_conf_client_options(c, &opts);
    assert_string_equal(opts.bearer_token, "0123abcd");
    char *text = NULL;
    assert_int_equal(mss_conf_format(c, &text, err, sizeof err), 0);
    assert_non_null(strstr(text, "token_file = "));
    assert_null(strstr(text, "0123abcd")); /* the path is written, never the token */
    free(text);
    mss_conf_free(c);

    assert_int_equal(chmod(token, 0640), 0);
    expect_refused(path, token, "open to others");
    assert_int_equal(chmod(token, 0604), 0);
    expect_refused(path, token, "readable by others");
    conf_fixture_write("relay.token", "two words\n", 0600);
    expect_refused(path, token, "one word");
    conf_fixture_write("relay.token", "\n", 0600);
    expect_refused(path, token, "empty");
    /* Another user's file, even closed to everyone else: only root can make one here. */
    if (geteuid() == 0) {
        conf_fixture_write("relay.token", "0123abcd\n", 0600);
        assert_int_equal(chown(token, 65534, 65534), 0);
        expect_refused(path, token, "belongs to uid 65534");
    }
    free(token);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_symlinked_config_is_refused),
        cmocka_unit_test(test_fifo_config_is_refused_without_waiting),
        cmocka_unit_test(test_directory_config_is_refused),
        cmocka_unit_test(test_config_writable_by_others_is_refused),
        cmocka_unit_test(test_secrets_readable_by_others_are_refused),
        cmocka_unit_test(test_symlinked_secret_is_refused),
        cmocka_unit_test(test_good_files_are_accepted),
        cmocka_unit_test(test_token_file_must_be_the_users_own),
    };
    return cmocka_run_group_tests(tests, conf_fixture_setup, conf_fixture_teardown);
}
