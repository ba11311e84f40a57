#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Java with the mobile key through SunPKCS11: keytool lists the token's entries, jarsigner
# signs a jar with the signing key, and jarsigner -verify accepts the signature.
. "$(dirname "$0")/e2e-lib.sh"
require_tools --package openjdk-17-jdk-headless java keytool jarsigner jar
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

sunpkcs11_keystore "$WORK/sunpkcs11.cfg" 0

timeout 120 keytool -list "${P11[@]}" >"$WORK/keytool.out" 2>&1 || die "keytool -list failed: $(cat "$WORK/keytool.out")"
for alias in "Authentication key" "Signing key"; do
    grep -qi "^$alias, PrivateKeyEntry" "$WORK/keytool.out" || die "keytool does not list '$alias' as a PrivateKeyEntry: $(cat "$WORK/keytool.out")"
done
ok "keytool -list shows both token keys as PrivateKeyEntry"

mkdir -p "$WORK/app"
printf 'Main-Class: Hello\n' >"$WORK/manifest.txt"
printf 'a file inside the jar\n' >"$WORK/app/readme.txt"
(cd "$WORK/app" && jar cfm "$WORK/app.jar" "$WORK/manifest.txt" readme.txt) || die "jar failed"
before=$(mssp_signatures)
timeout 120 jarsigner "${P11[@]}" -sigalg SHA256withRSA -digestalg SHA-256 "$WORK/app.jar" "Signing key" \
    >"$WORK/jarsigner.out" 2>&1 || die "jarsigner failed: $(cat "$WORK/jarsigner.out")"
[ "$(mssp_signatures)" -gt "$before" ] || die "jarsigner did not sign through the MSSP"

# Trust the test CA for verification, so the chain is checked too.
keytool -importcert -noprompt -alias mss-test-ca -file "$WORK/state/ca.pem" \
    -keystore "$WORK/trust.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1 || die "keytool -importcert failed"
timeout 120 jarsigner -verify -verbose -certs -keystore "$WORK/trust.p12" -storepass changeit "$WORK/app.jar" \
    >"$WORK/verify.out" 2>&1 || die "jarsigner -verify failed: $(cat "$WORK/verify.out")"
grep -q "^jar verified" "$WORK/verify.out" || die "jar not verified: $(cat "$WORK/verify.out")"
grep -q "CN=Demo User" "$WORK/verify.out" || die "the jar's signer is not the Demo User"
ok "jarsigner signs a jar with the mobile signing key; jarsigner -verify accepts it (signer CN=Demo User)"

# Confirm on the phone: the phone user's section is the last of the configuration, so its
# token is the last slot; SunPKCS11 addresses it by its index.
add_phone_user
sunpkcs11_keystore "$WORK/phone.cfg" "$(($(grep -c '^\[user ' "$MSS_PKCS11_CONF") - 1))"
PHONE_P11=("${P11[@]}")
cp "$WORK/app.jar" "$WORK/phone.jar"
with_phone approve timeout 120 jarsigner "${PHONE_P11[@]}" -sigalg SHA256withRSA -digestalg SHA-256 \
    "$WORK/phone.jar" "Signing key" >"$WORK/jarsigner.out" 2>&1 ||
    die "jarsigner with the phone's approval failed: $(cat "$WORK/jarsigner.out")"
timeout 120 jarsigner -verify -certs -verbose "$WORK/phone.jar" >"$WORK/verify.out" 2>&1 || die "jarsigner -verify failed"
grep -q "CN=$PHONE_LABEL" "$WORK/verify.out" || die "the jar's signer is not the $PHONE_LABEL"
ok "confirm on the phone: approved, jarsigner signs with the $PHONE_LABEL key"
cp "$WORK/app.jar" "$WORK/cancel.jar"
status=0
with_phone cancel timeout 120 jarsigner "${PHONE_P11[@]}" -sigalg SHA256withRSA -digestalg SHA-256 \
    "$WORK/cancel.jar" "Signing key" >"$WORK/jarsigner.out" 2>&1 || status=$?
[ "$status" -ne 0 ] && [ "$status" -lt 124 ] || die "jarsigner after a cancel exited $status"
cmp -s "$WORK/cancel.jar" "$WORK/app.jar" || die "jarsigner changed the jar although the person cancelled"
ok "cancelled on the phone: jarsigner fails (exit $status) and leaves the jar unsigned"

echo "$PASSED passed, 0 failed"
