/* SPDX-License-Identifier: BSD-3-Clause */
/* Typed, strict readers of JSON members: the type asked for, or an error naming the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_read.h"

const char *mss_jr_path(char *buf, size_t size, const char *at, const char *key)
{
    snprintf(buf, size, "%s.%s", at, key);
    return buf;
}

/* The member KEY of PARENT, or NULL when it is absent or null. */
static const json_t *member(const json_t *parent, const char *key)
{
    const json_t *v = json_object_get(parent, key);
    return json_is_null(v) ? NULL : v;
}

static mss_error missing(mss_dec *d, const char *at, const char *key)
{
    return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "missing required field %s.%s", at, key);
}

static mss_error wrong_type(mss_dec *d, const char *what, const char *expected)
{
    return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not %s", what, expected);
}

mss_error mss_jr_object(mss_dec *d, const json_t *parent, const char *at, const char *key,
                        int required, const json_t **out)
{
    char path[128];
    *out = NULL;
    const json_t *v = member(parent, key);
    if (v == NULL)
        return required ? missing(d, at, key) : MSS_OK;
    if (!json_is_object(v))
        return wrong_type(d, mss_jr_path(path, sizeof path, at, key), "an object");
    *out = v;
    return MSS_OK;
}

mss_error mss_jr_array(mss_dec *d, const json_t *parent, const char *at, const char *key,
                       int required, size_t max, const json_t **out)
{
    char path[128];
    *out = NULL;
    const json_t *v = member(parent, key);
    if (v == NULL)
        return required ? missing(d, at, key) : MSS_OK;
    mss_jr_path(path, sizeof path, at, key);
    if (!json_is_array(v))
        return wrong_type(d, path, "an array");
    if (json_array_size(v) > max)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s has more than %zu entries", path, max);
    *out = v;
    return MSS_OK;
}

mss_error mss_jr_string_value(mss_dec *d, const json_t *value, const char *what, char **out)
{
    if (!json_is_string(value))
        return wrong_type(d, what, "a string");
    /* The parser refused \u0000, so the text is one C string of its full length. */
    char *copy = strdup(json_string_value(value));
    if (copy == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading %s", what);
    *out = copy;
    return MSS_OK;
}

mss_error mss_jr_string(mss_dec *d, const json_t *parent, const char *at, const char *key,
                        int required, char **out)
{
    char path[128];
    *out = NULL;
    const json_t *v = member(parent, key);
    if (v == NULL)
        return required ? missing(d, at, key) : MSS_OK;
    return mss_jr_string_value(d, v, mss_jr_path(path, sizeof path, at, key), out);
}

/* Digits only, at most 9 of them (so no overflow), not above max: 0 on success. */
static int parse_digits(const char *s, long max, long *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
        return -1;
    long v = strtol(s, NULL, 10);
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

mss_error mss_jr_uint(mss_dec *d, const json_t *parent, const char *at, const char *key,
                      int required, long max, long *out, int *present)
{
    char path[128];
    if (present != NULL)
        *present = 0;
    const json_t *v = member(parent, key);
    if (v == NULL)
        return required ? missing(d, at, key) : MSS_OK;
    mss_jr_path(path, sizeof path, at, key);
    long num = -1;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i >= 0 && i <= max)
            num = (long)i;
    } else if (json_is_string(v)) {
        if (parse_digits(json_string_value(v), max, &num) != 0)
            num = -1;
    } else {
        return wrong_type(d, path, "an integer or a string of digits");
    }
    if (num < 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not a whole number in 0..%ld",
                            path, max);
    *out = num;
    if (present != NULL)
        *present = 1;
    return MSS_OK;
}

mss_error mss_jr_bool(mss_dec *d, const json_t *parent, const char *at, const char *key,
                      int *out, int *present)
{
    char path[128];
    if (present != NULL)
        *present = 0;
    const json_t *v = member(parent, key);
    if (v == NULL)
        return MSS_OK;
    int value;
    if (json_is_boolean(v))
        value = json_is_true(v);
    else if (json_is_string(v) && strcmp(json_string_value(v), "true") == 0)
        value = 1;
    else if (json_is_string(v) && strcmp(json_string_value(v), "false") == 0)
        value = 0;
    else
        return wrong_type(d, mss_jr_path(path, sizeof path, at, key), "true or false");
    *out = value;
    if (present != NULL)
        *present = 1;
    return MSS_OK;
}

mss_error mss_jr_base64_value(mss_dec *d, const json_t *value, const char *what,
                              unsigned char **out, size_t *out_len)
{
    if (!json_is_string(value))
        return wrong_type(d, what, "a base64 string");
    mss_error rc = mss_base64_decode(json_string_value(value), out, out_len);
    if (rc == MSS_ERR_NOMEM)
        return mss_dec_fail(d, rc, "out of memory reading %s", what);
    if (rc != MSS_OK)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not valid base64", what);
    return MSS_OK;
}

mss_error mss_jr_base64(mss_dec *d, const json_t *parent, const char *at, const char *key,
                        int required, unsigned char **out, size_t *out_len)
{
    char path[128];
    const json_t *v = member(parent, key);
    if (v == NULL)
        return required ? missing(d, at, key) : MSS_OK;
    return mss_jr_base64_value(d, v, mss_jr_path(path, sizeof path, at, key), out, out_len);
}
