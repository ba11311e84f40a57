#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The mss: profile URI fuzzer (tests/fuzz/fuzz_uri.c) as a make check test: a short
# run (FUZZ_URI_SECONDS, default 5) of run-fuzz.sh with FUZZ_TARGET=fuzz_uri.
FUZZ_TARGET=fuzz_uri
FUZZ_SECONDS=${FUZZ_URI_SECONDS:-5}
export FUZZ_TARGET FUZZ_SECONDS
exec "$(dirname "$0")/run-fuzz.sh"
