#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# OpenSSH with the mobile key: ssh-keygen -D lists it, ssh -I logs in to a throwaway sshd on
# 127.0.0.1 whose authorized_keys holds it, and ssh-agent (ssh-add -s) signs for ssh.
. "$(dirname "$0")/e2e-lib.sh"
. "$(dirname "$0")/ssh-lib.sh"
require_tools ssh-agent ssh-add

mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

# The keys, as OpenSSH sees them through the module.
timeout 60 ssh-keygen -D "$MODULE" >"$WORK/token.pub" 2>"$WORK/keygen.err" || die "ssh-keygen -D failed: $(cat "$WORK/keygen.err")"
n=$(grep -c '^ssh-rsa ' "$WORK/token.pub" || true)
[ "$n" -ge 2 ] || die "ssh-keygen -D listed $n RSA keys: $(cat "$WORK/token.pub")"
n=$(grep -c '^ecdsa-sha2-nistp256 ' "$WORK/token.pub" || true)
[ "$n" -ge 2 ] || die "ssh-keygen -D listed $n ECDSA P-256 keys (the Demo EC User's): $(cat "$WORK/token.pub")"
# The authentication key's ssh form must be the certificate's key.
cert_ssh_key "$WORK/state/cache/demo/authn.pem" "$WORK/authn.pub"
grep -qF "$(cat "$WORK/authn.pub")" "$WORK/token.pub" || die "the authentication key is not among ssh-keygen -D's keys"
ok "ssh-keygen -D lists the RSA and ECDSA token keys, the authentication key equal to its certificate's"

# A private sshd that accepts only the authentication keys.
add_phone_user
cert_ssh_key "$WORK/state/cache/phone/authn.pem" "$WORK/phone.pub"
cert_ssh_key "$WORK/state/cache/demo-ec/authn.pem" "$WORK/ec.pub"
sshd_start "$WORK/authn.pub" "$WORK/ec.pub" "$WORK/phone.pub"
SSH_OPTS=("${SSH_BASE_OPTS[@]}" -i "$WORK/authn.pub")
before=$(mssp_signatures)
out=$(timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${SSH_OPTS[@]}" "$SSH_USER@127.0.0.1" 'echo logged-in-as-$(id -un)' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh -I failed: $(cat "$WORK/ssh.err"); sshd: $(tail -5 "$SSHD/sshd.log")"
[ "$out" = "logged-in-as-$SSH_USER" ] || die "unexpected ssh output '$out'"
after=$(mssp_signatures)
[ "$after" -gt "$before" ] || die "the login did not go through the MSSP"
sshd_accepted || die "sshd did not log a public-key login"
ok "ssh -I logs in to sshd on 127.0.0.1 with the mobile key (signature made by the MSSP)"

out=$(timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${SSH_BASE_OPTS[@]}" -i "$WORK/ec.pub" \
    "$SSH_USER@127.0.0.1" 'echo ecdsa' </dev/null 2>"$WORK/ssh.err") || die "ssh -I with the ECDSA key failed: $(cat "$WORK/ssh.err")"
[ "$out" = ecdsa ] || die "unexpected ssh output '$out'"
sshd_accepted ECDSA || die "sshd did not log an ECDSA login"
ok "ssh -I logs in with the Demo EC User's ECDSA P-256 key"

# Confirm on the phone: the person approves the login, then cancels the next one.
PHONE_OPTS=("${SSH_BASE_OPTS[@]}" -i "$WORK/phone.pub")
out=$(with_phone approve timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${PHONE_OPTS[@]}" \
    "$SSH_USER@127.0.0.1" 'echo approved' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh with the phone's approval failed: $(cat "$WORK/ssh.err")"
[ "$out" = approved ] || die "unexpected ssh output '$out'"
ok "confirm on the phone: the person approves and ssh -I logs in"
status=0
with_phone cancel timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${PHONE_OPTS[@]}" \
    "$SSH_USER@127.0.0.1" 'echo should-not-run' </dev/null >"$WORK/ssh.out" 2>"$WORK/ssh.err" || status=$?
[ "$status" -eq 255 ] || die "ssh after a cancel exited $status, expected 255: $(cat "$WORK/ssh.err")"
grep -q "Permission denied" "$WORK/ssh.err" || die "ssh did not report the refusal: $(cat "$WORK/ssh.err")"
ok "cancelled on the phone: ssh -I is refused (Permission denied), exit 255"

# The same through ssh-agent. It only loads modules matching its -P allow-list.
eval "$(ssh-agent -s -P "$MODULE" -a "$WORK/agent.sock")" >/dev/null
at_exit 'ssh-agent -k >/dev/null 2>&1'
timeout 60 ssh-add -s "$MODULE" </dev/null >"$WORK/add.out" 2>&1 || die "ssh-add -s failed: $(cat "$WORK/add.out")"
timeout 30 ssh-add -l >"$WORK/agent.keys" || die "ssh-add -l failed"
grep -q "RSA" "$WORK/agent.keys" || die "the agent holds no RSA key: $(cat "$WORK/agent.keys")"
before=$(mssp_signatures)
out=$(timeout 90 ssh "${SSH_OPTS[@]}" "$SSH_USER@127.0.0.1" 'echo via-agent' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh through the agent failed: $(cat "$WORK/ssh.err")"
[ "$out" = via-agent ] || die "unexpected ssh output '$out'"
after=$(mssp_signatures)
[ "$after" -gt "$before" ] || die "the agent login did not go through the MSSP"
ok "ssh-agent with ssh-add -s signs the login through the module"

echo "$PASSED passed, 0 failed"
