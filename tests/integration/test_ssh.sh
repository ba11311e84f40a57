#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# OpenSSH with the mobile key: ssh-keygen -D lists it, ssh -I logs in to a throwaway sshd on
# 127.0.0.1 whose authorized_keys holds it, and ssh-agent (ssh-add -s) signs for ssh.
. "$(dirname "$0")/e2e-lib.sh"
require_tools ssh ssh-keygen ssh-agent ssh-add /usr/sbin/sshd
[ "$(id -u)" -eq 0 ] || skip "needs root to run a private sshd and create its test user"

TESTUSER=msstest
id "$TESTUSER" >/dev/null 2>&1 || useradd -m -s /bin/sh "$TESTUSER"
usermod -p '*' "$TESTUSER"      # no password, but not locked ('!' would make sshd refuse)

mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

# The keys, as OpenSSH sees them through the module.
timeout 60 ssh-keygen -D "$MODULE" >"$WORK/token.pub" 2>"$WORK/keygen.err" || die "ssh-keygen -D failed: $(cat "$WORK/keygen.err")"
n=$(grep -c '^ssh-rsa ' "$WORK/token.pub" || true)
[ "$n" -ge 2 ] || die "ssh-keygen -D listed $n RSA keys: $(cat "$WORK/token.pub")"
n=$(grep -c '^ecdsa-sha2-nistp256 ' "$WORK/token.pub" || true)
[ "$n" -ge 2 ] || die "ssh-keygen -D listed $n ECDSA P-256 keys (the Demo EC User's): $(cat "$WORK/token.pub")"
# The authentication key's ssh form must be the certificate's key.
openssl x509 -in "$WORK/state/cache/demo/authn.pem" -pubkey -noout >"$WORK/authn.pem"
ssh-keygen -i -m PKCS8 -f "$WORK/authn.pem" | cut -d' ' -f1,2 >"$WORK/authn.pub"
grep -qF "$(cat "$WORK/authn.pub")" "$WORK/token.pub" || die "the authentication key is not among ssh-keygen -D's keys"
ok "ssh-keygen -D lists the RSA and ECDSA token keys, the authentication key equal to its certificate's"

# A private sshd that accepts only the authentication key.
SSHD=$WORK/sshd
mkdir -p "$SSHD" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$SSHD/host_ed25519"
add_phone_user
openssl x509 -in "$WORK/state/cache/phone/authn.pem" -pubkey -noout >"$WORK/phone-authn.pem"
ssh-keygen -i -m PKCS8 -f "$WORK/phone-authn.pem" | cut -d' ' -f1,2 >"$WORK/phone.pub"
openssl x509 -in "$WORK/state/cache/demo-ec/authn.pem" -pubkey -noout >"$WORK/ec-authn.pem"
ssh-keygen -i -m PKCS8 -f "$WORK/ec-authn.pem" | cut -d' ' -f1,2 >"$WORK/ec.pub"
cat "$WORK/authn.pub" "$WORK/ec.pub" "$WORK/phone.pub" >"$SSHD/authorized_keys"
chmod 644 "$SSHD/authorized_keys"
chmod 755 "$WORK" "$SSHD"        # sshd reads authorized_keys as the test user
PORT=$(free_port)
cat >"$SSHD/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $SSHD/host_ed25519
PidFile $SSHD/sshd.pid
AuthorizedKeysFile $SSHD/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers $TESTUSER
LogLevel VERBOSE
CONF
/usr/sbin/sshd -t -f "$SSHD/sshd_config" || die "sshd rejects its configuration"
at_exit '[ -f "$SSHD/sshd.pid" ] && kill "$(cat "$SSHD/sshd.pid")" 2>/dev/null'
/usr/sbin/sshd -f "$SSHD/sshd_config" -E "$SSHD/sshd.log" || die "sshd did not start"
wait_for "$SETTLE_S" "sshd on port $PORT" tcp_listening "$PORT" || die "sshd does not listen: $(tail -5 "$SSHD/sshd.log")"

BASE_OPTS=(-o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile="$SSHD/known_hosts"
           -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o ConnectTimeout=20 -p "$PORT")
SSH_OPTS=("${BASE_OPTS[@]}" -i "$WORK/authn.pub")
before=$(mssp_signatures)
out=$(timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${SSH_OPTS[@]}" "$TESTUSER@127.0.0.1" 'echo logged-in-as-$(id -un)' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh -I failed: $(cat "$WORK/ssh.err"); sshd: $(tail -5 "$SSHD/sshd.log")"
[ "$out" = "logged-in-as-$TESTUSER" ] || die "unexpected ssh output '$out'"
after=$(mssp_signatures)
[ "$after" -gt "$before" ] || die "the login did not go through the MSSP"
grep -q "Accepted publickey for $TESTUSER" "$SSHD/sshd.log" || die "sshd did not log a public-key login"
ok "ssh -I logs in to sshd on 127.0.0.1 with the mobile key (signature made by the MSSP)"

out=$(timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${BASE_OPTS[@]}" -i "$WORK/ec.pub" \
    "$TESTUSER@127.0.0.1" 'echo ecdsa' </dev/null 2>"$WORK/ssh.err") || die "ssh -I with the ECDSA key failed: $(cat "$WORK/ssh.err")"
[ "$out" = ecdsa ] || die "unexpected ssh output '$out'"
grep -q "Accepted publickey for $TESTUSER .* ECDSA" "$SSHD/sshd.log" || die "sshd did not log an ECDSA login"
ok "ssh -I logs in with the Demo EC User's ECDSA P-256 key"

# Confirm on the phone: the person approves the login, then cancels the next one.
PHONE_OPTS=("${BASE_OPTS[@]}" -i "$WORK/phone.pub")
out=$(with_phone approve timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${PHONE_OPTS[@]}" \
    "$TESTUSER@127.0.0.1" 'echo approved' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh with the phone's approval failed: $(cat "$WORK/ssh.err")"
[ "$out" = approved ] || die "unexpected ssh output '$out'"
ok "confirm on the phone: the person approves and ssh -I logs in"
status=0
with_phone cancel timeout 90 ssh -I "$MODULE" -o IdentityAgent=none "${PHONE_OPTS[@]}" \
    "$TESTUSER@127.0.0.1" 'echo should-not-run' </dev/null >"$WORK/ssh.out" 2>"$WORK/ssh.err" || status=$?
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
out=$(timeout 90 ssh "${SSH_OPTS[@]}" "$TESTUSER@127.0.0.1" 'echo via-agent' </dev/null 2>"$WORK/ssh.err") ||
    die "ssh through the agent failed: $(cat "$WORK/ssh.err")"
[ "$out" = via-agent ] || die "unexpected ssh output '$out'"
after=$(mssp_signatures)
[ "$after" -gt "$before" ] || die "the agent login did not go through the MSSP"
ok "ssh-agent with ssh-add -s signs the login through the module"

echo "$PASSED passed, 0 failed"
