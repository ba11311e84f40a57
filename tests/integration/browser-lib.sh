# SPDX-License-Identifier: BSD-3-Clause
# Headless Firefox ESR and Chromium with the module, on top of e2e-lib.sh (source that
# first): each visits the page of the TLS server started last (tls_server_start), with the
# module in a fresh NSS database and its certificate picked without a dialog.
# Browsers never time out by themselves: each run has an outer deadline and a
# process-group kill.
#
#   FIREFOX, CHROMIUM           the browsers' paths, empty when not installed
#   firefox_visit NAME          one Firefox run with a fresh profile; extra user.js lines
#                               may be given in FIREFOX_PREFS
#   chromium_setup              once, after refmssp started and before chromium_visit
#                               (returns 1 unless root: the policy is a root-owned file)
#   chromium_visit NAME CN      one Chromium run; its policy selects CN's certificate
#   BROWSER_WAIT                how long a run may take, in seconds (default 60)
#   BROWSER_UNTIL               a command that, once it succeeds, ends a run early
# A run returns 0 when the browser wrote its screenshot ($WORK/BROWSER-NAME.png); its
# output is in $WORK/browser.log.
FIREFOX=$(command -v firefox-esr || command -v firefox || true)
CHROMIUM=$(command -v chromium || true)
require_tools --package libnss3-tools certutil modutil

# Run a browser in its own process group until the screenshot appears, the browser exits,
# or BROWSER_UNTIL (a command) succeeds, at most BROWSER_WAIT seconds; then kill the group.
browser_done() { [ -s "$1" ] || process_gone "$2" || { [ -n "${BROWSER_UNTIL:-}" ] && $BROWSER_UNTIL; }; }
run_browser() {
    local shot=$1; shift
    setsid "$@" >"$WORK/browser.log" 2>&1 &
    local pg=$!
    wait_for "${BROWSER_WAIT:-60}" "a screenshot from the browser" browser_done "$shot" "$pg" || true
    # A browser exits by itself once its screenshot is written: let it, so that the kill
    # does not cut the file short.
    [ ! -s "$shot" ] || wait_for "$SETTLE_S" "the browser to exit after its screenshot" process_gone "$pg" || true
    stop_group "$pg" || true
    wait "$pg" 2>/dev/null || true
    [ -s "$shot" ]
}

# Firefox: a fresh profile per run (a reused profile can make Firefox restart itself).
FIREFOX_PREFS=${FIREFOX_PREFS:-}
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
    [ -z "$FIREFOX_PREFS" ] || printf '%s\n' "$FIREFOX_PREFS" >>"$P/user.js"
    mkdir -p "$WORK/ffhome"
    MOZ_CRASHREPORTER_DISABLE=1 HOME=$WORK/ffhome run_browser "$WORK/firefox-$name.png" \
        "$FIREFOX" --headless --no-remote --profile "$P" --screenshot "$WORK/firefox-$name.png" \
        "https://127.0.0.1:$TLS_PORT/"
}

# Chromium: one NSS database in its HOME, a fresh user-data folder per run, and the
# AutoSelectCertificateForUrls policy (a root-owned file, removed on exit).
# The policy folder is the machine's: every Chromium reads every file in it, and two files
# setting the same policy conflict (Chromium keeps one of them). Tests run in parallel
# (make -j check), so each visit holds CHROMIUM_POLICY_LOCK while its file exists.
CHROMIUM_POLICY_DIR=/etc/chromium/policies/managed
# (The lock is outside the policy folder, which Chromium reads whole.)
CHROMIUM_POLICY_LOCK=/run/lock/mss-pkcs11-tests-chromium-policy.lock
[ -d /run/lock ] && [ -w /run/lock ] || CHROMIUM_POLICY_LOCK=/tmp/mss-pkcs11-tests-chromium-policy.lock
chromium_setup() {
    [ "$(id -u)" -eq 0 ] || return 1
    mkdir -p "$CHROMIUM_POLICY_DIR"
    CHROMIUM_POLICY=$CHROMIUM_POLICY_DIR/mss-pkcs11-test-$$.json
    at_exit 'rm -f "$CHROMIUM_POLICY"'
    CHROMIUM_HOME=$WORK/chrhome
    new_nssdb "$CHROMIUM_HOME/.pki/nssdb"
}
# The policy's filter picks CN's certificate among the tokens' ones. Another test's visit
# takes at most BROWSER_WAIT plus the exit waits, so the lock wait is bounded by a few of them.
chromium_visit() {
    (
        flock -w $((4 * (${BROWSER_WAIT:-60} + 2 * SETTLE_S))) 9 ||
            { echo "browser-lib: another test held $CHROMIUM_POLICY_LOCK too long" >&2; exit 1; }
        printf '{ "AutoSelectCertificateForUrls": ["{\\"pattern\\":\\"https://127.0.0.1:%s\\",\\"filter\\":{\\"SUBJECT\\":{\\"CN\\":\\"%s\\"}}}"] }\n' \
            "$TLS_PORT" "$2" >"$CHROMIUM_POLICY"
        rm -rf "$CHROMIUM_HOME/ud"
        status=0
        HOME=$CHROMIUM_HOME run_browser "$WORK/chromium-$1.png" "$CHROMIUM" --headless=new \
            --no-sandbox --user-data-dir="$CHROMIUM_HOME/ud" --disable-gpu --disable-background-networking \
            --disable-component-update --no-first-run --disable-sync --no-pings --disable-default-apps \
            --disable-domain-reliability --disable-quic --metrics-recording-only \
            --screenshot="$WORK/chromium-$1.png" "https://127.0.0.1:$TLS_PORT/" || status=$?
        rm -f "$CHROMIUM_POLICY"
        exit "$status"
    ) 9>"$CHROMIUM_POLICY_LOCK"
}
