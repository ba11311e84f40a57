#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# mss-relay and the REST/JSON binding: a desktop is answered in the binding it asked in,
# whatever the upstream speaks.
#   - REST desktops → relay → refmssp over SOAP: pkcs11-tool through the module with
#     binding = rest signs RSA PKCS#1 v1.5 and PSS (a client certificate) and ECDSA (a
#     bearer token) in both messaging modes, each verified by openssl; the audit log
#     says "binding":"rest";
#   - JSON requests as a desktop would send them: another user's MSISDN → a JSON fault
#     104, never forwarded; an altered transaction token → 101; no credentials → 104;
#     a non-JSON Content-Type on a REST path → 415; another operation on a Swisscom path
#     → 101; Kiuru's /restapi and Swisscom's /rest/service/* answered like /mss; every
#     JSON answer checked against tests/schemas/mss-rest.schema.json;
#   - a SOAP desktop → relay with [upstream] binding = rest → refmssp's /restapi (which
#     reads every body as JSON, so a signature that verifies went over REST): RSA, PSS
#     and ECDSA; then HTTP Basic toward the upstream (http_user, http_password_file) in
#     place of the AP's client certificate, and Swisscom's flavour (binding =
#     rest-swisscom: url the base, a path per operation).
. "$(dirname "$0")/relay-lib.sh"
. "$(dirname "$0")/rest-lib.sh"
require_tools pkcs11-tool
proto_start
R=$WORK/relay

relay_with_alice_and_bob "$R" "$URL_BASE/mss"
printf 'a document signed through the relay over REST\n' >"$WORK/doc.txt"

# --- REST desktops, a SOAP upstream.
for d in "$ALICE" "$BOB"; do desktop_conf_set "$d" binding rest; done
desktop_enroll "$ALICE"
desktop_enroll "$BOB"
desktops_sign_in_both_modes "$ALICE" "$BOB" \
    "a REST desktop signs RSA, PSS and ECDSA through the relay to a SOAP upstream; openssl verifies"
audit_has "$R" '"user":"bob"' '"operation":"MSS_Signature"' '"binding":"rest"' '"outcome":"ok"' ||
    die "the audit log has no REST signature of bob"
audit_has "$R" '"operation":"MSS_StatusQuery"' '"binding":"rest"' ||
    die "the audit log has no REST status query"
! grep -q '"binding":"soap"' "$R/audit.log" || die "a REST desktop's request is audited as SOAP"
ok "the audit lines of the REST desktops' requests say \"binding\":\"rest\""

# --- JSON requests as a desktop sends them; every answer schema-checked.
AP_ID_OVERRIDE=http://mss-relay.invalid AP_PWD_OVERRIDE=not-used
openssl dgst -sha256 -binary "$WORK/doc.txt" >"$WORK/h32"
sha256_digest_info "$WORK/doc.txt" "$WORK/di"
before=$(grep -c "msisdn=+99900000002" "$REFMSSP_LOG" || true)
as_cert "$R" alice
relay_rest_post "$R" /mss "$(rest_sig synch +99900000002 "$WORK/di" "$SIGN")" "${CRED[@]}"
rest_expect "alice asks for bob's phone over REST" 500 104
relay_rest_post "$R" /restapi "$(rest_profile +99900000002)" "${CRED[@]}"
rest_expect "alice's REST profile query of bob's phone" 500 104
[ "$(grep -c "msisdn=+99900000002" "$REFMSSP_LOG" || true)" = "$before" ] ||
    die "a refused request reached refmssp"
audit_has "$R" '"user":"alice"' '"binding":"rest"' '"msisdn":"+99900000002"' '"status":104' ||
    die "the REST refusal is not in the audit log"
ok "another user's MSISDN over REST → JSON fault 104 (signature and profile query), never forwarded"

relay_rest_post "$R" /mss "$(rest_sig asynchClientServer +99900000001 "$WORK/di" "$SIGN" "$KIURU")" "${CRED[@]}"
rest_expect "asynch signature over REST" 200 100
TOKEN=$(rest_trans_id)
case $TOKEN in R*) ;; *) die "the MSSP_TransID is not a relay token: $TOKEN" ;; esac
mid=$((${#TOKEN} / 2))
[ "${TOKEN:$mid:1}" = A ] && swap=B || swap=A
ALTERED=${TOKEN:0:$mid}$swap${TOKEN:$((mid + 1))}
relay_rest_post "$R" /mss "$(rest_status "$ALTERED")" "${CRED[@]}"
rest_expect "an altered token over REST" 500 101
audit_has "$R" '"binding":"rest"' '"reason":"transaction token forged or altered"' ||
    die "the altered token is not in the audit log"
rest_status_is() {
    relay_rest_post "$R" "$1" "$(rest_status "$TOKEN")" "${CRED[@]}"
    [ "$CODE" = 500 ] && return 0
    [ "$CODE" = 504 ] || die "status query of $TOKEN over REST: got $CODE while waiting for 500"
    return 1
}
wait_for "$SETTLE_S" "status 500 over REST" rest_status_is /rest/service/status ||
    die "status query of $TOKEN: still 504"
openssl x509 -in "$ALICE/cache/alice/sign.pem" -pubkey -noout >"$WORK/pub.pem"
rest_signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/pub.pem" -in "$WORK/di" -sigfile "$WORK/sig" \
    >/dev/null || die "the signature of the REST status answer does not verify"
relay_rest_post "$R" /restapi "$(rest_receipt "$TOKEN" +99900000001 "Thank you")" "${CRED[@]}"
rest_expect "a receipt over REST" 200 100
ok "a tampered transaction token over REST → JSON fault 101; the real one brings the signature (Swisscom's status path) and takes a receipt"

relay_rest_post "$R" /restapi "$(rest_sig synch +99900000003 "$WORK/h32" "$SIGN" "$KIURU#rsa-pss")" \
    "${CRED[@]}"
rest_expect "a synch PSS signature over REST" 200 500
openssl x509 -in "$ALICE/cache/alice-2/sign.pem" -pubkey -noout >"$WORK/pub.pem"
rest_signature_to "$WORK/sig"
openssl pkeyutl -verify -pubin -inkey "$WORK/pub.pem" -in "$WORK/h32" -sigfile "$WORK/sig" \
    -pkeyopt rsa_padding_mode:pss -pkeyopt digest:sha256 -pkeyopt rsa_mgf1_md:sha256 \
    -pkeyopt rsa_pss_saltlen:32 >/dev/null || die "the synch PSS signature over REST does not verify"
ok "a synch JSON signature request on Kiuru's /restapi: the JSON answer's PSS signature verifies"

relay_rest_post "$R" /mss "$(rest_sig synch +99900000001 "$WORK/di")"
rest_expect "no credentials over REST" 500 104
REST_TYPE=text/xml relay_rest_post "$R" /restapi "$(rest_profile +99900000001)" "${CRED[@]}"
rest_expect "a SOAP Content-Type on /restapi" 415 101
relay_rest_post "$R" /rest/service/status "$(rest_profile +99900000001)" "${CRED[@]}"
rest_expect "a profile query on Swisscom's status path" 500 101
relay_rest_post "$R" /rest/service/profile "$(rest_profile +99900000001)" "${CRED[@]}"
rest_expect "a profile query on Swisscom's profile path" 200 100
relay_rest_post "$R" /mss '{"MSS_SignatureReq":' "${CRED[@]}"
rest_expect "malformed JSON" 500 101
ok "the relay's own refusals in JSON: no credentials 104, Content-Type 415, another path's operation 101, malformed JSON 101"

# --- A SOAP desktop, a REST upstream (refmssp's /restapi), a second relay instance.
R2=$WORK/relay-rest
relay_copy "$R" "$R2"
sed -i "/^\[upstream\]\$/,/^\[/ s|^url = .*|url = $URL_BASE/restapi|" "$R2/mss-relay.conf"
grep -q "^url = $URL_BASE/restapi\$" "$R2/mss-relay.conf" || die "could not set the upstream url"
relay_start "$R2"
for d in "$ALICE" "$BOB"; do
    desktop_conf_set "$d" binding soap
    desktop_conf_set "$d" url "$(relay_url "$R2")"
done
# Control: with the default binding (soap) the relay's SOAP reaches /restapi, which reads
# JSON only, and nothing is signed; so the signatures below went over REST.
refused_before=$(grep -c " http=415 " "$REFMSSP_LOG" || true)
id=$(MSS_PKCS11_CONF=$ALICE/mss-pkcs11.conf p11_key_id "$MODULE" "Signing key" "MSS +99900000001")
if MSS_PKCS11_CONF=$ALICE/mss-pkcs11.conf timeout 60 pkcs11-tool --module "$MODULE" \
    --token-label "MSS +99900000001" --id "$id" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" \
    -o "$WORK/sig" >"$WORK/control.out" 2>&1; then
    die "a SOAP upstream request to /restapi signed: the REST upstream signatures would prove nothing"
fi
[ "$(grep -c " http=415 " "$REFMSSP_LOG" || true)" -gt "$refused_before" ] ||
    die "refmssp's /restapi did not refuse the control's SOAP (415): $(cat "$WORK/control.out")"
relay_stop "$R2"
relay_conf_set "$R2" binding rest
relay_start "$R2"
desktops_sign_in_both_modes "$ALICE" "$BOB" \
    "a SOAP desktop signs RSA, PSS and ECDSA through the relay to a REST upstream; openssl verifies"
audit_has "$R2" '"user":"alice"' '"operation":"MSS_Signature"' '"binding":"soap"' '"outcome":"ok"' ||
    die "the second relay's audit log has no SOAP signature of alice"

# HTTP Basic toward the upstream instead of the AP's client certificate.
refmssp_stop
BASIC_PWD=$(openssl rand -hex 16)
printf 'ap_auth = basic\nap_basic_pwd = %s\n' "$BASIC_PWD" >>"$STATE/refmssp.conf"
refmssp_start "$STATE" || die "refmssp did not start with ap_auth = basic"
relay_stop "$R2"
( umask 077; printf '%s\n' "$BASIC_PWD" >"$R2/upstream-http_pwd" )
sed -i '/^client_cert = /d; /^client_key = /d' "$R2/mss-relay.conf"
relay_conf_set "$R2" http_user ap
relay_conf_set "$R2" http_password_file upstream-http_pwd
relay_start "$R2"
desktop_conf_set "$ALICE" messaging_mode synch
desktop_sign "$ALICE" "MSS +99900000001" alice SHA256-RSA-PKCS -- -sha256
! grep -qF "$BASIC_PWD" "$R2/audit.log" "$R2.log" || die "the relay logged the HTTP Basic password"
ok "HTTP Basic toward a REST upstream (http_user, http_password_file): the signature verifies, the password is in no log"

# Swisscom's flavour upstream: url is the base, each operation on its own path below it
# (refmssp's /rest/service/* take only their own operation, so a request sent to the
# wrong one would fail).
relay_stop "$R2"
sed -i "/^\[upstream\]\$/,/^\[/ s|^url = .*|url = $URL_BASE|" "$R2/mss-relay.conf"
relay_conf_set "$R2" binding rest-swisscom
relay_start "$R2"
desktop_conf_set "$ALICE" messaging_mode asynchClientServer
queries() { grep -c '"operation":"MSS_StatusQuery".*"outcome":"ok"' "$R2/audit.log" || true; }
before=$(queries)
desktop_sign "$ALICE" "MSS +99900000001" alice SHA256-RSA-PKCS -- -sha256
[ "$(queries)" -gt "$before" ] || die "the asynch signature made no status query through the second relay"
desktop_enroll "$ALICE"
ok "a Swisscom upstream (binding = rest-swisscom, url its base): asynchClientServer signature and enrolment through /rest/service/*"

echo "$REST_CHECKED JSON answers of the relay validated against mss-rest.schema.json"
echo "$PASSED passed, 0 failed"
