#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The demo: install dependencies, build, start the reference MSSP on its default port
# (127.0.0.1:9443), enroll the demo user, list the token with pkcs11-tool, sign a file
# through the PKCS#11 module and verify the signature with openssl.
# On a fresh Debian 12 machine run it as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")"
TOP=$(pwd)
if [ "${MSS_SKIP_DEPS:-}" != 1 ]; then
    if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; then bash .ci/deps.sh >/dev/null; fi
fi
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure -q
make -s -j"$(nproc)" >/dev/null

# The tests' prelude: program paths, the scratch folder WORK (removed on exit) and
# refmssp_start/refmssp_stop.
top_builddir=$TOP top_srcdir=$TOP
. "$TOP/tests/integration/test-lib.sh"
step() { printf '\n== %s\n' "$*"; }

step "refmssp init (test CA, server and AP certificates, demo user, module configuration)"
"$REFMSSP" init "$WORK/state" --port "${MSS_DEMO_PORT:-9443}"
step "refmssp run"
refmssp_start "$WORK/state"
head -n 1 "$REFMSSP_LOG"
export MSS_PKCS11_CONF=$WORK/state/mss-pkcs11.conf

step "mss-tool enroll (MSS_ProfileQuery → certificate cache)"
"$MSS_TOOL" enroll

step "pkcs11-tool -L -O"
pkcs11-tool --module "$MODULE" -L -O

step "pkcs11-tool --sign -m SHA256-RSA-PKCS with the signing key"
printf 'Contract no. 42: I agree.\n' >"$WORK/document.txt"
SIGN_ID=$(p11_key_id "$MODULE" "Signing key")
echo "signing key CKA_ID: $SIGN_ID"
pkcs11-tool --module "$MODULE" --id "$SIGN_ID" --sign -m SHA256-RSA-PKCS \
    -i "$WORK/document.txt" -o "$WORK/document.sig"

step "openssl: check the certificate against the test CA, then the signature"
CERT=$WORK/state/cache/demo/sign.pem
openssl verify -CAfile "$WORK/state/ca.pem" "$CERT"
openssl x509 -in "$CERT" -noout -subject
openssl x509 -in "$CERT" -pubkey -noout >"$WORK/sign-pub.pem"
openssl dgst -sha256 -verify "$WORK/sign-pub.pem" -signature "$WORK/document.sig" "$WORK/document.txt"
printf '\ndemo: the signature made through mss-pkcs11 verified against the user certificate.\n'
