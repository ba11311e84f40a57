/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's open requests per phone (relay/pending.c): up to max_per_phone per MSISDN,
 * phones independent (also those that share a hash chain); a request ends when closed
 * or at its deadline; a busy phone names a blocking request the MSSP can be asked about;
 * memory is bounded and a full table refuses (fails closed) until an entry ends. Time is
 * passed in, so nothing here waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "pending.h"

static void test_one_per_phone_until_closed(void **state)
{
    (void)state;
    relay_pending *p = relay_pending_new(1, 100);
    assert_non_null(p);
    uint64_t t = 1000;
    relay_pending_entry b;
    assert_int_equal(relay_pending_open(p, "+1001", "a", t, t + 5000, NULL), RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_open(p, "+1001", "b", t, t + 5000, &b), RELAY_PENDING_BUSY);
    /* still being sent: nothing the MSSP could be asked about yet */
    assert_string_equal(b.id, "");
    assert_int_equal(b.url, -1);
    /* another phone is not busy */
    assert_int_equal(relay_pending_open(p, "+1002", "c", t, t + 5000, NULL), RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_count(p, t), 2);
    /* closing another id or another phone's id changes nothing */
    relay_pending_close(p, "+1001", "c");
    relay_pending_close(p, "+1002", "a");
    assert_int_equal(relay_pending_open(p, "+1001", "b", t, t + 5000, NULL), RELAY_PENDING_BUSY);
    relay_pending_close(p, "+1001", "a");
    assert_int_equal(relay_pending_open(p, "+1001", "b", t, t + 5000, NULL), RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_count(p, t), 2);
    relay_pending_free(p);
}

static void test_named_request_is_the_one_to_ask_about(void **state)
{
    (void)state;
    relay_pending *p = relay_pending_new(2, 100);
    uint64_t t = 1000;
    relay_pending_entry b;
    assert_int_equal(relay_pending_open(p, "+1001", "sending-1", t, t + 5000, NULL),
                     RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_open(p, "+1001", "sending-2", t, t + 5000, NULL),
                     RELAY_PENDING_ADDED);
    relay_pending_named(p, "+1001", "sending-1", "UP-77", 1);
    assert_int_equal(relay_pending_open(p, "+1001", "sending-3", t, t + 5000, &b),
                     RELAY_PENDING_BUSY);
    assert_string_equal(b.id, "UP-77");
    assert_int_equal(b.url, 1);
    /* it is now known by the upstream's id */
    relay_pending_close(p, "+1001", "sending-1");
    assert_int_equal(relay_pending_count(p, t), 2);
    relay_pending_close(p, "+1001", "UP-77");
    assert_int_equal(relay_pending_count(p, t), 1);
    relay_pending_free(p);
}

static void test_deadline_ends_a_request(void **state)
{
    (void)state;
    relay_pending *p = relay_pending_new(1, 100);
    uint64_t t = 1000;
    assert_int_equal(relay_pending_open(p, "+1001", "a", t, t + 5000, NULL), RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_open(p, "+1001", "b", t + 4999, t + 9000, NULL),
                     RELAY_PENDING_BUSY);
    assert_int_equal(relay_pending_count(p, t + 5000), 0);
    assert_int_equal(relay_pending_open(p, "+1001", "b", t + 5000, t + 9000, NULL),
                     RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_count(p, t + 5000), 1);
    relay_pending_free(p);
}

static void test_full_table_fails_closed(void **state)
{
    (void)state;
    relay_pending *p = relay_pending_new(1, 3);
    uint64_t t = 1000;
    char phone[16];
    for (int i = 0; i < 3; i++) {
        snprintf(phone, sizeof phone, "+100%d", i);
        assert_int_equal(relay_pending_open(p, phone, "a", t, t + 1000 * (i + 1), NULL),
                         RELAY_PENDING_ADDED);
    }
    assert_int_equal(relay_pending_open(p, "+2000", "a", t, t + 5000, NULL), RELAY_PENDING_FULL);
    /* a busy phone is still told busy when the table is full */
    assert_int_equal(relay_pending_open(p, "+1000", "b", t, t + 5000, NULL), RELAY_PENDING_BUSY);
    /* a closed entry makes room */
    relay_pending_close(p, "+1001", "a");
    assert_int_equal(relay_pending_open(p, "+2000", "a", t, t + 5000, NULL), RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_open(p, "+2001", "a", t, t + 5000, NULL), RELAY_PENDING_FULL);
    /* so does one past its deadline (+1000's, at t + 1000), whatever its phone */
    assert_int_equal(relay_pending_open(p, "+2001", "a", t + 1000, t + 5000, NULL),
                     RELAY_PENDING_ADDED);
    assert_int_equal(relay_pending_count(p, t + 1000), 3);
    relay_pending_free(p);
}

/* More phones than chains in a small table: phones that share a chain stay apart. */
static void test_many_phones_stay_apart(void **state)
{
    (void)state;
    enum { PHONES = 500 };
    relay_pending *p = relay_pending_new(1, PHONES);
    uint64_t t = 1000;
    char phone[16], id[16];
    for (int i = 0; i < PHONES; i++) {
        snprintf(phone, sizeof phone, "+3%05d", i);
        snprintf(id, sizeof id, "s%d", i);
        assert_int_equal(relay_pending_open(p, phone, id, t, t + 5000, NULL), RELAY_PENDING_ADDED);
    }
    assert_int_equal(relay_pending_count(p, t), PHONES);
    for (int i = 0; i < PHONES; i++) {
        snprintf(phone, sizeof phone, "+3%05d", i);
        assert_int_equal(relay_pending_open(p, phone, "x", t, t + 5000, NULL), RELAY_PENDING_BUSY);
    }
    for (int i = 0; i < PHONES; i += 2) {
        snprintf(phone, sizeof phone, "+3%05d", i);
        snprintf(id, sizeof id, "s%d", i);
        relay_pending_close(p, phone, id);
    }
    assert_int_equal(relay_pending_count(p, t), PHONES / 2);
    for (int i = 0; i < PHONES; i++) {
        snprintf(phone, sizeof phone, "+3%05d", i);
        assert_int_equal(relay_pending_open(p, phone, "y", t, t + 5000, NULL),
                         i % 2 == 0 ? RELAY_PENDING_ADDED : RELAY_PENDING_BUSY);
    }
    relay_pending_free(p);
}

static void test_bad_settings_are_refused(void **state)
{
    (void)state;
    assert_null(relay_pending_new(0, 10));
    assert_null(relay_pending_new(101, 10));
    assert_null(relay_pending_new(1, 0));
    assert_null(relay_pending_new(1, 1000001));
    relay_pending_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_per_phone_until_closed),
        cmocka_unit_test(test_named_request_is_the_one_to_ask_about),
        cmocka_unit_test(test_deadline_ends_a_request),
        cmocka_unit_test(test_full_table_fails_closed),
        cmocka_unit_test(test_many_phones_stay_apart),
        cmocka_unit_test(test_bad_settings_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
