#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# refmssp's REST/JSON binding at the protocol level, on the same port as SOAP: every
# operation in Kiuru's shape (JSON POSTed to the server's one URL) and on Swisscom's
# /rest/service/* paths, both messaging modes, signatures verified with openssl, a
# held synch request resumed in JSON, scenario faults, a status query of an unknown
# transaction, fi:PKCS1 refused (it has no JSON form; also when a SOAP transaction is
# queried over REST), hostile JSON (duplicate keys, deep nesting, invalid UTF-8, huge
# numbers, an oversized body), the phone page answering a REST request, and SOAP beside
# them. Every JSON response is checked against tests/schemas/mss-rest.schema.json.
# test_refmssp_protocol_rest.sh runs test_refmssp_protocol.sh's scenarios over REST too.
# Here JSON is written by hand (rest_post), and the library's post is the SOAP beside it.
MSS_TEST_BINDING=soap
. "$(dirname "$0")/refmssp-proto-lib.sh"
. "$(dirname "$0")/rest-lib.sh"
proto_start

printf 'a document to sign\n' >"$WORK/doc.txt"
openssl dgst -sha256 -binary "$WORK/doc.txt" >"$WORK/h32"
sha256_digest_info "$WORK/doc.txt" "$WORK/di"
DEMO=+99900000001 DEMO_EC=+99900000002 DEMO_PSS=+99900000003

# rest_post JSON [PATH] [CONTENT_TYPE] [curl args…]: to refmssp as its AP; the answer as
# rest_check_answer (rest-lib.sh) leaves it.
rest_post() {
    local path=${2:-/mss} type=${3:-application/json}
    printf '%s' "$1" >"$WORK/req.json"
    shift $(( $# >= 3 ? 3 : $# ))
    HTTP=$(curl -sS --max-time "$SETTLE_S" --cacert "$STATE/ca.pem" \
        --cert "$STATE/ap.pem" --key "$STATE/ap.key" -H "Content-Type: $type" \
        --data-binary @"$WORK/req.json" -o "$WORK/resp.json" -w '%{http_code}|%{content_type}' \
        "$@" "$URL_BASE$path") || die "curl failed for $path"
    RESP_TYPE=${HTTP#*|} HTTP=${HTTP%%|*}
    echo "$HTTP" >"$WORK/http.code"
    rest_check_answer "$path"
}
# rest_pubkey MSISDN PROFILE OUT: the certificate of a user's key from a profile query.
rest_pubkey() {
    rest_post "$(rest_profile "$1")"
    rest_expect "profile query of $1" 200 100
    jq -r --arg p "$2" '.MSS_ProfileResp.Status.StatusDetail.ProfileQueryExtension.MobileUserCertificate[]
        | select(.SignatureProfiles | index($p)) | .X509Certificate[0]' "$WORK/resp.json" |
        head -1 | base64 -d >"$WORK/cert.der"
    openssl x509 -inform DER -in "$WORK/cert.der" -pubkey -noout >"$3" ||
        die "no certificate for $2 of $1: $(cat "$WORK/resp.json")"
}
verify() {  # verify PUBKEY DATA SIG [pkeyopt…]
    local key=$1 data=$2 sig=$3
    shift 3
    openssl pkeyutl -verify -pubin -inkey "$key" -in "$data" -sigfile "$sig" "$@" >/dev/null
}

# ---------------------------------------------------------------- Kiuru's shape: one URL
rest_pubkey $DEMO $SIGN "$WORK/demo-sign.pem"
rest_pubkey $DEMO_PSS $SIGN "$WORK/pss-sign.pem"
rest_pubkey $DEMO_EC $SIGN "$WORK/ec-sign.pem"
ok "MSS_ProfileReq as JSON → MSS_ProfileResp 100 with the users' certificates"

rest_post "$(rest_sig synch $DEMO "$WORK/di" $SIGN $KIURU)"
rest_expect "synch RSA" 200 500
rest_signature_to "$WORK/sig"
verify "$WORK/demo-sign.pem" "$WORK/di" "$WORK/sig" || die "RSA signature does not verify"
rest_post "$(rest_sig synch $DEMO_PSS "$WORK/h32" $SIGN "$KIURU#rsa-pss")"
rest_expect "synch PSS" 200 500
rest_signature_to "$WORK/sig"
verify "$WORK/pss-sign.pem" "$WORK/h32" "$WORK/sig" -pkeyopt rsa_padding_mode:pss \
    -pkeyopt digest:sha256 -pkeyopt rsa_mgf1_md:sha256 -pkeyopt rsa_pss_saltlen:32 ||
    die "PSS signature does not verify"
rest_post "$(rest_sig synch $DEMO_EC "$WORK/h32" $SIGN $KIURU)"
rest_expect "synch ECDSA" 200 500
rest_signature_to "$WORK/sig"
verify "$WORK/ec-sign.pem" "$WORK/h32" "$WORK/sig" || die "ECDSA signature does not verify"
ok "synch MSS_SignatureReq as JSON: RSA PKCS#1, RSA-PSS and ECDSA signatures verify"

rest_post "$(rest_sig asynchClientServer $DEMO "$WORK/di" $SIGN $KIURU)"
rest_expect "asynch RSA" 200 100
id=$(rest_trans_id)
[ -n "$id" ] || die "no MSSP_TransID: $(cat "$WORK/resp.json")"
rest_status_is() {
    rest_post "$(rest_status "$1")"
    [ "$CODE" = "$2" ] && return 0
    [ "$CODE" = 504 ] || die "status query of $1: got $CODE while waiting for $2"
    return 1
}
wait_for "$SETTLE_S" "status 500 of $id" rest_status_is "$id" 500 || die "status query of $id: still 504"
rest_signature_to "$WORK/sig"
verify "$WORK/demo-sign.pem" "$WORK/di" "$WORK/sig" || die "asynch signature does not verify"
rest_post "$(rest_receipt "$id" $DEMO "Thank you")"
rest_expect "receipt" 200 100
ok "asynchClientServer: 100, MSS_StatusReq until 500 with a signature that verifies; MSS_ReceiptReq → 100"

# A synch request held until the phone answers (a slow number: 300 ms) is answered in JSON
# when it resumes.
rest_post "$(rest_sig synch +999000020300 "$WORK/di")"
rest_expect "held synch request" 200 500
grep -q " MSS_Signature .*msisdn=+999000020300 " "$REFMSSP_LOG" ||
    die "no access line for the held request"
ok "a held synch MSS_SignatureReq resumes with a JSON MSS_SignatureResp (500)"

# ---------------------------------------------------------------- faults
rest_post "$(rest_status Tunknown)"
rest_expect "status query of an unknown transaction" 500 101
[ "$(jq -r '.Fault.Code.Value' "$WORK/resp.json")" = Sender ] || die "101 is not the sender's: $(cat "$WORK/resp.json")"
rest_post "$(rest_sig synch +999000001105 "$WORK/di")"
rest_expect "scenario 105" 500 105
rest_post "$(rest_sig synch +999000001401 "$WORK/di")"
rest_expect "scenario 401" 500 401
rest_post "$(rest_sig synch $DEMO "$WORK/di" $SIGN $FICOM)"
rest_expect "fi:PKCS1 over REST" 500 101 1017
grep -q "no JSON form" "$WORK/resp.json" || die "the fi:PKCS1 fault does not say why: $(cat "$WORK/resp.json")"
rest_post '{"MSS_SignatureReq":' 
rest_expect "malformed JSON" 500 101
ok "faults as JSON Fault objects with HTTP 500: unknown transaction 101, scenarios 105 and 401, fi:PKCS1 101/1017 (no JSON form), malformed JSON 101"

# ---------------------------------------------------------------- hostile JSON
# The JSON counterparts of the SOAP binding's hostile input (the decoder's own unit tests
# are test_codec_rest_strict): each is refused with a JSON fault 101, and the server goes
# on serving. test_refmssp_protocol_rest.sh covers garbage; XML's entities and DTDs have no
# JSON form.
# refused WHAT WHY: the last answer is a fault 101 that gives the decoder's reason.
refused() {
    rest_expect "$1" 500 101
    grep -q "$2" "$WORK/resp.json" || die "$1: the fault does not say '$2': $(cat "$WORK/resp.json")"
}
ok_status=$(rest_status Tunknown)
rest_post "${ok_status%\}\}},\"MSSP_TransID\":\"Tother\"}}"
refused "a duplicate key" "duplicate object key"
rest_post "{\"MSS_StatusReq\":$(printf '[%.0s' {1..40})$(printf ']%.0s' {1..40})}"
refused "nesting 40 levels deep" "nested deeper than 32 levels"
rest_post "$(rest_status "$(printf 'T\xff\xfe')")"
refused "a string that is not UTF-8" "unable to decode byte 0xff"
rest_post "$(rest_sig synch $DEMO "$WORK/di" | sed 's/"TimeOut":"60"/"TimeOut":99999999999999999999999/')"
refused "a number out of range" "too big integer"
head -c $((300 * 1024)) /dev/zero | tr '\0' ' ' >"$WORK/big.json"
printf '%s' "$(rest_status Tunknown)" >>"$WORK/big.json"
# A client that waits (Expect: 100-continue) is answered at the headers; one that sends
# at once has its body read and thrown away first, so the 413 reaches it rather than a reset.
rest_post "$(cat "$WORK/big.json")" /mss application/json -H 'Expect: 100-continue'
rest_expect "a body over refmssp's 256 KiB, Expect: 100-continue" 413 101
for try in 1 2 3; do
    rest_post "$(cat "$WORK/big.json")" /mss application/json -H 'Expect:'
    rest_expect "a body over refmssp's 256 KiB sent at once ($try)" 413 101
done
rest_post "$(rest_profile $DEMO)"
rest_expect "a profile query after the hostile bodies" 200 100
ok "hostile JSON → JSON fault 101: a duplicate key, 40 levels of nesting, invalid UTF-8, a number out of range; over 256 KiB → 413 (waiting for 100-continue or not); served on after them"

# ---------------------------------------------------------------- Swisscom's paths
rest_post "$(rest_profile $DEMO)" /rest/service/profile
rest_expect "Swisscom profile path" 200 100
rest_post "$(rest_sig synch $DEMO "$WORK/di" $SIGN)" /rest/service/sign
rest_expect "Swisscom sign path" 200 500
rest_post "$(rest_sig synch $DEMO "$WORK/di" $SIGN)" /rest/service/status
rest_expect "a signature request on the status path" 500 101
rest_post "$(rest_profile $DEMO)" /rest/service/profile 'application/soap+xml'
rest_expect "SOAP Content-Type on a REST path" 415 101
ok "Swisscom's /rest/service/{profile,sign}: answered; another operation's message → 101; a non-JSON Content-Type → 415"

# SOAP on the same port, unchanged; a transaction started over SOAP in fi:PKCS1 cannot be
# answered in JSON, and the REST status query says so rather than failing to encode.
post "$(profile_req $DEMO)"
expect "SOAP profile query beside REST" 200 100
post "$(sig_req asynchClientServer $DEMO "$WORK/di" $SIGN $FICOM)"
expect "SOAP fi:PKCS1 request" 200 100
id=$(trans_id)
wait_for "$SETTLE_S" "the fi:PKCS1 transaction to end" rest_status_is "$id" 101 ||
    die "status query of $id: still 504"
[ "$SPEC" = 1017 ] && grep -q "fi:PKCS1, which has no JSON form" "$WORK/resp.json" ||
    die "the REST status query of a fi:PKCS1 signature: $(cat "$WORK/resp.json")"
ok "a SOAP request on the same port is answered in SOAP; its fi:PKCS1 signature queried over REST → 101/1017 (no JSON form)"

# ---------------------------------------------------------------- the phone page
"$REFMSSP" user add "$STATE" alice --msisdn +35800000001 --policy manual --pin 2468 \
    --sign rsa3072 >/dev/null || die "user add alice failed"
ALICE_TOKEN=$("$REFMSSP" phone url "$STATE" alice) && ALICE_TOKEN=${ALICE_TOKEN##*token=}
rest_post "$(rest_sig asynchClientServer +35800000001 "$WORK/di" $SIGN $KIURU)"
rest_expect "manual user" 200 100
id=$(rest_trans_id)
rest_post "$(rest_status "$id")"
rest_expect "manual pending" 200 504
HTTP=$(curl -sS --cacert "$STATE/ca.pem" -o "$WORK/answer.json" -w '%{http_code}' \
    -H 'X-Refmssp-Phone: 1' -d "trans_id=$id&token=$ALICE_TOKEN&action=approve&pin=2468" \
    "$URL_BASE/phone/answer") || die "POST /phone/answer failed"
[ "$HTTP" = 200 ] || die "phone answer: HTTP $HTTP $(cat "$WORK/answer.json")"
rest_post "$(rest_status "$id")"
rest_expect "after the phone page approved" 200 500
rest_pubkey +35800000001 $SIGN "$WORK/alice-sign.pem"
rest_post "$(rest_status "$id")"
rest_signature_to "$WORK/sig"
verify "$WORK/alice-sign.pem" "$WORK/di" "$WORK/sig" || die "alice's signature does not verify"
ok "the phone page answers a request made over REST; its status query then carries the signature"

echo "$REST_CHECKED JSON responses validated against mss-rest.schema.json"
echo "$PASSED passed, 0 failed"
