#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Real browsers with the mobile key: headless Firefox ESR and Chromium, each with the module
# registered in its NSS database and automatic client-certificate selection, load an HTTPS
# page on 127.0.0.1 that requires a client certificate; the server logs the user's subject.
# Browsers never time out by themselves: each run has an outer deadline and a process-group kill.
. "$(dirname "$0")/e2e-lib.sh"
FIREFOX=$(command -v firefox-esr || command -v firefox || true)
CHROMIUM=$(command -v chromium || true)
[ -n "$FIREFOX$CHROMIUM" ] || skip "neither firefox-esr nor chromium is installed (.ci/deps.sh installs both)"
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

# The demo user's keys sign PKCS#1 v1.5, so the server asks for TLS 1.2 RSA+SHA256 client
# signatures (TLS 1.3 needs RSA-PSS, offered by keys configured with *_pss = yes).
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
URL="https://127.0.0.1:$TLS_PORT/"

# A fresh NSS database trusting the test CA, with the module registered.
new_nssdb() {
    mkdir -p "$1"
    certutil -N -d "sql:$1" --empty-password
    certutil -A -d "sql:$1" -n 'refmssp test CA' -t 'C,,' -i "$WORK/state/ca.pem"
    modutil -dbdir "sql:$1" -add mss-pkcs11 -libfile "$MODULE" -force >/dev/null 2>&1
}

# Run a browser in its own process group until the screenshot appears, the browser exits,
# or BROWSER_UNTIL (a command) succeeds, at most 60 s; then kill the group.
browser_done() { [ -s "$1" ] || process_gone "$2" || { [ -n "${BROWSER_UNTIL:-}" ] && $BROWSER_UNTIL; }; }
run_browser() {
    local shot=$1; shift
    setsid "$@" >"$WORK/browser.log" 2>&1 &
    local pg=$!
    wait_for 60 "a screenshot from the browser" browser_done "$shot" "$pg" || true
    # A browser exits by itself once its screenshot is written: let it, so that the kill
    # does not cut the file short.
    [ ! -s "$shot" ] || wait_for "$SETTLE_S" "the browser to exit after its screenshot" process_gone "$pg" || true
    kill -- "-$pg" 2>/dev/null || true
    wait "$pg" 2>/dev/null || true
    [ -s "$shot" ]
}

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

# Firefox: a fresh profile per run (a reused profile can make Firefox restart itself).
firefox_visit() {
    local name=$1 P=$WORK/ff-$1
    new_nssdb "$P"
    cat >"$P/user.js" <<'PREFS'
user_pref("security.default_personal_cert", "Select Automatically");
user_pref("toolkit.startup.max_resumed_crashes", -1);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("app.update.enabled", false);
user_pref("app.normandy.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.predictor.enabled", false);
user_pref("network.trr.mode", 5);
user_pref("network.proxy.type", 0);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.remote.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("browser.search.update", false);
user_pref("security.OCSP.enabled", 0);
user_pref("security.remote_settings.crlite_filters.enabled", false);
user_pref("security.remote_settings.intermediates.enabled", false);
PREFS
    mkdir -p "$WORK/ffhome"
    MOZ_CRASHREPORTER_DISABLE=1 HOME=$WORK/ffhome run_browser "$WORK/firefox-$name.png" \
        "$FIREFOX" --headless --no-remote --profile "$P" --screenshot "$WORK/firefox-$name.png" "$URL"
}

if [ -n "$FIREFOX" ]; then
    before=$(mssp_signatures)
    firefox_visit demo || die "Firefox produced no page within 60 s: $(tail -5 "$WORK/browser.log")"
    tls_server_saw "Demo User" || die "the server saw no Demo User client certificate from Firefox: $(tail -5 "$TLS_LOG")"
    [ "$(mssp_signatures)" -gt "$before" ] || die "Firefox did not sign through the MSSP"
    ok "headless Firefox ($("$FIREFOX" --version 2>/dev/null | head -1)) authenticates with the mobile key; the server logged CN = Demo User"

    # Confirm on the phone, with a configuration holding only the phone user's key.
    tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
    URL="https://127.0.0.1:$TLS_PORT/"
    MSS_PKCS11_CONF=$PHONE_CONF with_phone approve firefox_visit approved ||
        die "Firefox produced no page after the phone's approval: $(tail -5 "$WORK/browser.log")"
    tls_server_saw "$PHONE_LABEL" || die "the server did not verify the $PHONE_LABEL certificate: $(tail -5 "$TLS_LOG")"
    ok "confirm on the phone: approved, Firefox authenticates as CN = $PHONE_LABEL"
    tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
    URL="https://127.0.0.1:$TLS_PORT/"
    MSS_PKCS11_CONF=$PHONE_CONF browser_cancelled firefox_visit cancelled
    ! tls_server_saw "$PHONE_LABEL" || die "the server accepted a client although the person cancelled"
    ok "cancelled on the phone: Firefox's TLS client authentication fails; the server authenticated no one"
fi

if [ -n "$CHROMIUM" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "# Chromium skipped: its auto-select policy needs root (/etc/chromium/policies/managed)"
    else
        mkdir -p /etc/chromium/policies/managed
        CHROMIUM_POLICY=/etc/chromium/policies/managed/mss-pkcs11-test-$$.json
        at_exit 'rm -f "$CHROMIUM_POLICY"'
        H=$WORK/chrhome
        new_nssdb "$H/.pki/nssdb"
        # chromium_visit NAME CN: load the TLS server's page with a fresh user-data folder;
        # the auto-select policy's filter picks CN's certificate among the tokens' ones.
        chromium_visit() {
            printf '{ "AutoSelectCertificateForUrls": ["{\\"pattern\\":\\"https://127.0.0.1:%s\\",\\"filter\\":{\\"SUBJECT\\":{\\"CN\\":\\"%s\\"}}}"] }\n' \
                "$TLS_PORT" "$2" >"$CHROMIUM_POLICY"
            rm -rf "$H/ud"
            HOME=$H run_browser "$WORK/chromium-$1.png" "$CHROMIUM" --headless=new \
                --no-sandbox --user-data-dir="$H/ud" --disable-gpu --disable-background-networking \
                --disable-component-update --no-first-run --disable-sync --no-pings --disable-default-apps \
                --disable-domain-reliability --disable-quic --metrics-recording-only \
                --screenshot="$WORK/chromium-$1.png" "https://127.0.0.1:$TLS_PORT/"
        }
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
