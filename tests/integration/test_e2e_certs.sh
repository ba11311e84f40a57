#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The certificates a user's keys are known by (docs/security.md, "Certificates"):
# mss-tool enroll takes one from the MSSP only when it chains to the configured
# user_ca_file (or trust_on_first_use = yes is written), keeps an enrolled one unless told
# --renew, and shows warn before it expires; the module never asks the MSSP to sign with
# the key of an expired certificate. The checks of dates and key usage on certificates
# made at run time are in tests/unit/test_cert_check.c (refmssp only issues good ones).
. "$(dirname "$0")/e2e-lib.sh"
mssp_start
CONF=$MSS_PKCS11_CONF
CACHE=$WORK/state/cache

grep -qx "user_ca_file = $WORK/state/ca.pem" "$CONF" ||
    die "refmssp init wrote no user_ca_file naming its CA: $(cat "$CONF")"
ok "refmssp init configures its own CA as the users' trust anchor (user_ca_file)"

# Neither a trust anchor nor an explicit trust_on_first_use: nothing is trusted.
sed '/^user_ca_file = /d' "$CONF" >"$WORK/no-anchor.conf"
if "$MSS_TOOL" -c "$WORK/no-anchor.conf" enroll demo >"$WORK/enroll.out" 2>&1; then
    die "enroll succeeded without user_ca_file or trust_on_first_use"
fi
grep -q user_ca_file "$WORK/enroll.out" && grep -q trust_on_first_use "$WORK/enroll.out" ||
    die "the refusal does not name both keys: $(cat "$WORK/enroll.out")"
[ ! -e "$CACHE/demo" ] || die "a certificate was cached without a trust anchor"
ok "enroll without user_ca_file or trust_on_first_use refuses and names both keys"

# A trust anchor that did not issue the user's certificates: refmssp's are foreign to it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Foreign CA" \
    -keyout "$WORK/foreign.key" -out "$WORK/foreign-ca.pem" -days 30 \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    2>/dev/null || die "cannot make the foreign CA"
sed "s|^user_ca_file = .*|user_ca_file = $WORK/foreign-ca.pem|" "$CONF" >"$WORK/foreign.conf"
if "$MSS_TOOL" -c "$WORK/foreign.conf" enroll demo >"$WORK/enroll.out" 2>&1; then
    die "enroll accepted certificates from a CA that is not user_ca_file"
fi
grep -q "user_ca_file" "$WORK/enroll.out" || die "the refusal does not say why: $(cat "$WORK/enroll.out")"
[ ! -e "$CACHE/demo/authn.pem" ] && [ ! -e "$CACHE/demo/sign.pem" ] ||
    die "a certificate from a foreign CA was cached"
ok "enroll refuses certificates that do not chain to user_ca_file and caches nothing"

"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "enroll failed: $(cat "$WORK/enroll.out")"
"$MSS_TOOL" enroll demo >"$WORK/enroll.out" 2>&1 || die "enrolling again (same certificates) failed: $(cat "$WORK/enroll.out")"
ok "enroll accepts refmssp's certificates, and again when they have not changed"

# The MSSP now answers with other certificates for the same user (new keys, same CA).
cp "$CACHE/demo/sign.pem" "$WORK/old-sign.pem"
old_fp=$(sha256_fp "$WORK/old-sign.pem")
"$REFMSSP" user remove "$WORK/state" demo >/dev/null || die "refmssp user remove failed"
"$REFMSSP" user add "$WORK/state" demo --msisdn +99900000001 --label "Demo User" >/dev/null ||
    die "refmssp user add failed"
if "$MSS_TOOL" enroll demo >"$WORK/enroll.out" 2>&1; then
    die "enroll replaced a changed certificate without --renew"
fi
grep -q -- "--renew" "$WORK/enroll.out" || die "the refusal does not point to --renew: $(cat "$WORK/enroll.out")"
cmp -s "$CACHE/demo/sign.pem" "$WORK/old-sign.pem" || die "the cached certificate changed without --renew"
ok "a certificate that differs from the enrolled one is not replaced without --renew"

"$MSS_TOOL" enroll --renew demo >"$WORK/renew.out" 2>&1 || die "enroll --renew failed: $(cat "$WORK/renew.out")"
new_fp=$(sha256_fp "$CACHE/demo/sign.pem")
[ "$new_fp" != "$old_fp" ] || die "enroll --renew did not replace the certificate"
grep -q "$old_fp" "$WORK/renew.out" && grep -q "$new_fp" "$WORK/renew.out" ||
    die "enroll --renew does not show both SHA-256 fingerprints ($old_fp, $new_fp): $(cat "$WORK/renew.out")"
ok "enroll --renew shows the old and the new SHA-256 fingerprint and replaces the certificate"

# A certificate that expires in 10 days (openssl req: the cache is only read by show).
"$MSS_TOOL" show >"$WORK/show.out" 2>&1 || die "show failed: $(cat "$WORK/show.out")"
! grep -qi "expire" "$WORK/show.out" || die "show warns about certificates valid for two years: $(cat "$WORK/show.out")"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=soon" \
    -keyout "$WORK/soon.key" -out "$CACHE/demo/authn.pem" -days 10 2>/dev/null ||
    die "cannot make the certificate that expires soon"
"$MSS_TOOL" show >"$WORK/show.out" 2>&1 || true
grep -i "authn.*expires" "$WORK/show.out" | grep -qi warning ||
    die "show does not warn about a certificate that expires in 10 days: $(cat "$WORK/show.out")"
ok "mss-tool show warns about a certificate that expires within 30 days"

# An expired certificate for the signing key.
expired_cert "$CACHE/demo/sign.pem"
id=$(p11_key_id "$MODULE" "Signing key")
[ -n "$id" ] || die "the expired certificate's key is not listed"
before=$(mssp_signatures)
printf 'x\n' >"$WORK/doc.txt"
if p11 --id "$id" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig" 2>"$WORK/sign.err"; then
    die "signing with an expired certificate's key succeeded"
fi
grep -q CKR_KEY_FUNCTION_NOT_PERMITTED "$WORK/sign.err" ||
    die "expected CKR_KEY_FUNCTION_NOT_PERMITTED: $(cat "$WORK/sign.err")"
grep -q "expired" "$WORK/sign.err" || die "the module logged no line about the expiry: $(cat "$WORK/sign.err")"
[ "$(mssp_signatures)" -eq "$before" ] || die "the MSSP got a signature request for an expired key"
[ ! -s "$WORK/doc.sig" ] || die "a signature file was written"
ok "the module refuses to sign with an expired certificate's key; the MSSP gets no request"

echo "$PASSED passed, 0 failed"
