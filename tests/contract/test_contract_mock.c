/* SPDX-License-Identifier: BSD-3-Clause */
/* The contract table against the in-process mock MSSP (plain http on 127.0.0.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "contract.h"
#include "mock_scenarios.h"

static void test_mock_keeps_the_contract(void **state)
{
    (void)state;
    server *s = server_start(respond_scenarios, NULL, NULL);
    mss_client_options o = {.url = s->url, .ap_id = "http://ap.contract.test",
                            .allow_plain_http = 1, .timeout_s = 30};
    contract_run_all(&o);
    server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_mock_keeps_the_contract)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
