/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The REST binding's HMAC authentication (mss/rest.h, mssclient/rest_hmac.c) and the RFC
 * 2822 dates it signs (common/rfc2822_date.c), against answers computed independently
 * with the openssl and base64 commands, and the client's refusal of an API key beside
 * the SOAP binding or another Authorization header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mss/client.h>
#include <mss/rest.h>

#include "rest_hmac.h"
#include "rfc2822_date.h"

#define DATE "Wed, 02 Dec 2026 10:06:31 +0000"
#define DATE_EPOCH 1796205991   /* date -u -d 'Wed, 02 Dec 2026 10:06:31 +0000' +%s */
#define BODY "{\"MSS_ProfileReq\":{}}"
/*
 * printf '%s\n%s\n%s\n%s\n%s\n' 'Wed, 02 Dec 2026 10:06:31 +0000' POST \
 *     'mssp.example:9061' /restapi '{"MSS_ProfileReq":{}}' |
 *     openssl dgst -sha256 -hmac 'test-api-key' -r
 */
#define MAC "b3f5a66eff08cc199d374075d3bf900a81ddb59c5dafa25cd08fecef58d1baba"
/* printf '%s:%s' "$(printf http://ap.example | base64)" MAC | base64 -w0 */
#define CREDENTIALS "YUhSMGNEb3ZMMkZ3TG1WNFlXMXdiR1U9OmIzZjVhNjZlZmYwOGNjMTk5ZDM3NDA3NWQzYmY5MDBh" \
                    "ODFkZGI1OWM1ZGFmYTI1Y2QwOGZlY2VmNThkMWJhYmE="

static void test_mac_matches_openssl(void **state)
{
    (void)state;
    mss_rest_hmac_input in = {.date = DATE, .method = "POST", .host = "mssp.example:9061",
                              .path = "/restapi", .body = BODY, .body_len = strlen(BODY)};
    char hex[MSS_REST_HMAC_HEX_SIZE];
    assert_int_equal(mss_rest_hmac_sign("test-api-key", &in, hex), MSS_OK);
    assert_string_equal(hex, MAC);

    /* Empty path and body still end their lines:
     * printf '%s\n%s\n%s\n%s\n%s\n' 'Thu, 01 Jan 1970 00:00:00 +0000' POST h '' '' |
     *     openssl dgst -sha256 -hmac k -r */
    mss_rest_hmac_input empty = {.date = "Thu, 01 Jan 1970 00:00:00 +0000", .method = "POST",
                                 .host = "h", .path = "", .body = NULL, .body_len = 0};
    assert_int_equal(mss_rest_hmac_sign("k", &empty, hex), MSS_OK);
    assert_string_equal(hex, "cebd1244c86450c07f2cbabc4788eb94550ffda354e99f1b9823d3aab7645beb");
}

static void test_authorization_is_basic_of_base64_ap_id_and_mac(void **state)
{
    (void)state;
    char *value = NULL;
    assert_int_equal(mss_rest_hmac_authorization("http://ap.example", MAC, &value), MSS_OK);
    assert_string_equal(value, "Basic " CREDENTIALS);
    free(value);
    assert_int_equal(mss_rest_hmac_authorization("http://ap.example", "abc", &value),
                     MSS_ERR_ARGS);
    assert_int_equal(mss_rest_hmac_authorization("", MAC, &value), MSS_ERR_ARGS);
}

static void test_bad_keys_and_missing_fields_are_refused(void **state)
{
    (void)state;
    mss_rest_hmac_input in = {.date = DATE, .method = "POST", .host = "h", .path = "/"};
    char hex[MSS_REST_HMAC_HEX_SIZE];
    assert_int_equal(mss_rest_hmac_sign("", &in, hex), MSS_ERR_ARGS);
    char *long_key = malloc(MSS_REST_HMAC_MAX_KEY + 2);
    assert_non_null(long_key);
    memset(long_key, 'k', MSS_REST_HMAC_MAX_KEY + 1);
    long_key[MSS_REST_HMAC_MAX_KEY + 1] = '\0';
    assert_int_equal(mss_rest_hmac_sign(long_key, &in, hex), MSS_ERR_ARGS);
    long_key[MSS_REST_HMAC_MAX_KEY] = '\0';
    assert_int_equal(mss_rest_hmac_sign(long_key, &in, hex), MSS_OK);
    free(long_key);
    in.host = NULL;
    assert_int_equal(mss_rest_hmac_sign("k", &in, hex), MSS_ERR_ARGS);
    in.host = "h";
    in.body_len = 3;   /* a length without a body */
    assert_int_equal(mss_rest_hmac_sign("k", &in, hex), MSS_ERR_ARGS);
}

static void expect_target(const char *url, const char *host, const char *path)
{
    char h[64], p[64];
    assert_int_equal(mss_rest_hmac_url_target(url, h, sizeof h, p, sizeof p), 0);
    assert_string_equal(h, host);
    assert_string_equal(p, path);
}

static void test_url_gives_host_and_path_as_signed(void **state)
{
    (void)state;
    expect_target("https://mssp.example:9061/restapi", "mssp.example:9061", "/restapi");
    expect_target("https://mssp.example:443/rest/service/sign?x=1", "mssp.example",
                  "/rest/service/sign");
    expect_target("http://mssp.example:80", "mssp.example", "/"); /* sent as "POST /" */
    expect_target("https://u:p@mssp.example:4430/a#f", "mssp.example:4430", "/a");
    expect_target("https://[::1]:8443/x", "[::1]:8443", "/x");
    expect_target("https://[::1]/x", "[::1]", "/x");
    char h[8], p[8];
    assert_int_equal(mss_rest_hmac_url_target("no-scheme", h, sizeof h, p, sizeof p), -1);
    assert_int_equal(mss_rest_hmac_url_target("https:///x", h, sizeof h, p, sizeof p), -1);
    assert_int_equal(mss_rest_hmac_url_target("https://a-long-host/x", h, sizeof h, p, sizeof p), -1);
}

/* The lines the transport adds: a URL with credentials and a query signs as above. */
static void test_header_lines_sign_the_url_and_body(void **state)
{
    (void)state;
    char *date = NULL, *auth = NULL;
    assert_int_equal(mss_rest_hmac_header_lines("http://ap.example", "test-api-key",
                                                "https://u:p@mssp.example:9061/restapi?q",
                                                BODY, strlen(BODY), DATE_EPOCH, &date, &auth),
                     MSS_OK);
    assert_string_equal(date, "Date: " DATE);
    assert_string_equal(auth, "Authorization: Basic " CREDENTIALS);
    free(date);
    free(auth);
}

static void test_rfc2822_dates_are_written_and_read(void **state)
{
    (void)state;
    char out[RFC2822_DATE_SIZE];
    assert_int_equal(rfc2822_date_format(DATE_EPOCH, out, sizeof out), 0);
    assert_string_equal(out, DATE);
    assert_int_equal(rfc2822_date_format(0, out, sizeof out), 0);
    assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 +0000");
    assert_int_equal(rfc2822_date_format(0, out, 10), -1);

    time_t t = 0;
    assert_int_equal(rfc2822_date_parse(DATE, &t), 0);
    assert_int_equal(t, DATE_EPOCH);
    assert_int_equal(rfc2822_date_parse("Wed, 02 Dec 2026 12:36:31 +0230", &t), 0);
    assert_int_equal(t, DATE_EPOCH);
    assert_int_equal(rfc2822_date_parse("Wed, 2 Dec 2026 05:06:31 -0500", &t), 0);
    assert_int_equal(t, DATE_EPOCH);
    assert_int_equal(rfc2822_date_parse("Wed, 02 Dec 2026 10:06:31 GMT", &t), 0);
    assert_int_equal(t, DATE_EPOCH);
    const char *bad[] = {
        "2026-12-02T10:06:31Z", "Wed, 31 Feb 2026 10:06:31 +0000",
        "Wed, 02 Dec 2026 10:06:31 +0000 ", "Xyz, 02 Dec 2026 10:06:31 +0000",
        "Wed, 02 Dez 2026 10:06:31 +0000", "Wed, 02 Dec 2026 24:00:00 +0000",
        "Wed, 02 Dec 2026 10:06:31", "Wed,  02 Dec 2026 10:06:31 +0000",
        "Wed, 02 Dec 2026 10:06:31 +2400", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (rfc2822_date_parse(bad[i], &t) != -1)
            fail_msg("'%s' was read as a date", bad[i]);
}

static mss_error new_client_at(const char *url, const mss_binding *binding,
                               const char *http_user, mss_detail *d)
{
    mss_client_options o;
    memset(&o, 0, sizeof o);
    o.url = url;
    o.ap_id = "http://ap.example";
    o.api_key = "test-api-key";
    o.binding = binding;
    o.http_user = http_user;
    o.http_password = http_user != NULL ? "pw" : NULL;
    mss_client *c = NULL;
    mss_error rc = mss_client_new(&o, &c, d);
    mss_client_free(c);
    return rc;
}

static mss_error new_client(const mss_binding *binding, const char *http_user, mss_detail *d)
{
    return new_client_at("https://mssp.example/restapi", binding, http_user, d);
}

static void test_client_takes_an_api_key_only_with_rest_and_alone(void **state)
{
    (void)state;
    mss_detail d;
    assert_int_equal(new_client(mss_binding_rest(), NULL, &d), MSS_OK);
    assert_int_equal(new_client(NULL, NULL, &d), MSS_ERR_CONFIG);
    assert_non_null(strstr(d.text, "needs the REST binding of Kiuru"));
    assert_int_equal(new_client(mss_binding_rest_swisscom(), NULL, &d), MSS_ERR_CONFIG);
    assert_non_null(strstr(d.text, "needs the REST binding of Kiuru"));
    assert_int_equal(new_client(mss_binding_rest(), "ap", &d), MSS_ERR_CONFIG);
    assert_non_null(strstr(d.text, "api_key excludes http_user"));
    /* A URL the MAC cannot cover is refused at once, not at its first request. */
    char url[800];
    snprintf(url, sizeof url, "https://%0600d.example/restapi", 0);
    assert_int_equal(new_client_at(url, mss_binding_rest(), NULL, &d), MSS_ERR_CONFIG);
    assert_non_null(strstr(d.text, "too long to sign"));
    /* The key is a secret: no refusal repeats it. */
    assert_null(strstr(d.text, "test-api-key"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac_matches_openssl),
        cmocka_unit_test(test_authorization_is_basic_of_base64_ap_id_and_mac),
        cmocka_unit_test(test_bad_keys_and_missing_fields_are_refused),
        cmocka_unit_test(test_url_gives_host_and_path_as_signed),
        cmocka_unit_test(test_header_lines_sign_the_url_and_body),
        cmocka_unit_test(test_rfc2822_dates_are_written_and_read),
        cmocka_unit_test(test_client_takes_an_api_key_only_with_rest_and_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
