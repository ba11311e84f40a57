/* SPDX-License-Identifier: BSD-3-Clause */
/* Safe JSON parsing for untrusted MSS messages (the REST binding). Internal. */
#ifndef MSS_JSON_SAFE_H
#define MSS_JSON_SAFE_H

#include <stddef.h>
#include <jansson.h>
#include <mss/mss.h>
#include "detail.h"

/* Deepest nesting of objects and arrays accepted. The deepest MSS message (a profile
 * response's certificate list) needs 8 levels; room is left for extensions we skip. */
#define MSS_JSON_MAX_DEPTH 32

/*
 * Parse body (body_len bytes) into *root, an object the caller releases with
 * json_decref: at most MSS_MAX_BODY bytes and MSS_JSON_MAX_DEPTH levels, strict UTF-8
 * (no stray bytes, no lone surrogate escapes, no \u0000), no duplicate keys, no number
 * beyond what an integer or a double holds, nothing after the value. The reason of a
 * failure goes to d. Returns MSS_ERR_TOO_LARGE, MSS_ERR_XML_MALFORMED (not JSON, or
 * unsafe JSON), MSS_ERR_XML_UNEXPECTED (JSON, but not an object) or MSS_ERR_NOMEM.
 */
mss_error mss_json_parse_safe(const char *body, size_t body_len, json_t **root, mss_dec *d);

/* Overwrite the text of a string value in place (AP_PWD) before the tree is freed;
 * nothing for NULL or a value that is not a string. */
void mss_json_wipe_string(json_t *value);

#endif
