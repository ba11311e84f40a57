#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# HMAC API-key authentication over the REST binding (auth = hmac, api_key_file; refmssp's
# ap_auth = hmac): mss-tool enrolls and pkcs11-tool signs through the module with no client
# certificate, each signature verified by openssl; a wrong key signs nothing. Then the
# protocol itself, with the header computed here by openssl (not by our code): a correct
# header is accepted; a Date an hour old, a body changed after signing, a wrong key, a
# malformed header or none at all get HTTP 401 with a REST Fault, and no phone request.
. "$(dirname "$0")/e2e-lib.sh"
require_tools curl jq base64
# HMAC is between the module and refmssp: no relay in between, whatever MSS_TEST_VIA says.
mssp_start_direct
STATE=$WORK/state
mssp_url_base
AP_ID=$(sed -n 's/^ap_id = //p' "$STATE/refmssp.conf")
AP_PWD=$(sed -n 's/^ap_pwd = //p' "$STATE/refmssp.conf")

# refmssp's default AP signs in with an API key instead of its client certificate.
refmssp_stop
API_KEY=$(openssl rand -hex 32)
printf 'ap_auth = hmac\nap_api_key = %s\n' "$API_KEY" >>"$STATE/refmssp.conf"
refmssp_start "$STATE" || die "refmssp did not start with ap_auth = hmac"

conf_set url "$URL_BASE/restapi"
conf_set binding rest
sed -i '/^client_cert = /d; /^client_key = /d' "$MSS_PKCS11_CONF"
( umask 077; printf '%s\n' "$API_KEY" >"$WORK/api_key" )
sed -i "s|^binding = rest\$|&\nauth = hmac\napi_key_file = $WORK/api_key|" "$MSS_PKCS11_CONF"
rm -rf "$STATE/cache"
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll with auth = hmac failed: $(cat "$WORK/enroll.out")"
[ -s "$STATE/cache/demo/sign.pem" ] || die "enroll with auth = hmac cached no certificate"
ok "auth = hmac: mss-tool enroll without a client certificate"

printf 'signed with an API key\n' >"$WORK/doc.txt"
id=$(p11_key_id "$MODULE" "Signing key" "Demo User")
[ -n "$id" ] || die "no signing key on token 'Demo User'"
p11_sign() {
    rm -f "$WORK/sig"
    timeout 60 pkcs11-tool --module "$MODULE" --token-label "Demo User" --id "$id" --sign \
        -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/sig" 2>"$WORK/err" >/dev/null
}
openssl x509 -in "$STATE/cache/demo/sign.pem" -pubkey -noout >"$WORK/pub.pem"
for mode in synch asynchClientServer; do
    conf_set messaging_mode $mode
    p11_sign || die "$mode: signing with auth = hmac failed: $(cat "$WORK/err")"
    openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/sig" "$WORK/doc.txt" >/dev/null 2>&1 ||
        die "$mode: openssl does not verify the signature made with auth = hmac"
    ok "auth = hmac, $mode: pkcs11-tool signs RSA PKCS#1 v1.5 over REST; openssl verifies it"
done
conf_set messaging_mode synch
# A URL without a path is sent as "POST /", and signed so (refmssp reads JSON on any path).
conf_set url "$URL_BASE"
p11_sign || die "auth = hmac to a URL without a path failed: $(cat "$WORK/err")"
openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/sig" "$WORK/doc.txt" >/dev/null 2>&1 ||
    die "the signature made through a URL without a path does not verify"
ok "auth = hmac to a URL without a path: the MAC covers '/', the path sent; openssl verifies"
conf_set url "$URL_BASE/restapi"

( umask 077; openssl rand -hex 32 >"$WORK/api_key" )
before=$(mssp_signatures)
if p11_sign; then
    die "a wrong API key signed"
fi
[ "$(mssp_signatures)" = "$before" ] || die "a request with a wrong API key reached the phone"
grep -q ' http=401 ' "$REFMSSP_LOG" || die "refmssp logged no 401 for the wrong key"
ok "auth = hmac with a wrong key: no signature, no phone request, HTTP 401"
if "$MSS_TOOL" test demo >"$WORK/selftest.out" 2>&1; then
    die "mss-tool test passed with a wrong API key"
fi
grep -q 'HTTP 401, auth = hmac' "$WORK/selftest.out" && grep -q 'check api_key_file' "$WORK/selftest.out" ||
    die "mss-tool test does not point at the API key: $(cat "$WORK/selftest.out")"
ok "mss-tool test with a wrong API key names HTTP 401 and api_key_file"

# ---- The protocol, computed here (openssl dgst -hmac, base64), not by libmssclient.
HOST=${URL_BASE#https://}
PATH_=/restapi
DEMO=+99900000001
printf 'the document\n' | openssl dgst -sha256 -binary >"$WORK/h32"
TRANS_N=0
AP_ID_OVERRIDE=$AP_ID
. "$(dirname "$0")/rest-lib.sh"   # the JSON requests (rest_sig, rest_profile) and rest_codes
# rfc2822 [DATE-ARG]: now (or `date -d` ARG) as the Date header writes it, in English.
rfc2822() { LC_ALL=C date -u ${1:+-d "$1"} '+%a, %d %b %Y %H:%M:%S +0000'; }
# authorization KEY DATE BODY: the header value over DATE, POST, host, path and BODY.
authorization() {
    local mac
    mac=$(printf '%s\n%s\n%s\n%s\n%s\n' "$2" POST "$HOST" "$PATH_" "$3" |
        openssl dgst -sha256 -hmac "$1" -r | cut -d' ' -f1)
    printf 'Basic %s' "$(printf '%s:%s' "$(printf '%s' "$AP_ID" | base64 -w0)" "$mac" | base64 -w0)"
}
# hmac_post BODY [HEADER…]: POST BODY with these extra headers; HTTP and CODE set.
hmac_post() {
    local body=$1
    shift
    local hdrs=()
    for h in "$@"; do hdrs+=(-H "$h"); done
    printf '%s' "$body" >"$WORK/req.json"
    HTTP=$(curl -sS --max-time "$SETTLE_S" --cacert "$STATE/ca.pem" -H "Content-Type: application/json" \
        "${hdrs[@]}" --data-binary @"$WORK/req.json" -o "$WORK/resp.json" -w '%{http_code}' \
        "$URL_BASE$PATH_") || die "curl failed"
    rest_codes
}
expect_refused() {
    [ "$HTTP" = 401 ] && [ "$CODE" = 104 ] ||
        die "$1: expected HTTP 401 and fault 104, got HTTP $HTTP code $CODE: $(cat "$WORK/resp.json")"
    jq -e '.Fault.Reason' "$WORK/resp.json" >/dev/null || die "$1: the answer is no REST Fault"
}

body=$(rest_profile "$DEMO")
now=$(rfc2822)
hmac_post "$body" "Date: $now" "Authorization: $(authorization "$API_KEY" "$now" "$body")"
[ "$HTTP" = 200 ] && [ "$CODE" = 100 ] || die "a correct HMAC header was refused: HTTP $HTTP $(cat "$WORK/resp.json")"
ok "protocol: a header computed with openssl over Date, POST, host, path and body is accepted"

before=$(mssp_signatures)
body=$(rest_sig asynchClientServer "$DEMO" "$WORK/h32")
old=$(rfc2822 '-1 hour')
hmac_post "$body" "Date: $old" "Authorization: $(authorization "$API_KEY" "$old" "$body")"
expect_refused "a Date an hour old"
ok "protocol: a correctly signed request with a Date an hour old gets 401"

now=$(rfc2822)
auth=$(authorization "$API_KEY" "$now" "$body")
changed=${body/$DEMO/+99900000003}
[ "$changed" != "$body" ] || die "the test did not change the body"
hmac_post "$changed" "Date: $now" "Authorization: $auth"
expect_refused "a body changed after signing"
ok "protocol: a body changed after signing gets 401"

hmac_post "$body" "Date: $now" "Authorization: $(authorization wrong-key "$now" "$body")"
expect_refused "a wrong key"
hmac_post "$body" "Date: $now"
expect_refused "no Authorization header"
hmac_post "$body" "Date: $now" "Authorization: Basic bm90LWhtYWM="
expect_refused "a malformed Authorization header"
hmac_post "$body" "Authorization: $auth"
expect_refused "no Date header"
[ "$(mssp_signatures)" = "$before" ] || die "a refused request reached the phone"
ok "protocol: a wrong key, a malformed header, no header or no Date get 401; no refused request reached a phone"

hmac_post "$body" "Date: $now" "Authorization: $auth"
[ "$HTTP" = 200 ] && [ "$CODE" = 100 ] ||
    die "the same signature request, unchanged, was refused: HTTP $HTTP $(cat "$WORK/resp.json")"
ok "control: the unchanged signature request with the same header is accepted"

# The same signed request once more, within its Date window: a replay, refused, no phone.
before=$(mssp_signatures)
hmac_post "$body" "Date: $now" "Authorization: $auth"
expect_refused "the accepted request sent again"
grep -q "already received once" "$WORK/resp.json" || die "the replay's refusal does not say why: $(cat "$WORK/resp.json")"
[ "$(mssp_signatures)" = "$before" ] || die "the replayed request reached the phone"
ok "protocol: the accepted request sent a second time is refused (401), and the phone gets nothing"
# An AP made by `refmssp ap add --auth hmac`: its key file (0600) is the module's api_key_file.
refmssp_stop
"$REFMSSP" ap add "$STATE" shop --ap-id http://shop.test --auth hmac >"$WORK/ap-add.out" 2>&1 ||
    die "refmssp ap add --auth hmac failed: $(cat "$WORK/ap-add.out")"
[ "$(stat -c %a "$STATE/ap-shop_api_key")" = 600 ] || die "ap add wrote the API key with mode $(stat -c %a "$STATE/ap-shop_api_key")"
grep -q "$(cat "$STATE/ap-shop_api_key")" "$WORK/ap-add.out" && die "ap add printed the API key"
refmssp_start "$STATE" || die "refmssp did not start with the added HMAC AP"
conf_set ap_id http://shop.test
conf_set ap_pwd_file "$STATE/ap-shop_pwd"
conf_set api_key_file "$STATE/ap-shop_api_key"
p11_sign || die "signing as the added HMAC AP failed: $(cat "$WORK/err")"
openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/sig" "$WORK/doc.txt" >/dev/null 2>&1 ||
    die "openssl does not verify the signature made as the added HMAC AP"
grep -q 'ap=http://shop.test .*http=200' "$REFMSSP_LOG" || die "refmssp did not log the signature as AP shop"
ok "refmssp ap add --auth hmac: its key file (0600) signs through the module as that AP"
echo "$PASSED passed, 0 failed"
