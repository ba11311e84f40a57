#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The mss-pkcs11.conf parser fuzzer (tests/fuzz/fuzz_conf.c) as a make check test: a short
# run (FUZZ_CONF_SECONDS, default 5) of run-fuzz.sh with FUZZ_TARGET=fuzz_conf.
FUZZ_TARGET=fuzz_conf
FUZZ_SECONDS=${FUZZ_CONF_SECONDS:-5}
export FUZZ_TARGET FUZZ_SECONDS
exec "$(dirname "$0")/run-fuzz.sh"
