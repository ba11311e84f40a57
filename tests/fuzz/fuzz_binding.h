/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The checks of a decoder fuzz target, whatever the binding (fuzz_decode: SOAP;
 * fuzz_json: REST). Included by the one source file of each target.
 *
 * For every input:
 *   1. decoding must not crash, leak or trip a sanitizer; on failure it must leave the
 *      output message zeroed and say why, in a NUL-terminated text (what mss/binding.h
 *      promises).
 *   2. When it succeeds, the message is encoded again. The encoder may refuse a decoded
 *      message (the decoders take what the encoders will not write: a SOAP response
 *      without AP_PWD, a status or fault without a code, an XMLSignature, a fi:PKCS1 in
 *      JSON are refused with MSS_ERR_ARGS), but when it accepts one, its own output must
 *      decode to the same message type, and encoding that second message must give the
 *      very same bytes: encode∘decode is a fixed point on the codec's own output.
 */
#ifndef FUZZ_BINDING_H
#define FUZZ_BINDING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

/* A broken guarantee: say which and abort, so libFuzzer saves the input. */
static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

/* Step 2: re-encode a decoded message and check the fixed point. */
static void round_trip(const mss_binding *b, const mss_message *first)
{
    char *body1 = NULL, *body2 = NULL;
    size_t len1 = 0, len2 = 0;
    mss_error rc = mss_binding_encode(b, first, &body1, &len1);
    if (rc == MSS_ERR_ARGS || rc == MSS_ERR_NOMEM)
        return; /* refused as documented, or out of memory: nothing to compare */
    if (rc != MSS_OK)
        broken("encoding a decoded message failed unexpectedly", mss_error_string(rc));
    if (body1 == NULL || strlen(body1) != len1)
        broken("the encoder returned a length that does not match its string", NULL);

    mss_message second;
    mss_detail derr = {.text = ""};
    rc = mss_binding_decode(b, body1, len1, &second, &derr);
    if (rc != MSS_OK) {
        fprintf(stderr, "own encoding:\n%s\n", body1);
        broken("the codec cannot decode its own encoding", derr.text);
    }
    if (second.type != first->type)
        broken("re-decoding changed the message type", NULL);

    rc = mss_binding_encode(b, &second, &body2, &len2);
    if (rc != MSS_OK)
        broken("re-encoding a re-decoded message failed", mss_error_string(rc));
    if (len1 != len2 || memcmp(body1, body2, len1) != 0) {
        fprintf(stderr, "first encoding:\n%s\nsecond encoding:\n%s\n", body1, body2);
        broken("encode(decode(encode(m))) differs from encode(m)", NULL);
    }
    free(body1);
    free(body2);
    mss_message_clear(&second);
}

/* Steps 1 and 2 for one input. */
static int fuzz_binding_input(const mss_binding *b, const uint8_t *data, size_t size)
{
    mss_message msg;
    mss_detail derr;
    /* Garbage in the output and the error buffer: a failure must clear and fill them. */
    memset(&msg, 0xA5, sizeof msg);
    memset(derr.text, 0x01, sizeof derr.text);
    derr.text[sizeof derr.text - 1] = '\0';

    mss_error rc = mss_binding_decode(b, (const char *)data, size, &msg, &derr);
    if (memchr(derr.text, '\0', sizeof derr.text) == NULL)
        broken("error text not NUL-terminated", NULL);
    if (rc != MSS_OK) {
        if (!all_zero(&msg, sizeof msg))
            broken("a failed decode left the output message not cleared", mss_error_string(rc));
        if (derr.text[0] == '\0' || derr.text[0] == 0x01)
            broken("a failed decode gave no reason", mss_error_string(rc));
        return 0;
    }
    round_trip(b, &msg);
    mss_message_clear(&msg);
    if (!all_zero(&msg, sizeof msg))
        broken("mss_message_clear did not zero the message", NULL);
    return 0;
}

#endif
