#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Real browsers with the mobile key: headless Firefox ESR and Chromium, each with the module
# registered in its NSS database and automatic client-certificate selection, load an HTTPS
# page on 127.0.0.1 that requires a client certificate; the server logs the user's subject.
# Browsers never time out by themselves: each run has an outer deadline and a process-group kill.
. "$(dirname "$0")/e2e-lib.sh"
. "$(dirname "$0")/browser-lib.sh"
[ -n "$FIREFOX$CHROMIUM" ] || skip "neither firefox-esr nor chromium is installed (.ci/deps.sh installs both)"
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

# The demo user's keys sign PKCS#1 v1.5, so the server asks for TLS 1.2 RSA+SHA256 client
# signatures (TLS 1.3 needs RSA-PSS, offered by keys configured with *_pss = yes).
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'

# The phone path runs with a configuration holding only the phone user's key.
add_phone_user
phone_only_conf

# After a cancel a browser shows no page to capture: its run ends once the MSSP has told
# the module (a response with status 401 in refmssp's access log), not after some seconds.
mssp_cancels() { grep -c " status=401 " "$REFMSSP_LOG" || true; }
cancel_reached_module() { [ "$(mssp_cancels)" -gt "$CANCELS_BEFORE" ]; }
browser_cancelled() {
    CANCELS_BEFORE=$(mssp_cancels)
    BROWSER_UNTIL=cancel_reached_module with_phone cancel "$@" || true
    cancel_reached_module || die "refmssp never answered the module's request with 401 after the cancel"
}

if [ -n "$FIREFOX" ]; then
    before=$(mssp_signatures)
    firefox_visit demo || die "Firefox produced no page within 60 s: $(tail -5 "$WORK/browser.log")"
    tls_server_saw "Demo User" || die "the server saw no Demo User client certificate from Firefox: $(tail -5 "$TLS_LOG")"
    [ "$(mssp_signatures)" -gt "$before" ] || die "Firefox did not sign through the MSSP"
    ok "headless Firefox ($("$FIREFOX" --version 2>/dev/null | head -1)) authenticates with the mobile key; the server logged CN = Demo User"

    # Confirm on the phone, with a configuration holding only the phone user's key.
    tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
    MSS_PKCS11_CONF=$PHONE_CONF with_phone approve firefox_visit approved ||
        die "Firefox produced no page after the phone's approval: $(tail -5 "$WORK/browser.log")"
    tls_server_saw "$PHONE_LABEL" || die "the server did not verify the $PHONE_LABEL certificate: $(tail -5 "$TLS_LOG")"
    ok "confirm on the phone: approved, Firefox authenticates as CN = $PHONE_LABEL"
    tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
    MSS_PKCS11_CONF=$PHONE_CONF browser_cancelled firefox_visit cancelled
    ! tls_server_saw "$PHONE_LABEL" || die "the server accepted a client although the person cancelled"
    ok "cancelled on the phone: Firefox's TLS client authentication fails; the server authenticated no one"
fi

if [ -n "$CHROMIUM" ]; then
    if ! chromium_setup; then
        echo "# Chromium skipped: its auto-select policy needs root (/etc/chromium/policies/managed)"
    else
        tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
        before=$(mssp_signatures)
        chromium_visit demo "Demo User" ||
            die "Chromium produced no page within 60 s: $(tail -5 "$WORK/browser.log")"
        tls_server_saw "Demo User" || die "the server saw no Demo User client certificate from Chromium: $(tail -5 "$TLS_LOG")"
        [ "$(mssp_signatures)" -gt "$before" ] || die "Chromium did not sign through the MSSP"
        ok "headless Chromium ($("$CHROMIUM" --version 2>/dev/null | head -1)) authenticates with the mobile key; the server logged CN = Demo User"

        # Confirm on the phone: the policy now picks the phone user's certificate.
        chromium_phone() {
            tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
            MSS_PKCS11_CONF=$PHONE_CONF chromium_visit "$1" "$PHONE_LABEL"
        }
        with_phone approve chromium_phone approved || die "Chromium produced no page after the phone's approval"
        tls_server_saw "$PHONE_LABEL" || die "the server did not verify the $PHONE_LABEL certificate from Chromium"
        ok "confirm on the phone: approved, Chromium authenticates as CN = $PHONE_LABEL"
        browser_cancelled chromium_phone cancelled
        ! tls_server_saw "$PHONE_LABEL" || die "the server accepted Chromium's client although the person cancelled"
        ok "cancelled on the phone: Chromium's TLS client authentication fails; the server authenticated no one"
    fi
fi

echo "$PASSED passed, 0 failed"
