#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Signing latency through the module against refmssp on loopback (approve at once), in
# both messaging modes. Run with `make bench`; prints figures, asserts nothing.
. "$(dirname "$0")/../integration/test-lib.sh"
mssp_start
"$MSS_TOOL" enroll >/dev/null
COUNT=${BENCH_COUNT:-200}
for mode in synch asynchClientServer; do
    conf_set messaging_mode "$mode"
    echo "== $mode (poll_first_ms and poll_interval_ms as in the configuration: $(grep -E '^poll_(first|interval)_ms' "$MSS_PKCS11_CONF" | tr '\n' ' '))"
    "$top_builddir/tests/bench/p11_sign_bench" "$MODULE" "Signing key" "$COUNT"
done
