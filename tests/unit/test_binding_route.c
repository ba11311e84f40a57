/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/binding_route.c, the one choice of binding refmssp and mss-relay both make: JSON
 * on any path and any body on Kiuru's /restapi are REST for any request; Swisscom's
 * /rest/service/… paths are REST for their own request only; everything else is SOAP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "binding_route.h"

#include <mss/rest.h>
#include <mss/soap.h>

static void expect_route(const char *path, int is_json, const mss_binding *binding,
                         mss_message_type expect)
{
    srv_route r;
    srv_route_pick(path, is_json, &r);
    assert_ptr_equal(r.binding, binding);
    assert_int_equal(r.expect, expect);
    assert_int_equal(srv_route_is_rest(&r), binding == mss_binding_rest());
}

static void test_json_and_kiuru_are_rest_for_any_request(void **state)
{
    (void)state;
    expect_route("/mss", 1, mss_binding_rest(), 0);
    expect_route("/anything", 1, mss_binding_rest(), 0);
    expect_route("/restapi", 0, mss_binding_rest(), 0);
    expect_route("/restapi", 1, mss_binding_rest(), 0);
}

static void test_swisscom_paths_take_their_own_request(void **state)
{
    (void)state;
    expect_route("/rest/service/sign", 0, mss_binding_rest(), MSS_MSG_SIGNATURE_REQ);
    expect_route("/rest/service/status", 1, mss_binding_rest(), MSS_MSG_STATUS_REQ);
    expect_route("/rest/service/receipt", 0, mss_binding_rest(), MSS_MSG_RECEIPT_REQ);
    expect_route("/rest/service/profile", 1, mss_binding_rest(), MSS_MSG_PROFILE_REQ);
    /* only the exact paths */
    expect_route("/rest/service/sign/", 0, mss_binding_soap(), 0);
    expect_route("/rest/service", 0, mss_binding_soap(), 0);
}

static void test_everything_else_is_soap(void **state)
{
    (void)state;
    expect_route("/mss", 0, mss_binding_soap(), 0);
    expect_route("/soap/services/MSS_SignaturePort", 0, mss_binding_soap(), 0);
    expect_route(NULL, 0, mss_binding_soap(), 0);
    expect_route(NULL, 1, mss_binding_rest(), 0);
}

static void test_the_content_type_rule_names_the_binding(void **state)
{
    (void)state;
    srv_route rest = {mss_binding_rest(), 0}, soap = {mss_binding_soap(), 0};
    assert_non_null(strstr(srv_route_content_type_rule(&rest), "application/json"));
    assert_non_null(strstr(srv_route_content_type_rule(&soap), "application/soap+xml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_and_kiuru_are_rest_for_any_request),
        cmocka_unit_test(test_swisscom_paths_take_their_own_request),
        cmocka_unit_test(test_everything_else_is_soap),
        cmocka_unit_test(test_the_content_type_rule_names_the_binding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
