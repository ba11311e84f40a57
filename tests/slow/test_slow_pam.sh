#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A PAM login through pam_p11 (pamtester) while the phone takes MSS_SLOW_PHONE_MS (default
# 45 s) to answer. pam_p11 and pamtester have no timeout; a login service may (login(1):
# LOGIN_TIMEOUT in /etc/login.defs, sshd: LoginGraceTime).
. "$(dirname "$0")/slow-lib.sh"
. "$E2E_DIR/pam-lib.sh"
slow_versions libpam-p11 libp11-3 pamtester
slow_start
pam_service_add
pam_authorize "$SLOW_AUTHN_CERT"

slow_mark
pam_login "$SLOW_LIMIT" || die "pamtester failed: $(cat "$WORK/pam.out")"
slow_check "pamtester"
grep -q "successfully authenticated" "$WORK/pam.out" || die "no success: $(cat "$WORK/pam.out")"
ok "pamtester authenticates $PAM_USER through pam_p11 with the slow phone's key"

echo "$PASSED passed, 0 failed"
