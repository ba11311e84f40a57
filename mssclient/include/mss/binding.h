/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — bindings: how a message (mss/message.h) travels as bytes.
 *
 * A binding encodes any mss_message into a body and decodes a body into one. The client
 * is given a binding in its options; refmssp picks one per request. SOAP 1.2
 * (mss/soap.h) is the binding of TS 102 204; REST (mss/rest.h) is the JSON mirror of it
 * that Kiuru and Swisscom also serve. Both sit behind the same four calls, so callers
 * do not change.
 *
 * Decoders are strict on safety (size and depth limits, nothing fetched, no entity
 * expansion) and lenient on spellings the field uses. On failure *out is left zeroed
 * and detail->text (when detail is not NULL) says what was wrong.
 */
#ifndef MSS_BINDING_H
#define MSS_BINDING_H

#include <mss/api.h>
#include <mss/errors.h>
#include <mss/message.h>

MSS_BEGIN_DECLS

typedef struct mss_binding mss_binding;

/* A short name ("soap") and the Content-Type of the bodies it writes. */
MSS_API const char *mss_binding_name(const mss_binding *binding);
MSS_API const char *mss_binding_content_type(const mss_binding *binding);

/* Encode a message; *body is a malloc'd NUL-terminated string the caller frees. */
MSS_API mss_error mss_binding_encode(const mss_binding *binding, const mss_message *msg,
                                     char **body, size_t *body_len);

/* Decode a body into *out (release with mss_message_clear). */
MSS_API mss_error mss_binding_decode(const mss_binding *binding, const char *body,
                                     size_t body_len, mss_message *out, mss_detail *detail);

MSS_END_DECLS

#endif /* MSS_BINDING_H */
