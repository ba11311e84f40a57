#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The certificate cache reader fuzzer (tests/fuzz/fuzz_cache.c) as a make check test: a short
# run (FUZZ_CACHE_SECONDS, default 5) of run-fuzz.sh with FUZZ_TARGET=fuzz_cache.
FUZZ_TARGET=fuzz_cache
FUZZ_SECONDS=${FUZZ_CACHE_SECONDS:-5}
export FUZZ_TARGET FUZZ_SECONDS
exec "$(dirname "$0")/run-fuzz.sh"
