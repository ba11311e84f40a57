#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# OpenSSL 3 with the mobile key, through pkcs11-provider and through libp11's engine, with
# pkcs11: URIs: openssl dgst -sign, openssl cms -sign of a document, and openssl s_client
# client authentication; everything verified with plain OpenSSL and the test CA.
. "$(dirname "$0")/e2e-lib.sh"
openssl_provider_conf "$WORK/provider.cnf"
ENGINE=/usr/lib/$MULTIARCH/engines-3/pkcs11.so
[ -f "$ENGINE" ] || skip "libengine-pkcs11-openssl is not installed (.ci/deps.sh installs it)"
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

KEY='pkcs11:token=Demo%20User;object=Signing%20key;type=private'
CERT_URI='pkcs11:token=Demo%20User;object=Authentication%20key;type=cert'
AUTH_KEY='pkcs11:token=Demo%20User;object=Authentication%20key;type=private'
SIGN_CERT=$WORK/state/cache/demo/sign.pem
openssl x509 -in "$SIGN_CERT" -pubkey -noout >"$WORK/sign-pub.pem"
printf 'Invoice 2026-11-27: 42 EUR\n' >"$WORK/doc.txt"

cat >"$WORK/engine.cnf" <<CONF
openssl_conf = openssl_init
[openssl_init]
engines = engine_sect
[engine_sect]
pkcs11 = pkcs11_sect
[pkcs11_sect]
engine_id = pkcs11
dynamic_path = $ENGINE
MODULE_PATH = $MODULE
init = 0
CONF

plain() { OPENSSL_CONF=/dev/null openssl "$@"; }

# --- pkcs11-provider
# (The demo user's keys sign PKCS#1 v1.5 only, so the TLS server asks for RSA+SHA256 client
#  signatures; RSA-PSS in TLS 1.3 is tested with the PSS user.)
before=$(mssp_signatures)
OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl dgst -sha256 -sign "$KEY" -out "$WORK/doc.sig" "$WORK/doc.txt" \
    2>"$WORK/err" || die "provider: openssl dgst -sign failed: $(cat "$WORK/err")"
plain dgst -sha256 -verify "$WORK/sign-pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "provider: the dgst signature does not verify"
[ "$(mssp_signatures)" -gt "$before" ] || die "provider: no signature request reached the MSSP"
ok "pkcs11-provider: openssl dgst -sha256 -sign with a pkcs11: URI, verified by plain openssl"

OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl cms -sign -binary -in "$WORK/doc.txt" -signer "$SIGN_CERT" \
    -inkey "$KEY" -outform DER -out "$WORK/doc.p7s" -nodetach 2>"$WORK/err" ||
    die "provider: openssl cms -sign failed: $(cat "$WORK/err")"
plain cms -verify -binary -inform DER -in "$WORK/doc.p7s" -CAfile "$WORK/state/ca.pem" -purpose any \
    -out "$WORK/doc.out" 2>"$WORK/err" || die "provider: the CMS signature does not verify: $(cat "$WORK/err")"
cmp -s "$WORK/doc.out" "$WORK/doc.txt" || die "provider: the CMS content differs from the document"
ok "pkcs11-provider: openssl cms -sign of a document, verified against the test CA"

tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256:RSA+SHA384'
printf 'GET / HTTP/1.0\r\n\r\n' | OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl s_client \
    -connect "127.0.0.1:$TLS_PORT" -CAfile "$WORK/state/ca.pem" -cert "$CERT_URI" -key "$AUTH_KEY" \
    -tls1_2 -quiet >"$WORK/page.html" 2>"$WORK/err" || true
grep -q "CN *= *Demo User" "$WORK/page.html" ||
    die "provider: s_client client authentication failed: $(cat "$WORK/err")"
ok "pkcs11-provider: openssl s_client TLS 1.2 client authentication; the server saw CN=Demo User"

# ECDSA and RSA-PSS keys through the provider.
EC_KEY='pkcs11:token=Demo%20EC%20User;object=Signing%20key;type=private'
openssl x509 -in "$WORK/state/cache/demo-ec/sign.pem" -pubkey -noout >"$WORK/ec-pub.pem"
OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl dgst -sha256 -sign "$EC_KEY" -out "$WORK/doc.ecsig" "$WORK/doc.txt" \
    2>"$WORK/err" || die "provider: ECDSA dgst -sign failed: $(cat "$WORK/err")"
plain dgst -sha256 -verify "$WORK/ec-pub.pem" -signature "$WORK/doc.ecsig" "$WORK/doc.txt" >/dev/null ||
    die "provider: the ECDSA signature does not verify"
ok "pkcs11-provider: ECDSA P-256 openssl dgst -sign, verified by plain openssl"

PSS_KEY='pkcs11:token=Demo%20PSS%20User;object=Signing%20key;type=private'
openssl x509 -in "$WORK/state/cache/demo-pss/sign.pem" -pubkey -noout >"$WORK/pss-pub.pem"
OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl dgst -sha256 -sign "$PSS_KEY" -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:digest -out "$WORK/doc.psssig" "$WORK/doc.txt" 2>"$WORK/err" ||
    die "provider: RSA-PSS dgst -sign failed: $(cat "$WORK/err")"
plain dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -verify "$WORK/pss-pub.pem" \
    -signature "$WORK/doc.psssig" "$WORK/doc.txt" >/dev/null || die "provider: the RSA-PSS signature does not verify"
ok "pkcs11-provider: RSA-PSS (SHA-256, salt 32) openssl dgst -sign, verified by plain openssl"

tls_server_start -tls1_3
printf 'GET / HTTP/1.0\r\n\r\n' | OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl s_client \
    -connect "127.0.0.1:$TLS_PORT" -CAfile "$WORK/state/ca.pem" \
    -cert 'pkcs11:token=Demo%20PSS%20User;object=Authentication%20key;type=cert' \
    -key 'pkcs11:token=Demo%20PSS%20User;object=Authentication%20key;type=private' \
    -tls1_3 -quiet >"$WORK/page.html" 2>"$WORK/err" || true
tls_server_saw "Demo PSS User" || die "provider: TLS 1.3 s_client client authentication failed: $(cat "$WORK/err")"
ok "pkcs11-provider: openssl s_client TLS 1.3 client authentication with RSA-PSS; the server verified CN=Demo PSS User"

# Confirm on the phone.
add_phone_user
PHONE_KEY='pkcs11:token=Phone%20User;object=Signing%20key;type=private'
openssl x509 -in "$WORK/state/cache/phone/sign.pem" -pubkey -noout >"$WORK/phone-pub.pem"
rm -f "$WORK/doc.sig"
OPENSSL_CONF=$WORK/provider.cnf with_phone approve timeout 90 openssl dgst -sha256 -sign "$PHONE_KEY" \
    -out "$WORK/doc.sig" "$WORK/doc.txt" 2>"$WORK/err" || die "provider: approved dgst -sign failed: $(cat "$WORK/err")"
plain dgst -sha256 -verify "$WORK/phone-pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "provider: the approved signature does not verify"
ok "confirm on the phone: approved, openssl dgst -sign through the provider verifies"
rm -f "$WORK/doc.sig"
if OPENSSL_CONF=$WORK/provider.cnf with_phone cancel timeout 90 openssl dgst -sha256 -sign "$PHONE_KEY" \
    -out "$WORK/doc.sig" "$WORK/doc.txt" 2>"$WORK/err"; then
    die "provider: dgst -sign succeeded although the person cancelled"
fi
[ ! -s "$WORK/doc.sig" ] || die "provider: a signature was written although the person cancelled"
ok "cancelled on the phone: openssl dgst -sign fails and writes no signature"

# --- libp11 engine
rm -f "$WORK/doc.sig"
before=$(mssp_signatures)
OPENSSL_CONF=$WORK/engine.cnf timeout 90 openssl dgst -sha256 -engine pkcs11 -keyform engine -sign "$KEY" \
    -out "$WORK/doc.sig" "$WORK/doc.txt" 2>"$WORK/err" || die "engine: openssl dgst -sign failed: $(cat "$WORK/err")"
plain dgst -sha256 -verify "$WORK/sign-pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "engine: the dgst signature does not verify"
[ "$(mssp_signatures)" -gt "$before" ] || die "engine: no signature request reached the MSSP"
ok "libp11 engine: openssl dgst -sha256 -sign with a pkcs11: URI, verified by plain openssl"

OPENSSL_CONF=$WORK/engine.cnf timeout 90 openssl cms -sign -binary -in "$WORK/doc.txt" -signer "$SIGN_CERT" \
    -engine pkcs11 -keyform engine -inkey "$KEY" -outform DER -out "$WORK/doc2.p7s" -nodetach 2>"$WORK/err" ||
    die "engine: openssl cms -sign failed: $(cat "$WORK/err")"
plain cms -verify -binary -inform DER -in "$WORK/doc2.p7s" -CAfile "$WORK/state/ca.pem" -purpose any \
    -out "$WORK/doc.out" 2>"$WORK/err" || die "engine: the CMS signature does not verify: $(cat "$WORK/err")"
ok "libp11 engine: openssl cms -sign of a document, verified against the test CA"

rm -f "$WORK/doc.sig"
OPENSSL_CONF=$WORK/engine.cnf with_phone approve timeout 90 openssl dgst -sha256 -engine pkcs11 -keyform engine \
    -sign "$PHONE_KEY" -out "$WORK/doc.sig" "$WORK/doc.txt" 2>"$WORK/err" ||
    die "engine: approved dgst -sign failed: $(cat "$WORK/err")"
plain dgst -sha256 -verify "$WORK/phone-pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "engine: the approved signature does not verify"
ok "confirm on the phone: approved, openssl dgst -sign through the engine verifies"
rm -f "$WORK/doc.sig"
if OPENSSL_CONF=$WORK/engine.cnf with_phone cancel timeout 90 openssl dgst -sha256 -engine pkcs11 -keyform engine \
    -sign "$PHONE_KEY" -out "$WORK/doc.sig" "$WORK/doc.txt" 2>"$WORK/err"; then
    die "engine: dgst -sign succeeded although the person cancelled"
fi
[ ! -s "$WORK/doc.sig" ] || die "engine: a signature was written although the person cancelled"
ok "cancelled on the phone: openssl dgst -sign through the engine fails and writes no signature"

echo "$PASSED passed, 0 failed"
