#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The signature decoder fuzzer (tests/fuzz/fuzz_signature.c) as a make check test: a
# short run (FUZZ_SIG_SECONDS, default 5) of run-fuzz.sh with FUZZ_TARGET=fuzz_signature.
FUZZ_TARGET=fuzz_signature
FUZZ_SECONDS=${FUZZ_SIG_SECONDS:-5}
export FUZZ_TARGET FUZZ_SECONDS
exec "$(dirname "$0")/run-fuzz.sh"
