/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one table from libmssclient errors and MSS status codes to CK_RV (rv_map.c),
 * linked directly: the documented answers, first-match consistency, and that every
 * mss_error has a defined answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "module.h"

static void test_documented_answers(void **state)
{
    static const struct {
        mss_error err;
        int status;
        CK_RV rv;
    } rows[] = {
        {MSS_ERR_FAULT, 401, CKR_FUNCTION_CANCELED},   /* user cancel */
        {MSS_ERR_STATUS, 401, CKR_FUNCTION_CANCELED},
        {MSS_ERR_STATUS, 208, CKR_FUNCTION_CANCELED},  /* expired */
        {MSS_ERR_TIMEOUT, 0, CKR_FUNCTION_CANCELED},
        {MSS_ERR_CANCELED, 0, CKR_FUNCTION_CANCELED},
        {MSS_ERR_FAULT, 402, CKR_PIN_LOCKED},
        {MSS_ERR_STATUS, 403, CKR_PIN_LOCKED},
        {MSS_ERR_FAULT, 105, CKR_DEVICE_ERROR},        /* unknown user */
        {MSS_ERR_FAULT, 404, CKR_DEVICE_ERROR},
        {MSS_ERR_FAULT, 422, CKR_DEVICE_ERROR},
        {MSS_ERR_FAULT, 406, CKR_FUNCTION_FAILED},     /* busy */
        {MSS_ERR_FAULT, 900, CKR_DEVICE_ERROR},        /* MSSP internal error, relay upstream down */
        {MSS_ERR_TRANSPORT, 0, CKR_DEVICE_ERROR},      /* unreachable */
        {MSS_ERR_TLS, 0, CKR_DEVICE_ERROR},
        {MSS_ERR_HTTP, 500, CKR_DEVICE_ERROR},
        {MSS_ERR_SIGNATURE_INVALID, 0, CKR_DEVICE_ERROR}, /* tampered */
        {MSS_ERR_FORMAT, 0, CKR_DEVICE_ERROR},
        {MSS_ERR_NOMEM, 0, CKR_HOST_MEMORY},
        {MSS_ERR_FAULT, 109, P11_RV_FALLBACK},         /* an unlisted refusal */
        {MSS_ERR_STATUS, 0, P11_RV_FALLBACK},
        {MSS_ERR_CONFIG, 0, P11_RV_FALLBACK},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(p11_rv_from_mss(rows[i].err, rows[i].status), rows[i].rv);
}

static void test_every_row_is_reachable_and_unique(void **state)
{
    size_t n = 0, i, j;
    const p11_rv_rule *rules = p11_rv_rules(&n);

    (void)state;
    assert_true(n > 0);
    for (i = 0; i < n; i++) {
        /* First match wins: a row shadowed by an earlier one would be dead. */
        assert_int_equal(p11_rv_from_mss(rules[i].err, rules[i].status_code), rules[i].rv);
        for (j = 0; j < i; j++)
            assert_false(rules[j].err == rules[i].err &&
                         (rules[j].status_code == 0 ||
                          rules[j].status_code == rules[i].status_code));
    }
}

static void test_every_error_has_an_answer(void **state)
{
    int e;
    char buf[32];

    (void)state;
    for (e = MSS_ERR_NOMEM; e <= MSS_ERR_CONFIG; e++) {
        CK_RV rv = p11_rv_from_mss((mss_error)e, 0);

        assert_true(rv != CKR_OK);
        assert_true(strncmp(p11_rv_name(rv, buf, sizeof buf), "CKR_0x", 6) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_answers),
        cmocka_unit_test(test_every_row_is_reachable_and_unique),
        cmocka_unit_test(test_every_error_has_an_answer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
