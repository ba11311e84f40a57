#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# refmssp's own figures (issue 12), printed, nothing asserted but that each step ran:
#   1. history: C_Sign through the module (synch, the demo user approves at once) against
#      a fresh refmssp and against one whose database holds 100,000 finished transactions
#      (tests/bench/seed_history), both running side by side, the runs alternated so that
#      the machine's other load falls on both alike; the slowdown ratio of the medians.
#   2. pending capacity: 10,000 asynchClientServer transactions waiting for a person, one
#      per phone (tests/bench/seed_users makes the phones), and refmssp's VmRSS.
#   3. status queries on 64 concurrent keep-alive connections for those transactions:
#      count, p50, p99 (tests/bench/mssp_load).
# BENCH_SHORT=1: tiny counts, so that make check can show it runs (a few seconds).
# The module's prompt is off (prompt = none) in these set-ups: it is the module's cost,
# measured by run-bench.sh, not refmssp's.
. "$(dirname "$0")/../integration/test-lib.sh"
BENCH=$top_builddir/tests/bench
if [ "${BENCH_SHORT:-}" = 1 ]; then
    HISTORY=300 SIGNATURES=30 ROUNDS=1 PENDING=40 STATUS_S=1 CONNECTIONS=8
else
    HISTORY=100000 SIGNATURES=${BENCH_COUNT:-1000} ROUNDS=5 PENDING=10000 STATUS_S=10 CONNECTIONS=64
fi

# A set-up in DIR for the module: synch, no prompt; enrolled.
module_setup() {
    export MSS_PKCS11_CONF=$1/mss-pkcs11.conf
    conf_set messaging_mode synch
    grep -q '^prompt = ' "$MSS_PKCS11_CONF" ||
        sed -i 's|^messaging_mode = synch$|&\nprompt = none|' "$MSS_PKCS11_CONF"
    "$MSS_TOOL" enroll >/dev/null
}

# sign DIR: one p11_sign_bench run against DIR's refmssp; prints its line, sets RATE.
sign() {
    local out
    out=$(MSS_PKCS11_CONF=$1/mss-pkcs11.conf "$BENCH/p11_sign_bench" "$MODULE" "Signing key" \
        "$SIGNATURES" 2>/dev/null | tail -n 1)
    echo "  $2: ${out#*: }"
    RATE=$(printf '%s' "$out" | sed -n 's|.* \([0-9.]*\)/s;.*|\1|p')
    [ -n "$RATE" ] || die "p11_sign_bench printed no rate: $out"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ---------------------------------------------------------------- 1. history
echo "== history: $SIGNATURES signatures (synch, RSA-2048 PKCS#1)," \
    "fresh database vs $HISTORY finished transactions"
FRESH=$WORK/fresh OLD=$WORK/old
refmssp_start "$FRESH" || die "refmssp (fresh) did not start"
FRESH_PID=$REFMSSP_PID
at_exit "kill -TERM $FRESH_PID 2>/dev/null; wait $FRESH_PID 2>/dev/null || true"
module_setup "$FRESH"
"$REFMSSP" init "$OLD" --port "$(free_port)" >"$WORK/old.init.log" 2>&1 ||
    die "refmssp init: $(cat "$WORK/old.init.log")"
"$BENCH/seed_history" "$OLD" "$HISTORY"
refmssp_start "$OLD" || die "refmssp (with history) did not start"
module_setup "$OLD"
FRESH_RATES=() OLD_RATES=()
for ((round = 1; round <= ROUNDS; round++)); do
    sign "$FRESH" "round $round, fresh database"
    FRESH_RATES+=("$RATE")
    sign "$OLD" "round $round, with history "
    OLD_RATES+=("$RATE")
done
fresh=$(median "${FRESH_RATES[@]}") old=$(median "${OLD_RATES[@]}")
awk -v f="$fresh" -v o="$old" -v h="$HISTORY" 'BEGIN {
    printf "history: median %.1f/s fresh, %.1f/s with %d finished transactions:", f, o, h
    printf " %.2fx the time per signature\n", f / o }'
kill -TERM "$FRESH_PID"
refmssp_stop

# ---------------------------------------------------------------- 2. and 3. capacity
echo "== capacity: $PENDING pending transactions (one per phone, policy manual)," \
    "status queries on $CONNECTIONS connections"
CAP=$WORK/capacity
"$REFMSSP" init "$CAP" --port "$(free_port)" >"$WORK/cap.init.log" 2>&1 ||
    die "refmssp init: $(cat "$WORK/cap.init.log")"
"$BENCH/seed_users" "$CAP" "$PENDING" manual
# Room for the load's connections besides anyone else's from 127.0.0.1 (default 64).
sed -i '1i max_connections_per_ip = 128' "$CAP/refmssp.conf"
refmssp_start "$CAP" || die "refmssp (capacity) did not start"
"$BENCH/mssp_load" create "$CAP" "$PENDING" "$WORK/pending.ids" "$REFMSSP_PID"
"$BENCH/mssp_load" status "$CAP" "$STATUS_S" "$WORK/pending.ids" "$CONNECTIONS"
rss=$(awk '/^VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$REFMSSP_PID/status")
echo "refmssp VmRSS after the status queries: $rss"
refmssp_stop
echo "# bench-refmssp: every step ran"
