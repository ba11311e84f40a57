/* SPDX-License-Identifier: BSD-3-Clause */
/* The binding-neutral calls: each forwards to the table of the binding it is given; and
 * the frame of every binding's decode. */
#include <string.h>
#include "binding_internal.h"

const char *mss_binding_name(const mss_binding *binding)
{
    return binding != NULL ? binding->name : NULL;
}

const char *mss_binding_content_type(const mss_binding *binding)
{
    return binding != NULL ? binding->content_type : NULL;
}

mss_error mss_binding_encode(const mss_binding *binding, const mss_message *msg, char **body,
                             size_t *body_len)
{
    if (binding == NULL)
        return MSS_ERR_ARGS;
    return binding->encode(msg, body, body_len);
}

mss_error mss_binding_decode(const mss_binding *binding, const char *body, size_t body_len,
                             mss_message *out, mss_detail *detail)
{
    if (binding == NULL) {
        if (detail != NULL) {
            memset(detail, 0, sizeof *detail);
            strcpy(detail->text, "no binding given");
        }
        return MSS_ERR_ARGS;
    }
    return binding->decode(body, body_len, out, detail);
}

mss_error mss_binding_decode_frame(mss_body_decoder decode, const char *body, size_t body_len,
                                   mss_message *out, mss_detail *detail)
{
    if (detail != NULL)
        memset(detail, 0, sizeof *detail);
    mss_dec d = {detail != NULL ? detail->text : NULL, detail != NULL ? sizeof detail->text : 0};
    if (out == NULL)
        return mss_dec_fail(&d, MSS_ERR_ARGS, "no output message given");
    memset(out, 0, sizeof *out);
    mss_message tmp;
    memset(&tmp, 0, sizeof tmp);
    mss_error rc = decode(body, body_len, &tmp, &d);
    if (rc != MSS_OK) {
        mss_message_clear(&tmp);
        return rc;
    }
    *out = tmp;
    return MSS_OK;
}
