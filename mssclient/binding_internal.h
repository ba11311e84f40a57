/* SPDX-License-Identifier: BSD-3-Clause */
/* What a binding is made of: the table each wire format fills in (soap_codec.c). */
#ifndef MSS_BINDING_INTERNAL_H
#define MSS_BINDING_INTERNAL_H

#include <mss/binding.h>

struct mss_binding {
    const char *name;           /* "soap" */
    const char *content_type;   /* Content-Type of the bodies it writes */
    const char *accept;         /* Accept header: the media types its decoder takes */
    mss_error (*encode)(const mss_message *msg, char **body, size_t *body_len);
    mss_error (*decode)(const char *body, size_t body_len, mss_message *out,
                        mss_detail *detail);
};

#endif
