/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the TS 102 204 SOAP decoder, with a differential round trip: the
 * checks of fuzz_binding.h with mss_binding_soap().
 *
 * Built and run by run-fuzz.sh with clang -fsanitize=fuzzer,address,undefined.
 */
#include "fuzz_binding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_binding_input(mss_binding_soap(), data, size);
}
