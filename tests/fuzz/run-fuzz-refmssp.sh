#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The refmssp request handling fuzzer (tests/fuzz/fuzz_refmssp.c: phone page and TS 102 204
# operations on a scratch database) as a make check test: a short run (FUZZ_REFMSSP_SECONDS,
# default 5) of run-fuzz.sh with FUZZ_TARGET=fuzz_refmssp.
FUZZ_TARGET=fuzz_refmssp
FUZZ_SECONDS=${FUZZ_REFMSSP_SECONDS:-5}
export FUZZ_TARGET FUZZ_SECONDS
exec "$(dirname "$0")/run-fuzz.sh"
