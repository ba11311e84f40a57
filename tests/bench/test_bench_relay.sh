#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make check's run of bench-relay.sh with tiny counts (BENCH_SHORT=1): every step still runs
# (refmssp and mss-relay set up, the relay's desktops enrolled, each loop direct and through
# the relay) and every table row has its figures, so a change that breaks the benchmark is
# seen before someone needs the figures. Asserts nothing about speed: the figures of a short
# run mean nothing (docs/performance.md, "The relay", has a real run's).
. "$(dirname "$0")/../integration/test-lib.sh"

status=0
BENCH_SHORT=1 bash "$top_srcdir/tests/bench/bench-relay.sh" >"$WORK/bench.out" 2>"$WORK/bench.err" || status=$?
cat "$WORK/bench.out"
[ "$status" != 77 ] || skip "$(grep '^SKIP' "$WORK/bench.out")"
[ "$status" = 0 ] || die "bench-relay.sh exited with $status: $(tail -n 30 "$WORK/bench.err")"
ok "the short relay benchmark ran every step"

for table in "mss-relay: 1 thread" "mss-relay: 8 threads"; do
    grep -q "^== $table" "$WORK/bench.out" || die "no '$table' table in the output"
done
# Rows of both paths have a number in both columns; the relay's own rows (p50
# added, CPU per signature) a number in its column. A step that failed leaves "-".
awk '
    function number(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ }
    /  (signatures\/s|p50 ms|p99 ms) / && !(number($(NF - 2)) && number($(NF - 1))) { bad = bad $0 "\n" }
    /  (p50 added ms|relay CPU ms\/sig) / && !number($NF) { bad = bad $0 "\n" }
    /  (signatures\/s|p50 ms|p99 ms|p50 added ms|relay CPU ms\/sig) / { rows++ }
    END { if (rows != 3 * 5) bad = bad "expected 15 rows of figures, found " rows "\n"
          printf "%s", bad; exit bad != "" }' "$WORK/bench.out" >"$WORK/missing" ||
    die "figures missing in: $(cat "$WORK/missing")"
ok "each table has its figures"
