#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Headless Firefox ESR loads a page that requires a client certificate while the phone
# takes MSS_SLOW_PHONE_MS (default 45 s) to answer.
# Firefox signs on its socket thread and drops a connection whose TLS handshake took longer
# than network.http.tls-handshake-timeout (default 30 s) once the signature is back: the
# page then never loads (seen with Firefox ESR 153). The module waits up to its timeout
# (default 120 s) plus 10 s, so the profile allows 150 s (docs/user-guide.md).
. "$(dirname "$0")/slow-lib.sh"
. "$E2E_DIR/browser-lib.sh"
[ -n "$FIREFOX" ] || skip "firefox-esr is not installed (.ci/deps.sh installs it)"
slow_versions firefox-esr
slow_start

FIREFOX_PREFS='user_pref("network.http.tls-handshake-timeout", 150);'
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
slow_mark
BROWSER_WAIT=$SLOW_LIMIT firefox_visit slow || die "Firefox produced no page: $(tail -5 "$WORK/browser.log")"
slow_check "Firefox"
tls_server_saw "$SLOW_LABEL" || die "the server did not verify the $SLOW_LABEL certificate: $(tail -5 "$TLS_LOG")"
ok "headless Firefox authenticates with the slow phone's key; the server verified CN=$SLOW_LABEL"

echo "$PASSED passed, 0 failed"
