/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_rebind: a message read in one binding, written in the other, so that a protocol
 * test written once in SOAP can run over REST too (refmssp-proto-lib.sh with
 * MSS_TEST_BINDING=rest): the request as the test wrote it goes out as JSON, and the JSON
 * answer comes back as the SOAP the test's xpaths read. Both directions go through
 * libmsscodec's decoders, strict as they are for a client or refmssp, so a body one side
 * cannot read stops the test here with the decoder's reason.
 *
 *   mss_rebind soap-to-rest <IN >OUT
 *   mss_rebind rest-to-soap <IN >OUT
 *
 * Exit 0 with the body on stdout; 1 with the reason on stderr; 2 for a wrong call.
 * Test code only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

/* Read all of stdin, at most MSS_MAX_BODY bytes plus one to tell "too long" apart. */
static char *read_stdin(size_t *len)
{
    size_t cap = MSS_MAX_BODY + 2;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    *len = fread(buf, 1, cap - 1, stdin);
    buf[*len] = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    const mss_binding *from = NULL, *to = NULL;
    if (argc == 2 && strcmp(argv[1], "soap-to-rest") == 0)
        from = mss_binding_soap(), to = mss_binding_rest();
    else if (argc == 2 && strcmp(argv[1], "rest-to-soap") == 0)
        from = mss_binding_rest(), to = mss_binding_soap();
    else {
        fprintf(stderr, "usage: mss_rebind soap-to-rest|rest-to-soap <IN >OUT\n");
        return 2;
    }
    size_t in_len = 0;
    char *in = read_stdin(&in_len);
    if (in == NULL) {
        fprintf(stderr, "mss_rebind: out of memory\n");
        return 1;
    }
    if (ferror(stdin) || in_len > MSS_MAX_BODY) {
        fprintf(stderr, "mss_rebind: %s\n", ferror(stdin) ? "cannot read stdin"
                                                            : "the body is over MSS_MAX_BODY");
        free(in);
        return 1;
    }
    mss_message msg;
    mss_detail detail;
    mss_error rc = mss_binding_decode(from, in, in_len, &msg, &detail);
    free(in);
    if (rc != MSS_OK) {
        fprintf(stderr, "mss_rebind: the %s body does not decode: %s\n", mss_binding_name(from),
                detail.text);
        return 1;
    }
    char *out = NULL;
    size_t out_len = 0;
    rc = mss_binding_encode(to, &msg, &out, &out_len);
    if (rc != MSS_OK) {
        fprintf(stderr, "mss_rebind: the %s has no %s form (%s)\n",
                mss_message_type_name(msg.type), mss_binding_name(to), mss_error_string(rc));
        mss_message_clear(&msg);
        return 1;
    }
    mss_message_clear(&msg);
    int written = fwrite(out, 1, out_len, stdout) == out_len && fflush(stdout) == 0;
    free(out);
    if (!written) {
        fprintf(stderr, "mss_rebind: cannot write stdout\n");
        return 1;
    }
    return 0;
}
