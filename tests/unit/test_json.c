/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/json: what a string becomes (each escape, characters kept as they are, bytes
 * that are not UTF-8 replaced one by one), and the shape of a document (commas,
 * indentation, empty containers, the compact form) and the misuses json_finish reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* S as a JSON string, in a buffer the caller frees. */
static char *escaped(const char *s)
{
    textbuf b;
    textbuf_init(&b, 0);
    jw_append_string(&b, s);
    char *text = textbuf_take(&b, NULL);
    assert_non_null(text);
    return text;
}

static void expect_escaped(const char *s, const char *want)
{
    char *got = escaped(s);
    assert_string_equal(got, want);
    free(got);
}

/* A document being written: its buffer (capped at CAP bytes, 0: none) and writer. */
typedef struct doc {
    textbuf b;
    jw_writer w;
} doc;

static jw_writer *doc_open(doc *d, size_t cap, int pretty)
{
    textbuf_init(&d->b, cap);
    jw_writer_init(&d->w, &d->b, pretty);
    return &d->w;
}

static void test_escapes(void **state)
{
    (void)state;
    expect_escaped("plain text", "\"plain text\"");
    expect_escaped("", "\"\"");
    expect_escaped(NULL, "null");
    expect_escaped("say \"hi\"", "\"say \\\"hi\\\"\"");
    expect_escaped("C:\\dir", "\"C:\\\\dir\"");
    expect_escaped("a\nb\rc\td\be\ff", "\"a\\nb\\rc\\td\\be\\ff\"");
    /* The other control characters and DEL as \u escapes. */
    expect_escaped("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    /* Markup characters too, so the text is safe inside an HTML page. */
    expect_escaped("<b>&</b>", "\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\"");
    /* '/' and non-ASCII UTF-8 stay as they are. */
    expect_escaped("CN=J\xc3\xbcrgen/O=\xe2\x82\xac \xf0\x9f\x94\x91",
                   "\"CN=J\xc3\xbcrgen/O=\xe2\x82\xac \xf0\x9f\x94\x91\"");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* A Latin-1 byte, a lone continuation byte, a cut sequence at the end. */
    expect_escaped("J\xfcrgen", "\"J\\ufffdrgen\"");
    expect_escaped("a\x80z", "\"a\\ufffdz\"");
    expect_escaped("end\xe2\x82", "\"end\\ufffd\\ufffd\"");
    /* A sequence cut by an ASCII byte: the ASCII byte survives. */
    expect_escaped("\xc3" "A", "\"\\ufffdA\"");
    /* Overlong "/" (C0 AF), a UTF-16 surrogate (ED A0 80), past U+10FFFF (F4 90 80 80). */
    expect_escaped("\xc0\xaf", "\"\\ufffd\\ufffd\"");
    expect_escaped("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    expect_escaped("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    /* The largest code point is fine. */
    expect_escaped("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");
}

static void test_pretty_document(void **state)
{
    (void)state;
    doc d;
    jw_writer *w = doc_open(&d, 0, 1);
    jw_object_begin(w);
    jw_member_string(w, "name", "demo");
    jw_member_int(w, "days", -3);
    jw_member_bool(w, "ok", 0);
    jw_key(w, "none");
    jw_null(w);
    jw_key(w, "list");
    jw_array_begin(w);
    jw_int(w, 1);
    jw_object_begin(w);
    jw_member_string(w, "k", NULL);
    jw_object_end(w);
    jw_array_end(w);
    jw_key(w, "empty");
    jw_array_begin(w);
    jw_array_end(w);
    jw_key(w, "nothing");
    jw_object_begin(w);
    jw_object_end(w);
    jw_object_end(w);
    assert_int_equal(jw_finish(w), 0);
    assert_string_equal(textbuf_str(&d.b), "{\n"
                                         "  \"name\": \"demo\",\n"
                                         "  \"days\": -3,\n"
                                         "  \"ok\": false,\n"
                                         "  \"none\": null,\n"
                                         "  \"list\": [\n"
                                         "    1,\n"
                                         "    {\n"
                                         "      \"k\": null\n"
                                         "    }\n"
                                         "  ],\n"
                                         "  \"empty\": [],\n"
                                         "  \"nothing\": {}\n"
                                         "}\n");
    textbuf_clear(&d.b);
}

static void test_compact_document(void **state)
{
    (void)state;
    doc d;
    jw_writer *w = doc_open(&d, 0, 0);
    jw_array_begin(w);
    jw_string(w, "a\"");
    jw_bool(w, 1);
    jw_object_begin(w);
    jw_member_int(w, "n", 7);
    jw_member_string(w, "s", "x");
    jw_object_end(w);
    jw_array_end(w);
    assert_int_equal(jw_finish(w), 0);
    assert_string_equal(textbuf_str(&d.b), "[\"a\\\"\",true,{\"n\":7,\"s\":\"x\"}]\n");
    textbuf_clear(&d.b);
}

/* Each misuse, on a fresh writer, makes json_finish fail. */
typedef void (*misuse_fn)(jw_writer *w);

static void value_without_key(jw_writer *w)
{
    jw_object_begin(w);
    jw_int(w, 1);
    jw_object_end(w);
}
static void key_in_array(jw_writer *w)
{
    jw_array_begin(w);
    jw_key(w, "k");
    jw_int(w, 1);
    jw_array_end(w);
}
static void key_without_value(jw_writer *w)
{
    jw_object_begin(w);
    jw_key(w, "k");
    jw_object_end(w);
}
static void wrong_close(jw_writer *w)
{
    jw_object_begin(w);
    jw_array_end(w);
}
static void left_open(jw_writer *w) { jw_array_begin(w); }
static void two_documents(jw_writer *w)
{
    jw_int(w, 1);
    jw_int(w, 2);
}
static void nothing(jw_writer *w) { (void)w; }
static void too_deep(jw_writer *w)
{
    for (int i = 0; i <= JSON_MAX_DEPTH; i++)
        jw_array_begin(w);
    for (int i = 0; i <= JSON_MAX_DEPTH; i++)
        jw_array_end(w);
}

static void test_misuse(void **state)
{
    (void)state;
    const misuse_fn misuses[] = {value_without_key, key_in_array, key_without_value,
                                 wrong_close, left_open, two_documents, nothing, too_deep};
    doc d;
    for (size_t i = 0; i < sizeof misuses / sizeof misuses[0]; i++) {
        doc_open(&d, 0, 1);
        misuses[i](&d.w);
        assert_int_equal(jw_finish(&d.w), -1);
        textbuf_clear(&d.b);
    }
    /* JSON_MAX_DEPTH itself is fine. */
    doc_open(&d, 0, 0);
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        jw_array_begin(&d.w);
    for (int i = 0; i < JSON_MAX_DEPTH; i++)
        jw_array_end(&d.w);
    assert_int_equal(jw_finish(&d.w), 0);
    textbuf_clear(&d.b);
}

/* A buffer that runs out of room fails the document too. */
static void test_full_buffer(void **state)
{
    (void)state;
    doc d;
    doc_open(&d, 8, 0);
    jw_string(&d.w, "longer than eight bytes");
    assert_int_equal(jw_finish(&d.w), -1);
    textbuf_clear(&d.b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_pretty_document),
        cmocka_unit_test(test_compact_document),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_full_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
