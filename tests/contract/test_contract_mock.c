/* SPDX-License-Identifier: BSD-3-Clause */
/* The contract table against the in-process mock MSSP (plain http on 127.0.0.1), over
 * SOAP and over REST. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "contract.h"
#include "mock_scenarios.h"

/* The mock answers each request in the binding it came in (by its Content-Type). */
static void run_over(const mss_binding *binding)
{
    server *s = server_start(respond_scenarios, NULL, NULL);
    mss_client_options o = {.url = s->url, .ap_id = "http://ap.contract.test",
                            .allow_plain_http = 1, .timeout_s = 30, .binding = binding};
    contract_run_all(&o);
    server_stop(s);
}

static void test_mock_keeps_the_contract_over_soap(void **state)
{
    (void)state;
    run_over(mss_binding_soap());
}

static void test_mock_keeps_the_contract_over_rest(void **state)
{
    (void)state;
    run_over(mss_binding_rest());
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_mock_keeps_the_contract_over_soap),
                                       cmocka_unit_test(test_mock_keeps_the_contract_over_rest)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
