#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module answers everything but C_Sign from its configuration and cache: with the
# MSSP stopped, listing still works and a signature fails cleanly with no bytes.
. "$(dirname "$0")/e2e-lib.sh"
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
refmssp_stop

p11 -L -O >"$WORK/list.out" 2>&1 || die "listing failed with the MSSP down: $(cat "$WORK/list.out")"
grep -q "Demo User" "$WORK/list.out" || die "token missing with the MSSP down"
ok "pkcs11-tool -L -O works with the MSSP stopped (no network before C_Sign)"

printf 'x\n' >"$WORK/doc.txt"
if p11 --id "$(p11_key_id "$MODULE" "Signing key")" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig" 2>"$WORK/sign.err"; then
    die "signing succeeded with the MSSP stopped"
fi
grep -q "CKR_DEVICE_ERROR" "$WORK/sign.err" || die "expected CKR_DEVICE_ERROR, got: $(cat "$WORK/sign.err")"
[ ! -s "$WORK/doc.sig" ] || die "a signature file was written"
ok "C_Sign with the MSSP stopped fails with CKR_DEVICE_ERROR and writes nothing"

# A user the MSSP does not know: the profile query gets fault 105 UNKNOWN_CLIENT.
mssp_start
cat >>"$MSS_PKCS11_CONF" <<CONF

[user stranger]
msisdn = +99912345678
sign_profile = mss:refmssp:sign:loa4:sim
CONF
if "$MSS_TOOL" enroll stranger >"$WORK/enroll.out" 2>&1; then
    die "enrolling an unknown user succeeded"
fi
grep -q "105" "$WORK/enroll.out" || die "expected fault 105, got: $(cat "$WORK/enroll.out")"
ok "enrolling a user unknown to the MSSP fails with fault 105 (UNKNOWN_CLIENT)"

echo "$PASSED passed, 0 failed"
