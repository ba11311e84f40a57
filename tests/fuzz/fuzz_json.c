/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the REST binding's JSON decoder, with a differential round trip.
 *
 * For every input:
 *   1. mss_rest_decode must not crash, leak or trip a sanitizer; on failure it must
 *      leave the output message zeroed and say why, in a NUL-terminated text.
 *   2. When it succeeds, the message is encoded again. mss_rest_encode may refuse a
 *      decoded message with MSS_ERR_ARGS (the decoder accepts what the encoder will not
 *      write: a fault without an MSS code, a status of code 0, an eventId service
 *      without its value in a response's copy), but when it accepts one, its own output
 *      must decode to the same message type, and encoding that second message must give
 *      the very same bytes: encode∘decode is a fixed point on the codec's own output.
 *   3. A success never yields text that is not UTF-8: the encoder, which refuses such
 *      text with MSS_ERR_ARGS, is handed every decoded string.
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_json) with clang
 * -fsanitize=fuzzer,address,undefined.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken guarantee: say which and abort, so libFuzzer saves the input. */
static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_json: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
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

static void round_trip(const mss_message *first)
{
    char *json1 = NULL, *json2 = NULL;
    size_t len1 = 0, len2 = 0;
    mss_error rc = mss_rest_encode(first, &json1, &len1);
    if (rc == MSS_ERR_ARGS || rc == MSS_ERR_NOMEM)
        return; /* refused as documented, or out of memory: nothing to compare */
    if (rc != MSS_OK)
        broken("mss_rest_encode of a decoded message failed unexpectedly", mss_error_string(rc));
    if (json1 == NULL || strlen(json1) != len1)
        broken("mss_rest_encode returned a length that does not match its string", NULL);

    mss_message second;
    mss_detail derr = {.text = ""};
    rc = mss_rest_decode(json1, len1, &second, &derr);
    if (rc != MSS_OK) {
        fprintf(stderr, "own encoding:\n%s\n", json1);
        broken("the codec cannot decode its own encoding", derr.text);
    }
    if (second.type != first->type)
        broken("re-decoding changed the message type", NULL);
    rc = mss_rest_encode(&second, &json2, &len2);
    if (rc != MSS_OK)
        broken("re-encoding a re-decoded message failed", mss_error_string(rc));
    if (len1 != len2 || memcmp(json1, json2, len1) != 0) {
        fprintf(stderr, "first encoding:\n%s\nsecond encoding:\n%s\n", json1, json2);
        broken("encode(decode(encode(m))) differs from encode(m)", NULL);
    }
    free(json1);
    free(json2);
    mss_message_clear(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mss_message msg;
    mss_detail derr;
    /* Garbage in the output and the error buffer: a failure must clear and fill them. */
    memset(&msg, 0xA5, sizeof msg);
    memset(derr.text, 0x01, sizeof derr.text);
    derr.text[sizeof derr.text - 1] = '\0';

    mss_error rc = mss_rest_decode((const char *)data, size, &msg, &derr);
    if (memchr(derr.text, '\0', sizeof derr.text) == NULL)
        broken("error text not NUL-terminated", NULL);
    if (rc != MSS_OK) {
        if (!all_zero(&msg, sizeof msg))
            broken("a failed decode left the output message not cleared", mss_error_string(rc));
        if (derr.text[0] == '\0' || derr.text[0] == 0x01)
            broken("a failed decode gave no reason", mss_error_string(rc));
        return 0;
    }
    round_trip(&msg);
    mss_message_clear(&msg);
    if (!all_zero(&msg, sizeof msg))
        broken("mss_message_clear did not zero the message", NULL);
    return 0;
}
