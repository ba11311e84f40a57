# SPDX-License-Identifier: BSD-3-Clause
# Common set-up for the end-to-end tests: paths of the built programs, a scratch folder
# removed on exit, a refmssp on a free loopback port, and small assertion helpers.
# Tests are run by automake with top_builddir and top_srcdir in the environment.
set -euo pipefail
: "${top_builddir:?run through make check}" "${top_srcdir:?run through make check}"
REFMSSP=$top_builddir/refmssp/refmssp
MSS_TOOL=$top_builddir/ui/mss-tool
MODULE=$top_builddir/pkcs11/.libs/mss-pkcs11.so
. "$top_srcdir/tests/integration/refmssp-lib.sh"

for tool in pkcs11-tool openssl; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool is not installed (.ci/deps.sh installs it)"
        exit 77
    fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mss-e2e.XXXXXX")
cleanup() { tls_server_stop; refmssp_stop; [ -n "${MSS_TEST_KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT

PASSED=0
ok() { PASSED=$((PASSED + 1)); echo "ok $PASSED - $*"; }
die() { echo "FAIL: $*" >&2; [ -n "${REFMSSP_LOG:-}" ] && tail -n 20 "$REFMSSP_LOG" >&2; exit 1; }

# Start refmssp with a fresh state and point the module at its configuration.
e2e_start() {
    refmssp_start "$WORK/state" || die "refmssp did not start"
    export MSS_PKCS11_CONF=$WORK/state/mss-pkcs11.conf
}

# Set one key of the [mssp] section of the module configuration.
conf_set() {
    sed -i "s|^$1 = .*|$1 = $2|" "$MSS_PKCS11_CONF"
    grep -q "^$1 = $2\$" "$MSS_PKCS11_CONF" || die "could not set $1 in $MSS_PKCS11_CONF"
}

p11() { pkcs11-tool --module "$MODULE" "$@"; }

# --- The "confirm on your phone" path: a user whose SIM waits for a person (refmssp's
# manual policy); the test plays the person with `refmssp phone approve|cancel`.
PHONE_MSISDN=+99900000009
PHONE_LABEL="Phone User"

# Add the phone user to refmssp and to the module configuration, and enroll it.
add_phone_user() {
    "$REFMSSP" user add "$WORK/state" phone --msisdn "$PHONE_MSISDN" --policy manual \
        --label "$PHONE_LABEL" --module-conf "$MSS_PKCS11_CONF" >/dev/null || die "refmssp user add failed"
    "$MSS_TOOL" enroll phone >/dev/null || die "mss-tool enroll phone failed"
}

# Wait (up to 30 s) until the phone shows a request, then answer it: approve (with the
# right PIN) or cancel. Run it in the background before the client that signs.
phone_answer() {
    local action=$1 i
    for i in $(seq 1 300); do
        if "$REFMSSP" phone list "$WORK/state" "$PHONE_MSISDN" 2>/dev/null | grep -q "^$PHONE_MSISDN "; then
            if [ "$action" = approve ]; then
                "$REFMSSP" phone approve "$WORK/state" "$PHONE_MSISDN" --pin 1234 >"$WORK/phone.out" 2>&1
            else
                "$REFMSSP" phone cancel "$WORK/state" "$PHONE_MSISDN" >"$WORK/phone.out" 2>&1
            fi
            return
        fi
        sleep 0.1
    done
    echo "phone_answer: no request reached the phone within 30 s" >"$WORK/phone.out"
    return 1
}

# Run a client command while the phone answers: with_phone approve|cancel CMD ARGS...
# Returns the client's exit status; fails the test if the phone never saw the request.
with_phone() {
    local action=$1 status=0 phone_status=0
    shift
    phone_answer "$action" &
    local phone_pid=$!
    "$@" || status=$?
    wait "$phone_pid" || phone_status=$?
    [ "$phone_status" -eq 0 ] || die "the phone did not get the request ($*): $(cat "$WORK/phone.out")"
    return "$status"
}

# --- A TLS server that requires a client certificate from refmssp's test CA:
# openssl s_server with refmssp's server certificate (127.0.0.1), answering a page that
# shows the client certificate (-www). tls_server_start [extra s_server options] sets
# TLS_PORT and TLS_LOG; each start replaces the previous server.
TLS_PID=""
tls_server_stop() {
    [ -z "$TLS_PID" ] || { kill "$TLS_PID" 2>/dev/null || true; wait "$TLS_PID" 2>/dev/null || true; }
    TLS_PID=""
}
tls_server_start() {
    tls_server_stop
    TLS_PORT=$(refmssp_free_port)
    TLS_LOG=$WORK/s_server.$TLS_PORT.log
    openssl s_server -accept "127.0.0.1:$TLS_PORT" -cert "$WORK/state/server.pem" \
        -key "$WORK/state/server.key" -CAfile "$WORK/state/ca.pem" -Verify 1 -www "$@" \
        >"$TLS_LOG" 2>&1 &
    TLS_PID=$!
    local i
    for i in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$TLS_PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    die "openssl s_server did not start: $(cat "$TLS_LOG")"
}
# Did the TLS server verify a client certificate with this CN?
tls_server_saw() { grep -q "depth=0 CN = $1," "$TLS_LOG"; }

# How many signature requests has refmssp received so far?
mssp_signatures() { grep -c "MSS_Signature " "$REFMSSP_LOG" || true; }
