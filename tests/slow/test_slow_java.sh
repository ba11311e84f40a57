#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# jarsigner signs a jar through SunPKCS11 while the phone takes MSS_SLOW_PHONE_MS (default
# 45 s) to answer; jarsigner -verify accepts it. SunPKCS11 has no timeout of its own.
. "$(dirname "$0")/slow-lib.sh"
require_tools --package openjdk-17-jdk-headless java jarsigner jar keytool
slow_versions openjdk-17-jdk-headless
slow_start

sunpkcs11_keystore "$WORK/sunpkcs11.cfg" 0
mkdir -p "$WORK/app"
printf 'a file inside the jar\n' >"$WORK/app/readme.txt"
(cd "$WORK/app" && jar cf "$WORK/app.jar" readme.txt) || die "jar failed"
keytool -importcert -noprompt -alias mss-test-ca -file "$WORK/state/ca.pem" \
    -keystore "$WORK/trust.p12" -storetype PKCS12 -storepass changeit >/dev/null 2>&1 || die "keytool -importcert failed"

slow_mark
timeout "$SLOW_LIMIT" jarsigner "${P11[@]}" -sigalg SHA256withRSA -digestalg SHA-256 "$WORK/app.jar" "Signing key" \
    >"$WORK/jarsigner.out" 2>&1 || die "jarsigner failed: $(cat "$WORK/jarsigner.out")"
slow_check "jarsigner"
timeout 120 jarsigner -verify -verbose -certs -keystore "$WORK/trust.p12" -storepass changeit "$WORK/app.jar" \
    >"$WORK/verify.out" 2>&1 || die "jarsigner -verify failed: $(cat "$WORK/verify.out")"
grep -q "^jar verified" "$WORK/verify.out" || die "jar not verified: $(cat "$WORK/verify.out")"
grep -q "CN=$SLOW_LABEL" "$WORK/verify.out" || die "the jar's signer is not the $SLOW_LABEL"
ok "jarsigner (SunPKCS11) signs with the slow phone's key; jarsigner -verify accepts it"

echo "$PASSED passed, 0 failed"
