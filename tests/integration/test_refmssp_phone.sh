#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The phone page in headless Chromium: refmssp's /phone page (opened at the address
# 'refmssp phone url' prints, with the phone's token) shows a request as it arrives
# (text, verification code), a wrong PIN typed and Approve clicked counts, the
# right PIN signs, Cancel ends the request with 401 — each checked through the
# protocol. When the PKCS#11 module, mss-tool and pkcs11-tool are built, a full
# C_Sign through the module is approved by a click, and the signature verified.
. "$(dirname "$0")/refmssp-proto-lib.sh"
CDP="python3 $top_srcdir/tests/integration/cdp_eval.py"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (.ci/deps.sh installs it)"
require_tools python3
proto_start

CAROL=+35800000077
"$REFMSSP" user add "$STATE" carol --msisdn $CAROL --policy manual --pin 2580 \
    --label "Carol Phone" --module-conf "$STATE/mss-pkcs11.conf" >/dev/null || die "user add"
CAROL_URL=$("$REFMSSP" phone url "$STATE" carol) || die "refmssp phone url carol failed"
printf 'a document to sign\n' >"$WORK/doc.txt"
sha256_digest_info "$WORK/doc.txt" "$WORK/di"

# The browser: its own profile, the test CA not installed (the page is all it loads).
DPORT=$(free_port)
setsid "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --ignore-certificate-errors --user-data-dir="$WORK/chrome" \
    --remote-debugging-port="$DPORT" "$CAROL_URL" \
    >"$WORK/chromium.log" 2>&1 &
BROWSER_PID=$!
at_exit 'stop_group "$BROWSER_PID"'
# Each wait is for a state on the page, with a deadline generous enough for a loaded
# 2-core machine (it only matters when the state never comes).
page() { timeout 60 $CDP "$DPORT" /phone "$@"; }
page "document.getElementById('state').textContent === 'No pending requests.'" --wait 30 \
    >/dev/null || die "the phone page did not load: $(tail -5 "$WORK/chromium.log")"
ok "headless Chromium shows the phone page of $CAROL with no pending request"

post "$(sig_req asynchClientServer $CAROL "$WORK/di" $SIGN $KIURU 60 "Pay 10 EUR to ACME?" 7391)"
expect "request for carol" 200 100
id=$(trans_id)
page "document.querySelector('#tx-$id .text')?.textContent === 'Pay 10 EUR to ACME?' &&
      document.querySelector('#tx-$id .code')?.textContent === '7391'" --wait 30 >/dev/null ||
    die "the request did not appear on the page"
ok "the page updates itself: the request appears with its text and verification code"

# The same page without the token (as another phone's user would open it): 403 from
# pending.json, a message, and carol's request is not shown.
page "location.href = '/phone'; true" >/dev/null
page "document.getElementById('state').textContent.startsWith('This page needs its phone') &&
      document.querySelectorAll('.card').length === 0" --wait 30 >/dev/null ||
    die "the page without a token showed requests or no message"
page "location.href = '$CAROL_URL'; true" >/dev/null
page "document.querySelector('#tx-$id .approve') !== null" --wait 30 >/dev/null ||
    die "the request did not come back with the token"
ok "without the token the page lists nothing and says it needs the phone's token"

page "document.querySelector('#tx-$id .pin').value = '1111';
      document.querySelector('#tx-$id .approve').click(); true" >/dev/null
page "document.getElementById('last').textContent === 'Wrong PIN: 2 tries left.'" --wait 30 \
    >/dev/null || die "no wrong-PIN message"
post "$(status_req "$id")"
expect "after a wrong PIN on the page" 200 504
page "document.querySelector('#tx-$id .pin').value = '2580';
      document.querySelector('#tx-$id .approve').click(); true" >/dev/null
page "document.getElementById('last').textContent === 'Signed.' &&
      document.querySelectorAll('.card').length === 0" --wait 30 >/dev/null ||
    die "approval was not shown, or the request stayed on the page"
post "$(status_req "$id")"
expect "after approval on the page" 200 500
ok "a wrong PIN typed and Approve clicked: 2 tries left, still 504; the right PIN: 500, the card disappears"

post "$(sig_req asynchClientServer $CAROL "$WORK/di" $SIGN)"
id=$(trans_id)
page "document.querySelector('#tx-$id .cancel') !== null" --wait 30 >/dev/null ||
    die "the second request did not appear"
page "document.querySelector('#tx-$id .cancel').click(); true" >/dev/null
page "document.getElementById('last').textContent === 'Cancelled.'" --wait 30 >/dev/null ||
    die "no cancel message"
# The page drops the cancelled card at its next poll; until then an Approve found by
# '.card' below could be that card's rather than the module's request.
page "document.querySelectorAll('.card').length === 0" --wait 30 >/dev/null ||
    die "the cancelled request stayed on the page"
post "$(status_req "$id")"
expect "after Cancel on the page" 500 401 4011
ok "Cancel clicked: the status query ends with the fault 401/4011"

if [ -x "$MODULE" ] || [ -f "$MODULE" ]; then
    if [ -x "$MSS_TOOL" ] && command -v pkcs11-tool >/dev/null; then
        "$MSS_TOOL" enroll carol >/dev/null 2>&1 || die "mss-tool enroll carol failed"
        keyid=$(p11_key_id "$MODULE" "Signing key" "Carol Phone")
        [ -n "$keyid" ] || die "no signing key on the Carol Phone token"
        openssl x509 -in "$STATE/cache/carol/sign.pem" -pubkey -noout >"$WORK/pub.pem"
        timeout 60 pkcs11-tool --module "$MODULE" --token-label "Carol Phone" --id "$keyid" \
            --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig" \
            >"$WORK/sign.out" 2>&1 &
        signer=$!
        page "document.querySelector('.card .approve') !== null" --wait 30 >/dev/null ||
            die "the module's request did not reach the page"
        page "document.querySelector('.card .pin').value = '2580';
              document.querySelector('.card .approve').click(); true" >/dev/null
        wait $signer || die "pkcs11-tool failed: $(cat "$WORK/sign.out")"
        openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" \
            >/dev/null || die "the signature approved on the page does not verify"
        ok "pkcs11-tool → module → refmssp, approved by a click on the page: the signature verifies"
    else
        echo "# module sign skipped (mss-tool or pkcs11-tool missing)"
    fi
else
    echo "# module sign skipped (module not built)"
fi
echo "# $PASSED checks passed"
