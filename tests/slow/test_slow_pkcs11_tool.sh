#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# pkcs11-tool signs with a phone that answers after MSS_SLOW_PHONE_MS (default 45 s);
# the signature verifies with the certificate's key.
. "$(dirname "$0")/slow-lib.sh"
slow_versions opensc
slow_start

id=$(p11_key_id "$MODULE" "Signing key" "$SLOW_LABEL")
[ -n "$id" ] || die "no signing key on the $SLOW_LABEL token"
printf 'a document signed slowly\n' >"$WORK/doc.txt"
openssl x509 -in "$SLOW_SIGN_CERT" -pubkey -noout >"$WORK/pub.pem"
slow_mark
timeout "$SLOW_LIMIT" pkcs11-tool --module "$MODULE" --token-label "$SLOW_LABEL" --id "$id" --sign \
    -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig" 2>"$WORK/sign.err" ||
    die "pkcs11-tool --sign failed: $(cat "$WORK/sign.err")"
slow_check "pkcs11-tool --sign"
openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "the signature does not verify"
ok "pkcs11-tool --sign waits for the slow phone; the signature verifies"

echo "$PASSED passed, 0 failed"
