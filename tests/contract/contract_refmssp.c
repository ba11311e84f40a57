/* SPDX-License-Identifier: BSD-3-Clause */
/* The contract table against refmssp on loopback, over SOAP and over REST;
 * test_contract_refmssp.sh starts it and names its folder (REFMSSP_DIR) and URL (MSS_URL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "contract.h"

static char path_buf[4][4096];

static const char *in_dir(int slot, const char *dir, const char *name)
{
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", dir, name);
    return path_buf[slot];
}

static void run_over(const mss_binding *binding)
{
    const char *dir = getenv("REFMSSP_DIR"), *url = getenv("MSS_URL");
    if (dir == NULL || url == NULL)
        fail_msg("REFMSSP_DIR and MSS_URL must name a running refmssp");
    char ap_pwd[256] = "";
    FILE *f = fopen(in_dir(3, dir, "ap_pwd"), "r");
    assert_non_null(f);
    assert_non_null(fgets(ap_pwd, sizeof ap_pwd, f));
    fclose(f);
    ap_pwd[strcspn(ap_pwd, "\r\n")] = '\0';
    mss_client_options o = {.url = url, .ca_file = in_dir(0, dir, "ca.pem"),
                            .client_cert = in_dir(1, dir, "ap.pem"),
                            .client_key = in_dir(2, dir, "ap.key"),
                            .ap_id = "http://ap.refmssp.test", .ap_pwd = ap_pwd,
                            .timeout_s = 30, .binding = binding};
    contract_run_all(&o);
}

/* refmssp tells the bindings apart by Content-Type on the same URL. */
static void test_refmssp_keeps_the_contract_over_soap(void **state)
{
    (void)state;
    run_over(mss_binding_soap());
}

static void test_refmssp_keeps_the_contract_over_rest(void **state)
{
    (void)state;
    run_over(mss_binding_rest());
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_refmssp_keeps_the_contract_over_soap),
                                       cmocka_unit_test(test_refmssp_keeps_the_contract_over_rest)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
