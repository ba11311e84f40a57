#!/usr/bin/env bash
# OpenSSL 3 with the mobile key, through pkcs11-provider and through libp11's engine, with
# pkcs11: URIs: openssl dgst -sign, openssl cms -sign of a document, and openssl s_client
# client authentication; everything verified with plain OpenSSL and the test CA.
. "$(dirname "$0")/e2e-lib.sh"
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
PROVIDER=/usr/lib/$MULTIARCH/ossl-modules/pkcs11.so
ENGINE=/usr/lib/$MULTIARCH/engines-3/pkcs11.so
[ -f "$PROVIDER" ] || { echo "SKIP: pkcs11-provider is not installed (.ci/deps.sh installs it from bookworm-backports)"; exit 77; }
[ -f "$ENGINE" ] || { echo "SKIP: libengine-pkcs11-openssl is not installed (.ci/deps.sh installs it)"; exit 77; }
e2e_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

KEY='pkcs11:token=Demo%20User;object=Signing%20key;type=private'
CERT_URI='pkcs11:token=Demo%20User;object=Authentication%20key;type=cert'
AUTH_KEY='pkcs11:token=Demo%20User;object=Authentication%20key;type=private'
SIGN_CERT=$WORK/state/cache/demo/sign.pem
openssl x509 -in "$SIGN_CERT" -pubkey -noout >"$WORK/sign-pub.pem"
printf 'Invoice 2026-11-27: 42 EUR\n' >"$WORK/doc.txt"

cat >"$WORK/provider.cnf" <<CONF
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
pkcs11 = pkcs11_sect
[default_sect]
activate = 1
[pkcs11_sect]
module = $PROVIDER
pkcs11-module-path = $MODULE
activate = 1
CONF
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

mssp_signatures() { grep -c "MSS_Signature " "$REFMSSP_LOG" || true; }
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

PORT=$(refmssp_free_port)
openssl s_server -accept "127.0.0.1:$PORT" -cert "$WORK/state/server.pem" -key "$WORK/state/server.key" \
    -CAfile "$WORK/state/ca.pem" -Verify 1 -www -tls1_2 -client_sigalgs 'RSA+SHA256:RSA+SHA384' \
    >"$WORK/s_server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
printf 'GET / HTTP/1.0\r\n\r\n' | OPENSSL_CONF=$WORK/provider.cnf timeout 90 openssl s_client \
    -connect "127.0.0.1:$PORT" -CAfile "$WORK/state/ca.pem" -cert "$CERT_URI" -key "$AUTH_KEY" \
    -tls1_2 -quiet >"$WORK/page.html" 2>"$WORK/err" || true
grep -q "CN *= *Demo User" "$WORK/page.html" ||
    die "provider: s_client client authentication failed: $(cat "$WORK/err")"
ok "pkcs11-provider: openssl s_client TLS 1.2 client authentication; the server saw CN=Demo User"

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

echo "$PASSED passed, 0 failed"
