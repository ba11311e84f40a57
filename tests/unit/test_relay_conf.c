/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-relay.conf (relay/relay_conf.c): every key is read into its field, and what is
 * left out gets its documented default; every mistake is refused with the file, the
 * line where there is one, and the reason; the secret files follow conf/'s rules (a
 * key others can read, a symlink, a password file others can write are refused); the
 * AP password is read, and the client options toward upstream come from the file.
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

#include "relay_conf.h"

#include <mss/rest.h>
#include <mss/soap.h>

/* A scratch DIR per test: the secret files a configuration names, modes right. */
static char dir[256];

static const char *in_dir(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
    assert_int_equal(scratch_write(in_dir(name), text, mode), 0);
}

static int setup(void **state)
{
    (void)state;
    static int n;
    snprintf(dir, sizeof dir, "%s", scratch_path(""));
    snprintf(dir + strlen(dir), sizeof dir - strlen(dir), "case%d", ++n);
    if (mkdir(dir, 0700) != 0)
        return -1;
    write_file("server.key", "key\n", 0600);
    write_file("ca.key", "key\n", 0600);
    write_file("token_keys", "keys\n", 0600);
    write_file("ap.key", "key\n", 0600);
    write_file("ap_pwd", "s3cret-pwd\nsecond line\n", 0600);
    return 0;
}

#define RELAY_MIN "[relay]\nserver_cert = server.pem\nserver_key = server.key\nuser_ca = ca.pem\n" \
                  "token_keys = token_keys\naudit_log = audit.log\n"
#define UPSTREAM_MIN "[upstream]\nurl = https://mssp.example/soap\nap_id = http://ap.example\n" \
                     "ca_file = mssp-ca.pem\n"

static void write_conf(const char *text)
{
    write_file("mss-relay.conf", text, 0644);
}

static void load_ok(const char *text, relay_conf *c)
{
    char err[512] = "";
    write_conf(text);
    if (relay_conf_load(dir, c, err, sizeof err) != 0)
        fail_msg("refused: %s", err);
}

/* Refused with an error that contains NEEDLE, names the file, and leaves *c empty. */
static void expect_refused(const char *text, const char *needle)
{
    relay_conf c;
    char err[512] = "";
    write_conf(text);
    memset(&c, 0x5a, sizeof c);
    if (relay_conf_load(dir, &c, err, sizeof err) == 0) {
        relay_conf_clear(&c);
        fail_msg("accepted, expected '%s':\n%s", needle, text);
    }
    if (strstr(err, needle) == NULL)
        fail_msg("error '%s' does not mention '%s'", err, needle);
    if (strstr(err, "mss-relay.conf") == NULL)
        fail_msg("error '%s' does not name the file", err);
    assert_null(c.path);
    assert_int_equal(c.n_upstream_urls, 0);
}

static void test_a_minimal_file_gets_every_default(void **state)
{
    (void)state;
    relay_conf c;
    load_ok(RELAY_MIN UPSTREAM_MIN, &c);
    assert_string_equal(c.listen, RELAY_DEFAULT_LISTEN);
    assert_string_equal(c.server_cert, in_dir("server.pem"));
    assert_string_equal(c.server_key, in_dir("server.key"));
    assert_string_equal(c.user_ca, in_dir("ca.pem"));
    assert_null(c.user_ca_key);
    assert_string_equal(c.token_keys, in_dir("token_keys"));
    assert_string_equal(c.audit_log, in_dir("audit.log"));
    assert_null(c.text_prefix);
    assert_int_equal(c.max_text_chars, 110);
    assert_int_equal(c.user_requests_per_minute, 10);
    assert_int_equal(c.msisdn_requests_per_minute, 10);
    assert_int_equal(c.max_pending_per_msisdn, 1);
    assert_int_equal(c.max_connections, 256);
    assert_int_equal(c.n_upstream_urls, 1);
    assert_string_equal(c.upstream_urls[0], "https://mssp.example/soap");
    assert_string_equal(c.ap_id, "http://ap.example");
    assert_null(c.ap_pwd);
    assert_null(c.client_cert);
    assert_null(c.proxy);
    assert_int_equal(c.binding, MSS_CONF_BINDING_SOAP);
    assert_null(c.http_user);
    assert_null(c.http_password);
    assert_int_equal(c.connect_timeout_ms, 10000);
    assert_int_equal(c.request_timeout_ms, 30000);
    assert_string_equal(c.desktop_url, "https://127.0.0.1:9444/mss");
    assert_string_equal(c.module_ap_id, RELAY_DEFAULT_MODULE_AP_ID);
    assert_null(c.authn_profile);
    assert_null(c.sign_profile);
    assert_null(c.user_ca_file);
    relay_conf_clear(&c);
    assert_null(c.listen);
}

static void test_every_key_is_read(void **state)
{
    (void)state;
    relay_conf c;
    load_ok("# comment\n; another\n\n"
            "[relay]\n"
            "listen = [::1]:9555\n"
            "server_cert = /etc/relay/server.pem\n"
            "server_key = server.key\n"
            "user_ca = ca.pem\n"
            "user_ca_key = ca.key\n"
            "token_keys = token_keys\n"
            "audit_log = /var/log/relay.jsonl\n"
            "text_prefix = ACME Oy:\n"
            "max_text_chars = 160\n"
            "user_requests_per_minute = 30\n"
            "msisdn_requests_per_minute = 5\n"
            "max_pending_per_msisdn = 2\n"
            "max_connections = 1000\n"
            "[upstream]\n"
            "url = https://a.example/soap  https://b.example/soap\thttps://c.example/soap\n"
            "ap_id = http://ap.example\n"
            "ap_pwd_file = ap_pwd\n"
            "client_cert = ap.pem\n"
            "client_key = ap.key\n"
            "ca_file = mssp-ca.pem\n"
            "proxy = http://proxy.example:3128\n"
            "connect_timeout_ms = 2000\n"
            "request_timeout_ms = 60000\n"
            "[desktop]\n"
            "url = https://relay.example.org/mss\n"
            "module_ap_id = urn:acme:desktops\n"
            "authn_profile = mss:acme:authn\n"
            "sign_profile = mss:acme:sign\n"
            "user_ca_file = mid-users-ca.pem\n",
            &c);
    assert_string_equal(c.listen, "[::1]:9555");
    assert_string_equal(c.server_cert, "/etc/relay/server.pem");
    assert_string_equal(c.user_ca_key, in_dir("ca.key"));
    assert_string_equal(c.audit_log, "/var/log/relay.jsonl");
    assert_string_equal(c.text_prefix, "ACME Oy:");
    assert_int_equal(c.max_text_chars, 160);
    assert_int_equal(c.user_requests_per_minute, 30);
    assert_int_equal(c.msisdn_requests_per_minute, 5);
    assert_int_equal(c.max_pending_per_msisdn, 2);
    assert_int_equal(c.max_connections, 1000);
    assert_int_equal(c.n_upstream_urls, 3);
    assert_string_equal(c.upstream_urls[0], "https://a.example/soap");
    assert_string_equal(c.upstream_urls[1], "https://b.example/soap");
    assert_string_equal(c.upstream_urls[2], "https://c.example/soap");
    assert_string_equal(c.ap_pwd, "s3cret-pwd"); /* the first line */
    assert_string_equal(c.ap_pwd_file, in_dir("ap_pwd"));
    assert_string_equal(c.client_cert, in_dir("ap.pem"));
    assert_string_equal(c.client_key, in_dir("ap.key"));
    assert_string_equal(c.ca_file, in_dir("mssp-ca.pem"));
    assert_string_equal(c.proxy, "http://proxy.example:3128");
    assert_int_equal(c.connect_timeout_ms, 2000);
    assert_int_equal(c.request_timeout_ms, 60000);
    assert_string_equal(c.desktop_url, "https://relay.example.org/mss");
    assert_string_equal(c.module_ap_id, "urn:acme:desktops");
    assert_string_equal(c.authn_profile, "mss:acme:authn");
    assert_string_equal(c.sign_profile, "mss:acme:sign");
    assert_string_equal(c.user_ca_file, in_dir("mid-users-ca.pem"));

    mss_client_options o;
    relay_conf_upstream_options(&c, &o);
    assert_string_equal(o.url, "https://a.example/soap  https://b.example/soap\thttps://c.example/soap");
    assert_string_equal(o.ap_id, "http://ap.example");
    assert_string_equal(o.ap_pwd, "s3cret-pwd");
    assert_string_equal(o.client_cert, c.client_cert);
    assert_string_equal(o.client_key, c.client_key);
    assert_string_equal(o.ca_file, c.ca_file);
    assert_string_equal(o.proxy, "http://proxy.example:3128");
    assert_int_equal(o.connect_timeout_ms, 2000);
    assert_int_equal(o.status_timeout_ms, 60000);
    assert_null(o.bearer_token);
    relay_conf_clear(&c);
}

/* The prefix counts in characters, as the phone shows them: eight two-byte characters,
 * a space and one character of the text fit in ten. */
static void test_the_prefix_counts_characters(void **state)
{
    (void)state;
    relay_conf c;
    load_ok(RELAY_MIN "max_text_chars = 10\ntext_prefix = \xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
            "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\n" UPSTREAM_MIN, &c);
    assert_int_equal(strlen(c.text_prefix), 16);
    relay_conf_clear(&c);
}

static void test_proxy_none_turns_the_environment_off(void **state)
{
    (void)state;
    relay_conf c;
    load_ok(RELAY_MIN UPSTREAM_MIN "proxy = none\n", &c);
    mss_client_options o;
    relay_conf_upstream_options(&c, &o);
    assert_string_equal(o.proxy, "");
    relay_conf_clear(&c);
}

static void test_mistakes_are_refused_with_file_and_line(void **state)
{
    (void)state;
    static const struct {
        const char *text, *needle;
    } cases[] = {
        {"listen = 127.0.0.1:1\n" RELAY_MIN UPSTREAM_MIN, "mss-relay.conf:1: 'listen' appears before"},
        {RELAY_MIN "colour = blue\n" UPSTREAM_MIN, "mss-relay.conf:7: unknown key 'colour' in [relay]"},
        {RELAY_MIN UPSTREAM_MIN "[extra]\n", "mss-relay.conf:11: unknown section [extra]"},
        {RELAY_MIN "[relay]\n" UPSTREAM_MIN, "[relay] is given twice"},
        {RELAY_MIN "audit_log = x\n" UPSTREAM_MIN, ":7: 'audit_log' is given twice"},
        {RELAY_MIN "[relay\n" UPSTREAM_MIN, ":7: section header must end with ']'"},
        {RELAY_MIN "just words\n" UPSTREAM_MIN, ":7: expected 'key = value'"},
        {RELAY_MIN "text_prefix =\n" UPSTREAM_MIN, ":7: 'text_prefix' has no value"},
        {RELAY_MIN "listen = localhost\n" UPSTREAM_MIN, ":7: listen:"},
        {RELAY_MIN "max_text_chars = 9\n" UPSTREAM_MIN, "'max_text_chars' must be a whole number from 10 to 4096"},
        {RELAY_MIN "max_connections = -1\n" UPSTREAM_MIN, "'max_connections' must be a whole number"},
        {RELAY_MIN "max_pending_per_msisdn = 1x\n" UPSTREAM_MIN, "'max_pending_per_msisdn' must be"},
        {RELAY_MIN "user_requests_per_minute = 0\n" UPSTREAM_MIN, "'user_requests_per_minute' must be"},
        {RELAY_MIN "msisdn_requests_per_minute = 99999999999\n" UPSTREAM_MIN, "'msisdn_requests_per_minute' must be"},
        {RELAY_MIN "text_prefix = A\x01" "B\n" UPSTREAM_MIN, "'text_prefix' has a control character"},
        {RELAY_MIN "max_text_chars = 10\ntext_prefix = 012345678\n" UPSTREAM_MIN, "text_prefix leaves no room"},
        {RELAY_MIN "text_prefix = caf\xe9:\n" UPSTREAM_MIN, "text_prefix is not UTF-8"},
        {RELAY_MIN UPSTREAM_MIN "connect_timeout_ms = 50\n", "'connect_timeout_ms' must be"},
        {RELAY_MIN UPSTREAM_MIN "request_timeout_ms = 600001\n", "'request_timeout_ms' must be"},
        {RELAY_MIN UPSTREAM_MIN "proxy = sometimes\n", "proxy must be none or a proxy URL"},
        {RELAY_MIN UPSTREAM_MIN "client_cert = ap.pem\n", "client_cert and client_key go together"},
        {RELAY_MIN "[upstream]\nurl = https://a/ https://a/\nap_id = x\nca_file = c\n", "url: entry 2 of 2 is given twice"},
        {RELAY_MIN "[upstream]\nurl = https://a/ ftp://a/\nap_id = x\nca_file = c\n", "url: entry 2 of 2 must start with https://"},
        {RELAY_MIN "[upstream]\nurl = http://a/\nap_id = x\nca_file = c\n", "url: entry 1 of 1 must start with https:// (the MSSP is reached over TLS only)"},
        {RELAY_MIN "[upstream]\nurl = https://a/, https://b/\nap_id = x\nca_file = c\n", "not commas"},
        {RELAY_MIN "[upstream]\nurl = https://1/ https://2/ https://3/ https://4/ https://5/ "
                   "https://6/ https://7/ https://8/ https://9/\nap_id = x\nca_file = c\n",
         "url lists 9 URLs; at most 8"},
        {RELAY_MIN "[upstream]\nurl = https://a/\nap_id = x\n", "[upstream] ca_file is required"},
        {RELAY_MIN "[upstream]\nap_id = x\nca_file = c\n", "[upstream] url is required"},
        {RELAY_MIN "[upstream]\nurl = https://a/\nca_file = c\n", "[upstream] ap_id is required"},
        {"[relay]\nserver_key = server.key\nuser_ca = ca.pem\ntoken_keys = token_keys\n"
         "audit_log = a\n" UPSTREAM_MIN, "[relay] server_cert is required"},
        {"[relay]\nserver_cert = s\nuser_ca = ca.pem\ntoken_keys = token_keys\naudit_log = a\n"
         UPSTREAM_MIN, "[relay] server_key is required"},
        {"[relay]\nserver_cert = s\nserver_key = server.key\ntoken_keys = token_keys\n"
         "audit_log = a\n" UPSTREAM_MIN, "[relay] user_ca is required"},
        {"[relay]\nserver_cert = s\nserver_key = server.key\nuser_ca = c\naudit_log = a\n"
         UPSTREAM_MIN, "[relay] token_keys is required"},
        {"[relay]\nserver_cert = s\nserver_key = server.key\nuser_ca = c\ntoken_keys = token_keys\n"
         UPSTREAM_MIN, "[relay] audit_log is required"},
        {RELAY_MIN UPSTREAM_MIN "[desktop]\nurl = relay.example\n", "'url' must be an https:// URL"},
        {RELAY_MIN UPSTREAM_MIN "[desktop]\nurl = http://relay.example/mss\n", "[desktop] url must"},
        {RELAY_MIN UPSTREAM_MIN "[desktop]\nkey = v\n", "unknown key 'key' in [desktop]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_refused(cases[i].text, cases[i].needle);
}

static void test_secret_files_follow_the_secret_file_rules(void **state)
{
    (void)state;
    const char *text = RELAY_MIN "user_ca_key = ca.key\n" UPSTREAM_MIN
                       "ap_pwd_file = ap_pwd\nclient_cert = ap.pem\nclient_key = ap.key\n";
    static const struct {
        const char *file;
        mode_t mode;
        const char *needle;
    } cases[] = {
        {"server.key", 0644, "server_key"},
        {"ca.key", 0604, "user_ca_key"},
        {"token_keys", 0644, "token_keys"},
        {"ap.key", 0644, "client_key"},
        {"ap_pwd", 0604, "ap_pwd_file"},
        {"ap_pwd", 0622, "writable by others"},
        {"server.key", 0620, "writable by its group"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(chmod(in_dir(cases[i].file), cases[i].mode), 0);
        expect_refused(text, cases[i].needle);
        assert_int_equal(chmod(in_dir(cases[i].file), 0600), 0);
    }
    /* A group may read a secret (an operator group), as everywhere in conf/. */
    relay_conf c;
    assert_int_equal(chmod(in_dir("ap_pwd"), 0640), 0);
    load_ok(text, &c);
    relay_conf_clear(&c);

    /* A symlink is not followed, a missing file is named, an empty password refused. */
    char target[512];
    snprintf(target, sizeof target, "%s", in_dir("server.key"));
    assert_int_equal(symlink(target, in_dir("linked.key")), 0);
    expect_refused(RELAY_MIN UPSTREAM_MIN "client_cert = a\nclient_key = linked.key\n",
                   "symbolic link");
    expect_refused(RELAY_MIN UPSTREAM_MIN "ap_pwd_file = no-such-file\n", "no-such-file");
    write_file("empty_pwd", "\n", 0600);
    expect_refused(RELAY_MIN UPSTREAM_MIN "ap_pwd_file = empty_pwd\n", "first line is empty");
    /* Who may write the configuration decides who the relay trusts. */
    write_file("mss-relay.conf", RELAY_MIN UPSTREAM_MIN, 0666);
    char err[512] = "";
    assert_int_equal(relay_conf_load(dir, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "writable by others"));
}

/* The upstream's binding and HTTP Basic: read into the client's options, the password
 * under the secret-file rules of every other secret; the pair given together. */
static void test_the_upstream_binding_and_basic_auth(void **state)
{
    (void)state;
    write_file("http_pwd", "b4sic-pwd\n", 0600);
    relay_conf c;
    load_ok(RELAY_MIN UPSTREAM_MIN "binding = rest\nhttp_user = ap\nhttp_password_file = http_pwd\n",
            &c);
    assert_int_equal(c.binding, MSS_CONF_BINDING_REST);
    assert_string_equal(c.http_user, "ap");
    assert_string_equal(c.http_password, "b4sic-pwd");
    mss_client_options o;
    relay_conf_upstream_options(&c, &o);
    assert_ptr_equal(o.binding, mss_binding_rest());
    assert_string_equal(o.http_user, "ap");
    assert_string_equal(o.http_password, "b4sic-pwd");
    relay_conf_clear(&c);
    assert_null(c.http_password);
    load_ok(RELAY_MIN UPSTREAM_MIN "binding = soap\n", &c);
    relay_conf_upstream_options(&c, &o);
    assert_ptr_equal(o.binding, mss_binding_soap());
    assert_null(o.http_user);
    relay_conf_clear(&c);

    expect_refused(RELAY_MIN UPSTREAM_MIN "binding = json\n", "'binding' must be soap, rest or rest-swisscom");
    expect_refused(RELAY_MIN UPSTREAM_MIN "http_user = ap\n",
                   "http_user and http_password_file go together");
    expect_refused(RELAY_MIN UPSTREAM_MIN "http_password_file = http_pwd\n",
                   "http_user and http_password_file go together");
    expect_refused(RELAY_MIN UPSTREAM_MIN "http_user = a:b\nhttp_password_file = http_pwd\n",
                   "cannot contain ':'");
    assert_int_equal(chmod(in_dir("http_pwd"), 0604), 0);
    expect_refused(RELAY_MIN UPSTREAM_MIN "http_user = ap\nhttp_password_file = http_pwd\n",
                   "http_password_file");
    write_file("empty_http_pwd", "\n", 0600);
    expect_refused(RELAY_MIN UPSTREAM_MIN "http_user = ap\nhttp_password_file = empty_http_pwd\n",
                   "first line is empty");
}

/* Swisscom's REST API has a path per operation: the lists reach the client as written
 * (it pairs them with url), after the same checks as url's. */
static void test_per_operation_urls_reach_the_client(void **state)
{
    (void)state;
    relay_conf c;
    load_ok(RELAY_MIN UPSTREAM_MIN "binding = rest\n"
            "status_url = https://mssp.example/rest/service/status\n"
            "profile_url = https://mssp.example/rest/service/profile\n"
            "receipt_url = https://mssp.example/rest/service/receipt\n", &c);
    mss_client_options o;
    relay_conf_upstream_options(&c, &o);
    assert_string_equal(o.status_url, "https://mssp.example/rest/service/status");
    assert_string_equal(o.profile_url, "https://mssp.example/rest/service/profile");
    assert_string_equal(o.receipt_url, "https://mssp.example/rest/service/receipt");
    relay_conf_clear(&c);
    load_ok(RELAY_MIN UPSTREAM_MIN, &c);
    relay_conf_upstream_options(&c, &o);
    assert_null(o.status_url);
    relay_conf_clear(&c);
    expect_refused(RELAY_MIN UPSTREAM_MIN "status_url = http://mssp.example/status\n",
                   "status_url: entry 1 of 1 must start with https://");
    expect_refused(RELAY_MIN UPSTREAM_MIN "receipt_url = https://a/ https://a/\n",
                   "receipt_url: entry 2 of 2 is given twice");
}

static void test_a_missing_file_is_named(void **state)
{
    (void)state;
    relay_conf c;
    char err[512] = "";
    assert_int_equal(relay_conf_load("/nonexistent-relay-dir", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-relay-dir/mss-relay.conf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_a_minimal_file_gets_every_default, setup),
        cmocka_unit_test_setup(test_every_key_is_read, setup),
        cmocka_unit_test_setup(test_the_prefix_counts_characters, setup),
        cmocka_unit_test_setup(test_proxy_none_turns_the_environment_off, setup),
        cmocka_unit_test_setup(test_mistakes_are_refused_with_file_and_line, setup),
        cmocka_unit_test_setup(test_secret_files_follow_the_secret_file_rules, setup),
        cmocka_unit_test_setup(test_the_upstream_binding_and_basic_auth, setup),
        cmocka_unit_test_setup(test_per_operation_urls_reach_the_client, setup),
        cmocka_unit_test(test_a_missing_file_is_named),
    };
    return cmocka_run_group_tests(tests, scratch_dir_make, scratch_dir_remove);
}
