# SPDX-License-Identifier: BSD-3-Clause
# The one prelude of the shell tests (tests/integration, tests/fuzz, tests/bench) and of
# run-demo.sh, so that each script holds only what it checks. Source it first:
#
#   . "$(dirname "$0")/test-lib.sh"
#
# It gives: the paths of the built programs; require_tools and skip (automake's exit 77);
# a scratch folder WORK removed on exit (kept with MSS_TEST_KEEP=1) and at_exit for a
# test's own clean-up; ok and die; wait_for (poll for a state, bounded); a refmssp on a
# free loopback port (refmssp_start/refmssp_stop, mssp_start), an mss-relay
# (relay_start/relay_stop), and small module helpers. MSS_TEST_VIA=relay puts a relay
# between the module and refmssp (mssp_start; docs/testing.md).
#
# Set before sourcing: TEST_WORK_IN_BUILDDIR=1 puts WORK (and TMPDIR, for the programs
# the test runs) under the build tree's tests/integration instead of /tmp.
set -euo pipefail

# make check (AM_TESTS_ENVIRONMENT) and make bench pass both; run by hand, the test would
# look for programs that are not there, so say how it is meant to run.
: "${top_builddir:?run through make check (or make bench)}" "${top_srcdir:?run through make check (or make bench)}"
# Absolute, so that a path survives a cd and p11-kit (which resolves a relative module
# path against its own module folder) finds the module.
top_builddir=$(cd "$top_builddir" && pwd)
top_srcdir=$(cd "$top_srcdir" && pwd)
export top_builddir top_srcdir
REFMSSP=$top_builddir/refmssp/refmssp
MSS_TOOL=$top_builddir/ui/mss-tool
MODULE=$top_builddir/pkcs11/.libs/mss-pkcs11.so
# The module starts the "confirm on your phone" helper of this build, not an installed one.
export MSS_PKCS11_PROMPT_HELPER=$top_builddir/ui/mss-prompt

# skip WHY: automake counts exit status 77 as a skipped test.
skip() { echo "SKIP: $*"; exit 77; }

# require_tools [--package PKG] TOOL…: skip unless every TOOL is on PATH (or is an
# executable path). PKG names the Debian package in the message when it is not the tool's.
require_tools() {
    local pkg="" tool
    if [ "${1:-}" = --package ]; then pkg="$2; "; shift 2; fi
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (${pkg}.ci/deps.sh installs it)"
    done
}

PASSED=0
ok() { PASSED=$((PASSED + 1)); echo "ok $PASSED - $*"; }
# die WHAT: fail the test; refmssp's last lines usually say why a request failed.
die() {
    echo "FAIL: $*" >&2
    if [ -n "${REFMSSP_LOG:-}" ] && [ -f "$REFMSSP_LOG" ]; then tail -n 20 "$REFMSSP_LOG" >&2; fi
    if [ -n "${VIA_RELAY_LOG:-}" ] && [ -f "$VIA_RELAY_LOG" ]; then tail -n 20 "$VIA_RELAY_LOG" >&2; fi
    exit 1
}

# --- Scratch folder and clean-up. Tests add their own clean-up (servers, files outside
# WORK) with at_exit instead of replacing the trap, so no clean-up is ever lost; the
# latest added runs first, as servers started later may depend on earlier ones.
if [ "${TEST_WORK_IN_BUILDDIR:-}" = 1 ]; then
    # Long C tests: nothing that cleans /tmp removes their files under their feet.
    TMPDIR=$top_builddir/tests/integration
    export TMPDIR
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX")
TEST_CLEANUPS=()
at_exit() { TEST_CLEANUPS+=("$*"); }
test_lib_exit() {
    local i
    for ((i = ${#TEST_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${TEST_CLEANUPS[i]}" || true
    done
    if [ -n "${MSS_TEST_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap test_lib_exit EXIT
# An interrupted run (make check killed, ^C) still stops its servers and removes WORK.
trap 'exit 1' INT TERM

# wait_for SECONDS WHAT COMMAND [ARG…]: run COMMAND every 0.1 s until it succeeds. After
# SECONDS it says what it waited for on stderr and returns 1 (the caller decides whether
# that fails the test). The bound is wall-clock time, not a count of tries, so a slow
# COMMAND on a busy machine does not stretch it.
wait_for() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$((${EPOCHREALTIME//[!0-9]/} + seconds * 1000000))
    until "$@"; do
        if [ "${EPOCHREALTIME//[!0-9]/}" -ge "$deadline" ]; then
            echo "timed out after $seconds s waiting for $what" >&2
            return 1
        fi
        sleep 0.1
    done
}

# How long a start-up (a server listening, a request reaching the phone, a process
# exiting) may take before a test gives up. Only a guard against a hang: the waits
# return as soon as the state is reached, so a generous value costs nothing, and a tight
# one fails on a loaded machine.
SETTLE_S=${MSS_TEST_SETTLE_S:-60}

# Does something accept TCP connections on 127.0.0.1:PORT?
tcp_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
process_gone() { ! kill -0 "$1" 2>/dev/null; }
group_gone() { ! kill -0 -- "-$1" 2>/dev/null; }

# stop_group PGID: end a process group (a browser and its helpers, started with setsid)
# and wait until none of it is left, so that nothing still writes into WORK when it is
# removed. SIGTERM first; SIGKILL only if the group outlives the start-up guard.
stop_group() {
    kill -TERM -- "-$1" 2>/dev/null || return 0
    wait_for "$SETTLE_S" "process group $1 to exit" group_gone "$1" && return 0
    kill -KILL -- "-$1" 2>/dev/null || true
    wait_for "$SETTLE_S" "process group $1 to exit after SIGKILL" group_gone "$1"
}

# A loopback port that nothing answers on right now.
free_port() {
    local port tries
    for tries in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        tcp_listening "$port" || { echo "$port"; return 0; }
    done
    echo "test-lib: no free port found in $tries tries" >&2
    return 1
}

# --- refmssp on loopback.
#   refmssp_start DIR [PORT]  init DIR (when new) and start the server; PORT empty: a free
#                             one. Sets REFMSSP_PID and REFMSSP_LOG; returns 1 on failure.
#   refmssp_stop              stop the server started last (SIGTERM, then SIGKILL after SETTLE_S)
REFMSSP_PID=""
REFMSSP_LOG=""
at_exit refmssp_stop

refmssp_start() {
    local dir=$1 port=${2:-}
    [ -n "$port" ] || port=$(free_port) || return 1
    if [ ! -f "$dir/refmssp.db" ]; then
        "$REFMSSP" init "$dir" --port "$port" >"$dir.init.log" 2>&1 || {
            cat "$dir.init.log" >&2
            return 1
        }
    fi
    REFMSSP_LOG="$dir/refmssp.log"
    # Emptied here, not by the background job's redirection: on a restart in the same DIR
    # the wait below could otherwise still read the previous server's "listening on".
    : >"$REFMSSP_LOG"
    "$REFMSSP" run "$dir" >>"$REFMSSP_LOG" 2>&1 &
    REFMSSP_PID=$!
    # Ready when it says so; a server that exits early has failed (no need to wait on).
    if ! wait_for "$SETTLE_S" "refmssp to listen" refmssp_settled; then
        cat "$REFMSSP_LOG" >&2
        # What it was doing instead (a lock, the disk, the scheduler).
        ps -o pid,stat,wchan:24,etime,time,args -p "$REFMSSP_PID" >&2 || true
        cat "/proc/$REFMSSP_PID/stack" >&2 2>/dev/null || true
        refmssp_stop
        return 1
    fi
    if ! grep -q "listening on" "$REFMSSP_LOG"; then
        echo "test-lib: refmssp exited during start:" >&2
        cat "$REFMSSP_LOG" >&2
        REFMSSP_PID=""
        return 1
    fi
}
refmssp_settled() { grep -q "listening on" "$REFMSSP_LOG" 2>/dev/null || process_gone "$REFMSSP_PID"; }

refmssp_stop() {
    [ -n "$REFMSSP_PID" ] || return 0
    kill -TERM "$REFMSSP_PID" 2>/dev/null || true
    # A test may have stopped it (SIGSTOP); a stopped process does not act on SIGTERM.
    kill -CONT "$REFMSSP_PID" 2>/dev/null || true
    if ! wait_for "$SETTLE_S" "refmssp to exit on SIGTERM" process_gone "$REFMSSP_PID"; then
        echo "test-lib: killing refmssp" >&2
        kill -KILL "$REFMSSP_PID" 2>/dev/null || true
    fi
    wait "$REFMSSP_PID" 2>/dev/null || true
    REFMSSP_PID=""
}

# --- mss-relay on loopback (set up by relay-lib.sh's relay_init or via-relay-lib.sh).
#   relay_start DIR           mss-relay run DIR in the background (its log DIR.log, its PID
#                             in RELAY_PID_<basename>), ready once it says it listens
#   relay_stop DIR            SIGTERM, then wait until it has exited
#   relay_url DIR             the URL a module reaches it by
#   relay_conf_set DIR KEY V  set a key of DIR/mss-relay.conf (init writes most commented out)
RELAY=$top_builddir/relay/mss-relay

relay_url() { echo "https://$(sed -n 's/^listen = //p' "$1/mss-relay.conf")/mss"; }

relay_conf_set() {
    sed -i -E "s|^(# )?$2 = .*|$2 = $3|" "$1/mss-relay.conf"
    grep -q "^$2 = $3\$" "$1/mss-relay.conf" || die "could not set $2 in $1/mss-relay.conf"
}

relay_settled() { grep -q "listening on" "$1.log" 2>/dev/null || process_gone "$2"; }
relay_start() {
    local dir=$1 name pid
    name=$(basename "$dir")
    : >"$dir.log"
    "$RELAY" run "$dir" >>"$dir.log" 2>&1 &
    pid=$!
    printf -v "RELAY_PID_${name//-/_}" '%s' "$pid"
    at_exit "kill $pid 2>/dev/null || true"
    wait_for "$SETTLE_S" "mss-relay $name to listen" relay_settled "$dir" "$pid" &&
        grep -q "listening on" "$dir.log" || die "mss-relay $name did not start: $(cat "$dir.log")"
}

relay_stop() {
    local name pidvar
    name=$(basename "$1")
    pidvar="RELAY_PID_${name//-/_}"
    kill -TERM "${!pidvar}" 2>/dev/null || true
    wait_for "$SETTLE_S" "mss-relay $name to exit" process_gone "${!pidvar}" ||
        die "mss-relay $name did not stop on SIGTERM"
}

# --- The MSSP of the module's tests.
# MSS_TEST_VIA selects how the module reaches it: empty or "refmssp" (directly, as refmssp's
# AP) or "relay" (through an mss-relay in front of refmssp, as one relay user with no AP
# secret: via-relay-lib.sh). Checked here, so that a mistyped value fails every test at once.
case ${MSS_TEST_VIA:=refmssp} in
    refmssp | relay) ;;
    *) echo "FAIL: MSS_TEST_VIA=$MSS_TEST_VIA: expected refmssp or relay" >&2; exit 1 ;;
esac

# Start refmssp with a fresh state in $WORK/state and point the module at its configuration.
mssp_start_direct() {
    refmssp_start "$WORK/state" || die "refmssp did not start"
    export MSS_PKCS11_CONF=$WORK/state/mss-pkcs11.conf
}
# The same, through a relay when MSS_TEST_VIA=relay: the module's configuration (the same
# file) then names the relay instead of refmssp, and keeps its [user] sections.
mssp_start() {
    mssp_start_direct
    if [ "$MSS_TEST_VIA" = relay ]; then
        . "$(dirname "${BASH_SOURCE[0]}")/via-relay-lib.sh"
        via_relay_start
    fi
}

# URL_BASE: https://HOST:PORT of the server the module's configuration names at /mss
# (refmssp, or the relay), for tests that pick another path or binding there.
mssp_url_base() {
    URL_BASE=$(sed -n 's|^url = \(https://[^/]*\)/mss$|\1|p' "$MSS_PKCS11_CONF")
    [ -n "$URL_BASE" ] || die "no url in $MSS_PKCS11_CONF"
}

# Does the phone of MSISDN (refmssp state DIR) show a request?
phone_has_request() { "$REFMSSP" phone list "$1" "$2" 2>/dev/null | grep -q "^$2 "; }

# Set one key of the [mssp] section of the module configuration.
conf_set() {
    sed -i "s|^$1 = .*|$1 = $2|" "$MSS_PKCS11_CONF"
    grep -q "^$1 = $2\$" "$MSS_PKCS11_CONF" || die "could not set $1 in $MSS_PKCS11_CONF"
}

# The CKA_ID (hex) of the private key labelled $2, as listed by pkcs11-tool with module $1,
# on the token labelled $3 (default: the first token).
# (pkcs11-tool 0.23 selects the signing key by --id only; --label is ignored for --sign.)
p11_key_id() {
    local token=()
    [ -z "${3:-}" ] || token=(--token-label "$3")
    pkcs11-tool --module "$1" "${token[@]}" -O --type privkey 2>/dev/null | awk -v want="$2" '
        /^Private Key Object/ { label = "" }
        /^ *label:/ { sub(/^ *label: */, ""); label = $0 }
        /^ *ID:/ { if (label == want) { print $2; exit } }'
}

# p11_sign_verified CERT TOKEN MECH [pkcs11-tool options] -- [openssl dgst options]:
# pkcs11-tool signs $WORK/doc.txt with TOKEN's signing key into $WORK/sig (through the
# module and MSS_PKCS11_CONF as they are), and openssl verifies the signature against the
# public key of CERT (a PEM certificate). Fails the test, saying which step, otherwise.
p11_sign_verified() {
    local cert=$1 token=$2 mech=$3 id
    shift 3
    local p11opts=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do p11opts+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    id=$(p11_key_id "$MODULE" "Signing key" "$token")
    [ -n "$id" ] || die "no signing key on token '$token'"
    rm -f "$WORK/sig"
    timeout 60 pkcs11-tool --module "$MODULE" --token-label "$token" --id "$id" --sign -m "$mech" \
        "${p11opts[@]}" -i "$WORK/doc.txt" -o "$WORK/sig" 2>"$WORK/err" ||
        die "$token $mech: signing failed: $(cat "$WORK/err")"
    openssl x509 -in "$cert" -pubkey -noout >"$WORK/pub.pem"
    openssl dgst "$@" -verify "$WORK/pub.pem" -signature "$WORK/sig" "$WORK/doc.txt" >/dev/null 2>&1 ||
        die "$token $mech: openssl does not verify the signature"
}

# p11_sign_verified_ok WHAT TOKEN USERDIR MECH [pkcs11-tool options] -- [openssl dgst options]:
# p11_sign_verified against the certificate the module cached for USERDIR (refmssp's
# state), and a passed check "WHAT TOKEN MECH: openssl verifies the signature".
p11_sign_verified_ok() {
    local what=$1 token=$2 dir=$3 mech=$4
    shift 4
    p11_sign_verified "$WORK/state/cache/$dir/sign.pem" "$token" "$mech" "$@"
    ok "$what $token $mech: openssl verifies the signature"
}

# sha256_digest_info FILE OUT: the DER DigestInfo of FILE's SHA-256 (what a PKCS#1 v1.5
# signature covers): the prefix of RFC 8017 §9.2 note 1, then the hash.
sha256_digest_info() {
    { printf '\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20'
      openssl dgst -sha256 -binary "$1"; } >"$2"
}

# valgrind_if FLAG: when FLAG is 1, VALGRIND runs a C test under memcheck (definite leaks
# fail it) and valgrind must be installed; otherwise VALGRIND is empty. Use "${VALGRIND[@]}".
valgrind_if() {
    VALGRIND=()
    [ "$1" = 1 ] || return 0
    require_tools valgrind
    VALGRIND=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9)
}
