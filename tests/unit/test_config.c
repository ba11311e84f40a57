/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests of libmssconf's reader (conf/): the parser, the defaults and the certificate
 * cache. The writer has its own program, test_conf_write. */
#include "config.h"

#include "mss_conf.h"
#include "conf_fixture.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <limits.h>
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

#include <mss/rest.h>
#include <mss/soap.h>

static const char *const GOOD =
    "# comment\n"
    "[mssp]\n"
    "url = https://127.0.0.1:9443/mss\n"
    "ca_file = ca.pem\n"
    "user_ca_file = users-ca.pem\n"
    "client_cert = /abs/ap.pem\n"
    "client_key = ap.key\n"
    "ap_id = http://ap.test\n"
    "ap_pwd_file = pwd\n"
    "messaging_mode = synch\n"
    "timeout = 30\n"
    "\n"
    "[user demo]\n"
    "msisdn = +99900000001\n"
    "label = Demo User\n"
    "sign_profile = mss:refmssp:sign:loa4:sim\n"
    "[user second]\n"
    "msisdn = +358401234567\n"
    "authn_profile = http://alauda.mobi/digitalSignature\n"
    "authn_label = Login\n"
    "authn_pss = yes\n";

static void expect_error(const char *text, const char *needle);
#define MSSP "[mssp]\nurl = https://h/mss\nca_file = /ca\nap_id = x\n"

/* HTTP Basic: the password is the first line of a secret file, handed to the client. */
static void test_http_basic_reads_its_password_file(void **state)
{
    (void)state;
    conf_fixture_write("basic_pwd", "b4sic\n", 0600);
    const char *path = conf_fixture_write(
        "basic.conf", "[mssp]\nurl = https://h/mss\nca_file = /ca\nap_id = x\n"
                      "http_user = ap\nhttp_password_file = basic_pwd\n", 0644);
    mss_conf *c = NULL;
    char err[256];
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    mss_client_options o;
    mss_conf_client_options(c, &o);
    assert_string_equal(o.http_user, "ap");
    assert_string_equal(o.http_password, "b4sic");
    mss_conf_free(c);
    conf_fixture_write("open_pwd", "b4sic\n", 0644);
    expect_error("[mssp]\nurl = https://h/mss\nca_file = /ca\nap_id = x\n"
                 "http_user = ap\nhttp_password_file = open_pwd\n", "http_password_file");
}

/* auth = hmac: the key is the first line of a secret file, handed to the client; each
 * scheme's keys are refused beside another scheme, naming the key. */
static void test_auth_hmac_reads_its_key_file_and_refuses_mixtures(void **state)
{
    (void)state;
    conf_fixture_write("api_key", "k3y\n", 0600);
    const char *path = conf_fixture_write(
        "hmac.conf", "[mssp]\nurl = https://h/restapi\nca_file = /ca\nap_id = x\n"
                     "binding = rest\nauth = hmac\napi_key_file = api_key\n", 0644);
    mss_conf *c = NULL;
    char err[256];
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    assert_int_equal(c->auth, MSS_CONF_AUTH_HMAC);
    mss_client_options o;
    mss_conf_client_options(c, &o);
    assert_string_equal(o.api_key, "k3y");
    assert_null(o.http_user);
    mss_conf_free(c);

    /* Files from before auth: http_user alone still means basic. */
    conf_fixture_write("basic_pwd", "b4sic\n", 0600);
    path = conf_fixture_write("old.conf", MSSP "http_user = ap\nhttp_password_file = basic_pwd\n",
                              0644);
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    assert_int_equal(c->auth, MSS_CONF_AUTH_BASIC);
    mss_conf_free(c);

    conf_fixture_write("open_key", "k3y\n", 0644);
    expect_error(MSSP "binding = rest\nauth = hmac\napi_key_file = open_key\n", "api_key_file");
    expect_error(MSSP "auth = hmac\napi_key_file = api_key\n", "auth = hmac needs binding = rest");
    expect_error(MSSP "binding = rest-swisscom\nauth = hmac\napi_key_file = api_key\n",
                 "auth = hmac needs binding = rest");
    expect_error(MSSP "binding = rest\nauth = hmac\n", "auth = hmac needs api_key_file");
    expect_error(MSSP "api_key_file = api_key\n", "api_key_file is for auth = hmac (auth is tls)");
    expect_error(MSSP "auth = basic\n", "auth = basic needs http_user and http_password_file");
    expect_error(MSSP "auth = tls\nhttp_user = ap\nhttp_password_file = basic_pwd\n",
                 ":5: http_user is for auth = basic (auth is tls)");
    expect_error(MSSP "binding = rest\nauth = hmac\napi_key_file = api_key\nhttp_user = ap\n",
                 "http_user is for auth = basic (auth is hmac)");
    expect_error(MSSP "binding = rest\nauth = hmac\napi_key_file = api_key\ntoken_file = /t\n",
                 "give auth = hmac or token_file, not both");
    expect_error(MSSP "auth = oauth\n", "auth must be tls, basic or hmac");
    expect_error(MSSP "auth = tls\nauth = tls\n", "'auth' is given twice");
}

static void test_good_file_parses_with_defaults_and_relative_paths(void **state)
{
    (void)state;
    conf_fixture_write("pwd", "s3cret\n", 0600);
    conf_fixture_write("ap.key", "-----BEGIN PRIVATE KEY-----\n", 0600);
    const char *path = conf_fixture_write("good.conf", GOOD, 0644);
    mss_conf *c = NULL;
    char err[256];
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    char expect[PATH_MAX];
    snprintf(expect, sizeof expect, "%s/ca.pem", conf_fixture_dir);
    assert_string_equal(c->ca_file, expect);
    snprintf(expect, sizeof expect, "%s/users-ca.pem", conf_fixture_dir);
    assert_string_equal(c->user_ca_file, expect);
    assert_false(c->trust_on_first_use);
    assert_string_equal(c->client_cert, "/abs/ap.pem");
    assert_string_equal(c->ap_pwd, "s3cret");
    assert_int_equal(c->mode, MSS_MODE_SYNCH);
    assert_int_equal(c->timeout_s, 30);
    assert_int_equal(c->n_users, 2);
    assert_string_equal(c->users[0].name, "demo");
    assert_false(c->users[0].keys[MSS_KEY_AUTHN].present);
    assert_true(c->users[0].keys[MSS_KEY_SIGN].present);
    assert_string_equal(c->users[0].keys[MSS_KEY_SIGN].label, "Signing key");
    assert_string_equal(c->users[1].label, "MSS +358401234567");
    assert_string_equal(c->users[1].keys[MSS_KEY_AUTHN].label, "Login");
    assert_true(c->users[1].keys[MSS_KEY_AUTHN].pss);
    assert_false(c->users[0].keys[MSS_KEY_SIGN].pss);
    mss_client_options o;
    mss_conf_client_options(c, &o);
    assert_string_equal(o.url, c->url);
    assert_ptr_equal(o.ap_pwd, c->ap_pwd);
    mss_conf_free(c);
}

/* Each bad file must fail, leave *out NULL, and name the problem (and line). */
static void expect_error(const char *text, const char *needle)
{
    const char *path = conf_fixture_write("bad.conf", text, 0644);
    mss_conf *c = (mss_conf *)&c; /* non-NULL sentinel: must be reset */
    char err[256] = "";
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), -1);
    assert_null(c);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
}


static void test_bad_files_are_refused_with_a_reason(void **state)
{
    (void)state;
    expect_error(MSSP "colour = blue\n", ":5: unknown key 'colour'");
    expect_error(MSSP "url = https://other\n", "'url' is given twice");
    expect_error(MSSP "timeout = 0\n", "'timeout' must be a whole number");
    expect_error(MSSP "timeout = 30\ntimeout = 40\n", "'timeout' is given twice");
    expect_error(MSSP "messaging_mode = synch\nmessaging_mode = synch\n", "'messaging_mode' is given twice");
    expect_error(MSSP "[user a]\nmsisdn = +3581\nsign_profile = p\nsign_pss = yes\nsign_pss = no\n", "'sign_pss' is given twice");
    expect_error(MSSP "timeout = 12abc\n", "'timeout' must be a whole number");
    expect_error(MSSP "messaging_mode = asynchServerServer\n", "messaging_mode");
    expect_error(MSSP "[user a]\nmsisdn = 0401234567\n", "msisdn must be");
    expect_error(MSSP "[user a]\nmsisdn = +3581\n", "neither authn_profile nor sign_profile");
    expect_error(MSSP "[user ../etc]\n", "user name");
    expect_error(MSSP "[user a]\nmsisdn = +3581\nsign_profile = p\n[user a]\n", "appears twice");
    expect_error(MSSP "[box]\n", "unknown section");
    expect_error(MSSP "[user a]\nmsisdn = +3581\nsign_profile = p\nsign_pss = maybe\n", "'sign_pss' must be yes or no");
    expect_error(MSSP "[user a]\nmsisdn = +3581\nsign_profile = p\nauthn_pss = yes\n", "authn_pss but no authn_profile");
    expect_error("url = https://h\n", "before any [mssp]");
    expect_error("[mssp]\nurl = http://h/mss\nap_id = x\n", "must start with https://");
    expect_error("[mssp]\nurl = https://h/mss\nap_id = x\n", "ca_file is required");
    expect_error(MSSP "client_cert = /c\n", "client_cert and client_key go together");
    expect_error(MSSP "trust_on_first_use = perhaps\n", "'trust_on_first_use' must be yes or no");
    expect_error(MSSP "binding = json\n", "binding must be soap, rest or rest-swisscom");
    expect_error(MSSP "http_user = ap\n", "give http_user and http_password_file together");
    expect_error(MSSP "http_password_file = /p\n", "give http_user and http_password_file together");
    expect_error(MSSP "http_user = a:b\nhttp_password_file = /p\n", "http_user cannot contain ':'");
    expect_error(MSSP "http_user = ap\nhttp_password_file = /p\ntoken_file = /t\n",
                 "give http_user or token_file, not both");
    expect_error(MSSP "binding = REST\n", "binding must be soap, rest or rest-swisscom");
    expect_error(MSSP "user_ca_file = /u\ntrust_on_first_use = yes\n",
                 "give user_ca_file or trust_on_first_use = yes, not both");
    expect_error("[mssp]\nca_file = /ca\nap_id = x\n", "url is required");
    expect_error(MSSP "[user a\n", "must end with ']'");
    expect_error(MSSP "novalue\n", "expected 'key = value'");
    conf_fixture_write("open-pwd", "pw\n", 0644);
    expect_error(MSSP "ap_pwd_file = open-pwd\n", "readable by others");
}

/* url may be a failover list: every entry is checked as a single URL is, at its line. */
static void test_url_lists_are_read_and_checked(void **state)
{
    (void)state;
    const char *path = conf_fixture_write("list.conf",
                                          "[mssp]\nurl = https://a/mss   https://b:8443/mss\n"
                                          "ca_file = /ca\nap_id = x\n", 0644);
    mss_conf *c = NULL;
    char err[256];
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    mss_client_options o;
    mss_conf_client_options(c, &o);
    assert_string_equal(o.url, "https://a/mss   https://b:8443/mss"); /* the client splits it */
    mss_conf_free(c);

    expect_error("[mssp]\nca_file = /ca\nurl = https://a/mss ftp://b/mss\nap_id = x\n",
                 ":3: url: entry 2 of 2 must start with https://");
    expect_error("[mssp]\nurl = https://a/mss, https://b/mss\nca_file = /ca\nap_id = x\n",
                 ":2: url: separate the URLs with spaces, not commas");
    expect_error("[mssp]\nurl = https://1/ https://2/ https://3/ https://4/ https://5/ https://6/ "
                 "https://7/ https://8/ https://9/\nca_file = /ca\nap_id = x\n",
                 ":2: url lists 9 URLs; at most 8");
    expect_error("[mssp]\nurl = https://a/mss https:///mss\nca_file = /ca\nap_id = x\n",
                 "url: entry 2 of 2 has no host");
    /* Plain http in a list needs the same permission as alone, whichever line gives it. */
    expect_error("[mssp]\nurl = http://a/mss http://b/mss\nap_id = x\ntrust_on_first_use = yes\n",
                 "url: entry 1 of 2 must start with https:// (plain http needs allow_plain_http)");
    path = conf_fixture_write("list-http.conf",
                              "[mssp]\nurl = http://a/mss http://b/mss\nap_id = x\n"
                              "allow_plain_http = yes\ntrust_on_first_use = yes\n", 0644);
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    mss_conf_free(c);
    /* One https entry is enough to need ca_file. */
    expect_error("[mssp]\nurl = http://a/mss https://b/mss\nap_id = x\nallow_plain_http = yes\n",
                 "ca_file is required");
}

static void test_plain_http_needs_explicit_permission(void **state)
{
    (void)state;
    const char *path = conf_fixture_write("http.conf",
                                  "[mssp]\nurl = http://127.0.0.1:1/mss\nap_id = x\n"
                                  "allow_plain_http = yes\ntrust_on_first_use = yes\n",
                                  0644);
    mss_conf *c = NULL;
    char err[256];
    assert_int_equal(mss_conf_load(path, &c, err, sizeof err), 0);
    assert_true(c->allow_plain_http);
    assert_true(c->trust_on_first_use);
    assert_null(c->user_ca_file);
    mss_conf_free(c);
}

static void test_oversize_and_missing_files_are_refused(void **state)
{
    (void)state;
    size_t n = MSS_CONF_MAX_SIZE + 2;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, '#', n - 1);
    big[n - 1] = '\0';
    expect_error(big, "larger than");
    free(big);
    mss_conf *c = NULL;
    char err[256];
    assert_int_equal(mss_conf_load("/nonexistent/mss.conf", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open"));
}

static void test_find_prefers_the_environment_then_user_then_system(void **state)
{
    (void)state;
    char buf[PATH_MAX], home[512], user_conf[1024];
    setenv("MSS_PKCS11_CONF", "/x/y.conf", 1);
    assert_int_equal(mss_conf_find(buf, sizeof buf), 0);
    assert_string_equal(buf, "/x/y.conf");
    unsetenv("MSS_PKCS11_CONF");
    unsetenv("XDG_CONFIG_HOME");
    snprintf(home, sizeof home, "%s/home", conf_fixture_dir);
    setenv("HOME", home, 1);
    assert_int_equal(mss_conf_find(buf, sizeof buf), 0);
    assert_string_equal(buf, SYSCONFDIR "/mss-pkcs11.conf");
    snprintf(user_conf, sizeof user_conf, "%s/.config/mss-pkcs11", home);
    char cmd[3072];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && touch '%s/mss-pkcs11.conf'", user_conf, user_conf);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mss_conf_find(buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "/home/.config/mss-pkcs11/mss-pkcs11.conf"));
    unsetenv("HOME");
    assert_int_equal(mss_conf_find(buf, sizeof buf), 0);
    assert_string_equal(buf, SYSCONFDIR "/mss-pkcs11.conf");
}

/* The text of where mss_conf_find looks names the same places in the same order. */
static void test_search_text_names_where_find_looks(void **state)
{
    (void)state;
    char text[4096];
    setenv("MSS_PKCS11_CONF", "/x/y.conf", 1);
    mss_conf_search_text(text, sizeof text);
    assert_string_equal(text, "  $MSS_PKCS11_CONF = /x/y.conf\n");
    unsetenv("MSS_PKCS11_CONF");
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    setenv("HOME", "/home/u", 1);
    mss_conf_search_text(text, sizeof text);
    assert_string_equal(text, "  $MSS_PKCS11_CONF (not set)\n"
                              "  /xdg/mss-pkcs11/mss-pkcs11.conf\n"
                              "  /home/u/.config/mss-pkcs11/mss-pkcs11.conf\n"
                              "  " SYSCONFDIR "/mss-pkcs11.conf\n");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    mss_conf_search_text(text, sizeof text);
    assert_string_equal(text, "  $MSS_PKCS11_CONF (not set)\n  " SYSCONFDIR "/mss-pkcs11.conf\n");
    /* Too small a buffer: cut, still a string. */
    mss_conf_search_text(text, 10);
    assert_int_equal(strlen(text), 9);
}

/* A small self-signed certificate, DER, for the cache round trip. */
static unsigned char *make_cert(size_t *len)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    assert_non_null(key);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"cache test", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    assert_true(n > 0);
    unsigned char *copy = malloc((size_t)n);
    memcpy(copy, der, (size_t)n);
    OPENSSL_free(der);
    X509_free(x);
    EVP_PKEY_free(key);
    *len = (size_t)n;
    return copy;
}

static void test_cache_round_trip_and_refusals(void **state)
{
    (void)state;
    char cache[512];
    snprintf(cache, sizeof cache, "%s/cache/deep", conf_fixture_dir);
    mss_conf_user user = { .name = "demo" };
    mss_conf conf = { .cache_dir = cache };
    unsigned char *der = NULL, *back = NULL;
    size_t len = 0, back_len = 0;
    char err[256];

    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_SIGN, &back, &back_len), -1);
    der = make_cert(&len);
    assert_int_equal(mss_cache_write(&conf, &user, MSS_KEY_SIGN, der, len, err, sizeof err), 0);
    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_SIGN, &back, &back_len), 0);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, der, len);
    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_AUTHN, &back, &back_len), -1);
    free(back);

    /* The reader that also hands over the parsed certificate: the same DER, and the
     * certificate it encodes. */
    X509 *cert = NULL;
    unsigned char *enc = NULL;
    assert_int_equal(mss_cache_read_cert(&conf, &user, MSS_KEY_SIGN, &back, &back_len, &cert), 0);
    assert_non_null(cert);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, der, len);
    assert_int_equal(i2d_X509(cert, &enc), (int)len);
    assert_memory_equal(enc, der, len);
    OPENSSL_free(enc);
    X509_free(cert);
    free(back);
    assert_int_equal(mss_cache_read_cert(&conf, &user, MSS_KEY_AUTHN, &back, &back_len, &cert), -1);
    assert_null(cert);

    char dir[1024];
    struct stat sb;
    snprintf(dir, sizeof dir, "%s/demo", cache);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    char file[PATH_MAX];
    assert_int_equal(mss_cache_path(&conf, &user, MSS_KEY_SIGN, file, sizeof file), 0);
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0644);

    /* Not a certificate: refused, and the cached one stays as it was. */
    unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
    assert_int_equal(mss_cache_write(&conf, &user, MSS_KEY_SIGN, junk, sizeof junk, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a DER X.509"));
    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_SIGN, &back, &back_len), 0);
    assert_memory_equal(back, der, len);
    free(back);
    free(der);
}

/* A cached certificate is public, but a symlink or a file others may replace is not
 * what mss-tool wrote: the key is then not offered at all. */
static void test_cache_refuses_symlinks_and_writable_files(void **state)
{
    (void)state;
    char cache[512], authn[PATH_MAX], sign[PATH_MAX];
    mss_conf_user user = {.name = "demo"};
    mss_conf conf = {.cache_dir = cache};
    unsigned char *der = NULL, *back = NULL;
    size_t len = 0, back_len = 0;
    char err[256];

    snprintf(cache, sizeof cache, "%s/cache-links", conf_fixture_dir);
    der = make_cert(&len);
    assert_int_equal(mss_cache_write(&conf, &user, MSS_KEY_AUTHN, der, len, err, sizeof err), 0);
    assert_int_equal(mss_cache_path(&conf, &user, MSS_KEY_AUTHN, authn, sizeof authn), 0);
    assert_int_equal(mss_cache_path(&conf, &user, MSS_KEY_SIGN, sign, sizeof sign), 0);
    assert_int_equal(symlink(authn, sign), 0);
    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_SIGN, &back, &back_len), -1);
    assert_null(back);
    assert_int_equal(chmod(authn, 0666), 0);
    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_AUTHN, &back, &back_len), -1);
    assert_null(back);
    assert_int_equal(chmod(authn, 0644), 0);
    assert_int_equal(mss_cache_read(&conf, &user, MSS_KEY_AUTHN, &back, &back_len), 0);
    free(back);
    free(der);
}

static void test_defaults_are_named_once(void **state)
{
    (void)state;
    int level = -1;
    for (int i = MSS_LOG_ERROR; i <= MSS_LOG_DEBUG; i++) {
        assert_non_null(mss_conf_log_level_name(i));
        assert_int_equal(mss_conf_log_level_parse(mss_conf_log_level_name(i), &level), 0);
        assert_int_equal(level, i);
    }
    assert_string_equal(mss_conf_log_level_name(MSS_LOG_WARNING), "warning");
    assert_null(mss_conf_log_level_name(MSS_LOG_DEBUG + 1));
    assert_null(mss_conf_log_level_name(-1));
    assert_int_equal(mss_conf_log_level_parse("verbose", &level), -1);
    assert_string_equal(mss_conf_default_key_label(MSS_KEY_AUTHN), "Authentication key");
    assert_string_equal(mss_conf_default_key_label(MSS_KEY_SIGN), "Signing key");
    assert_true(mss_conf_msisdn_valid("+358401234567"));
    assert_false(mss_conf_msisdn_valid("+12"));
    assert_false(mss_conf_msisdn_valid(NULL));
    assert_false(mss_conf_user_name_valid(".."));
    assert_true(mss_conf_user_name_valid("a.b-c_1"));
}

/* A configuration with only what is required, plus LINE in [mssp]; kept until the next
 * call. */
static const mss_conf *minimal_conf_with(const char *line)
{
    static mss_conf *c;
    char text[512], err[256];

    mss_conf_free(c);
    c = NULL;
    snprintf(text, sizeof text,
             "[mssp]\nurl = http://127.0.0.1:1/mss\nallow_plain_http = yes\nap_id = http://ap\n%s"
             "[user u]\nmsisdn = +99900000001\nsign_profile = mss:t:sign\n", line);
    assert_int_equal(mss_conf_load(conf_fixture_write("minimal.conf", text, 0644), &c, err, sizeof err),
                     0);
    return c;
}

/* The proxy the client is told to use: the file's, else libcurl's choice from the
 * environment (NULL). */
static const char *proxy_of(const char *line)
{
    mss_client_options o;
    mss_conf_client_options(minimal_conf_with(line), &o);
    return o.proxy;
}

/* synch unless the file says otherwise: the MSSP answers when the phone does, with one
 * request (docs/performance.md, "The person's wait"). Polling keeps the field's 2 s. */
static void test_messaging_mode_defaults_to_synch(void **state)
{
    (void)state;
    mss_client_options o;
    mss_conf_client_options(minimal_conf_with(""), &o);
    assert_int_equal(o.mode, MSS_MODE_SYNCH);
    assert_int_equal(o.poll_first_ms, 0);    /* 0: the library's default, 2000 ms */
    assert_int_equal(o.poll_interval_ms, 0);
    mss_conf_client_options(minimal_conf_with("messaging_mode = asynchClientServer\n"), &o);
    assert_int_equal(o.mode, MSS_MODE_ASYNCH_CLIENT_SERVER);
}

/* SOAP unless the file says rest; the client is handed the binding itself. */
static void test_binding_defaults_to_soap(void **state)
{
    (void)state;
    mss_client_options o;
    mss_conf_client_options(minimal_conf_with(""), &o);
    assert_ptr_equal(o.binding, mss_binding_soap());
    mss_conf_client_options(minimal_conf_with("binding = rest\n"), &o);
    assert_ptr_equal(o.binding, mss_binding_rest());
    mss_conf_client_options(minimal_conf_with("binding = soap\n"), &o);
    assert_ptr_equal(o.binding, mss_binding_soap());
}

static void test_proxy_comes_from_the_file_or_the_environment(void **state)
{
    (void)state;
    assert_null(proxy_of(""));
    assert_string_equal(proxy_of("proxy = none\n"), "");
    assert_string_equal(proxy_of("proxy = http://proxy.example:3128\n"),
                        "http://proxy.example:3128");
    setenv("SSLKEYLOGFILE", conf_fixture_path("keys.log"), 1);
    assert_null(mss_conf_privileged_env_hazard()); /* not privileged: the user's own */
    unsetenv("SSLKEYLOGFILE");
    proxy_of(""); /* frees the last one */
}

/* Run as root, the test makes itself privileged the way a daemon that changes its
 * effective group is (real and effective ids differ; root's file access stays): the
 * environment's proxy and key-log file are refused. (test_privileged.sh covers
 * set-user-ID and set-group-ID programs.) */
static void test_privileged_process_ignores_proxy_and_key_log_variables(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        print_message("not root: cannot make the process privileged\n");
        skip();
    }
    setenv("SSLKEYLOGFILE", conf_fixture_path("keys.log"), 1);
    assert_int_equal(setegid(65534), 0);
    int privileged = mss_conf_privileged();
    const char *hazard = mss_conf_privileged_env_hazard();
    const char *dflt = proxy_of("");
    const char *chosen = proxy_of("proxy = http://proxy.example:3128\n");
    assert_int_equal(setegid(0), 0);
    unsetenv("SSLKEYLOGFILE");
    assert_true(privileged);
    assert_string_equal(hazard, "SSLKEYLOGFILE");
    assert_non_null(dflt);
    assert_string_equal(dflt, "");
    assert_non_null(chosen);
    assert_string_equal(chosen, "http://proxy.example:3128");
    proxy_of("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file_parses_with_defaults_and_relative_paths),
        cmocka_unit_test(test_bad_files_are_refused_with_a_reason),
        cmocka_unit_test(test_url_lists_are_read_and_checked),
        cmocka_unit_test(test_plain_http_needs_explicit_permission),
        cmocka_unit_test(test_oversize_and_missing_files_are_refused),
        cmocka_unit_test(test_find_prefers_the_environment_then_user_then_system),
        cmocka_unit_test(test_search_text_names_where_find_looks),
        cmocka_unit_test(test_cache_round_trip_and_refusals),
        cmocka_unit_test(test_cache_refuses_symlinks_and_writable_files),
        cmocka_unit_test(test_defaults_are_named_once),
        cmocka_unit_test(test_messaging_mode_defaults_to_synch),
        cmocka_unit_test(test_binding_defaults_to_soap),
        cmocka_unit_test(test_http_basic_reads_its_password_file),
        cmocka_unit_test(test_auth_hmac_reads_its_key_file_and_refuses_mixtures),
        cmocka_unit_test(test_proxy_comes_from_the_file_or_the_environment),
        cmocka_unit_test(test_privileged_process_ignores_proxy_and_key_log_variables),
    };
    return cmocka_run_group_tests(tests, conf_fixture_setup, conf_fixture_teardown);
}
