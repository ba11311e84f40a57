/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Adding members to a jansson tree, with jansson's failures mapped to mss_error.
 *
 * common/json.h (the writer of mss-tool's, refmssp's and the relay's own JSON) names its
 * functions jw_*: an earlier json_string() / json_null() there clashed with jansson's in
 * the static links, where a call bound to the wrong one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_build.h"
#include "utf8.h"

/* Whether s is valid UTF-8 all through: the difference between a caller's bad text and
 * an allocation failure when jansson returns NULL. */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0) {
        size_t n = utf8_sequence(p, left);
        if (n == 0)
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

static json_t *new_string(const char *s, mss_error *rc)
{
    json_t *v = json_stringn(s, strlen(s));
    if (v == NULL)
        *rc = valid_utf8(s) ? MSS_ERR_NOMEM : MSS_ERR_ARGS;
    return v;
}

/* json_object_set_new and json_array_append_new take the value's reference even when
 * they fail, so nothing leaks either way. */
static mss_error set(json_t *obj, const char *key, json_t *value)
{
    if (value == NULL)
        return MSS_ERR_NOMEM;
    return json_object_set_new(obj, key, value) == 0 ? MSS_OK : MSS_ERR_NOMEM;
}

static mss_error append(json_t *array, json_t *value)
{
    if (value == NULL)
        return MSS_ERR_NOMEM;
    return json_array_append_new(array, value) == 0 ? MSS_OK : MSS_ERR_NOMEM;
}

mss_error mss_jb_object(json_t *parent, const char *key, json_t **out)
{
    json_t *o = json_object();
    mss_error rc = set(parent, key, o);
    *out = rc == MSS_OK ? o : NULL;
    return rc;
}

mss_error mss_jb_array(json_t *parent, const char *key, json_t **out)
{
    json_t *a = json_array();
    mss_error rc = set(parent, key, a);
    *out = rc == MSS_OK ? a : NULL;
    return rc;
}

mss_error mss_jb_append_object(json_t *array, json_t **out)
{
    json_t *o = json_object();
    mss_error rc = append(array, o);
    *out = rc == MSS_OK ? o : NULL;
    return rc;
}

mss_error mss_jb_string(json_t *obj, const char *key, const char *s)
{
    if (s == NULL)
        return MSS_OK;
    mss_error rc = MSS_OK;
    json_t *v = new_string(s, &rc);
    return v != NULL ? set(obj, key, v) : rc;
}

mss_error mss_jb_append_string(json_t *array, const char *s)
{
    if (s == NULL)
        return MSS_ERR_ARGS;
    mss_error rc = MSS_OK;
    json_t *v = new_string(s, &rc);
    return v != NULL ? append(array, v) : rc;
}

mss_error mss_jb_number_string(json_t *obj, const char *key, long v)
{
    if (v < 0)
        return MSS_ERR_ARGS;
    char digits[32];
    snprintf(digits, sizeof digits, "%ld", v);
    return mss_jb_string(obj, key, digits);
}

mss_error mss_jb_bool(json_t *obj, const char *key, int v)
{
    return set(obj, key, json_boolean(v));
}

static json_t *new_base64(const unsigned char *data, size_t len, mss_error *rc)
{
    if (data == NULL || len == 0) {
        *rc = MSS_ERR_ARGS;
        return NULL;
    }
    char *text = NULL;
    if ((*rc = mss_base64_encode(data, len, &text)) != MSS_OK)
        return NULL;
    json_t *v = json_stringn(text, strlen(text));
    free(text);
    if (v == NULL)
        *rc = MSS_ERR_NOMEM;
    return v;
}

mss_error mss_jb_base64(json_t *obj, const char *key, const unsigned char *data, size_t len)
{
    mss_error rc = MSS_OK;
    json_t *v = new_base64(data, len, &rc);
    return v != NULL ? set(obj, key, v) : rc;
}

mss_error mss_jb_append_base64(json_t *array, const unsigned char *data, size_t len)
{
    mss_error rc = MSS_OK;
    json_t *v = new_base64(data, len, &rc);
    return v != NULL ? append(array, v) : rc;
}

mss_error mss_jb_serialize(const json_t *root, char **text, size_t *text_len)
{
    /* Measured first, then written into our own malloc'd buffer: a program may have
     * given jansson other allocation functions, and the caller frees with free(). */
    const size_t flags = JSON_COMPACT | JSON_PRESERVE_ORDER;
    size_t len = json_dumpb(root, NULL, 0, flags);
    if (len == 0)
        return MSS_ERR_NOMEM;
    char *buf = malloc(len + 1);
    if (buf == NULL)
        return MSS_ERR_NOMEM;
    if (json_dumpb(root, buf, len, flags) != len) {
        free(buf);
        return MSS_ERR_NOMEM;
    }
    buf[len] = '\0';
    *text = buf;
    if (text_len != NULL)
        *text_len = len;
    return MSS_OK;
}
