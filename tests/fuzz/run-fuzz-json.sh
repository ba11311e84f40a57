#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The REST binding's JSON decoder fuzzer (tests/fuzz/fuzz_json.c) as a make check test: a
# short run (FUZZ_JSON_SECONDS, default 5) of run-fuzz.sh with FUZZ_TARGET=fuzz_json.
FUZZ_TARGET=fuzz_json
FUZZ_SECONDS=${FUZZ_JSON_SECONDS:-5}
export FUZZ_TARGET FUZZ_SECONDS
exec "$(dirname "$0")/run-fuzz.sh"
