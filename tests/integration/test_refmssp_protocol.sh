#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# refmssp at the protocol level: a real server on loopback, requests sent with curl
# over the AP's client certificate. Every operation and messaging mode, the signature
# formats (Kiuru and FiCom PKCS#1, RSA-PSS, ECDSA DER and raw, each verified with
# openssl), the scenario numbers, the policies (delay, manual with PIN, cancel, PIN
# blocking), 406, TimeOut expiry, admin blocking, MSS_Receipt, the HTTP-level
# refusals and what a restart keeps. Every response is checked against MSS-plus.xsd (faults against the SOAP 1.2 envelope schema).
# With MSS_TEST_BINDING=rest (test_refmssp_protocol_rest.sh) the same checks run over the
# REST/JSON binding, every answer checked against mss-rest.schema.json (docs/testing.md).
. "$(dirname "$0")/refmssp-proto-lib.sh"
require_tools python3
proto_start

# What is signed: a SHA-256 DigestInfo for PKCS#1 v1.5, bare hashes for PSS and ECDSA.
printf 'a document to sign\n' >"$WORK/doc.txt"
openssl dgst -sha256 -binary "$WORK/doc.txt" >"$WORK/h32"
openssl dgst -sha384 -binary "$WORK/doc.txt" >"$WORK/h48"
sha256_digest_info "$WORK/doc.txt" "$WORK/di"

DEMO=+99900000001 DEMO_EC=+99900000002 DEMO_PSS=+99900000003

# sign_ficom WHAT MSISDN DTBS PROFILE FORMAT: a synch request in a FiCom format (fi:PKCS1).
# Over SOAP it signs (200, 500). fi:PKCS1 has no JSON form, so over REST refmssp refuses
# it (101/1017) and the same request in Kiuru's format (same padding) must sign instead.
sign_ficom() {
    local what=$1 msisdn=$2 dtbs=$3 profile=$4 format=$5
    post "$(sig_req synch "$msisdn" "$dtbs" "$profile" "$format")"
    if soap_only "$what: fi:PKCS1 has no JSON form; asserted: 101/1017, then Kiuru's format signs"; then
        expect "$what" 200 500
        return
    fi
    expect "$what over REST" 500 101 1017
    post "$(sig_req synch "$msisdn" "$dtbs" "$profile" "$KIURU${format#"$FICOM"}")"
    expect "$what in Kiuru's format" 200 500
}

# ---------------------------------------------------------------- formats
pubkey_of $DEMO $AUTHN "$WORK/demo-authn.pem"
post "$(sig_req synch $DEMO "$WORK/di")"
expect "synch signature" 200 500
signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/demo-authn.pem" -in "$WORK/di" \
    -sigfile "$WORK/sig" >/dev/null || die "Kiuru PKCS#1 signature does not verify"
ok "synch MSS_Signature (no profile: authn key) → 500, PKCS#1 v1.5 over the DigestInfo verifies"
# The access line names the AP the request was authenticated as.
grep -q " MSS_Signature ap=http://ap.refmssp.test msisdn=$DEMO " "$REFMSSP_LOG" ||
    die "the access log does not name the AP: $(grep MSS_Signature "$REFMSSP_LOG" | tail -1)"
ok "the access log names the AP (ap=AP_ID)"

post "$(sig_req synch $DEMO "$WORK/di" $SIGN $FICOM)"
if soap_only "fi:PKCS1 has no JSON form; asserted: REST refuses it with 101/1017"; then
    expect "FiCom format" 200 500
    [ -n "$(xp "//*[local-name()='PKCS1']/*[local-name()='X509Certificate']")" ] ||
        die "fi:PKCS1 has no certificate"
    xp "string(//*[local-name()='PKCS1']/*[local-name()='X509Certificate'])" | base64 -d |
        openssl x509 -inform DER -pubkey -noout >"$WORK/demo-sign.pem"
    signature_to "$WORK/sig"
    openssl pkeyutl -verify -pubin -inkey "$WORK/demo-sign.pem" -in "$WORK/di" \
        -sigfile "$WORK/sig" >/dev/null || die "fi:PKCS1 signature does not verify"
    ok "FiCom PKCS1 format → fi:PKCS1 with the signing certificate; the signature verifies"
else
    expect "FiCom format over REST" 500 101 1017
    grep -q "no JSON form" "$WORK/resp.xml" || die "the fi:PKCS1 fault does not say why: $(cat "$WORK/resp.json")"
    pubkey_of $DEMO $SIGN "$WORK/demo-sign.pem"
    ok "FiCom PKCS1 format over REST → 101/1017: fi:PKCS1 has no JSON form"
fi

pubkey_of $DEMO_PSS $SIGN "$WORK/pss-sign.pem"
post "$(sig_req synch $DEMO_PSS "$WORK/h32" $SIGN "$KIURU#rsa-pss")"
expect "PSS" 200 500
signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/pss-sign.pem" -in "$WORK/h32" -sigfile "$WORK/sig" \
    -pkeyopt rsa_padding_mode:pss -pkeyopt digest:sha256 -pkeyopt rsa_mgf1_md:sha256 \
    -pkeyopt rsa_pss_saltlen:32 >/dev/null || die "PSS signature does not verify"
sign_ficom "PSS SHA-384, FiCom" $DEMO_PSS "$WORK/h48" $SIGN "$FICOM#rsa-pss"
ok "#rsa-pss on a PSS key: RSA-PSS over the bare hash, MGF1 same hash, salt = hash length"

post "$(sig_req synch $DEMO "$WORK/h32" $SIGN "$KIURU#rsa-pss")"
expect "PSS on a key without PSS" 500 101 1017
post "$(sig_req synch $DEMO_PSS "$WORK/di" $SIGN "$KIURU#rsa-pss")"
expect "PSS over a DigestInfo" 500 103
post "$(sig_req synch $DEMO "$WORK/di" $SIGN "http://uri.etsi.org/TS102204/v1.1.2#XAdES")"
expect "unsupported format" 500 101 1017
ok "PSS on a key without PSS → 101/1017; PSS over a non-hash → 103; an unknown format → 101/1017"

pubkey_of $DEMO_EC $SIGN "$WORK/ec-sign.pem"
post "$(sig_req synch $DEMO_EC "$WORK/h32" $SIGN $KIURU)"
expect "ECDSA" 200 500
signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/ec-sign.pem" -in "$WORK/h32" -sigfile "$WORK/sig" \
    >/dev/null || die "ECDSA (DER) signature does not verify"
sign_ficom "ECDSA FiCom SHA-384" $DEMO_EC "$WORK/h48" $AUTHN $FICOM
post "$(sig_req synch $DEMO_EC "$WORK/h32" $SIGN "$KIURU#rsa-pss")"
expect "PSS with EC" 500 101 1017
post "$(sig_req synch $DEMO_EC "$WORK/di" $SIGN)"
expect "ECDSA over a DigestInfo" 500 103
ok "EC P-256: ECDSA over the bare hash in DER verifies; #rsa-pss → 101/1017; a DigestInfo → 103"

for who in $DEMO $DEMO_EC; do
    post "$(sig_req synch $who "$WORK/doc.txt" $SIGN "http://uri.etsi.org/TS102204/v1.1.2#CMS-Signature")"
    expect "CMS from $who" 200 500
    signature_to "$WORK/sig.cms"
    openssl cms -verify -binary -inform DER -in "$WORK/sig.cms" -content "$WORK/doc.txt" \
        -CAfile "$STATE/ca.pem" -purpose any -out /dev/null 2>"$WORK/cms.err" ||
        die "the CMS signature of $who does not verify: $(cat "$WORK/cms.err")"
done
ok "CMS-Signature format (RSA and EC): a detached CMS SignedData that openssl cms verifies with the test CA"

"$REFMSSP" user add "$STATE" raw --msisdn +35800000010 --authn ecp384 --sign ecp384 \
    --ecdsa-raw --module-conf "$STATE/mss-pkcs11.conf" >/dev/null || die "user add raw failed"
grep -q '^\[user raw\]' "$STATE/mss-pkcs11.conf" || die "no [user raw] section appended"
pubkey_of +35800000010 $SIGN "$WORK/raw-sign.pem"
post "$(sig_req synch +35800000010 "$WORK/h48" $SIGN)"
expect "ECDSA raw" 200 500
signature_to "$WORK/sig"
[ "$(stat -c %s "$WORK/sig")" = 96 ] || die "raw P-384 signature is not 96 bytes"
ok "user add --ecdsa-raw (P-384): the signature is raw r||s, 96 bytes; --module-conf appends the section"

# ---------------------------------------------------------------- modes and operations
post "$(sig_req asynchClientServer $DEMO "$WORK/di" $SIGN)" /soap/services/MSS_SignaturePort
expect "asynch" 200 100
id=$(trans_id)
[ -n "$id" ] || die "no MSSP_TransID"
post "$(status_req "$id")" /soap/services/MSS_StatusQueryPort
expect "status query" 200 500
signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/demo-sign.pem" -in "$WORK/di" \
    -sigfile "$WORK/sig" >/dev/null || die "asynch signature does not verify"
ok "asynchClientServer → 100 + MSSP_TransID; MSS_StatusQuery → 500 with the signature (per-operation paths)"

post "$(receipt_req "$id" $DEMO "Thank you")" /soap/services/MSS_ReceiptPort
expect "receipt" 200 100
post "$(receipt_req Tunknown $DEMO "x")"
expect "receipt for an unknown transaction" 500 101
ok "MSS_Receipt for a signed transaction → 100; for an unknown one → 101"

post "$(profile_req $DEMO_EC)"
expect "profile query" 200 100
n=$(xp "count(//*[local-name()='MobileUserCertificate'])")
[ "$n" = 2 ] || die "expected 2 certificates, got $n"
post "$(profile_req +999000001401)"
expect "profile query of a scenario number" 200 100
n=$(xp "count(//*[local-name()='MobileUserCertificate'])")
[ "$n" = 2 ] || die "a scenario number shows $n certificates, expected demo's 2"
post "$(profile_req +999000001105)"
expect "profile query of the 105 scenario" 500 105
ok "MSS_ProfileQuery with GetCertificates → 100 and both certificates (scenario numbers: demo's)"

# ---------------------------------------------------------------- scenario numbers
for code in 208 209 401 402 403 404 406 422 900; do
    post "$(sig_req synch +999000001$code "$WORK/di")"
    expect "scenario $code synch" 500 $code
    post "$(sig_req asynchClientServer +999000001$code "$WORK/di")"
    expect "scenario $code asynch" 200 100
    post "$(status_req "$(trans_id)")"
    expect "scenario $code status query" 500 $code
done
for code in 101 105; do
    post "$(sig_req asynchClientServer +999000001$code "$WORK/di")"
    expect "scenario $code" 500 $code
done
post "$(sig_req synch +999000001503 "$WORK/di" $SIGN)"
expect "scenario 503" 200 503
signature_to "$WORK/sig"
if openssl pkeyutl -verify -pubin -inkey "$WORK/demo-sign.pem" -in "$WORK/di" \
    -sigfile "$WORK/sig" >/dev/null 2>&1; then die "the 503 signature verifies"; fi
ok "scenario numbers +999000001NNN: phone errors as faults (synch, and on the status query), 101/105 at once, 503 with a bad signature"

# Only lower bounds on time here: the machine may be slower, never faster. What happens
# while a request is pending is asserted with the manual policy below, which stays
# pending until the test answers.
post "$(sig_req asynchClientServer +999000020400 "$WORK/di")"
expect "slow number" 200 100
id=$(trans_id)
poll_until "$id" 500 "$SETTLE_S"
start=$(date +%s%N)
post "$(sig_req synch +999000020300 "$WORK/di")"
expect "slow number synch" 200 500
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ $elapsed -ge 280 ] || die "synch slow number answered after $elapsed ms, expected ≥ 300"
ok "slow numbers +99900002SSSS: 500 after SSSS ms (synch held ${elapsed} ms)"

# ---------------------------------------------------------------- policies and PINs
"$REFMSSP" user add "$STATE" alice --msisdn +35800000001 --policy manual --pin 2468 \
    --sign rsa3072 >"$WORK/alice-add.out" || die "user add alice failed"
# Each user's phone page has its own random token, shown by 'user add' and 'phone url'.
ALICE_URL=$("$REFMSSP" phone url "$STATE" alice) || die "refmssp phone url alice failed"
case $ALICE_URL in
"$URL_BASE/phone?token="????????????????????????????????) ;;
*) die "phone url: '$ALICE_URL'" ;;
esac
grep -qF "$ALICE_URL" "$WORK/alice-add.out" || die "user add did not show the phone URL: $(cat "$WORK/alice-add.out")"
ALICE_TOKEN=${ALICE_URL##*token=}
DEMO_TOKEN=$("$REFMSSP" phone url "$STATE" $DEMO) && DEMO_TOKEN=${DEMO_TOKEN##*token=}
[ -n "$DEMO_TOKEN" ] && [ "$DEMO_TOKEN" != "$ALICE_TOKEN" ] || die "demo's token: '$DEMO_TOKEN'"
post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN $KIURU 60 "Sign the contract?" AB12)"
expect "manual" 200 100
id=$(trans_id)
post "$(status_req "$id")"
expect "manual pending" 200 504
post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN)"
expect "second request while pending" 500 406
"$REFMSSP" phone list "$STATE" +35800000001 >"$WORK/phone.out"
grep -q "$id *AB12 .*Sign the contract?" "$WORK/phone.out" || die "phone list: $(cat "$WORK/phone.out")"
# The phone page's JSON needs no AP certificate but the phone's token: without it
# (or with another phone's) nothing of this phone is listed.
phone_get() {
    HTTP=$(curl -sS --cacert "$STATE/ca.pem" -o "$WORK/pending.json" -w '%{http_code}' \
        "$URL_BASE/phone/pending.json$1") || die "GET /phone/pending.json$1 failed"
}
phone_get "?token=$ALICE_TOKEN"
[ "$HTTP" = 200 ] || die "pending.json with alice's token: HTTP $HTTP"
grep -q "\"trans_id\":\"$id\".*\"text\":\"Sign the contract?\",\"event_id\":\"AB12\"" \
    "$WORK/pending.json" || die "pending.json: $(cat "$WORK/pending.json")"
for q in "" "?msisdn=%2B35800000001" "?token=" "?token=${ALICE_TOKEN%?}" "?token=${ALICE_TOKEN}0"; do
    phone_get "$q"
    [ "$HTTP" = 403 ] || die "pending.json$q: HTTP $HTTP"
    ! grep -q "$id" "$WORK/pending.json" || die "pending.json$q listed alice's request"
done
phone_get "?token=$DEMO_TOKEN"
[ "$HTTP" = 200 ] && ! grep -q "$id" "$WORK/pending.json" || die "demo's page listed alice's request"
ok "phone page: pending.json lists a phone's requests only with its token; none, a wrong or another phone's token → 403 or nothing of it"
# An answer needs the page's header and the phone's token.
phone_post() {
    HTTP=$(curl -sS --cacert "$STATE/ca.pem" -o "$WORK/answer.json" -w '%{http_code}' "$@" \
        "$URL_BASE/phone/answer") || die "POST /phone/answer failed"
}
# A token one character off alice's (her last character changed, whatever it is).
case ${ALICE_TOKEN: -1} in 1) WRONG_TOKEN=${ALICE_TOKEN%?}2 ;; *) WRONG_TOKEN=${ALICE_TOKEN%?}1 ;; esac
phone_post -d "trans_id=$id&token=$ALICE_TOKEN&action=cancel"
[ "$HTTP" = 403 ] || die "an answer without the page's header: HTTP $HTTP"
for form in "trans_id=$id&msisdn=%2B35800000001&action=cancel" \
            "trans_id=$id&msisdn=%2B35800000001&action=approve&pin=2468" \
            "trans_id=$id&token=$WRONG_TOKEN&action=cancel"; do
    phone_post -H 'X-Refmssp-Phone: 1' -d "$form"
    [ "$HTTP" = 403 ] || die "answer '$form': HTTP $HTTP $(cat "$WORK/answer.json")"
done
phone_post -H 'X-Refmssp-Phone: 1' -d "trans_id=$id&token=$DEMO_TOKEN&action=cancel"
grep -q '"result":"nothing"' "$WORK/answer.json" || die "demo's token cancelled alice's request: $(cat "$WORK/answer.json")"
post "$(status_req "$id")"
expect "after answers without alice's token" 200 504
ok "phone page: approve and cancel without the token → 403; another phone's token cannot end the request"
rc=0; "$REFMSSP" phone approve "$STATE" +35800000001 --pin 1111 >/dev/null || rc=$?
[ $rc = 3 ] || die "a wrong PIN did not exit 3 ($rc)"
post "$(status_req "$id")"
expect "after a wrong PIN" 200 504
"$REFMSSP" phone approve "$STATE" +35800000001 --pin 2468 >/dev/null || die "approve failed"
post "$(status_req "$id")"
expect "after approval" 200 500
ok "manual policy: phone list and /phone/pending.json show text and event ID; a wrong PIN keeps waiting; the right PIN signs"

post "$(sig_req synch +35800000001 "$WORK/di" $SIGN $KIURU 30)" / --max-time "$SETTLE_S" &
held=$!
wait_for "$SETTLE_S" "the held request on the phone" phone_has_request "$STATE" +35800000001 ||
    die "the synch request did not reach the phone"
"$REFMSSP" phone cancel "$STATE" +35800000001 >/dev/null || die "cancel failed"
wait $held || die "the held synch request failed"
HTTP=$(cat "$WORK/http.code")
read_codes
expect "cancel of a held synch request" 500 401 4011
ok "a synch request is held until the phone answers; cancel → 401/4011"

for i in 1 2 3; do
    post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN)"
    id=$(trans_id)
    [ -n "$id" ] || die "no transaction for PIN try $i: $(cat "$WORK/resp.xml")"
    rc=0; "$REFMSSP" phone approve "$STATE" +35800000001 --pin 0000 >/dev/null || rc=$?
    [ $rc = 3 ] || die "wrong PIN $i: exit $rc"
    [ $i = 3 ] || "$REFMSSP" phone cancel "$STATE" +35800000001 >/dev/null
done
post "$(status_req "$id")"
expect "third wrong PIN" 500 402 4021
"$REFMSSP" user list "$STATE" | grep -q "alice .*(3) BLOCKED" || die "user list does not show the block"
post "$(sig_req synch +35800000001 "$WORK/di" $SIGN)"
expect "blocked key" 500 402
post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $AUTHN)"
expect "the other key still works" 200 100
"$REFMSSP" phone approve "$STATE" +35800000001 --pin 2468 >/dev/null
"$REFMSSP" user unblock "$STATE" alice >/dev/null
post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN)"
expect "after unblock" 200 100
"$REFMSSP" phone approve "$STATE" +35800000001 --pin 2468 >/dev/null || die "approve after unblock"
ok "PIN counter: wrong PINs accumulate across requests; the third blocks the key (402/4021) until user unblock"

post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN $KIURU 1)"
id=$(trans_id)
# Pending (504) until the second of TimeOut has passed, then 208 (the default TimeOut
# is 120 s, so reaching 208 within the start-up guard shows the request's own counted).
poll_until "$id" 208 "$SETTLE_S"
expect "TimeOut" 500 208
ok "TimeOut honoured: a request nobody answers ends with 208 on the status query"

"$REFMSSP" user block "$STATE" +35800000001 >/dev/null
post "$(sig_req synch +35800000001 "$WORK/di" $SIGN)"
expect "blocked user" 500 403
"$REFMSSP" user unblock "$STATE" alice >/dev/null
"$REFMSSP" user add "$STATE" slow --msisdn +35800000002 --policy delay:200 >/dev/null
post "$(sig_req asynchClientServer +35800000002 "$WORK/di")"
id=$(trans_id)
poll_until "$id" 500 "$SETTLE_S"
ok "user block → 403; policy delay:200 → 500 (pending states are asserted with the manual policy)"

# ---------------------------------------------------------------- refusals
post "$(sig_req synch +35899999999 "$WORK/di")"
expect "unknown user" 500 105 1052
post "$(status_req Tdoesnotexist)"
expect "unknown transaction" 500 101
req=$(AP_PWD_OVERRIDE=wrong sig_req synch $DEMO "$WORK/di")
post "$req"
expect "wrong AP_PWD" 500 104
post "$(sig_req synch $DEMO "$WORK/di" mss:refmssp:other:loa2:sim)"
expect "unknown profile" 500 109
code=$(curl -sS --cacert "$STATE/ca.pem" -o /dev/null -w '%{http_code}' "${LAST_BODY[@]}" "$URL_BASE/mss")
[ "$code" = 500 ] || die "no client certificate: HTTP $code"
code=$(curl -sS --cacert "$STATE/ca.pem" --cert "$STATE/ap.pem" --key "$STATE/ap.key" \
    -o /dev/null -w '%{http_code}' "$URL_BASE/mss")
[ "$code" = 405 ] || die "GET: HTTP $code"
RAW_BODY=1 post "not a message at all"
expect "garbage" 500 101
# A client certificate of the same CA that is not the AP's (as a user's would be).
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n' >"$WORK/user-ext.cnf"
openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/user.key" -out "$WORK/user.csr" \
    -subj "/CN=Demo User/serialNumber=$DEMO/O=refmssp test" 2>/dev/null || die "openssl req"
openssl x509 -req -in "$WORK/user.csr" -CA "$STATE/ca.pem" -CAkey "$STATE/ca.key" -set_serial 0x5eed \
    -days 2 -extfile "$WORK/user-ext.cnf" -out "$WORK/user.pem" 2>/dev/null || die "openssl x509"
AP_CERT="$WORK/user.pem" AP_KEY="$WORK/user.key" post "$(sig_req synch $DEMO "$WORK/di")"
expect "a user's client certificate from the AP's CA" 500 104
grep -q " - ap=- msisdn=- .*status=104" "$REFMSSP_LOG" || die "a refused request's access line: $(tail -1 "$REFMSSP_LOG")"
ok "refusals: unknown user 105/1052, unknown MSSP_TransID 101, wrong AP_PWD 104, unknown profile 109, no client certificate, GET 405, garbage 101, another certificate of the CA 104 (ap=-)"

# ---------------------------------------------------------------- restart
post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN)"
pending=$(trans_id)
post "$(sig_req asynchClientServer $DEMO "$WORK/di" $SIGN)"
done_id=$(trans_id)
refmssp_stop
refmssp_start "$STATE" || die "refmssp did not restart"
post "$(status_req "$pending")"
expect "pending across a restart" 500 208
post "$(status_req "$done_id")"
expect "finished across a restart" 200 500
post "$(profile_req +35800000001)"
expect "added user across a restart" 200 100
post "$(sig_req asynchClientServer +35800000001 "$WORK/di" $SIGN)"
expect "the phone is free again" 200 100
ok "restart: a pending transaction ends with 208, finished ones and added users stay"

# ---------------------------------------------------------------- AP settings
refmssp_stop
BASIC_PWD=$(openssl rand -hex 16)
printf 'ap_auth = cert-or-basic\nap_basic_pwd = %s\nap_profiles = %s mss:other:sign\nphone_page = no\n' \
    "$BASIC_PWD" $SIGN >>"$STATE/refmssp.conf"
refmssp_start "$STATE" || die "refmssp did not start with ap_auth and ap_profiles"
NO_CERT=1 post "$(sig_req synch $DEMO "$WORK/di" $SIGN)" /mss -u "ap:$BASIC_PWD"
expect "HTTP Basic" 200 500
NO_CERT=1 post "$(sig_req synch $DEMO "$WORK/di" $SIGN)" /mss -u "ap:$AP_PWD"
expect "HTTP Basic with the AP_PWD" 500 104
NO_CERT=1 post "$(sig_req synch $DEMO "$WORK/di" $SIGN)" /mss -u "ap:wrong"
expect "wrong HTTP Basic" 500 104
NO_CERT=1 post "$(sig_req synch $DEMO "$WORK/di" $SIGN)"
expect "neither certificate nor Basic" 500 104
post "$(sig_req synch $DEMO "$WORK/di" $AUTHN)"
expect "a profile the AP may not use" 500 104
post "$(sig_req synch $DEMO "$WORK/di" $SIGN)"
expect "the certificate still works" 200 500
code=$(curl -sS --cacert "$STATE/ca.pem" -o /dev/null -w '%{http_code}' "$URL_BASE/phone")
[ "$code" = 404 ] || die "phone_page = no: HTTP $code"
ok "ap_auth = cert-or-basic: HTTP Basic (ap:ap_basic_pwd, not the AP_PWD) instead of a client certificate; ap_profiles: other profiles → 104; phone_page = no"

# ---------------------------------------------------------------- several APs
# A second AP from 'refmssp ap add': its own certificate (bound by fingerprint),
# AP_ID, AP_PWD and profile list; neither AP can pass as the other or see the
# other's transactions.
refmssp_stop
AP2_ID=http://ap2.refmssp.test
"$REFMSSP" ap add "$STATE" ap2 --ap-id $AP2_ID --profiles "$AUTHN" --auth cert-or-basic \
    >"$WORK/ap-add.log" 2>&1 || die "refmssp ap add: $(cat "$WORK/ap-add.log")"
for f in ap-ap2.pem ap-ap2.key ap-ap2_pwd ap-ap2_basic_pwd; do
    [ -s "$STATE/$f" ] || die "refmssp ap add did not write $f"
done
[ "$(stat -c %a "$STATE/ap-ap2.key")" = 600 ] && [ "$(stat -c %a "$STATE/ap-ap2_pwd")" = 600 ] ||
    die "the AP key or password file is not 0600"
AP2_PWD=$(cat "$STATE/ap-ap2_pwd")
AP2_BASIC_PWD=$(cat "$STATE/ap-ap2_basic_pwd")
[ "$AP2_BASIC_PWD" != "$AP2_PWD" ] || die "ap add gave the same Basic password as AP_PWD"
"$REFMSSP" ap list "$STATE" >"$WORK/ap-list.txt" || die "refmssp ap list failed"
grep -q "^default .*http://ap.refmssp.test" "$WORK/ap-list.txt" &&
    grep -q "^ap2 .*$AP2_ID .*cert-or-basic .*$AUTHN" "$WORK/ap-list.txt" ||
    die "ap list: $(cat "$WORK/ap-list.txt")"
! grep -q -e "$AP2_PWD" -e "$AP_PWD" -e "$AP2_BASIC_PWD" "$WORK/ap-list.txt" "$WORK/ap-add.log" || die "ap add/list showed a password"
"$REFMSSP" ap add "$STATE" ap3 --ap-id $AP2_ID >/dev/null 2>&1 && die "a second AP with the same AP_ID was added"
[ ! -e "$STATE/ap-ap3.pem" ] || die "a refused ap add left files"
mkdir "$WORK/bad" && cp "$STATE/refmssp.conf" "$WORK/bad/"
printf '[ap loose]\nap_id = http://loose.test\nap_pwd = x\n' >>"$WORK/bad/refmssp.conf"
"$REFMSSP" ap list "$WORK/bad" >/dev/null 2>"$WORK/bad.err" && die "an [ap] section without a certificate binding was accepted"
grep -q "cert_fingerprint or cert_subject is required" "$WORK/bad.err" || die "unclear error: $(cat "$WORK/bad.err")"
ok "refmssp ap add: ap-NAME.pem/.key/_pwd (0600), an [ap NAME] section; ap list without secrets; duplicate AP_ID and unbound sections refused"

refmssp_start "$STATE" || die "refmssp did not start with a second AP"
ap2_req() { AP_ID_OVERRIDE=$AP2_ID AP_PWD_OVERRIDE=$AP2_PWD "$@"; }
post_ap2() { AP_CERT="$STATE/ap-ap2.pem" AP_KEY="$STATE/ap-ap2.key" post "$@"; }
req=$(ap2_req sig_req synch $DEMO "$WORK/di" $AUTHN)
post_ap2 "$req"
expect "AP2 signs" 200 500
signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/demo-authn.pem" -in "$WORK/di" \
    -sigfile "$WORK/sig" >/dev/null || die "AP2's signature does not verify"
NO_CERT=1 post "$req" /mss -u "ap2:$AP2_BASIC_PWD"
expect "AP2 over HTTP Basic" 200 500
NO_CERT=1 post "$req" /mss -u "ap2:$AP2_PWD"
expect "AP2 over HTTP Basic with its AP_PWD" 500 104
ok "a second AP signs with its own certificate, AP_ID and AP_PWD (and over HTTP Basic as ap2)"

req=$(ap2_req sig_req synch $DEMO "$WORK/di" $SIGN)
post_ap2 "$req"
expect "AP2 asks for a profile not in its list" 500 104
post "$(sig_req synch $DEMO "$WORK/di" $SIGN)"
expect "the default AP may use that profile" 200 500
ok "AP profile lists are per AP: AP2 → 104 for $SIGN, the default AP signs with it"
req=$(ap2_req profile_req $DEMO)
post_ap2 "$req"
expect "AP2's profile query" 200 100
grep -q "$AUTHN" "$WORK/resp.xml" && ! grep -q "$SIGN" "$WORK/resp.xml" ||
    die "AP2's profile query shows profiles outside its list: $(cat "$WORK/resp.xml")"
post "$(profile_req $DEMO)"
grep -q "$SIGN" "$WORK/resp.xml" || die "the default AP's profile query lost $SIGN"
ok "MSS_ProfileQuery lists only the profiles the AP may use (AP2: $AUTHN only)"

req=$(ap2_req sig_req synch $DEMO "$WORK/di" $AUTHN)
post "$req"
expect "AP2's AP_ID over AP1's certificate" 500 104
NO_CERT=1 post "$req" /mss -u "ap:$BASIC_PWD"
expect "AP2's AP_ID over AP1's HTTP Basic" 500 104
post_ap2 "$(sig_req synch $DEMO "$WORK/di" $SIGN)"
expect "AP1's AP_ID over AP2's certificate" 500 104
NO_CERT=1 post "$(sig_req synch $DEMO "$WORK/di" $SIGN)" /mss -u "ap2:$AP2_BASIC_PWD"
expect "AP1's AP_ID over AP2's HTTP Basic" 500 104
req=$(AP_ID_OVERRIDE=$AP2_ID AP_PWD_OVERRIDE=$AP_PWD sig_req synch $DEMO "$WORK/di" $AUTHN)
post_ap2 "$req"
expect "AP2 with AP1's password" 500 104
ok "an AP_ID over another AP's certificate or Basic credentials → 104 (both ways); another AP's AP_PWD → 104"

post "$(sig_req asynchClientServer $DEMO "$WORK/di" $SIGN)"
expect "AP1 asynch" 200 100
ap1_tx=$(trans_id)
req=$(ap2_req status_req "$ap1_tx")
post_ap2 "$req"
expect "AP2 queries AP1's transaction" 500 101
poll_until "$ap1_tx" 500 "$SETTLE_S"
req=$(ap2_req sig_req asynchClientServer $DEMO "$WORK/di" $AUTHN)
post_ap2 "$req"
expect "AP2 asynch" 200 100
ap2_tx=$(trans_id)
post "$(status_req "$ap2_tx")"
expect "AP1 queries AP2's transaction" 500 101
req=$(ap2_req status_req "$ap2_tx")
post_ap2 "$req"
[ "$CODE" = 500 ] || [ "$CODE" = 504 ] || die "AP2 queries its own transaction: $CODE"
ok "transactions belong to their AP: the other AP's status query → 101, its own works"

# ---------------------------------------------------------------- per-IP connection limit
# Two TLS connections held open from 127.0.0.1 (handshakes done, so the server counts
# them): with max_connections_per_ip = 2 a third from the same address is closed
# unserved; once they close, requests are served again.
refmssp_stop
sed -i '1i max_connections_per_ip = 2' "$STATE/refmssp.conf"   # a top-level key: before the sections
refmssp_start "$STATE" || die "refmssp did not start with max_connections_per_ip"
PORT=${URL_BASE##*:}
python3 - "$PORT" "$STATE/ca.pem" <<'PY' || die "the per-IP limit did not hold"
import socket, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False
def connect():
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20))
held = [connect(), connect()]
try:
    third = connect()
    third.sendall(b"GET /phone HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    if third.recv(64):
        sys.exit("a third connection from the same address was served")
except (ssl.SSLError, OSError):
    pass
PY
# The server learns of the two closes on its own time: wait for the state in which a new
# connection is served again (a request sent at once may still count them).
phone_page_answers() {
    code=$(curl -sS --cacert "$STATE/ca.pem" -o /dev/null -w '%{http_code}' "$URL_BASE/phone" \
        2>/dev/null)
    [ "$code" = 404 ]
}
wait_for "$SETTLE_S" "a connection served after the held ones closed" phone_page_answers ||
    die "after the held connections closed: HTTP $code"
ok "max_connections_per_ip = 2: a third connection from one address is refused; served again once they close"

schema_summary
echo "# $PASSED checks passed"
