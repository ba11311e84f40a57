/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the signature decoder (mss_signature_decode) and the CMS
 * verifier (mss_verify_cms) on hostile bytes, as an MSSP's Base64Signature.
 *
 * Checked for every input: no crash, leak or sanitizer report; on failure a reason
 * and an untouched output; on success the documented invariants: a raw signature is
 * the input itself, a CMS over signed attributes yields no raw value, the signer
 * index points into the certificate list, every certificate is non-empty.
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_signature) with clang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/verify.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what)
{
    fprintf(stderr, "fuzz_signature: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mss_decoded_signature d;
    mss_detail why;
    memset(&d, 0xA5, sizeof d);
    why.text[0] = '\0';
    mss_error rc = mss_signature_decode(MSS_SIG_BASE64, data, size, NULL, 0, &d, &why);
    if (rc != MSS_OK) {
        const unsigned char *b = (const unsigned char *)&d;
        for (size_t i = 0; i < sizeof d; i++)
            if (b[i] != 0xA5)
                broken("a failed decode wrote its output");
        if (why.text[0] == '\0')
            broken("a failed decode gave no reason");
    } else {
        if (!d.is_cms && (d.raw_len != size || memcmp(d.raw, data, size) != 0))
            broken("a raw signature is not the input itself");
        if (d.cms_signed_attrs && (d.raw != NULL || d.raw_len != 0))
            broken("a CMS over signed attributes yielded a raw value");
        if (d.is_cms && !d.cms_signed_attrs && (d.raw == NULL || d.raw_len == 0))
            broken("a CMS without signed attributes yielded no raw value");
        if (d.signer_cert < -1 || (d.signer_cert >= 0 && (size_t)d.signer_cert >= d.n_certs))
            broken("signer index out of range");
        for (size_t i = 0; i < d.n_certs; i++)
            if (d.certs[i].data == NULL || d.certs[i].len == 0)
                broken("an empty certificate");
        mss_decoded_signature_clear(&d);
    }
    /* The verifier on the same bytes, with and without content: no crash, a reason. */
    rc = mss_verify_cms(data, size, NULL, 0, NULL, 0, &why);
    if (rc != MSS_OK && why.text[0] == '\0')
        broken("mss_verify_cms failed without a reason");
    rc = mss_verify_cms(data, size, (const unsigned char *)"x", 1, NULL, 0, &why);
    if (rc != MSS_OK && why.text[0] == '\0')
        broken("mss_verify_cms with content failed without a reason");
    return 0;
}
