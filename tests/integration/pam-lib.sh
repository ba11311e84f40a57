# SPDX-License-Identifier: BSD-3-Clause
# PAM login with the mobile key, on top of e2e-lib.sh (source that first): a throwaway PAM
# service using pam_p11 with the module, a test user, and pamtester. Needs root.
#
#   pam_service_add          create the service (removed on exit): PAM_SERVICE
#   pam_authorize CERT       make CERT's key the test user's only ~/.ssh/authorized_keys line
#   pam_login SECONDS        pamtester authenticate as PAM_USER, output in $WORK/pam.out,
#                            under an outer timeout (pam_p11 can hang: see test_pam.sh)
PAM_P11=/lib/$MULTIARCH/security/pam_p11.so
[ -f "$PAM_P11" ] || PAM_P11=/usr/lib/$MULTIARCH/security/pam_p11.so
[ -f "$PAM_P11" ] || skip "pam_p11 is not installed (libpam-p11; .ci/deps.sh installs it)"
require_tools pamtester ssh-keygen
[ "$(id -u)" -eq 0 ] || skip "needs root to add a PAM service and a test user"

PAM_USER=msspam
id "$PAM_USER" >/dev/null 2>&1 || useradd -m -s /bin/sh "$PAM_USER"
PAM_HOME=$(getent passwd "$PAM_USER" | cut -d: -f6)
PAM_SERVICE=mss-pkcs11-test-$$

# pam_p11 loads the module inside pamtester, which inherits MSS_PKCS11_CONF from the test.
pam_service_add() {
    at_exit 'rm -f "/etc/pam.d/$PAM_SERVICE"'
    cat >"/etc/pam.d/$PAM_SERVICE" <<CONF
auth     required  $PAM_P11 $MODULE
account  required  pam_permit.so
CONF
    install -d -o "$PAM_USER" -g "$PAM_USER" -m 755 "$PAM_HOME/.ssh"
}

pam_authorize() {
    cert_ssh_key "$1" "$WORK/pam-authorized.pub"
    install -o "$PAM_USER" -g "$PAM_USER" -m 644 "$WORK/pam-authorized.pub" "$PAM_HOME/.ssh/authorized_keys"
}

pam_login() {
    timeout "$1" pamtester -v "$PAM_SERVICE" "$PAM_USER" authenticate </dev/null >"$WORK/pam.out" 2>&1
}
