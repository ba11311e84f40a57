/* SPDX-License-Identifier: BSD-3-Clause */
/* What a binding is made of: the table each wire format fills in (soap_codec.c,
 * rest_codec.c), and the frame their decoders share (binding.c). */
#ifndef MSS_BINDING_INTERNAL_H
#define MSS_BINDING_INTERNAL_H

#include <mss/binding.h>
#include "detail.h"

struct mss_binding {
    const char *name;           /* "soap" */
    const char *content_type;   /* Content-Type of the bodies it writes */
    const char *accept;         /* Accept header: the media types its decoder takes */
    mss_error (*encode)(const mss_message *msg, char **body, size_t *body_len);
    mss_error (*decode)(const char *body, size_t body_len, mss_message *out,
                        mss_detail *detail);
    /* Where a request of this type goes below a server's base URL ("/rest/service/sign"),
     * for MSSPs with one path per operation; NULL (the function, or its answer): to the
     * configured URL itself. */
    const char *(*request_path)(mss_message_type type);
};

/* A binding's own decoding of a body into MSG (zeroed when called), explaining a failure
 * through d; MSG may be left half-filled on failure. */
typedef mss_error (*mss_body_decoder)(const char *body, size_t body_len, mss_message *msg,
                                      mss_dec *d);

/* What every binding's decode promises around its own work: DETAIL reset, a NULL OUT
 * refused, *OUT zeroed, DECODE run on a scratch message that reaches *OUT only on success
 * and is released otherwise, so that *OUT stays zeroed and nothing leaks. */
mss_error mss_binding_decode_frame(mss_body_decoder decode, const char *body, size_t body_len,
                                   mss_message *out, mss_detail *detail);

#endif
