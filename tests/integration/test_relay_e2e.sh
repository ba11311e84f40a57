#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# pkcs11-tool → module → mss-relay → refmssp, with desktops that hold no AP secret:
#   - RSA PKCS#1 v1.5 and PSS (a user with a client certificate of the relay's CA) and
#     ECDSA (a user with a bearer token), in both messaging modes, each signature
#     verified by openssl; the desktops' files hold no AP key or AP_PWD;
#   - the phone shows the organisation's prefix;
#   - another user's MSISDN → 104, and refmssp never sees the request; a client
#     certificate of another CA fails the TLS handshake; no credentials → 104;
#   - a token: another user's, or altered → 101; a second relay instance (same key file,
#     no shared state) answers the status query of a transaction the first one started;
#   - over the rate limit → 406, and the phone gets nothing; a user removed is refused from
#     the next request, with the relay running;
#   - upstream down → the module fails at once with CKR_DEVICE_ERROR (900 in the audit
#     log); with a second upstream URL the request goes there; an HTTPS proxy (the proxy
#     key, or https_proxy) carries the upstream requests;
#   - SIGHUP reopens the audit log; SIGTERM: a held synch request is answered before the
#     relay exits.
. "$(dirname "$0")/relay-lib.sh"
require_tools pkcs11-tool
proto_start
MSSP_URL=$URL_BASE/mss
R=$WORK/relay

# This test signs more than the default limits allow in a minute (relay_with_alice_and_bob
# raises them); their own test is below.
relay_with_alice_and_bob "$R" "$MSSP_URL" text_prefix ACME

for f in "$ALICE"/* "$BOB"/*; do
    ! grep -qF "$AP_PWD" "$f" || die "$f holds the AP_PWD"
    ! grep -qF "$(sed -n 2p "$STATE/ap.key")" "$f" || die "$f holds the AP key"
    ! grep -Eq '^ *(ap_pwd|ap_pwd_file|client_key *= *[^ ]*ap\.key)' "$f" || die "$f names an AP secret"
done
ok "the desktops' configurations and files hold no AP key and no AP_PWD"

# --- Signatures through the relay, verified by openssl.
printf 'a document signed through the relay\n' >"$WORK/doc.txt"
desktop_enroll "$ALICE"
desktop_enroll "$BOB"
desktops_sign_in_both_modes "$ALICE" "$BOB" \
    "RSA and PSS (client certificate) and ECDSA (bearer token) through the relay verify"
audit_has "$R" '"user":"bob"' '"operation":"MSS_Signature"' '"outcome":"ok"' ||
    die "the audit log has no signature of bob"
grep -q '"reason":null' "$R/audit.log" || die "the audit log has no plain ok line"
! grep -qF "$AP_PWD" "$R/audit.log" "$R.log" || die "the relay logged the AP_PWD"
ok "every request is in the audit log, with no secret"

# The phone shows the organisation's prefix before the module's text.
sed -i 's|^messaging_mode = .*|messaging_mode = asynchClientServer|' "$ALICE/mss-pkcs11.conf"
"$REFMSSP" user add "$STATE" alicephone --msisdn +99900000011 --policy manual >/dev/null ||
    die "refmssp user add failed"
"$RELAY" user add "$R" alice2 --msisdn +99900000011 >/dev/null || die "user add alice2 failed"
as_cert "$R" alice2
relay_post "$R" "$(sig_req asynchClientServer +99900000011 "$WORK/doc.txt" "" "" "" "Sign in? Code 1234")" \
    "${CRED[@]}"
expect "signature for the manual phone" 200 100
"$REFMSSP" phone list "$STATE" +99900000011 >"$WORK/phone.txt" || die "phone list failed"
grep -q "ACME Sign in? Code 1234" "$WORK/phone.txt" ||
    die "the phone does not show the prefix: $(cat "$WORK/phone.txt")"
"$REFMSSP" phone cancel "$STATE" +99900000011 >/dev/null
ok "the phone shows the organisation's prefix before the desktop's text"

# --- Refusals.
before=$(grep -c "msisdn=+99900000002" "$REFMSSP_LOG" || true)
as_cert "$R" alice
relay_post "$R" "$(sig_req synch +99900000002 "$WORK/doc.txt")" "${CRED[@]}"
expect "alice asks for bob's phone" 500 104
as_cert "$R" alice
relay_post "$R" "$(profile_req +99900000002)" "${CRED[@]}"
expect "alice's profile query of bob's phone" 500 104
[ "$(grep -c "msisdn=+99900000002" "$REFMSSP_LOG" || true)" = "$before" ] ||
    die "a refused request reached refmssp"
audit_has "$R" '"user":"alice"' '"msisdn":"+99900000002"' '"status":104' ||
    die "the refusal is not in the audit log"
ok "another user's MSISDN → 104 (signature and profile query), audited, never forwarded"

# TLS 1.3: the client's certificate travels in the handshake's last flight, so curl
# learns of the refusal while it sends or reads (35, 52, 55 or 56, by version and
# timing): no HTTP answer at all, and the relay never reads the request, so nothing
# reaches its audit log.
audit_lines=$(wc -l <"$R/audit.log")
rc=0
code=$(curl -sS --noproxy "*" --max-time "$SETTLE_S" --cacert "$R/ca.pem" --cert "$STATE/ap.pem" \
    --key "$STATE/ap.key" -H 'Content-Type: application/soap+xml' --data-binary @"$WORK/req.xml" \
    -o /dev/null -w '%{http_code}' "$(relay_url "$R")" 2>"$WORK/curl.err") || rc=$?
case $rc in 35 | 52 | 55 | 56) ;; *) rc="$rc (not a TLS refusal)" ;; esac
[ "$code" = 000 ] && [[ $rc != *not* ]] ||
    die "a certificate of another CA was not refused in the handshake (curl $rc, HTTP $code: $(cat "$WORK/curl.err"))"
[ "$(wc -l <"$R/audit.log")" = "$audit_lines" ] || die "a request over a foreign certificate was read"
relay_post "$R" "$(sig_req synch +99900000001 "$WORK/doc.txt")"
expect "no credentials" 500 104
relay_post "$R" "$(sig_req synch +99900000001 "$WORK/doc.txt")" -H "Authorization: Bearer 00ff"
expect "an unknown bearer token" 500 104
ok "a client certificate of another CA fails the TLS handshake (curl $rc); no or an unknown credential → 104"

# --- Transaction tokens, and a second instance.
as_cert "$R" alice
relay_post "$R" "$(sig_req asynchClientServer +99900000001 "$WORK/doc.txt")" "${CRED[@]}"
expect "asynch signature" 200 100
TOKEN=$(trans_id)
case $TOKEN in R*) ;; *) die "the MSSP_TransID is not a relay token: $TOKEN" ;; esac
grep -q "$TOKEN" "$REFMSSP_LOG" && die "refmssp saw the relay's token"
as_token "$R" bob
relay_post "$R" "$(status_req "$TOKEN")" "${CRED[@]}"
expect "bob's status query of alice's transaction" 500 101
mid=$(( ${#TOKEN} / 2 ))
c=${TOKEN:$mid:1}; [ "$c" = A ] && n=B || n=A
as_cert "$R" alice
relay_post "$R" "$(status_req "${TOKEN:0:$mid}$n${TOKEN:$((mid + 1))}")" "${CRED[@]}"
expect "an altered token" 500 101
ok "a token used by another user or altered → 101"

R2=$WORK/relay-two
relay_copy "$R" "$R2"
relay_start "$R2"
as_cert "$R" alice
wait_for "$SETTLE_S" "the final status through the second instance" \
    eval 'relay_post "$R2" "$(status_req "$TOKEN")" "${CRED[@]}"; [ "$CODE" != 504 ]' ||
    die "the second instance never gave a final status"
expect "status query at the second instance" 200 500
signature_to "$WORK/sig2"
[ -s "$WORK/sig2" ] || die "the second instance's final status has no signature"
ok "a second instance (same key file, nothing else shared) answers the first one's transaction"

# --- Rate limit: one request a minute (a bucket refills in 60 s, far longer than one
# signature takes): the second is refused and the phone gets one.
relay_stop "$R2"
relay_conf_set "$R2" user_requests_per_minute 1
relay_start "$R2"
before=$(grep -c "MSS_Signature .*msisdn=+99900000003" "$REFMSSP_LOG" || true)
as_cert "$R" alice
relay_post "$R2" "$(sig_req synch +99900000003 "$WORK/doc.txt")" "${CRED[@]}"
expect "the request within the limit" 200 500
as_cert "$R" alice
relay_post "$R2" "$(sig_req synch +99900000003 "$WORK/doc.txt")" "${CRED[@]}"
expect "over the rate limit" 500 406
[ "$(grep -c "MSS_Signature .*msisdn=+99900000003" "$REFMSSP_LOG")" = $((before + 1)) ] ||
    die "the phone got a request over the limit"
audit_has "$R2" '"status":406' 'rate limit' || die "the rate limit is not in the audit log"
ok "user_requests_per_minute = 1: the second request → 406, audited, the phone got one"

# --- A user removed is refused from the next request on, with the relay running.
cp "$R/users/alice2/alice2.pem" "$R/users/alice2/alice2.key" "$WORK/"
"$RELAY" user remove "$R" alice2 >/dev/null || die "user remove failed"
relay_post "$R" "$(sig_req synch +99900000011 "$WORK/doc.txt")" --cert "$WORK/alice2.pem" \
    --key "$WORK/alice2.key"
expect "a removed user" 500 104
grep -q "users reloaded" "$R.log" || die "the relay did not say it reloaded its users"
ok "user remove: the running relay refuses the user from the next request on (104)"

# --- SIGHUP reopens the audit log (logrotate moves it first); the relay keeps serving.
mv "$R/audit.log" "$R/audit.log.1"
kill -HUP "$RELAY_PID_relay"
wait_for "$SETTLE_S" "the relay to reopen its audit log" grep -q "audit log reopened" "$R.log" ||
    die "SIGHUP: $(tail -3 "$R.log")"
as_cert "$R" alice
relay_post "$R" "$(profile_req +99900000001)" "${CRED[@]}"
expect "after SIGHUP" 200 100
audit_has "$R" '"operation":"MSS_ProfileQuery"' '"outcome":"ok"' ||
    die "after SIGHUP the line did not go to the new audit.log"
ok "SIGHUP: the audit log is opened again at its path; the relay goes on serving"

# --- Upstream down: at once CKR_DEVICE_ERROR; with a second upstream URL, it goes there.
refmssp_stop
id=$(MSS_PKCS11_CONF=$ALICE/mss-pkcs11.conf p11_key_id "$MODULE" "Signing key" "MSS +99900000001")
MSS_PKCS11_CONF=$ALICE/mss-pkcs11.conf pkcs11-tool --module "$MODULE" --token-label "MSS +99900000001" \
    --id "$id" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/sig" >"$WORK/down.out" 2>&1 &&
    die "signing succeeded with the upstream down"
grep -q "CKR_DEVICE_ERROR" "$WORK/down.out" || die "upstream down: $(cat "$WORK/down.out")"
audit_has "$R" '"status":900' 'upstream MSSP' || die "the audit log does not say the upstream is down"
ok "upstream down → CKR_DEVICE_ERROR, 900 in the audit log"
refmssp_start "$STATE" "${URL_BASE##*:}" || die "refmssp did not start again"
R3=$WORK/relay-three
relay_copy "$R" "$R3"
sed -i "s|^url = $MSSP_URL\$|url = https://127.0.0.1:$(free_port)/mss $MSSP_URL|" "$R3/mss-relay.conf"
grep -q "^url = https://127.0.0.1:[0-9]*/mss $MSSP_URL\$" "$R3/mss-relay.conf" || die "could not set the URL list"
relay_start "$R3"
as_cert "$R" alice
relay_post "$R3" "$(sig_req synch +99900000001 "$WORK/doc.txt")" "${CRED[@]}"
expect "through the second upstream URL" 200 500
ok "upstream url = <refused> <refmssp>: the request goes to the second URL"

# --- Upstream through an HTTPS proxy: the proxy key; https_proxy from the environment
# when there is none; proxy = none ignores the environment.
python3 "$top_srcdir/tests/integration/connect_proxy.py" "$WORK/proxy.port" "$WORK/proxy.log" &
PROXY_PID=$!
at_exit "kill $PROXY_PID 2>/dev/null || true"
wait_for "$SETTLE_S" "the proxy to listen" test -s "$WORK/proxy.port" || die "the proxy did not start"
PROXY=http://127.0.0.1:$(cat "$WORK/proxy.port")
: >"$WORK/proxy.log"
R4=$WORK/relay-four
relay_copy "$R" "$R4"
unset no_proxy NO_PROXY
# via_proxy WHAT: one signature through R4; the proxy log then says whether it went there.
via_proxy() {
    : >"$WORK/proxy.log"
    relay_start "$R4"
    as_cert "$R" alice
    relay_post "$R4" "$(sig_req synch +99900000001 "$WORK/doc.txt")" "${CRED[@]}"
    expect "$1" 200 500
    relay_stop "$R4"
}
relay_conf_set "$R4" proxy "$PROXY"
via_proxy "the proxy key"
grep -qx "CONNECT 127.0.0.1:${URL_BASE##*:}" "$WORK/proxy.log" ||
    die "proxy = $PROXY: the upstream request did not go through it: $(cat "$WORK/proxy.log")"
sed -i 's|^proxy = .*|# proxy = none|' "$R4/mss-relay.conf"
https_proxy=$PROXY via_proxy "https_proxy from the environment"
grep -qx "CONNECT 127.0.0.1:${URL_BASE##*:}" "$WORK/proxy.log" ||
    die "https_proxy: the upstream request did not go through the proxy"
relay_conf_set "$R4" proxy none
https_proxy=$PROXY via_proxy "proxy = none"
[ ! -s "$WORK/proxy.log" ] || die "proxy = none: the request went through the proxy anyway"
ok "upstream through an HTTPS proxy: the proxy key, https_proxy when it is absent, none ignores it"

# --- SIGTERM answers a held synch request before the relay exits.
"$REFMSSP" user add "$STATE" slowphone --msisdn +99900000012 --policy manual >/dev/null
"$RELAY" user add "$R3" slow --msisdn +99900000012 >/dev/null || die "user add slow failed"
sig_req synch +99900000012 "$WORK/doc.txt" "" "" 60 >"$WORK/held.xml"
as_cert "$R3" slow
curl -sS --max-time "$SETTLE_S" --cacert "$R3/ca.pem" "${CRED[@]}" \
    -H 'Content-Type: application/soap+xml; charset=utf-8' --data-binary @"$WORK/held.xml" \
    -o "$WORK/held-resp.xml" -w '%{http_code}' "$(relay_url "$R3")" >"$WORK/held.code" 2>&1 &
held=$!
wait_for "$SETTLE_S" "the held request on the phone" phone_has_request "$STATE" +99900000012 ||
    die "the synch request did not reach the phone"
kill -TERM "$RELAY_PID_relay_three"
wait_for "$SETTLE_S" "the relay to take the stop" grep -q "SIGTERM received" "$R3.log" ||
    die "the relay did not take SIGTERM: $(cat "$R3.log")"
"$REFMSSP" phone approve "$STATE" +99900000012 >/dev/null || die "approve failed"
wait $held || die "the held request failed: $(cat "$WORK/held.code")"
[ "$(cat "$WORK/held.code")" = 200 ] && grep -q 'StatusCode Value="500"' "$WORK/held-resp.xml" ||
    die "the held request got: $(cat "$WORK/held.code") $(cat "$WORK/held-resp.xml")"
wait_for "$SETTLE_S" "the relay to exit" process_gone "$RELAY_PID_relay_three" || die "no exit"
grep -q "stopped" "$R3.log" || die "the relay did not stop cleanly: $(cat "$R3.log")"
ok "SIGTERM: the held synch request is answered, then the relay exits"

echo "$PASSED passed, 0 failed"
