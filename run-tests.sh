#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build mss-pkcs11 and run the whole test suite (unit, schema, end-to-end through
# pkcs11-tool against refmssp on loopback), then the distribution check, then the unit,
# contract, module and client tests again in an ASan + UBSan build, and the module's thread
# tests in a ThreadSanitizer build.
# On a fresh machine, run as root (or with sudo available) so the dependencies get installed.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${MSS_SKIP_DEPS:-}" != 1 ]; then
    if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; then bash .ci/deps.sh >/dev/null; fi
fi
[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure --enable-werror
make -j"$(nproc)"
status=0
make -j"$(nproc)" check || status=$?
for log in tests/*/*.log; do
    case "$log" in */test-suite.log) continue ;; esac
    [ -f "$log" ] && { echo "=== $log"; cat "$log"; }
done
# One plain closing line, counted from automake's per-test result files (the normal build
# and the sanitizer builds).
summary() {
    local pass fail skip trs
    trs=$(ls tests/*/*.trs san-*/tests/*/*.trs 2>/dev/null || true)
    pass=$(cat $trs /dev/null | grep -c '^:test-result: PASS' || true)
    fail=$(cat $trs /dev/null | grep -Ec '^:test-result: (FAIL|ERROR|XPASS)' || true)
    skip=$(cat $trs /dev/null | grep -c '^:test-result: SKIP' || true)
    echo "tests: $pass passed, $fail failed, $skip skipped"
}
if [ "$status" -ne 0 ]; then echo "make check failed"; summary; exit "$status"; fi
make -j"$(nproc)" distcheck
# The unit, contract, module and client tests again under ASan + UBSan, then the module's
# thread tests under ThreadSanitizer (tests/run-sanitizers.sh says which tests each runs).
for kind in address thread; do
    rm -rf "san-$kind"
    if ! tests/run-sanitizers.sh "$kind"; then
        for log in san-"$kind"/tests/*/*.log; do
            if grep -qE '^(FAIL|ERROR)' "$log"; then echo "=== $log"; cat "$log"; fi
        done
        echo "the $kind sanitizer build failed its tests"
        summary
        exit 1
    fi
done
summary
