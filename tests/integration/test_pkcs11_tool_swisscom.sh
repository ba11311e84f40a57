#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module and mss-tool with Swisscom Mobile ID's REST flavour (binding = rest-swisscom):
# url is the server's base, and each request goes to its own path below it,
# /rest/service/sign, /status, /profile (which paths the client picks is asserted in
# tests/unit/test_client_services.c against a mock that records them; here refmssp, which
# answers each of those paths only for its own request, takes Swisscom's fields).
# mss-tool enrolls with Swisscom's profile query (version 2.0, Params), and pkcs11-tool
# signs RSA and ECDSA in both messaging modes ("asynch" on the wire), each signature
# verified by openssl against the cached certificate.
. "$(dirname "$0")/e2e-lib.sh"
mssp_start
mssp_url_base
conf_set url "$URL_BASE/"
conf_set binding rest-swisscom
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 ||
    die "mss-tool enroll with rest-swisscom failed: $(cat "$WORK/enroll.out")"
[ -s "$WORK/state/cache/demo/sign.pem" ] || die "enroll with rest-swisscom cached no certificate"
ok "binding = rest-swisscom: mss-tool enroll reads the certificates through /rest/service/profile"
printf 'signed the Swisscom way\n' >"$WORK/doc.txt"

for mode in synch asynchClientServer; do
    conf_set messaging_mode $mode
    p11_sign_verified_ok "$mode with rest-swisscom" "Demo User" demo SHA256-RSA-PKCS -- -sha256
    p11_sign_verified_ok "$mode with rest-swisscom" "Demo EC User" demo-ec ECDSA-SHA384 --signature-format openssl -- -sha384
done
grep -q "MSS_StatusQuery" "$REFMSSP_LOG" || die "asynchClientServer made no status query"

# Control: refmssp's Swisscom paths are strict, so a request on the wrong one would
# have failed above: a signature request posted to /rest/service/status is refused.
conf_set binding rest
conf_set url "$URL_BASE/rest/service/status"
conf_set messaging_mode synch
id=$(p11_key_id "$MODULE" "Signing key" "Demo User")
if timeout 60 pkcs11-tool --module "$MODULE" --token-label "Demo User" --id "$id" --sign \
    -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/sig" >"$WORK/control.out" 2>&1; then
    die "a signature request posted to /rest/service/status signed: the paths prove nothing"
fi
ok "control: a signature request sent to another operation's path does not sign"
echo "$PASSED passed, 0 failed"
