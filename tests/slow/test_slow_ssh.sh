#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# ssh -I logs in to a private sshd with its default LoginGraceTime (120 s) while the phone
# takes MSS_SLOW_PHONE_MS (default 45 s) to answer.
. "$(dirname "$0")/slow-lib.sh"
. "$E2E_DIR/ssh-lib.sh"
slow_versions openssh-client openssh-server
slow_start

cert_ssh_key "$SLOW_AUTHN_CERT" "$WORK/slow.pub"
sshd_start "$WORK/slow.pub"
grace=$(/usr/sbin/sshd -T -f "$SSHD/sshd_config" | awk '$1 == "logingracetime" { print $2 }')
echo "# sshd LoginGraceTime: $grace s"
[ "$grace" -gt $((SLOW_MS / 1000)) ] || die "sshd's LoginGraceTime ($grace s) is shorter than the phone's delay"

slow_mark
out=$(timeout "$SLOW_LIMIT" ssh -I "$MODULE" -o IdentityAgent=none "${SSH_BASE_OPTS[@]}" -i "$WORK/slow.pub" \
    "$SSH_USER@127.0.0.1" 'echo logged-in-as-$(id -un)' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh -I failed: $(cat "$WORK/ssh.err"); sshd: $(tail -5 "$SSHD/sshd.log")"
slow_check "ssh -I"
[ "$out" = "logged-in-as-$SSH_USER" ] || die "unexpected ssh output '$out'"
sshd_accepted RSA || die "sshd did not log a public-key login: $(tail -5 "$SSHD/sshd.log")"
ok "ssh -I logs in with the slow phone's key; sshd accepted the public key"

echo "$PASSED passed, 0 failed"
