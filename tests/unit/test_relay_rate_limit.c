/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's rate limiter (relay/rate_limit.c): a burst up to the limit, then one
 * request per 60/limit seconds; keys are independent; memory stays bounded, an idle key
 * is forgotten without changing any answer, and a flood of new keys is refused rather
 * than let through. Time is passed in, so nothing here waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rate_limit.h"

static void test_burst_then_refill(void **state)
{
    (void)state;
    relay_rate_limit *rl = relay_rate_limit_new(6, 100); /* one per 10 s */
    assert_non_null(rl);
    uint64_t t = 1000000;
    for (int i = 0; i < 6; i++)
        assert_true(relay_rate_limit_take(rl, "alice", t));
    assert_false(relay_rate_limit_take(rl, "alice", t));
    assert_false(relay_rate_limit_take(rl, "alice", t + 9999));
    assert_true(relay_rate_limit_take(rl, "alice", t + 10000));
    assert_false(relay_rate_limit_take(rl, "alice", t + 10000));
    /* A refused request takes nothing: the next one is due 10 s after the last allowed. */
    assert_true(relay_rate_limit_take(rl, "alice", t + 20000));
    /* Another key has its own bucket. */
    assert_true(relay_rate_limit_take(rl, "+358401234567", t));
    /* A long pause refills to the burst, not beyond. */
    uint64_t later = t + 24ull * 3600 * 1000;
    for (int i = 0; i < 6; i++)
        assert_true(relay_rate_limit_take(rl, "alice", later));
    assert_false(relay_rate_limit_take(rl, "alice", later));
    relay_rate_limit_free(rl);
}

static void test_memory_is_bounded_and_fails_closed(void **state)
{
    (void)state;
    relay_rate_limit *rl = relay_rate_limit_new(2, 3);
    uint64_t t = 5000;
    char key[16];
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key, "user%d", i);
        assert_true(relay_rate_limit_take(rl, key, t));
    }
    assert_int_equal(relay_rate_limit_tracked(rl), 3);
    /* Every tracked key is still limited: a new one is refused, never let through. */
    assert_false(relay_rate_limit_take(rl, "newcomer", t));
    assert_int_equal(relay_rate_limit_tracked(rl), 3);
    /* user0..2 refill after 30 s (2 a minute): forgotten when room is needed. */
    assert_true(relay_rate_limit_take(rl, "newcomer", t + 30000));
    assert_int_equal(relay_rate_limit_tracked(rl), 1);
    /* Forgetting changed nothing: user0 has its full burst, as if remembered. */
    assert_true(relay_rate_limit_take(rl, "user0", t + 30000));
    assert_true(relay_rate_limit_take(rl, "user0", t + 30000));
    assert_false(relay_rate_limit_take(rl, "user0", t + 30000));
    relay_rate_limit_free(rl);
}

static void test_bad_settings_are_refused(void **state)
{
    (void)state;
    assert_null(relay_rate_limit_new(0, 10));
    assert_null(relay_rate_limit_new(1000001, 10));
    assert_null(relay_rate_limit_new(10, 0));
    relay_rate_limit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_refill),
        cmocka_unit_test(test_memory_is_bounded_and_fails_closed),
        cmocka_unit_test(test_bad_settings_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
