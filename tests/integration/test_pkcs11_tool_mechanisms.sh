#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# pkcs11-tool signs with every mechanism each token offers and verifies with C_Verify
# (pkcs11-tool --verify); openssl checks every signature independently against the
# cached certificate: PKCS#1 v1.5 (Demo User), RSA-PSS (Demo PSS User), ECDSA (Demo EC User).
. "$(dirname "$0")/e2e-lib.sh"
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
printf 'every mechanism\n' >"$WORK/doc.txt"

# sign_and_verify TOKEN USERDIR MECH [pkcs11-tool options] -- [openssl dgst options]
sign_and_verify() {
    local token=$1 dir=$2 mech=$3 id hash
    shift 3
    local p11opts=() sslopts=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do p11opts+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    sslopts=("$@")
    id=$(p11_key_id "$MODULE" "Signing key" "$token")
    [ -n "$id" ] || die "no signing key on token '$token'"
    rm -f "$WORK/sig"
    timeout 60 pkcs11-tool --module "$MODULE" --token-label "$token" --id "$id" --sign -m "$mech" \
        "${p11opts[@]}" -i "$WORK/doc.txt" -o "$WORK/sig" 2>"$WORK/err" || die "$mech sign failed: $(cat "$WORK/err")"
    timeout 60 pkcs11-tool --module "$MODULE" --token-label "$token" --id "$id" --verify -m "$mech" \
        "${p11opts[@]}" -i "$WORK/doc.txt" --signature-file "$WORK/sig" >"$WORK/verify.out" 2>&1 ||
        die "$mech C_Verify failed: $(cat "$WORK/verify.out")"
    grep -q "Signature is valid" "$WORK/verify.out" || die "$mech: C_Verify did not accept: $(cat "$WORK/verify.out")"
    openssl x509 -in "$WORK/state/cache/$dir/sign.pem" -pubkey -noout >"$WORK/pub.pem"
    openssl dgst "${sslopts[@]}" -verify "$WORK/pub.pem" -signature "$WORK/sig" "$WORK/doc.txt" >/dev/null 2>&1 ||
        die "$mech: openssl does not verify the signature"
    ok "$token $mech: signed through the MSSP, accepted by C_Verify and by openssl"
}

for h in 1 224 256 384 512; do
    sign_and_verify "Demo User" demo "SHA$h-RSA-PKCS" -- "-sha$h"
done
for h in 1 224 256 384 512; do
    salt=$(( h == 1 ? 20 : h / 8 ))
    sign_and_verify "Demo PSS User" demo-pss "SHA$h-RSA-PKCS-PSS" --mgf "MGF1-SHA$h" -- \
        "-sha$h" -sigopt rsa_padding_mode:pss -sigopt "rsa_pss_saltlen:$salt"
done
for h in 1 224 256 384 512; do
    sign_and_verify "Demo EC User" demo-ec "ECDSA-SHA$h" --signature-format openssl -- "-sha$h"
done

echo "$PASSED passed, 0 failed"
