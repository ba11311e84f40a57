# SPDX-License-Identifier: BSD-3-Clause
# The slow phone runs (make check-slow, not part of make check): each program signs once
# with a phone that answers after MSS_SLOW_PHONE_MS milliseconds (default 45000, a person
# who reads the request and types the PIN), with the module's default signature timeout
# (120 s) and poll schedule (every 2 s). A shorter delay is for trying a test out only;
# docs/testing.md records the runs at 45000. Source this first:
#
#   . "$(dirname "$0")/slow-lib.sh"
#
# It sources the end-to-end helpers (tests/integration/e2e-lib.sh) and gives:
#   slow_start          refmssp with the slow phone's user; MSS_PKCS11_CONF then holds that
#                       user alone (token SLOW_LABEL), its certificates SLOW_AUTHN_CERT and
#                       SLOW_SIGN_CERT
#   SLOW_LIMIT          the outer timeout of a program, in seconds: the delay plus 90 s
#   slow_mark           just before the program signs
#   slow_check WHAT     after it: one signature request reached refmssp and was answered
#                       no earlier than the delay after it, and the program waited for it
#   slow_versions PKG…  print the Debian versions of the programs under test
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../integration" && pwd)
. "$E2E_DIR/e2e-lib.sh"

SLOW_MS=${MSS_SLOW_PHONE_MS:-45000}
case $SLOW_MS in
    '' | *[!0-9]*) die "MSS_SLOW_PHONE_MS must be a number of milliseconds, not '$SLOW_MS'" ;;
esac
SLOW_LIMIT=$((SLOW_MS / 1000 + 90))
SLOW_MSISDN=+99900000008
SLOW_LABEL="Slow Phone User"
echo "# the phone answers after $SLOW_MS ms"
at_exit 'echo "# the whole test took $SECONDS s"'

slow_start() {
    mssp_start
    # The [mssp] section without the test set-up's short timeout and polls: the defaults.
    local conf=$WORK/slow.conf
    mssp_section | grep -Ev '^(timeout|poll_first_ms|poll_interval_ms) = ' >"$conf"
    add_user slow "$SLOW_MSISDN" "delay:$SLOW_MS" "$SLOW_LABEL" "$conf"
    export MSS_PKCS11_CONF=$conf
    SLOW_AUTHN_CERT=$WORK/state/cache/slow/authn.pem
    SLOW_SIGN_CERT=$WORK/state/cache/slow/sign.pem
}

# Microseconds since the epoch.
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

slow_mark() {
    SLOW_FROM_LINE=$(($(wc -l <"$REFMSSP_LOG") + 1))
    SLOW_T0=$(now_us)
}

# The refmssp access-log lines of the slow user since slow_mark.
slow_log() { tail -n "+$SLOW_FROM_LINE" "$REFMSSP_LOG" | grep -F " msisdn=$SLOW_MSISDN " || true; }
# The time (s since the epoch) of the first access-log line on stdin.
log_time() { date -d "$(head -1 | cut -d' ' -f1)" +%s; }

# How many signature requests of the slow user refmssp has received since slow_mark, and
# how many it has answered with a signature; milliseconds since slow_mark.
slow_requests() { slow_log | grep -c " MSS_Signature " || true; }
slow_answered() { slow_log | grep -c " status=500 " || true; }
slow_waited_ms() { echo $((($(now_us) - SLOW_T0) / 1000)); }

slow_check() {
    local what=$1 waited_ms requests answered t_request t_answer
    waited_ms=$(slow_waited_ms)
    requests=$(slow_requests)
    answered=$(slow_answered)
    [ "$requests" -eq 1 ] || die "$what: $requests signature requests reached refmssp, expected 1"
    [ "$answered" -eq 1 ] || die "$what: refmssp answered $answered signatures, expected 1"
    t_request=$(slow_log | grep " MSS_Signature " | log_time)
    t_answer=$(slow_log | grep " status=500 " | log_time)
    # The access log counts whole seconds.
    [ $((t_answer - t_request)) -ge $((SLOW_MS / 1000 - 1)) ] ||
        die "$what: refmssp answered $((t_answer - t_request)) s after the request, before the phone did"
    [ "$waited_ms" -ge "$SLOW_MS" ] || die "$what: finished after $waited_ms ms, before the phone answered"
    echo "# $what: signature answered $((t_answer - t_request)) s after the request; the program took $((waited_ms / 1000)).$((waited_ms % 1000 / 100)) s"
}

slow_versions() {
    local pkg
    for pkg in "$@"; do
        echo "# version: $pkg $(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || echo '(not from a Debian package)')"
    done
}
