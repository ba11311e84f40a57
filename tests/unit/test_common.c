/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The shared helpers of common/: the text buffer (growth, printf, the cap and a
 * failure that sticks, handing the text over), hex and random hex (length,
 * digits, two calls differ), the deadline arithmetic of timed waits (carry
 * across a second, a deadline in the future, a monotonic clock), UTF-8 (where a
 * character ends, where text may be cut), the phone's text (its byte limit, never
 * cut inside a character, the code always whole), and xs:dateTime (zones,
 * fractions, what is refused), and base64url (RFC 4648 vectors, one text per byte
 * string).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base64url.h"
#include "hex.h"
#include "phone_text.h"
#include "random_hex.h"
#include "textbuf.h"
#include "timed_wait.h"
#include "url_list.h"
#include "utf8.h"
#include "xs_datetime.h"

static void test_textbuf_grows(void **state)
{
    (void)state;
    textbuf b;
    textbuf_init(&b, 0);
    assert_string_equal(textbuf_str(&b), "");
    /* Far past the first allocation, so it must grow several times. */
    for (int i = 0; i < 5000; i++)
        assert_int_equal(textbuf_append(&b, "abc", 3), TEXTBUF_OK);
    assert_int_equal(b.len, 15000);
    assert_true(b.cap > b.len);
    assert_int_equal(strlen(b.text), 15000);
    assert_memory_equal(b.text + 14997, "abc", 4);   /* and NUL-terminated */
    textbuf_clear(&b);
    assert_null(b.text);
    assert_int_equal(b.len, 0);
}

static void test_textbuf_printf_and_take(void **state)
{
    (void)state;
    textbuf b;
    textbuf_init(&b, 0);
    assert_int_equal(textbuf_append_str(&b, "n="), TEXTBUF_OK);
    assert_int_equal(textbuf_printf(&b, "%d,%s", 42, "x"), TEXTBUF_OK);
    assert_int_equal(textbuf_append(&b, "", 0), TEXTBUF_OK);
    size_t len = 0;
    char *text = textbuf_take(&b, &len);
    assert_string_equal(text, "n=42,x");
    assert_int_equal(len, 6);
    free(text);
    /* Taken: the buffer is empty again, and an empty one hands over "". */
    assert_null(b.text);
    text = textbuf_take(&b, &len);
    assert_non_null(text);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
}

static void test_textbuf_cap(void **state)
{
    (void)state;
    textbuf b;
    textbuf_init(&b, 8);
    assert_int_equal(textbuf_append_str(&b, "12345678"), TEXTBUF_OK);   /* exactly the cap */
    assert_int_equal(b.len, 8);
    assert_true(b.cap <= 9);   /* never allocates more than the cap can use */
    assert_int_equal(textbuf_append_str(&b, "9"), TEXTBUF_TOO_LARGE);
    assert_int_equal(b.len, 8);
    assert_string_equal(textbuf_str(&b), "12345678");
    /* The failure sticks, even for text that would fit. */
    assert_int_equal(textbuf_append(&b, "", 0), TEXTBUF_TOO_LARGE);
    assert_int_equal(textbuf_printf(&b, "%s", ""), TEXTBUF_TOO_LARGE);
    size_t len = 99;
    assert_null(textbuf_take(&b, &len));
    assert_int_equal(len, 0);
    /* After take the buffer is usable again, with the same cap. */
    assert_int_equal(textbuf_printf(&b, "%s", "123456789"), TEXTBUF_TOO_LARGE);
    textbuf_clear(&b);
    assert_int_equal(textbuf_printf(&b, "%d", 1234), TEXTBUF_OK);
    assert_string_equal(textbuf_str(&b), "1234");
    textbuf_clear(&b);
}

static void test_hex(void **state)
{
    (void)state;
    const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};
    char out[9];
    hex_encode(bytes, sizeof bytes, out);
    assert_string_equal(out, "000fa5ff");
    hex_encode(bytes, 0, out);
    assert_string_equal(out, "");
    assert_int_equal(hex_digit_value('0'), 0);
    assert_int_equal(hex_digit_value('9'), 9);
    assert_int_equal(hex_digit_value('a'), 10);
    assert_int_equal(hex_digit_value('F'), 15);
    assert_int_equal(hex_digit_value('g'), -1);
    assert_int_equal(hex_digit_value('%'), -1);
    assert_int_equal(hex_digit_value(0), -1);
}

static void test_base64url(void **state)
{
    (void)state;
    /* RFC 4648 §10's vectors, unpadded, and the two characters that differ from base64. */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const text[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    char out[16];
    unsigned char back[16];
    size_t len;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        size_t n = strlen(plain[i]);
        assert_int_equal(base64url_encode((const unsigned char *)plain[i], n, out, sizeof out), 0);
        assert_string_equal(out, text[i]);
        assert_int_equal(strlen(out), BASE64URL_ENCODED_LEN(n));
        assert_int_equal(base64url_decode(text[i], strlen(text[i]), back, sizeof back, &len), 0);
        assert_int_equal(len, n);
        assert_memory_equal(back, plain[i], n);
    }
    const unsigned char high[] = {0xfb, 0xff};
    assert_int_equal(base64url_encode(high, sizeof high, out, sizeof out), 0);
    assert_string_equal(out, "-_8");
    /* Refused: padding, the base64 alphabet's '+' and '/', a length of 1 mod 4, non-zero
     * unused bits ("Zh" would otherwise also mean "f"), no room. */
    assert_int_equal(base64url_decode("Zg==", 4, back, sizeof back, &len), -1);
    assert_int_equal(base64url_decode("+/8", 3, back, sizeof back, &len), -1);
    assert_int_equal(base64url_decode("Zm9vY", 5, back, sizeof back, &len), -1);
    assert_int_equal(base64url_decode("Zh", 2, back, sizeof back, &len), -1);
    assert_int_equal(base64url_decode("Zm9vYmFy", 8, back, 5, &len), -1);
    assert_int_equal(base64url_encode((const unsigned char *)"foo", 3, out, 4), -1);
}

static void test_random_hex(void **state)
{
    (void)state;
    char a[33], b[33];
    assert_int_equal(random_hex(a, sizeof a, 16), 0);
    assert_int_equal(random_hex(b, sizeof b, 16), 0);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_int_equal(strspn(b, "0123456789abcdef"), 32);
    assert_string_not_equal(a, b);   /* 128 random bits: equal only by a bug */
    /* Too small a buffer, no bytes, too many bytes: refused, and no stale text. */
    assert_int_equal(random_hex(a, 32, 16), -1);
    assert_string_equal(a, "");
    assert_int_equal(random_hex(a, sizeof a, 0), -1);
    char big[2 * RANDOM_HEX_MAX_BYTES + 3];
    assert_int_equal(random_hex(big, sizeof big, RANDOM_HEX_MAX_BYTES + 1), -1);
    assert_int_equal(random_hex(big, sizeof big, RANDOM_HEX_MAX_BYTES), 0);
    assert_int_equal(strlen(big), 2 * RANDOM_HEX_MAX_BYTES);
}

static void test_timespec_add_ms(void **state)
{
    (void)state;
    struct timespec t = {.tv_sec = 5, .tv_nsec = 999000000L};
    struct timespec r = timespec_add_ms(t, 2);   /* across a second boundary */
    assert_int_equal(r.tv_sec, 6);
    assert_int_equal(r.tv_nsec, 1000000L);
    r = timespec_add_ms(t, 1);   /* onto the boundary exactly */
    assert_int_equal(r.tv_sec, 6);
    assert_int_equal(r.tv_nsec, 0);
    r = timespec_add_ms(t, 2500);   /* whole seconds plus a carry */
    assert_int_equal(r.tv_sec, 8);
    assert_int_equal(r.tv_nsec, 499000000L);
    r = timespec_add_ms(t, 0);
    assert_int_equal(r.tv_sec, 5);
    assert_int_equal(r.tv_nsec, 999000000L);
}

static void test_timespec_after_ms(void **state)
{
    (void)state;
    struct timespec before;
    clock_gettime(CLOCK_REALTIME, &before);
    struct timespec d = timespec_after_ms(1500);
    struct timespec after;
    clock_gettime(CLOCK_REALTIME, &after);
    assert_true(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
    /* In [before + 1.5 s, after + 1.5 s], compared in nanoseconds. */
    int64_t dn = (int64_t)d.tv_sec * 1000000000 + d.tv_nsec;
    int64_t lo = (int64_t)before.tv_sec * 1000000000 + before.tv_nsec + 1500000000;
    int64_t hi = (int64_t)after.tv_sec * 1000000000 + after.tv_nsec + 1500000000;
    assert_true(dn >= lo && dn <= hi);
}

static void test_monotonic(void **state)
{
    (void)state;
    uint64_t ms = monotonic_ms();
    uint64_t us = monotonic_us();
    assert_true(us / 1000u >= ms);
    struct timespec pause = {0, 20 * 1000000L};
    nanosleep(&pause, NULL);
    assert_true(monotonic_ms() >= ms + 20);
    assert_true(monotonic_us() >= us + 20000);
}

static void test_utf8_sequence(void **state)
{
    (void)state;
    const unsigned char *s = (const unsigned char *)"a\xc3\xa4\xe2\x82\xac\xf0\x9f\x94\x91";
    assert_int_equal(utf8_sequence(s, 10), 1);
    assert_int_equal(utf8_sequence(s + 1, 9), 2);
    assert_int_equal(utf8_sequence(s + 3, 7), 3);
    assert_int_equal(utf8_sequence(s + 6, 4), 4);
    assert_int_equal(utf8_sequence(s + 6, 3), 0);   /* cut short */
    assert_int_equal(utf8_sequence(s + 2, 8), 0);   /* a continuation byte */
    assert_int_equal(utf8_sequence((const unsigned char *)"\xc0\xaf", 2), 0);          /* overlong */
    assert_int_equal(utf8_sequence((const unsigned char *)"\xed\xa0\x80", 3), 0);     /* surrogate */
    assert_int_equal(utf8_sequence((const unsigned char *)"\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    assert_int_equal(utf8_sequence((const unsigned char *)"\xe4" "A", 2), 0);
}

static void test_utf8_clip(void **state)
{
    (void)state;
    assert_int_equal(utf8_clip("abc", 5), 3);
    assert_int_equal(utf8_clip("abc", 3), 3);
    assert_int_equal(utf8_clip("abc", 2), 2);
    /* "aä€": a (1 byte), ä (2), € (3): a cut inside a character drops all of it. */
    const char *s = "a\xc3\xa4\xe2\x82\xac";
    assert_int_equal(utf8_clip(s, 6), 6);
    assert_int_equal(utf8_clip(s, 5), 3);
    assert_int_equal(utf8_clip(s, 4), 3);
    assert_int_equal(utf8_clip(s, 2), 1);
    assert_int_equal(utf8_clip(s, 0), 0);
}

static void test_phone_text(void **state)
{
    (void)state;
    char out[PHONE_TEXT_SIZE];
    phone_text_format(out, "ssh", 0, "Authentication key", "0042");
    assert_string_equal(out, "ssh: Sign in with Authentication key? Code 0042");
    phone_text_format(out, "mss-tool test", 1, "Signing key", "1234");
    assert_string_equal(out, "mss-tool test: Sign with Signing key? Code 1234");
    phone_text_format(out, NULL, 1, "K", "1234");
    assert_string_equal(out, "Sign with K? Code 1234");
    phone_text_format(out, "", 0, "K", "1234");
    assert_string_equal(out, "Sign in with K? Code 1234");

    /* A long program name is cut to PHONE_TEXT_WHO_MAX bytes. */
    phone_text_format(out, "a-program-with-a-very-long-name", 1, "K", "1234");
    assert_string_equal(out, "a-program-with-a-very-lo: Sign with K? Code 1234");

    /* A long label of two-byte characters: exactly at the limit or one byte short of it,
     * never half a character, and the code stays whole at the end. */
    char label[400] = "";
    for (int i = 0; i < 150; i++)
        strcat(label, "\xc3\xa4");
    phone_text_format(out, "p", 1, label, "9876");
    size_t n = strlen(out);
    assert_true(n <= PHONE_TEXT_MAX && n >= PHONE_TEXT_MAX - 1);
    assert_string_equal(out + n - strlen("? Code 9876"), "? Code 9876");
    const char *body = out + strlen("p: Sign with ");
    size_t body_len = n - strlen("p: Sign with ") - strlen("? Code 9876");
    assert_int_equal(body_len % 2, 0);
    for (size_t i = 0; i < body_len; i += 2)
        assert_memory_equal(body + i, "\xc3\xa4", 2);
}

static void test_xs_datetime(void **state)
{
    (void)state;
    time_t t = 0;
    /* 2026-11-27T08:00:00Z is 1795766400 (date -u -d 2026-11-27T08:00:00Z +%s). */
    assert_int_equal(xs_datetime_parse("2026-11-27T08:00:00Z", &t), 0);
    assert_int_equal((long long)t, 1795766400LL);
    assert_int_equal(xs_datetime_parse("2026-11-27T10:00:00+02:00", &t), 0);
    assert_int_equal((long long)t, 1795766400LL);
    assert_int_equal(xs_datetime_parse("2026-11-27T07:30:02.250-00:30", &t), 0);
    assert_int_equal((long long)t, 1795766400LL + 2);
    assert_int_equal(xs_datetime_parse("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal((long long)t, 0);
    /* A leap second is the first second of the next minute, even across midnight. */
    assert_int_equal(xs_datetime_parse("2016-12-31T23:59:60Z", &t), 0);
    assert_int_equal((long long)t, 1483228800LL);

    /* Refused: no zone, impossible dates and times, stray text, wrong shapes. */
    const char *bad[] = {
        "2026-11-27T08:00:00", "2026-02-30T08:00:00Z", "2026-13-01T08:00:00Z",
        "2026-11-27T24:00:00Z", "2026-11-27T08:60:00Z", "2026-11-27T08:00:61Z",
        "2026-11-27 08:00:00Z", "2026-11-27T08:00:00Zx", "2026-11-27T08:00:00.Z",
        "2026-11-27T08:00:00+2:00", "2026-11-27T08:00:00+15:00", "26-11-27T08:00:00Z",
        "", "1969-12-31T23:59:59Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = 42;
        assert_int_equal(xs_datetime_parse(bad[i], &t), -1);
        assert_int_equal((long long)t, 42);
    }
    assert_int_equal(xs_datetime_parse(NULL, &t), -1);
}

/* The blank-separated URL lists of the client options and the configuration file. */
static void test_url_list(void **state)
{
    (void)state;
    url_list l;
    char why[160];
    assert_int_equal(url_list_parse("url", " https://a/x\thttps://b:1/y  ", 0, &l, why, sizeof why), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.url[0], "https://a/x");
    assert_string_equal(l.url[1], "https://b:1/y");
    url_list_clear(&l);
    assert_int_equal(l.n, 0);
    url_list_clear(&l); /* twice is fine */

    assert_int_equal(url_list_parse("url", "HTTPS://A/", 0, &l, why, sizeof why), 0);
    url_list_clear(&l);
    assert_int_equal(url_list_parse("url", "http://a/", 0, &l, why, sizeof why), -1);
    assert_string_equal(why, "url must start with https:// (plain http needs allow_plain_http)");
    assert_int_equal(l.n, 0);
    assert_int_equal(url_list_parse("url", "http://a/", 1, &l, why, sizeof why), 0);
    url_list_clear(&l);
    assert_int_equal(url_list_parse("status_url", NULL, 0, &l, why, sizeof why), -1);
    assert_string_equal(why, "status_url is required");
    assert_int_equal(url_list_parse("url", "https://a/ https://b/\x01", 0, &l, why, sizeof why), -1);
    assert_string_equal(why, "url: entry 2 of 2 contains control characters");
    assert_int_equal(url_list_parse("url", "https://a/ ,https://b/", 0, &l, why, sizeof why), -1);
    assert_string_equal(why, "url: separate the URLs with spaces, not commas");

    /* URL_MAX_LEN bytes per entry, URL_LIST_MAX entries. */
    char long_url[URL_MAX_LEN + 2];
    memset(long_url, 'a', sizeof long_url - 1);
    long_url[sizeof long_url - 1] = '\0';
    memcpy(long_url, "https://", 8);
    assert_int_equal(url_list_parse("url", long_url, 0, &l, why, sizeof why), -1);
    assert_string_equal(why, "url is longer than 2048 bytes");
    long_url[URL_MAX_LEN] = '\0';
    assert_int_equal(url_list_parse("url", long_url, 0, &l, why, sizeof why), 0);
    url_list_clear(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textbuf_grows),
        cmocka_unit_test(test_textbuf_printf_and_take),
        cmocka_unit_test(test_textbuf_cap),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_base64url),
        cmocka_unit_test(test_random_hex),
        cmocka_unit_test(test_timespec_add_ms),
        cmocka_unit_test(test_timespec_after_ms),
        cmocka_unit_test(test_monotonic),
        cmocka_unit_test(test_utf8_sequence),
        cmocka_unit_test(test_utf8_clip),
        cmocka_unit_test(test_phone_text),
        cmocka_unit_test(test_xs_datetime),
        cmocka_unit_test(test_url_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
