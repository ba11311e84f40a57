#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# PAM login with the mobile key: a test PAM service using pam_p11, a test user whose
# ~/.ssh/authorized_keys holds the token's key, and pamtester authenticating. The phone
# confirms (refmssp's SIM emulator approves at once); the PIN is entered on the phone, so
# pamtester gets no PIN on its standard input.
. "$(dirname "$0")/e2e-lib.sh"
. "$(dirname "$0")/pam-lib.sh"

mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
pam_service_add
pam_authorize "$WORK/state/cache/demo/authn.pem"

before=$(mssp_signatures)
pam_login 90 || die "pamtester failed: $(cat "$WORK/pam.out")"
grep -q "successfully authenticated" "$WORK/pam.out" || die "no success: $(cat "$WORK/pam.out")"
[ "$(mssp_signatures)" -gt "$before" ] || die "the login did not go through the MSSP"
ok "pamtester authenticates $PAM_USER through pam_p11 and the mobile key"

# Confirm on the phone: the login waits for the person; approved → in, cancelled → refused.
add_phone_user
# A configuration with the phone user's authentication key only (see the pam_p11 note below).
phone_only_conf
pam_authorize "$WORK/state/cache/phone/authn.pem"
MSS_PKCS11_CONF=$PHONE_CONF with_phone approve pam_login 90 || die "pamtester with the phone's approval failed: $(cat "$WORK/pam.out")"
grep -q "successfully authenticated" "$WORK/pam.out" || die "no success: $(cat "$WORK/pam.out")"
ok "confirm on the phone: the person approves and the PAM login succeeds"
status=0
MSS_PKCS11_CONF=$PHONE_CONF with_phone cancel pam_login 90 || status=$?
[ "$status" -ne 0 ] || die "the PAM login succeeded although the person cancelled"
[ "$status" -lt 124 ] || die "pamtester hung or crashed after the cancel (status $status): $(cat "$WORK/pam.out")"
! grep -q "successfully authenticated" "$WORK/pam.out" || die "pamtester reported success after the cancel"
ok "cancelled on the phone: the PAM login fails (pamtester exit $status)"

# A user whose authorized key is not on the token is refused (and does not hang).
# pam_p11 0.3.1 with libp11 0.4.12 reads past libp11's key array when a token holds two
# or more public keys and the first does not match (valgrind: "0 bytes after a block"),
# and crashes; so this case runs against a configuration exposing one key only.
grep -v '^sign_' "$MSS_PKCS11_CONF" >"$WORK/one-key.conf"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/stranger" </dev/null
cp "$WORK/stranger.pub" "$PAM_HOME/.ssh/authorized_keys"
status=0
MSS_PKCS11_CONF=$WORK/one-key.conf pam_login 60 || status=$?
[ "$status" -ne 0 ] || die "pamtester accepted a user whose authorized key is not on the token"
[ "$status" -ne 124 ] || die "pamtester hung for a user without an authorized key"
[ "$status" -lt 128 ] || die "pamtester crashed (status $status): $(cat "$WORK/pam.out")"
grep -q "No authorized keys on token" "$WORK/pam.out" || die "unexpected refusal: $(cat "$WORK/pam.out")"
ok "a user whose authorized key is not on the token is refused (pam_p11: no authorized keys)"

echo "$PASSED passed, 0 failed"
