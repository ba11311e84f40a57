#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make bench still runs: run-bench.sh in its short mode (BENCH_SHORT=1: a few signatures
# per step, seconds in all) exits 0 and prints every table. Speed is not checked here:
# the figures of a short run mean nothing (docs/performance.md has a real run's).
. "$(dirname "$0")/../integration/test-lib.sh"
require_tools --package softhsm2 softhsm2-util
require_tools --package opensc pkcs11-tool

status=0
BENCH_SHORT=1 BENCH_SKIP_REFMSSP=1 BENCH_SKIP_RELAY=1 bash "$top_srcdir/tests/bench/run-bench.sh" >"$WORK/bench.out" 2>"$WORK/bench.err" || status=$?
cat "$WORK/bench.out"
[ "$status" != 77 ] || skip "$(grep '^SKIP' "$WORK/bench.out")"
[ "$status" = 0 ] || die "run-bench.sh exited with $status: $(tail -n 30 "$WORK/bench.err")"
ok "the short benchmark ran every step"

for table in "Start-up:" "One thread:" "8 threads:" "Approval:" "Footprint:"; do
    grep -q "^== $table" "$WORK/bench.out" || die "no '$table' table in the output"
done
# A step that failed leaves "-" where its figures would be (and run-bench.sh exits 1):
# here each row of figures has a number for both modules.
awk '
    function number(x) { return x ~ /^[0-9]+(\.[0-9]+)?$/ }
    /  (signatures\/s|p50 ms|p99 ms|KiB) / && !(number($(NF - 2)) && number($(NF - 1))) { bad = bad $0 "\n" }
    /^(default \(|asynchClientServer, polling)/ && !(number($(NF - 3)) && number($(NF - 2))) { bad = bad $0 "\n" }
    END { printf "%s", bad; exit bad != "" }' "$WORK/bench.out" >"$WORK/missing" ||
    die "figures missing in: $(cat "$WORK/missing")"
ok "each table has its figures"
