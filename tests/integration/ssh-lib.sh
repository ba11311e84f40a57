# SPDX-License-Identifier: BSD-3-Clause
# A throwaway sshd for the tests, on top of e2e-lib.sh (source that first). It needs root
# (its own test user, /run/sshd) and runs with sshd's defaults but for what a private
# server on 127.0.0.1 must set; LoginGraceTime in particular stays at its default (120 s).
#
#   sshd_start KEYFILE…   start sshd on a free port for SSH_USER, accepting the OpenSSH
#                         public keys in the files KEYFILE…; sets SSHD (its folder, with
#                         sshd.log) and SSH_BASE_OPTS (ssh options for it, without a key)
#   SSH_USER              the test user sshd lets in (created when missing)
require_tools ssh ssh-keygen /usr/sbin/sshd
[ "$(id -u)" -eq 0 ] || skip "needs root to run a private sshd and create its test user"

SSH_USER=msstest

sshd_start() {
    id "$SSH_USER" >/dev/null 2>&1 || useradd -m -s /bin/sh "$SSH_USER"
    usermod -p '*' "$SSH_USER"      # no password, but not locked ('!' would make sshd refuse)
    SSHD=$WORK/sshd
    mkdir -p "$SSHD" /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$SSHD/host_ed25519"
    cat "$@" >"$SSHD/authorized_keys"
    chmod 644 "$SSHD/authorized_keys"
    chmod 755 "$WORK" "$SSHD"        # sshd reads authorized_keys as the test user
    local port
    port=$(free_port)
    cat >"$SSHD/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $SSHD/host_ed25519
PidFile $SSHD/sshd.pid
AuthorizedKeysFile $SSHD/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers $SSH_USER
LogLevel VERBOSE
CONF
    /usr/sbin/sshd -t -f "$SSHD/sshd_config" || die "sshd rejects its configuration"
    at_exit '[ -f "$SSHD/sshd.pid" ] && kill "$(cat "$SSHD/sshd.pid")" 2>/dev/null'
    /usr/sbin/sshd -f "$SSHD/sshd_config" -E "$SSHD/sshd.log" || die "sshd did not start"
    wait_for "$SETTLE_S" "sshd on port $port" tcp_listening "$port" || die "sshd does not listen: $(tail -5 "$SSHD/sshd.log")"
    SSH_BASE_OPTS=(-o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile="$SSHD/known_hosts"
                   -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o ConnectTimeout=20 -p "$port")
}

# Has sshd logged a public-key login of the test user (with key type TYPE, default any)?
sshd_accepted() { grep -q "Accepted publickey for $SSH_USER .*${1:-}" "$SSHD/sshd.log"; }
