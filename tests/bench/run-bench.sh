#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make bench: the same PKCS#11 loop (tests/bench/p11_sign_bench) against SoftHSM (a local
# software token) and against mss-pkcs11 signing through refmssp on loopback, in one run,
# with the ratio mss/SoftHSM for each figure; then refmssp's own figures (bench-refmssp.sh)
# and the relay's overhead (bench-relay.sh). What each figure means: docs/performance.md.
# Asserts nothing; exits non-zero only when a step could not run.
#
# BENCH_SHORT=1 makes every count tiny (make check runs it so: test_bench_runs.sh).
. "$(dirname "$0")/../integration/test-lib.sh"
. "$(dirname "$0")/bench-lib.sh"
require_tools --package softhsm2 softhsm2-util
require_tools --package opensc pkcs11-tool
require_tools sqlite3 setsid
[ -r "$SOFTHSM_MODULE" ] || skip "no SoftHSM module at $SOFTHSM_MODULE (.ci/deps.sh installs softhsm2)"

if [ "${BENCH_SHORT:-}" = 1 ]; then
    ONE_THREAD=20 PER_THREAD=5 STARTUP_RUNS=3 FOOTPRINT=20,50 APPROVERS=1 DELAY_FIRST_MS=100
else
    ONE_THREAD=2000 PER_THREAD=300 STARTUP_RUNS=50 FOOTPRINT=1000,10000 APPROVERS=10 DELAY_FIRST_MS=1100
fi
# The phones of the approval run answer DELAY_FIRST_MS, +200 ms, +400 ms, … after the
# request: ten answers spread over one 2-second polling interval.
DELAY_STEP_MS=200
THREADS=8
SIGN_KEY="Signing key" # the label mss-pkcs11 gives every user's signing key
SECONDS=0

section "Set-up"
echo "commit: $(git -C "$top_srcdir" describe --always --dirty 2>/dev/null || echo unknown)," \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')),"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)${BENCH_SHORT:+ (BENCH_SHORT=1: tiny counts, figures mean nothing)}"
echo "SoftHSM $(softhsm2-util --version) ($SOFTHSM_MODULE), $(openssl version | cut -d' ' -f1-2)"
softhsm_setup "$WORK/softhsm" || die "SoftHSM token set-up failed"

mssp_start
"$MSS_TOOL" enroll >"$WORK/enroll.log" 2>&1 || { cat "$WORK/enroll.log" >&2; die "mss-tool enroll failed"; }
conf_put "$MSS_PKCS11_CONF" messaging_mode synch
conf_put "$MSS_PKCS11_CONF" prompt auto
PROMPT_NONE_CONF=$WORK/prompt-none.conf
cp "$MSS_PKCS11_CONF" "$PROMPT_NONE_CONF" && conf_put "$PROMPT_NONE_CONF" prompt none
# Start-up is measured with the three users refmssp init makes.
STARTUP_CONF=$WORK/startup.conf
cp "$MSS_PKCS11_CONF" "$STARTUP_CONF"

# The $THREADS users of the 8-thread run (signing keys RSA-2048; authentication keys, unused
# here, EC: quicker to make), and the users of the approval run: phones that answer
# DELAY_FIRST_MS, +200 ms, … after the request (policy delay:MS), in a configuration of
# their own.
APPROVAL_CONF=$WORK/approval.conf
conf_mssp_only "$MSS_PKCS11_CONF" "$APPROVAL_CONF"
for i in $(seq 1 "$THREADS"); do
    "$REFMSSP" user add "$WORK/state" "bench$i" --msisdn "$(printf '+999000030%02d' "$i")" \
        --authn ecp256 --label "Bench $i" --module-conf "$MSS_PKCS11_CONF" >>"$WORK/users.log" 2>&1 ||
        { cat "$WORK/users.log" >&2; die "refmssp user add bench$i failed"; }
done
for k in $(seq 0 $((APPROVERS - 1))); do
    "$REFMSSP" user add "$WORK/state" "approval$k" --msisdn "$(printf '+999000040%02d' "$k")" \
        --authn ecp256 --sign ecp256 --policy "delay:$((DELAY_FIRST_MS + k * DELAY_STEP_MS))" \
        --label "Approval $k" --module-conf "$APPROVAL_CONF" >>"$WORK/users.log" 2>&1 ||
        { cat "$WORK/users.log" >&2; die "refmssp user add approval$k failed"; }
done
{ "$MSS_TOOL" enroll && "$MSS_TOOL" -c "$APPROVAL_CONF" enroll; } >>"$WORK/enroll.log" 2>&1 ||
    { cat "$WORK/enroll.log" >&2; die "mss-tool enroll failed"; }

# refmssp today gets slower with every transaction in its database, for every user; so
# that one step's signatures do not slow the next, each step starts from this database.
# (bench-refmssp.sh measures that history on its own.)
mssp_snapshot
echo "mss-pkcs11: messaging_mode = synch, prompt = auto (the default; here no session bus and"
echo "  no terminal, so the module starts no helper: nothing could show it); refmssp on loopback,"
echo "  users with policy approve (the phone signs at once), its database as set up at the start"
echo "  of each step. SoftHSM: token 'bench', logged in."

# --- Start-up, before any signature: a fresh process each run, with the three demo users.
section "Start-up: dlopen, C_Initialize, C_GetSlotList, C_Finalize (fresh process; median of $STARTUP_RUNS)"
mssp_fresh
requests_before=$(refmssp_lines)
bench_result soft_start "start-up SoftHSM" startup "$SOFTHSM_MODULE" --runs "$STARTUP_RUNS"
MSS_PKCS11_CONF=$STARTUP_CONF bench_result mss_start "start-up mss-pkcs11" startup "$MODULE" --runs "$STARTUP_RUNS"
startup_requests=$(($(refmssp_lines) - requests_before))
table_head "Test" "SoftHSM" "mss-pkcs11" "mss/SoftHSM"
table_row "dlopen .. C_Finalize" "median ms" "$(num "$(field median_ms "$soft_start")")" \
    "$(num "$(field median_ms "$mss_start")")" "$(ratio "$(field median_ms "$mss_start")" "$(field median_ms "$soft_start")")"
table_row "C_Initialize + C_GetSlotList alone" "median ms" "$(num "$(field median_init_ms "$soft_start")")" \
    "$(num "$(field median_init_ms "$mss_start")")" "$(ratio "$(field median_init_ms "$mss_start")" "$(field median_init_ms "$soft_start")")"
table_row "dlopen .. C_Finalize" "max ms" "$(num "$(field max_ms "$soft_start")")" "$(num "$(field max_ms "$mss_start")")" ""
table_row "" "slots" "$(field slots "$soft_start")" "$(field slots "$mss_start")" ""
table_row "" "requests to MSSP" "" "$startup_requests" ""

# --- One thread.
section "One thread: C_SignInit + C_Sign, $ONE_THREAD signatures each"
table_head "Test" "SoftHSM" "mss-pkcs11" "mss/SoftHSM"
bench_result soft_rsa "1 thread RSA SoftHSM" sign "$SOFTHSM_MODULE" --token bench --pin "$SOFTHSM_PIN" \
    --key rsa --mech rsa --count "$ONE_THREAD"
mssp_fresh
bench_result mss_rsa "1 thread RSA mss-pkcs11" sign "$MODULE" --token "Demo User" --key "$SIGN_KEY" \
    --mech rsa --count "$ONE_THREAD"
rate_rows "RSA-2048 CKM_SHA256_RSA_PKCS" "$soft_rsa" "$mss_rsa"
mssp_fresh
MSS_PKCS11_CONF=$PROMPT_NONE_CONF bench_result mss_rsa_none "1 thread RSA mss-pkcs11 prompt=none" \
    sign "$MODULE" --token "Demo PSS User" --key "$SIGN_KEY" --mech rsa --count "$ONE_THREAD"
rate_rows "  the same, mss-pkcs11 prompt = none" "$soft_rsa" "$mss_rsa_none"
bench_result soft_ec "1 thread ECDSA SoftHSM" sign "$SOFTHSM_MODULE" --token bench --pin "$SOFTHSM_PIN" \
    --key ec --mech ecdsa --count "$ONE_THREAD"
mssp_fresh
bench_result mss_ec "1 thread ECDSA mss-pkcs11" sign "$MODULE" --token "Demo EC User" --key "$SIGN_KEY" \
    --mech ecdsa --count "$ONE_THREAD"
rate_rows "P-256 CKM_ECDSA over SHA-256 (host)" "$soft_ec" "$mss_ec"

# --- Eight threads: SoftHSM's sessions share its one token; mss-pkcs11's threads each
# sign as another user (one slot each), as eight people would.
section "$THREADS threads: $PER_THREAD signatures each, RSA-2048 CKM_SHA256_RSA_PKCS"
mssp_fresh
bench_result mss_8 "$THREADS threads mss-pkcs11" sign "$MODULE" --tokens "Bench " --key "$SIGN_KEY" \
    --mech rsa --threads "$THREADS" --count "$PER_THREAD"
bench_result soft_8 "$THREADS threads SoftHSM" sign "$SOFTHSM_MODULE" --token bench --pin "$SOFTHSM_PIN" \
    --key rsa --mech rsa --threads "$THREADS" --count "$PER_THREAD"
table_head "Test" "SoftHSM" "mss-pkcs11" "mss/SoftHSM"
rate_rows "$THREADS threads (mss-pkcs11: $THREADS users)" "$soft_8" "$mss_8" p99/p50

# --- The person's wait: from the phone's answer to C_Sign's return. Each user's phone
# answers a known time after the request reaches refmssp (policy delay:MS); refmssp
# records that instant (approve_at, epoch ms), the benchmark the instant C_Sign returned.
section "Approval: phone's answer -> C_Sign returns, $APPROVERS signatures (ECDSA users, prompt = auto)"
mssp_fresh
DEFAULT_CONF=$WORK/approval-default.conf
sed '/^messaging_mode = /d; /^poll_[a-z_]* = /d' "$APPROVAL_CONF" >"$DEFAULT_CONF"
ASYNCH_CONF=$WORK/approval-asynch.conf
cp "$APPROVAL_CONF" "$ASYNCH_CONF"
conf_put "$ASYNCH_CONF" messaging_mode asynchClientServer
conf_put "$ASYNCH_CONF" poll_first_ms 2000
conf_put "$ASYNCH_CONF" poll_interval_ms 2000
default_mode=$("$MSS_TOOL" -c "$DEFAULT_CONF" show 2>/dev/null | sed -n 's/^mode: *//p' || true)

# approval_run NAME CONF: sign once as each approval user; prints one table row.
approval_run() {
    local name=$1 conf=$2 before result label returned duration k approve_at
    before=$(refmssp_lines)
    : >"$WORK/times"
    MSS_PKCS11_CONF=$conf bench_result result "approval $name" sign "$MODULE" \
        --tokens "Approval " --rotate --count "$APPROVERS" --key "$SIGN_KEY" --mech ecdsa --times "$WORK/times"
    local requests=$(($(refmssp_lines) - before)) waits=() pending_ms=0
    while IFS=$'\t' read -r label returned duration; do
        k=${label#Approval }
        approve_at=$(sqlite3 -readonly -cmd '.timeout 10000' "$WORK/state/refmssp.db" \
            "SELECT max(approve_at) FROM transactions WHERE msisdn = '$(printf '+999000040%02d' "$k")'") || approve_at=""
        [ -n "$approve_at" ] || { step_failed "approval $name: refmssp recorded no approval for $label"; continue; }
        waits+=("$(awk -v r="$returned" -v a="$approve_at" 'BEGIN { printf "%.1f\n", r - a }')")
        pending_ms=$(awk -v p="$pending_ms" -v d="$duration" 'BEGIN { print p + d }')
    done <"$WORK/times"
    local median=- max=- per_signature=- rate=-
    if [ "${#waits[@]}" -gt 0 ]; then
        median=$(printf '%s\n' "${waits[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
        max=$(printf '%s\n' "${waits[@]}" | sort -g | tail -n 1)
        per_signature=$(awk -v r="$requests" -v n="${#waits[@]}" 'BEGIN { printf "%.1f\n", r / n }')
        rate=$(awk -v r="$requests" -v p="$pending_ms" 'BEGIN { printf "%.2f\n", r / (p / 1000) }')
    fi
    printf '%-44s %11s %11s %13s %13s\n' "$name" "$median" "$max" "$per_signature" "$rate"
}
printf '%-44s %11s %11s %13s %13s\n' "Configuration" "median ms" "max ms" "requests/sig" "requests/s"
approval_run "default (messaging_mode: $default_mode)" "$DEFAULT_CONF"
approval_run "asynchClientServer, polling 2000 ms" "$ASYNCH_CONF"
echo "(phones answer $DELAY_FIRST_MS..$((DELAY_FIRST_MS + (APPROVERS - 1) * DELAY_STEP_MS)) ms after the request;" \
    "requests: refmssp's access lines; requests/s: while C_Sign waited)"

# --- Memory: the host process before dlopen (libcrypto already in use), ready, and after
# N1 and N2 signatures in the same process.
section "Footprint: VmRSS of the host process, KiB (RSA-2048, one thread)"
bench_result soft_mem "footprint SoftHSM" footprint "$SOFTHSM_MODULE" --token bench --pin "$SOFTHSM_PIN" \
    --key rsa --mech rsa --counts "$FOOTPRINT"
mssp_fresh
bench_result mss_mem "footprint mss-pkcs11" footprint "$MODULE" --token "Demo User" --key "$SIGN_KEY" \
    --mech rsa --counts "$FOOTPRINT"
# memory_row TEST KEY_A [KEY_B]: field A (minus field B) of both results and the ratio.
memory_row() {
    local s m
    s=$(awk -v a="$(field "$2" "$soft_mem")" -v b="$(field "${3:-none}" "$soft_mem")" 'BEGIN { print (a == "-" ? "-" : a - (b == "-" ? 0 : b)) }')
    m=$(awk -v a="$(field "$2" "$mss_mem")" -v b="$(field "${3:-none}" "$mss_mem")" 'BEGIN { print (a == "-" ? "-" : a - (b == "-" ? 0 : b)) }')
    table_row "$1" "KiB" "$s" "$m" "$(ratio "$m" "$s")"
}
first=${FOOTPRINT%,*} second=${FOOTPRINT#*,}
table_head "Test" "SoftHSM" "mss-pkcs11" "mss/SoftHSM"
memory_row "host before dlopen" rss_host_kib
memory_row "added by dlopen + C_Initialize + slots" rss_ready_kib rss_host_kib
memory_row "added by the first $first signatures" rss_first_kib rss_ready_kib
memory_row "added by signatures $first..$second" rss_second_kib rss_first_kib

# --- refmssp alone: history, pending transactions, many connections (its own script;
# make check runs it on its own, test_bench_refmssp.sh, so test_bench_runs.sh skips it).
if [ -z "${BENCH_SKIP_REFMSSP:-}" ]; then
    section "refmssp (tests/bench/bench-refmssp.sh)"
    bash "$top_srcdir/tests/bench/bench-refmssp.sh" || step_failed "bench-refmssp.sh"
fi

# --- mss-relay: its overhead over the direct path (its own script; make check runs it on
# its own, test_bench_relay.sh, so test_bench_runs.sh skips it).
if [ -z "${BENCH_SKIP_RELAY:-}" ]; then
    section "mss-relay (tests/bench/bench-relay.sh)"
    bash "$top_srcdir/tests/bench/bench-relay.sh" || step_failed "bench-relay.sh"
fi

printf '\n== Done in %d s; load average at the end: %s ==\n' "$SECONDS" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${#BENCH_FAILED[@]}" -gt 0 ]; then
    printf 'steps that could not run: %s\n' "${BENCH_FAILED[*]}"
    exit 1
fi
