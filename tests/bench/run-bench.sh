#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Signing latency through the module against refmssp on loopback (approve at once), in
# both messaging modes. Run with `make bench`; prints figures, asserts nothing.
set -euo pipefail
: "${top_builddir:?run through make bench}" "${top_srcdir:?run through make bench}"
REFMSSP=$top_builddir/refmssp/refmssp
. "$top_srcdir/tests/integration/refmssp-lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mss-bench.XXXXXX")
trap 'refmssp_stop; rm -rf "$WORK"' EXIT
refmssp_start "$WORK/state"
export MSS_PKCS11_CONF=$WORK/state/mss-pkcs11.conf
"$top_builddir/ui/mss-tool" enroll >/dev/null
COUNT=${BENCH_COUNT:-200}
for mode in synch asynchClientServer; do
    sed -i "s|^messaging_mode = .*|messaging_mode = $mode|" "$MSS_PKCS11_CONF"
    echo "== $mode (poll_first_ms and poll_interval_ms as in the configuration: $(grep -E '^poll_(first|interval)_ms' "$MSS_PKCS11_CONF" | tr '\n' ' '))"
    "$top_builddir/tests/bench/p11_sign_bench" "$top_builddir/pkcs11/.libs/mss-pkcs11.so" "Signing key" "$COUNT"
done
