#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One signature end to end: pkcs11-tool → mss-pkcs11 → mssclient → refmssp, verified by
# openssl; both mechanisms, both messaging modes, both keys.
. "$(dirname "$0")/e2e-lib.sh"
mssp_start

"$MSS_TOOL" enroll >"$WORK/enroll.out" || die "mss-tool enroll failed: $(cat "$WORK/enroll.out")"
for role in authn sign; do
    openssl verify -CAfile "$WORK/state/ca.pem" "$WORK/state/cache/demo/$role.pem" >/dev/null ||
        die "cached $role certificate does not chain to the test CA"
done
ok "mss-tool enroll cached both certificates, each issued by the test CA"

p11 -L >"$WORK/slots.out" || die "pkcs11-tool -L failed"
grep -q "token label *: Demo User" "$WORK/slots.out" || die "no 'Demo User' token: $(cat "$WORK/slots.out")"
ok "pkcs11-tool -L lists the Demo User token"

p11 -O >"$WORK/objects.out" || die "pkcs11-tool -O failed"
for kind in "Certificate Object" "Public Key Object" "Private Key Object"; do
    n=$(grep -c "^$kind" "$WORK/objects.out" || true)
    [ "$n" -eq 2 ] || die "expected 2 × '$kind', got $n"
done
ok "pkcs11-tool -O lists a certificate, public and private key for each of the two keys"

printf 'a document to sign\n' >"$WORK/doc.txt"
sha256_digest_info "$WORK/doc.txt" "$WORK/doc.di"

count_status_queries() { grep -c "StatusQuery" "$REFMSSP_LOG" || true; }

for mode in asynchClientServer synch; do
    conf_set messaging_mode "$mode"
    for key in "Signing key:sign" "Authentication key:authn"; do
        label=${key%%:*} role=${key##*:}
        openssl x509 -in "$WORK/state/cache/demo/$role.pem" -pubkey -noout >"$WORK/pub.pem"
        id=$(p11_key_id "$MODULE" "$label")
        [ -n "$id" ] || die "no private key labelled '$label'"
        for mech in SHA256-RSA-PKCS RSA-PKCS; do
            input=$WORK/doc.txt
            [ "$mech" = RSA-PKCS ] && input=$WORK/doc.di
            before=$(count_status_queries)
            rm -f "$WORK/doc.sig"
            p11 --id "$id" --sign -m "$mech" -i "$input" -o "$WORK/doc.sig" 2>"$WORK/sign.err" ||
                die "$mode $mech with '$label' failed: $(cat "$WORK/sign.err")"
            [ "$(stat -c %s "$WORK/doc.sig")" -eq 256 ] || die "signature is not 256 bytes"
            openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
                die "$mode $mech signature with '$label' does not verify"
            after=$(count_status_queries)
            if [ "$mode" = synch ]; then
                [ "$after" -eq "$before" ] || die "synch mode sent status queries"
            else
                [ "$after" -gt "$before" ] || die "asynchClientServer mode sent no status query"
            fi
            ok "$mode $mech with '$label': signature verified by openssl"
        done
    done
done

# Confirm on the phone: a person approves, or cancels.
add_phone_user
id=$(p11_key_id "$MODULE" "Signing key" "$PHONE_LABEL")
[ -n "$id" ] || die "no signing key on the $PHONE_LABEL token"
openssl x509 -in "$WORK/state/cache/phone/sign.pem" -pubkey -noout >"$WORK/pub.pem"
rm -f "$WORK/doc.sig"
with_phone approve p11 --token-label "$PHONE_LABEL" --id "$id" --sign -m SHA256-RSA-PKCS \
    -i "$WORK/doc.txt" -o "$WORK/doc.sig" 2>"$WORK/sign.err" || die "approved signature failed: $(cat "$WORK/sign.err")"
openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "the approved signature does not verify"
ok "confirm on the phone: approved with the PIN by the person, signature verified"
rm -f "$WORK/doc.sig"
if with_phone cancel p11 --token-label "$PHONE_LABEL" --id "$id" --sign -m SHA256-RSA-PKCS \
    -i "$WORK/doc.txt" -o "$WORK/doc.sig" 2>"$WORK/sign.err"; then
    die "signing succeeded although the person cancelled"
fi
grep -q CKR_FUNCTION_CANCELED "$WORK/sign.err" || die "expected CKR_FUNCTION_CANCELED: $(cat "$WORK/sign.err")"
[ ! -s "$WORK/doc.sig" ] || die "a signature was written although the person cancelled"
ok "cancelled on the phone: C_Sign fails with CKR_FUNCTION_CANCELED and returns no signature"

echo "$PASSED passed, 0 failed"
