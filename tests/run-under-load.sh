#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The suite must not flake on a loaded machine: run `make check` RUNS times in a row (default
# 3) while BUSY busy loops (default 2) take the CPU, and say how each run ended.
#
#   tests/run-under-load.sh [RUNS [BUSY]]      (from the top of a configured, built tree)
#
# Exit status: the number of failed runs (0 when every run passed). Logs: /tmp/under-load.N.log,
# and the logs of the tests that failed in run N in /tmp/under-load.N.failed/.
set -uo pipefail
runs=${1:-3}
busy=${2:-2}
cd "$(dirname "$0")/.." || exit 2
[ -f Makefile ] || { echo "configure and build first" >&2; exit 2; }
spin() { while :; do :; done; }
pids=()
for _ in $(seq 1 "$busy"); do spin & pids+=($!); done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
failed=0
for i in $(seq 1 "$runs"); do
    start=$(date +%s)
    if make -j2 check >"/tmp/under-load.$i.log" 2>&1; then
        result=passed
    else
        result=FAILED
        failed=$((failed + 1))
        # The next run overwrites the test logs: keep the failed ones.
        mkdir -p "/tmp/under-load.$i.failed"
        grep -l '^:test-result: \(FAIL\|ERROR\)' tests/*/*.trs 2>/dev/null | while read -r trs; do
            cp "${trs%.trs}.log" "/tmp/under-load.$i.failed/" 2>/dev/null
        done
    fi
    counts=$(grep -E '^# (TOTAL|FAIL):' "/tmp/under-load.$i.log" | tr -s ' \n' ' ')
    echo "run $i: $result in $(($(date +%s) - start)) s ($counts)"
done
echo "under load ($busy busy loops): $((runs - failed)) of $runs runs passed"
exit "$failed"
