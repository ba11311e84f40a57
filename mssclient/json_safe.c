/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Safe parsing of untrusted JSON with jansson. jansson checks UTF-8 (including the
 * \u escapes: no lone surrogates, no NUL unless asked), refuses duplicate keys with
 * JSON_REJECT_DUPLICATES, integers that overflow json_int_t and reals that overflow a
 * double, and trailing data. Its own depth limit is a compile-time 2048, far beyond
 * what an MSS message needs, so the nesting is counted here first, before any tree is
 * built: a hostile body of brackets costs one pass over its bytes.
 */
#include <string.h>
#include "json_safe.h"

/* The deepest nesting of objects and arrays in text, outside strings; stops counting
 * (and returns) once past limit. Brackets of malformed text are counted the same way:
 * the parser refuses such text afterwards anyway. */
static int nesting_depth(const char *text, size_t len, int limit)
{
    int depth = 0, deepest = 0, in_string = 0, escaped = 0;
    for (size_t i = 0; i < len && deepest <= limit; i++) {
        char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = 0;
            else if (c == '\\')
                escaped = 1;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"') {
            in_string = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > deepest)
                deepest = depth;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

mss_error mss_json_parse_safe(const char *body, size_t body_len, json_t **root, mss_dec *d)
{
    *root = NULL;
    if (body == NULL)
        return mss_dec_fail(d, MSS_ERR_ARGS, "no JSON given");
    if (body_len > MSS_MAX_BODY)
        return mss_dec_fail(d, MSS_ERR_TOO_LARGE, "message of %zu bytes exceeds the %d-byte limit",
                            body_len, MSS_MAX_BODY);
    if (body_len == 0)
        return mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "empty message");
    if (nesting_depth(body, body_len, MSS_JSON_MAX_DEPTH) > MSS_JSON_MAX_DEPTH)
        return mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "JSON nested deeper than %d levels",
                            MSS_JSON_MAX_DEPTH);
    json_error_t err;
    json_t *parsed = json_loadb(body, body_len, JSON_REJECT_DUPLICATES, &err);
    if (parsed == NULL) {
        if (json_error_code(&err) == json_error_out_of_memory)
            return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory parsing JSON");
        /* jansson's text names the problem ("duplicate object key", "invalid UTF-8
         * string", "too big integer", ...) and where it is. */
        return mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "not valid JSON: line %d column %d: %.120s",
                            err.line, err.column, err.text);
    }
    if (!json_is_object(parsed)) {
        json_decref(parsed);
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "the JSON body is not an object");
    }
    *root = parsed;
    return MSS_OK;
}

void mss_json_wipe_string(json_t *value)
{
    if (!json_is_string(value))
        return;
    /* jansson owns the bytes; they are writable, and the length is kept apart. */
    char *text = (char *)json_string_value(value);
    memset(text, 0, json_string_length(value));
}
