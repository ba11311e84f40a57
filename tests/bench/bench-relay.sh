#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The relay's overhead (issue 13): the same PKCS#11 loop (tests/bench/p11_sign_bench) through
# mss-pkcs11 directly against refmssp and through mss-pkcs11 -> mss-relay -> refmssp, side by
# side in one run: signatures/s, p50 and p99 of both, the ratio relay/direct, the p50 the
# relay adds, and the relay's CPU time per forwarded request. What each figure means:
# docs/performance.md, "The relay". Asserts nothing about speed; exits non-zero only when a
# step could not run.
#
# Both paths use the same refmssp users, key labels and module settings (messaging_mode =
# synch, the module's default; prompt = none: the prompt is the module's cost, the same on
# both paths, measured by run-bench.sh). Only the [mssp] section differs: the AP's
# credentials and refmssp's URL, or a relay user's client certificate and the relay's URL.
# One p11_sign_bench process reads one module configuration, so it is one desktop with one
# relay credential: its 8 threads sign as one relay user owning the 8 phones (see
# docs/performance.md). Each run starts from the same refmssp database, and the direct and
# relay runs alternate, ROUNDS times, so that the machine's other load falls on both alike;
# each figure is the median of the rounds.
#
# BENCH_SHORT=1: tiny counts, so that make check can show it runs (test_bench_relay.sh).
# BENCH_RELAY_PERF=FILE: also record the relay with `perf record -g` during the first
# 1-thread RSA relay run, into FILE (perf report -i FILE); BENCH_RELAY_PERF_CALL_GRAPH=dwarf
# for whole call chains through libraries built without frame pointers (large files).
. "$(dirname "$0")/../integration/relay-lib.sh"
. "$(dirname "$0")/bench-lib.sh"
require_tools setsid
# BENCH_RELAY_BIN=PATH: another mss-relay than the build's (an older one, for before/after).
RELAY=${BENCH_RELAY_BIN:-$RELAY}
[ -z "${BENCH_RELAY_BIN:-}" ] || echo "mss-relay: $RELAY (BENCH_RELAY_BIN)"
if [ "${BENCH_SHORT:-}" = 1 ]; then
    ONE_THREAD=20 PER_THREAD=5 ROUNDS=1
else
    ONE_THREAD=${BENCH_COUNT:-2000} PER_THREAD=300 ROUNDS=${BENCH_ROUNDS:-3}
fi
THREADS=8
SIGN_KEY="Signing key"
SECONDS=0
section "mss-relay: set-up"
echo "commit: $(git -C "$top_srcdir" describe --always --dirty 2>/dev/null || echo unknown)," \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs; load average at the start:" \
    "$(cut -d' ' -f1-3 /proc/loadavg)${BENCH_SHORT:+ (BENCH_SHORT=1: tiny counts, figures mean nothing)}"

# --- refmssp: the demo users (RSA +99900000001, EC +99900000002) and THREADS RSA users.
proto_start
for i in $(seq 1 "$THREADS"); do
    "$REFMSSP" user add "$STATE" "bench$i" --msisdn "$(printf '+999000030%02d' "$i")" \
        --authn ecp256 --label "Bench $i" --module-conf "$MSS_PKCS11_CONF" >>"$WORK/users.log" 2>&1 ||
        { cat "$WORK/users.log" >&2; die "refmssp user add bench$i failed"; }
done
DIRECT_CONF=$MSS_PKCS11_CONF
conf_put "$DIRECT_CONF" messaging_mode synch
conf_put "$DIRECT_CONF" prompt none
"$MSS_TOOL" enroll >"$WORK/enroll.log" 2>&1 || { cat "$WORK/enroll.log" >&2; die "mss-tool enroll failed"; }

# --- The relay in front of it, as refmssp's AP. The rate limits stay on (their cost is
# part of the relay's), set high enough for a benchmark's pace.
R=$WORK/relay
relay_init "$R" "$URL_BASE/mss"
relay_conf_set "$R" user_requests_per_minute 100000
relay_conf_set "$R" msisdn_requests_per_minute 100000

# relay_desktop USER CONF_SECTION… : relay user USER owning the phones of the direct
# configuration's [user CONF_SECTION]s; its desktop configuration (printed path) is the
# relay user's [mssp] section, the direct one's module settings and those user sections.
relay_desktop() {
    local user=$1 dir=$R/users/$1 args=() s msisdn
    shift
    for s in "$@"; do
        msisdn=$(awk -v s="[user $s]" '$0 == s { on = 1; next } /^\[/ { on = 0 }
            on && $1 == "msisdn" { print $3 }' "$DIRECT_CONF")
        [ -n "$msisdn" ] || die "no msisdn for [user $s] in $DIRECT_CONF"
        args+=(--msisdn "$msisdn")
    done
    "$RELAY" user add "$R" "$user" "${args[@]}" >>"$WORK/relay-users.log" 2>&1 ||
        { cat "$WORK/relay-users.log" >&2; die "mss-relay user add $user failed"; }
    {
        sed '/^\[user /,$d' "$dir/mss-pkcs11.conf"
        for s in "$@"; do
            awk -v s="[user $s]" '$0 == s { on = 1 } /^\[/ && $0 != s { on = 0 } on' "$DIRECT_CONF"
            echo
        done
    } >"$dir/bench.conf"
    conf_put "$dir/bench.conf" messaging_mode synch
    conf_put "$dir/bench.conf" prompt none
    conf_put "$dir/bench.conf" cache_dir "$dir/cache"
    MSS_PKCS11_CONF=$dir/bench.conf "$MSS_TOOL" enroll >>"$WORK/enroll.log" 2>&1 ||
        { cat "$WORK/enroll.log" >&2; die "mss-tool enroll through the relay ($user) failed"; }
    echo "$dir/bench.conf"
}
relay_start "$R"
RELAY_PID=$RELAY_PID_relay
ONE_CONF=$(relay_desktop desk1 demo demo-ec)
BENCH_SECTIONS=()
for i in $(seq 1 "$THREADS"); do BENCH_SECTIONS+=("bench$i"); done
EIGHT_CONF=$(relay_desktop desk8 "${BENCH_SECTIONS[@]}")
mssp_snapshot
echo "mss-pkcs11: messaging_mode = synch, prompt = none; refmssp on loopback (policy approve:"
echo "  the phone signs at once), its database as set up at the start of each run; mss-relay"
echo "  on loopback, a thread per connection, one relay user per desktop configuration"
echo "  (desk1: the demo RSA and EC phones; desk8: the $THREADS bench phones), audit log on,"
echo "  rate limits 100000/min; $ROUNDS rounds, direct and relay alternated, medians."

# cpu_ticks PID: user + system CPU time of PID so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICK_HZ=$(getconf CLK_TCK)

# compare TEST RELAY_CONF SIGNATURES P11_SIGN_BENCH_ARG…: ROUNDS rounds of the same run
# direct and through the relay, each from a fresh refmssp; the table rows of the medians.
compare() {
    local test=$1 relay_conf=$2 signatures=$3 round d r before f
    shift 3
    local -A runs=()
    for ((round = 1; round <= ROUNDS; round++)); do
        mssp_fresh
        MSS_PKCS11_CONF=$DIRECT_CONF bench_result d "$test direct" sign "$MODULE" "$@"
        mssp_fresh
        before=$(cpu_ticks "$RELAY_PID")
        if [ "$round" = 1 ] && [ -n "${PERF_FILE:-}" ]; then
            perf_start "$RELAY_PID" "$PERF_FILE"
        fi
        MSS_PKCS11_CONF=$relay_conf bench_result r "$test relay" sign "$MODULE" "$@"
        if [ -n "${PERF_PID:-}" ]; then
            perf_stop
            PERF_FILE=""
        fi
        for f in rate p50_ms p99_ms; do
            runs[direct_$f]+="$(field $f "$d") "
            runs[relay_$f]+="$(field $f "$r") "
        done
        runs[cpu]+="$(awk -v t="$(($(cpu_ticks "$RELAY_PID") - before))" -v hz="$TICK_HZ" \
            -v n="$signatures" 'BEGIN { printf "%.3f", t * 1000 / hz / n }') "
    done
    local -A m=()
    for f in "${!runs[@]}"; do
        # shellcheck disable=SC2086 # one figure per word
        m[$f]=$(printf '%s\n' ${runs[$f]} | sort -g |
            awk '$1 != "-" { v[++n] = $1 } END { print n ? v[int((n + 1) / 2)] : "-" }')
    done
    table_row "$test" "signatures/s" "$(num "${m[direct_rate]}" 1)" "$(num "${m[relay_rate]}" 1)" \
        "$(ratio "${m[relay_rate]}" "${m[direct_rate]}")"
    for f in p50 p99; do
        table_row "" "$f ms" "$(num "${m[direct_${f}_ms]}")" "$(num "${m[relay_${f}_ms]}")" \
            "$(ratio "${m[relay_${f}_ms]}" "${m[direct_${f}_ms]}")"
    done
    table_row "" "p50 added ms" "" "$(awk -v r="${m[relay_p50_ms]}" -v d="${m[direct_p50_ms]}" \
        'BEGIN { if (r == "-" || d == "-") print "-"; else printf "%.2f\n", r - d }')" ""
    table_row "" "relay CPU ms/sig" "" "$(num "${m[cpu]}" 3)" ""
}

# perf_start PID FILE: perf record -g (cpu-clock) of PID into FILE, recording once perf
# has said so (its control FIFO acknowledges "enable"), so no request is missed.
perf_start() {
    mkfifo "$WORK/perf.ctl" "$WORK/perf.ack"
    perf record -D -1 --control "fifo:$WORK/perf.ctl,$WORK/perf.ack" \
        --call-graph "${BENCH_RELAY_PERF_CALL_GRAPH:-fp}" -e cpu-clock -p "$1" -o "$2" 2>"$WORK/perf.log" &
    PERF_PID=$!
    at_exit "kill -TERM $PERF_PID 2>/dev/null || true"
    local reply=""
    exec 8>"$WORK/perf.ctl" 9<"$WORK/perf.ack"
    echo enable >&8
    read -r -t "$SETTLE_S" -u 9 reply || true
    [ "$reply" = ack ] || { cat "$WORK/perf.log" >&2; die "perf record did not start"; }
}
# perf_stop: perf writes its file on SIGTERM (a background job of a script ignores SIGINT).
perf_stop() {
    exec 8>&- 9<&-
    kill -TERM "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" || true
    PERF_PID=""
    grep -q 'perf record: Captured' "$WORK/perf.log" ||
        { cat "$WORK/perf.log" >&2; step_failed "perf record"; }
}
PERF_FILE=${BENCH_RELAY_PERF:-}
[ -z "$PERF_FILE" ] || require_tools perf
section "mss-relay: 1 thread, $ONE_THREAD signatures per run"
table_head "Test" "direct" "via relay" "relay/direct"
compare "RSA-2048 CKM_SHA256_RSA_PKCS" "$ONE_CONF" "$ONE_THREAD" \
    --token "Demo User" --key "$SIGN_KEY" --mech rsa --count "$ONE_THREAD"
compare "P-256 CKM_ECDSA over SHA-256 (host)" "$ONE_CONF" "$ONE_THREAD" \
    --token "Demo EC User" --key "$SIGN_KEY" --mech ecdsa --count "$ONE_THREAD"

section "mss-relay: $THREADS threads over $THREADS users, $PER_THREAD signatures each, RSA-2048"
table_head "Test" "direct" "via relay" "relay/direct"
compare "$THREADS threads (relay: 1 user, $THREADS phones)" "$EIGHT_CONF" "$((THREADS * PER_THREAD))" \
    --tokens "Bench " --key "$SIGN_KEY" --mech rsa --threads "$THREADS" --count "$PER_THREAD"
echo "(relay CPU ms/sig: mss-relay's user + system time during the relay run / signatures;"
echo " the relay answered $(grep -c '"outcome":"ok"' "$R/audit.log") requests with outcome ok," \
    "$(grep -vc '"outcome":"ok"' "$R/audit.log") otherwise)"

relay_stop "$R"
printf '\n== mss-relay: done in %d s; load average at the end: %s ==\n' "$SECONDS" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${#BENCH_FAILED[@]}" -gt 0 ]; then
    printf 'steps that could not run: %s\n' "${BENCH_FAILED[*]}"
    exit 1
fi
echo "# bench-relay: every step ran"
