#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# PAM login with the mobile key: a test PAM service using pam_p11, a test user whose
# ~/.ssh/authorized_keys holds the token's key, and pamtester authenticating. The phone
# confirms (refmssp's SIM emulator approves at once); the PIN is entered on the phone, so
# pamtester gets no PIN on its standard input.
. "$(dirname "$0")/e2e-lib.sh"
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
PAM_P11=/lib/$MULTIARCH/security/pam_p11.so
[ -f "$PAM_P11" ] || PAM_P11=/usr/lib/$MULTIARCH/security/pam_p11.so
[ -f "$PAM_P11" ] || skip "pam_p11 is not installed (libpam-p11; .ci/deps.sh installs it)"
require_tools pamtester
[ "$(id -u)" -eq 0 ] || skip "needs root to add a PAM service and a test user"

TESTUSER=msspam
id "$TESTUSER" >/dev/null 2>&1 || useradd -m -s /bin/sh "$TESTUSER"
HOME_DIR=$(getent passwd "$TESTUSER" | cut -d: -f6)
SERVICE=mss-pkcs11-test-$$
at_exit 'rm -f "/etc/pam.d/$SERVICE"'

mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
# pam_p11 loads the module inside pamtester, which inherits MSS_PKCS11_CONF from us.
cat >"/etc/pam.d/$SERVICE" <<CONF
auth     required  $PAM_P11 $MODULE
account  required  pam_permit.so
CONF

install -d -o "$TESTUSER" -g "$TESTUSER" -m 755 "$HOME_DIR/.ssh"
openssl x509 -in "$WORK/state/cache/demo/authn.pem" -pubkey -noout >"$WORK/authn.pem"
ssh-keygen -i -m PKCS8 -f "$WORK/authn.pem" >"$HOME_DIR/.ssh/authorized_keys"
chown "$TESTUSER:" "$HOME_DIR/.ssh/authorized_keys"
chmod 644 "$HOME_DIR/.ssh/authorized_keys"

before=$(mssp_signatures)
timeout 90 pamtester -v "$SERVICE" "$TESTUSER" authenticate </dev/null >"$WORK/pam.out" 2>&1 ||
    die "pamtester failed: $(cat "$WORK/pam.out")"
grep -q "successfully authenticated" "$WORK/pam.out" || die "no success: $(cat "$WORK/pam.out")"
[ "$(mssp_signatures)" -gt "$before" ] || die "the login did not go through the MSSP"
ok "pamtester authenticates $TESTUSER through pam_p11 and the mobile key"

# Confirm on the phone: the login waits for the person; approved → in, cancelled → refused.
add_phone_user
# A configuration with the phone user's authentication key only (see the pam_p11 note below).
phone_only_conf
openssl x509 -in "$WORK/state/cache/phone/authn.pem" -pubkey -noout >"$WORK/phone-authn.pem"
ssh-keygen -i -m PKCS8 -f "$WORK/phone-authn.pem" >"$HOME_DIR/.ssh/authorized_keys"
MSS_PKCS11_CONF=$PHONE_CONF with_phone approve timeout 90 pamtester -v "$SERVICE" "$TESTUSER" authenticate \
    </dev/null >"$WORK/pam.out" 2>&1 || die "pamtester with the phone's approval failed: $(cat "$WORK/pam.out")"
grep -q "successfully authenticated" "$WORK/pam.out" || die "no success: $(cat "$WORK/pam.out")"
ok "confirm on the phone: the person approves and the PAM login succeeds"
status=0
MSS_PKCS11_CONF=$PHONE_CONF with_phone cancel timeout 90 pamtester -v "$SERVICE" "$TESTUSER" authenticate \
    </dev/null >"$WORK/pam.out" 2>&1 || status=$?
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
cp "$WORK/stranger.pub" "$HOME_DIR/.ssh/authorized_keys"
status=0
MSS_PKCS11_CONF=$WORK/one-key.conf timeout 60 pamtester -v "$SERVICE" "$TESTUSER" authenticate \
    </dev/null >"$WORK/pam.out" 2>&1 || status=$?
[ "$status" -ne 0 ] || die "pamtester accepted a user whose authorized key is not on the token"
[ "$status" -ne 124 ] || die "pamtester hung for a user without an authorized key"
[ "$status" -lt 128 ] || die "pamtester crashed (status $status): $(cat "$WORK/pam.out")"
grep -q "No authorized keys on token" "$WORK/pam.out" || die "unexpected refusal: $(cat "$WORK/pam.out")"
ok "a user whose authorized key is not on the token is refused (pam_p11: no authorized keys)"

echo "$PASSED passed, 0 failed"
