/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the REST binding's JSON decoder, with a differential round trip:
 * the checks of fuzz_binding.h with mss_binding_rest(). Its seeds (seeds-json) are the
 * public-shape samples test_codec_rest decodes; json.dict holds the member names.
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_json) with clang
 * -fsanitize=fuzzer,address,undefined.
 */
#include "fuzz_binding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_binding_input(mss_binding_rest(), data, size);
}
