#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# libmssclient's transport against a real refmssp on loopback (client_transport_test.c):
# a foreign CA, a foreign or missing client certificate, the MSSP's TimeOut (208), our
# own deadline, cancel while polling, one kept-alive connection per client, and a
# forwarded message (mss_client_call) through a URL list whose first URL refuses.
# CLIENT_VALGRIND=1 runs the C test under valgrind (leaks of kind "definite" fail it).
# Scratch space in the build tree: nothing else cleans it up under our feet.
# (The C test stops refmssp with SIGSTOP for one case; refmssp_stop continues it.)
TEST_WORK_IN_BUILDDIR=1
. "$(dirname "$0")/e2e-lib.sh"
valgrind_if "${CLIENT_VALGRIND:-0}"
mssp_start

# Users that wait for a person (nobody answers: only TimeOut or a cancel ends them),
# one per case because a phone holds one request at a time.
add_user() {
    "$REFMSSP" user add "$WORK/state" "$@" >>"$WORK/users.out" 2>&1 ||
        die "refmssp user add $*: $(cat "$WORK/users.out")"
}
add_user expiring --msisdn +99900000031 --policy manual
add_user canceled-poll --msisdn +99900000032 --policy manual
add_user canceled-synch --msisdn +99900000033 --policy manual
add_user stalled --msisdn +99900000034 --policy manual

# A second test PKI that refmssp does not know: its CA must not verify refmssp's server
# certificate, and its AP certificate must not be accepted. Never started.
"$REFMSSP" init "$WORK/foreign" --port "$(free_port)" >"$WORK/foreign.init.log" 2>&1 ||
    die "refmssp init of the foreign PKI failed: $(cat "$WORK/foreign.init.log")"

export REFMSSP REFMSSP_DIR=$WORK/state FOREIGN_DIR=$WORK/foreign REFMSSP_LOG REFMSSP_PID
export MSS_URL
MSS_URL=$(sed -n 's/^url = //p' "$MSS_PKCS11_CONF" | head -n 1)
[ -n "$MSS_URL" ] || die "no url in $MSS_PKCS11_CONF"
export EXPIRING_MSISDN=+99900000031 CANCEL_POLL_MSISDN=+99900000032
export CANCEL_SYNCH_MSISDN=+99900000033 STALLED_MSISDN=+99900000034

"${VALGRIND[@]}" "$top_builddir/tests/integration/client_transport_test" ||
    die "client_transport_test failed"
ok "client_transport_test passed against refmssp"
echo "$PASSED passed, 0 failed"
