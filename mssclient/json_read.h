/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed readers for a parsed JSON message (the REST binding). Internal.
 *
 * Each reads one member KEY of the object PARENT, which sits at path AT (for the error:
 * "MSS_SignatureReq.AP_Info"). A member that is absent or null is "absent": an error
 * naming AT.KEY when REQUIRED, else the output is left NULL / untouched. A member of the
 * wrong JSON type is an error naming it and the type expected. Members nobody asks for
 * are ignored. Outputs are malloc'd and owned by the caller's message.
 */
#ifndef MSS_JSON_READ_H
#define MSS_JSON_READ_H

#include <stddef.h>
#include <jansson.h>
#include <mss/mss.h>
#include "detail.h"

/* A path for errors: AT.KEY into buf (cut short if it must be). Returns buf. */
const char *mss_jr_path(char *buf, size_t size, const char *at, const char *key);

/* The member as an object / an array (of at most MAX elements); *out NULL when absent. */
mss_error mss_jr_object(mss_dec *d, const json_t *parent, const char *at, const char *key,
                        int required, const json_t **out);
mss_error mss_jr_array(mss_dec *d, const json_t *parent, const char *at, const char *key,
                       int required, size_t max, const json_t **out);

/* A string member, copied. */
mss_error mss_jr_string(mss_dec *d, const json_t *parent, const char *at, const char *key,
                        int required, char **out);

/* A small non-negative integer in 0..MAX, written either as a JSON integer or as a
 * string of ASCII digits (TS 102 204 over JSON writes "500"). Refused: reals (1.0,
 * 1e3), signs, spaces, empty strings, values above MAX. *present (may be NULL) says
 * whether the member was there; *out is untouched when it was not. */
mss_error mss_jr_uint(mss_dec *d, const json_t *parent, const char *at, const char *key,
                      int required, long max, long *out, int *present);

/* A boolean: true / false, or the strings "true" / "false". */
mss_error mss_jr_bool(mss_dec *d, const json_t *parent, const char *at, const char *key,
                      int *out, int *present);

/* A base64 string member decoded to bytes (never NULL when present). */
mss_error mss_jr_base64(mss_dec *d, const json_t *parent, const char *at, const char *key,
                        int required, unsigned char **out, size_t *out_len);

/* The same for a value already in hand (an array element), WHAT naming it. */
mss_error mss_jr_string_value(mss_dec *d, const json_t *value, const char *what, char **out);
mss_error mss_jr_base64_value(mss_dec *d, const json_t *value, const char *what,
                              unsigned char **out, size_t *out_len);

#endif
