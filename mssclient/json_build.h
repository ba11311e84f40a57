/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Building a JSON message (the REST binding) with jansson. Internal.
 *
 * Each call adds one member to an object (or one element to an array) and returns
 * MSS_OK, MSS_ERR_ARGS for text that is not valid UTF-8 (jansson refuses it, and a
 * message is UTF-8 by contract), or MSS_ERR_NOMEM. A NULL string adds nothing: absent
 * fields are left out, never written as null. Members keep the order they are added in.
 * Build through these, not jansson's json_string()/json_null(): see json_build.c.
 */
#ifndef MSS_JSON_BUILD_H
#define MSS_JSON_BUILD_H

#include <stddef.h>
#include <jansson.h>
#include <mss/mss.h>

/* A new empty object / array as member KEY of PARENT (or appended, for the _append form). */
mss_error mss_jb_object(json_t *parent, const char *key, json_t **out);
mss_error mss_jb_array(json_t *parent, const char *key, json_t **out);
mss_error mss_jb_append_object(json_t *array, json_t **out);

/* A string member; nothing when s is NULL. */
mss_error mss_jb_string(json_t *obj, const char *key, const char *s);
mss_error mss_jb_append_string(json_t *array, const char *s);

/* A number written as a string of decimal digits, the way TS 102 204 over JSON carries
 * versions, TimeOut and status codes ("500"). v must not be negative. */
mss_error mss_jb_number_string(json_t *obj, const char *key, long v);

mss_error mss_jb_bool(json_t *obj, const char *key, int v);

/* Bytes as a base64 string member / array element. */
mss_error mss_jb_base64(json_t *obj, const char *key, const unsigned char *data, size_t len);
mss_error mss_jb_append_base64(json_t *array, const unsigned char *data, size_t len);

/* The compact text of ROOT, into a malloc'd NUL-terminated string the caller frees. */
mss_error mss_jb_serialize(const json_t *root, char **text, size_t *text_len);

#endif
