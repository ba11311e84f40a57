#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A failover url list in mss-pkcs11.conf, through pkcs11-tool → module → refmssp:
#   - url = <a port that refuses> <refmssp>: enrolment and signatures go to refmssp, and
#     the module's log names the URL that failed and the one that answered;
#   - the status queries of a transaction stay on the refmssp that took its request,
#     even when a second refmssp (same PKI) starts on the first URL's port meanwhile;
#   - a list that no server answers: CKR_DEVICE_ERROR, every URL named in the log;
#   - a bad list: the module says why and shows no slots.
. "$(dirname "$0")/e2e-lib.sh"

# The first URL's refmssp is a copy of the state before either server runs: the same CA,
# server certificate and AP, so a request that reached it would be answered and logged.
DEAD_PORT=$(free_port)
"$REFMSSP" init "$WORK/state" --port "$(free_port)" >"$WORK/init.log" 2>&1 ||
    die "refmssp init failed: $(cat "$WORK/init.log")"
cp -a "$WORK/state" "$WORK/first"
sed -i "s|^listen = .*|listen = 127.0.0.1:$DEAD_PORT|" "$WORK/first/refmssp.conf"
mssp_start
MSSP_URL=$(sed -n 's/^url = //p' "$MSS_PKCS11_CONF")
[ -n "$MSSP_URL" ] || die "no url in $MSS_PKCS11_CONF"
DEAD_URL=https://127.0.0.1:$DEAD_PORT/mss
tcp_listening "$DEAD_PORT" && die "port $DEAD_PORT answers although nothing should listen there"

MODULE_LOG=$WORK/module.log
conf_set url "$DEAD_URL $MSSP_URL"
sed -i "s|^\[mssp\]\$|[mssp]\nlog_level = info\nlog_file = $MODULE_LOG|" "$MSS_PKCS11_CONF"
grep -q "^log_file = $MODULE_LOG\$" "$MSS_PKCS11_CONF" || die "could not set log_file"

"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll failed: $(cat "$WORK/enroll.out")"
ok "mss-tool enroll: the profile queries reached refmssp through the list's second URL"

printf 'a document to sign\n' >"$WORK/doc.txt"
openssl x509 -in "$WORK/state/cache/demo/sign.pem" -pubkey -noout >"$WORK/pub.pem"
id=$(p11_key_id "$MODULE" "Signing key" "Demo User")
[ -n "$id" ] || die "no private key labelled 'Signing key'"
sign() { p11 --token-label "$1" --id "$2" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig"; }
for mode in asynchClientServer synch; do
    conf_set messaging_mode "$mode"
    rm -f "$WORK/doc.sig"
    : >"$MODULE_LOG"
    sign "Demo User" "$id" 2>"$WORK/sign.err" || die "$mode: signing failed: $(cat "$WORK/sign.err")"
    openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
        die "$mode: the signature does not verify"
    grep -q "MSS_Signature to $DEAD_URL: cannot reach it" "$MODULE_LOG" ||
        die "$mode: the log does not name the URL that failed: $(cat "$MODULE_LOG")"
    grep -q "MSS_Signature: answered by $MSSP_URL (URL 2 of 2)" "$MODULE_LOG" ||
        die "$mode: the log does not name the URL that answered: $(cat "$MODULE_LOG")"
    ok "$mode: url = <refused> <refmssp> signs through the second URL; the log names both"
done
grep -q "$(cat "$WORK/state/ap_pwd")" "$MODULE_LOG" && die "the module log holds the AP_PWD"

# A transaction lives on one MSSP: start the first URL's server while the phone waits,
# then approve; every status query still goes to the server that took the request.
conf_set messaging_mode asynchClientServer
add_phone_user
phone_id=$(p11_key_id "$MODULE" "Signing key" "$PHONE_LABEL")
[ -n "$phone_id" ] || die "no signing key on the $PHONE_LABEL token"
openssl x509 -in "$WORK/state/cache/phone/sign.pem" -pubkey -noout >"$WORK/phone-pub.pem"
rm -f "$WORK/doc.sig"
sign "$PHONE_LABEL" "$phone_id" 2>"$WORK/phone-sign.err" &
signer=$!
wait_for "$SETTLE_S" "the request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN" ||
    die "the signature request did not reach the phone"
MAIN_PID=$REFMSSP_PID MAIN_LOG=$REFMSSP_LOG
refmssp_start "$WORK/first" || die "the first URL's refmssp did not start"
FIRST_PID=$REFMSSP_PID FIRST_LOG=$REFMSSP_LOG
REFMSSP_PID=$MAIN_PID REFMSSP_LOG=$MAIN_LOG
at_exit "REFMSSP_PID=$FIRST_PID refmssp_stop"
queries_before=$(grep -c "MSS_StatusQuery" "$MAIN_LOG" || true)
"$REFMSSP" phone approve "$WORK/state" "$PHONE_MSISDN" --pin 1234 >"$WORK/phone.out" 2>&1 ||
    die "approving on the phone failed: $(cat "$WORK/phone.out")"
wait "$signer" || die "the phone user's signature failed: $(cat "$WORK/phone-sign.err")"
openssl dgst -sha256 -verify "$WORK/phone-pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "the phone user's signature does not verify"
queries_after=$(grep -c "MSS_StatusQuery" "$MAIN_LOG" || true)
[ "$queries_after" -gt "$queries_before" ] ||
    die "no status query reached the server of the transaction after the first URL came back"
grep -q "MSS_" "$FIRST_LOG" && die "the first URL's server got a request: $(grep MSS_ "$FIRST_LOG")"
ok "status queries stay on the server that took the request, though the first URL answers again"

# Now the first URL answers: the next signature goes there, and nothing is skipped.
: >"$MODULE_LOG"
rm -f "$WORK/doc.sig"
signatures_before=$(grep -c "MSS_Signature " "$MAIN_LOG" || true)
sign "Demo User" "$id" 2>"$WORK/sign.err" || die "signing through the first URL failed: $(cat "$WORK/sign.err")"
grep -q "MSS_Signature " "$FIRST_LOG" || die "the first URL's server did not get the request"
[ "$(grep -c "MSS_Signature " "$MAIN_LOG" || true)" -eq "$signatures_before" ] ||
    die "the second URL got a request although the first answered"
grep -q "cannot reach" "$MODULE_LOG" && die "a failover although the first URL answered: $(cat "$MODULE_LOG")"
ok "with the first URL back, requests go there again"
REFMSSP_PID=$FIRST_PID refmssp_stop

# No server answers: the documented error, every URL named.
DEAD2_URL=https://127.0.0.1:$(free_port)/mss
conf_set url "$DEAD_URL $DEAD2_URL"
: >"$MODULE_LOG"
rm -f "$WORK/doc.sig"
if sign "Demo User" "$id" 2>"$WORK/sign.err"; then
    die "signing succeeded although no URL answers"
fi
grep -q CKR_DEVICE_ERROR "$WORK/sign.err" || die "expected CKR_DEVICE_ERROR: $(cat "$WORK/sign.err")"
grep -q "MSS_Signature to $DEAD_URL: cannot reach it" "$MODULE_LOG" || die "first URL not named: $(cat "$MODULE_LOG")"
grep -q "none of the 2 URLs could be reached" "$MODULE_LOG" || die "no summary in the log: $(cat "$MODULE_LOG")"
grep -q "$DEAD2_URL" "$MODULE_LOG" || die "second URL not named: $(cat "$MODULE_LOG")"
ok "no URL reachable: C_Sign fails with CKR_DEVICE_ERROR and the log names every URL"

# A bad list is refused when the configuration is read, with the reason.
conf_set url "$MSSP_URL, $DEAD_URL"
p11 -L >"$WORK/slots.out" 2>&1 || true
grep -q "url: separate the URLs with spaces, not commas" "$MODULE_LOG" "$WORK/slots.out" ||
    die "no reason for the bad list: $(cat "$WORK/slots.out" "$MODULE_LOG")"
grep -q "Demo User" "$WORK/slots.out" && die "a token is shown although the configuration is bad"
"$MSS_TOOL" show >"$WORK/show.out" 2>&1 && die "mss-tool show accepted the bad list"
grep -q "not commas" "$WORK/show.out" || die "mss-tool show gave no reason: $(cat "$WORK/show.out")"
ok "url with commas: refused at configuration with the reason (module and mss-tool)"

echo "$PASSED passed, 0 failed"
