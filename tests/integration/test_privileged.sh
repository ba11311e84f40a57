#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module inside a privileged program (su running pam_p11, sudo): the caller's
# environment belongs to the caller, so the module must ignore MSS_PKCS11_CONF,
# MSS_PKCS11_LOG, MSS_PKCS11_DEBUG, XDG_* and HOME there and read the system
# configuration only. A small program that loads the module (p11_privileged_probe) is
# installed setuid root, and setgid root, in the scratch folder and run by a test user
# whose environment names the user's own configuration (a token "User Token") and a
# log file. See docs/security.md.
. "$(dirname "$0")/test-lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to install a setuid program and run it as a test user"
require_tools runuser useradd
PROBE=$top_builddir/tests/integration/p11_privileged_probe
[ -x "$PROBE" ] || die "$PROBE is not built"

TESTUSER=msspriv
id "$TESTUSER" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$TESTUSER"

# Everything the test user names lives in a folder the user owns.
UHOME=$WORK/home
BIN=$WORK/bin
mkdir -p "$UHOME/xdg/mss-pkcs11" "$UHOME/cache/demo" "$BIN"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/key.pem" \
    -subj /CN=sign -days 1 -out "$UHOME/cache/demo/sign.pem" 2>/dev/null || die "openssl req failed"
cat >"$UHOME/user.conf" <<CONF
[mssp]
url = http://127.0.0.1:9/mss
allow_plain_http = yes
ap_id = http://ap.example
cache_dir = $UHOME/cache
log_file = $UHOME/conf.log
log_level = debug

[user demo]
msisdn = +99900000001
label = User Token
sign_profile = mss:refmssp:sign:loa4:sim
CONF
cp "$UHOME/user.conf" "$UHOME/xdg/mss-pkcs11/mss-pkcs11.conf"
chown -R "$TESTUSER" "$UHOME"
chmod 755 "$WORK" "$BIN"

# The probe as the user would run it, and setuid / setgid root copies of it.
install -m 755 "$PROBE" "$BIN/probe"
install -m 4755 "$PROBE" "$BIN/probe-setuid"
install -m 2755 -g root "$PROBE" "$BIN/probe-setgid"

as_user() {
    runuser -u "$TESTUSER" -- env -i PATH=/usr/bin:/bin HOME="$UHOME" \
        XDG_CONFIG_HOME="$UHOME/xdg" XDG_CACHE_HOME="$UHOME/cache" \
        MSS_PKCS11_CONF="$UHOME/user.conf" MSS_PKCS11_LOG="$UHOME/env.log" MSS_PKCS11_DEBUG=3 \
        timeout 60 "$@"
}

# Without privileges the user's environment is honoured (what the privileged runs must
# not do): the user's token, and the log the user named.
as_user "$BIN/probe" "$MODULE" >"$WORK/plain.out" 2>&1 || die "probe failed: $(cat "$WORK/plain.out")"
grep -qx "token User Token *" "$WORK/plain.out" || die "the user's configuration was not read: $(cat "$WORK/plain.out")"
[ -s "$UHOME/env.log" ] || die "MSS_PKCS11_LOG was not written by an unprivileged run"
ok "unprivileged: the user's MSS_PKCS11_CONF and MSS_PKCS11_LOG are used"

# What the system configuration gives, from a clean environment as root.
env -i PATH=/usr/bin:/bin timeout 60 "$BIN/probe" "$MODULE" >"$WORK/system.out" 2>&1 ||
    die "probe as root failed: $(cat "$WORK/system.out")"
grep -q "^slots " "$WORK/system.out" || die "no slot count: $(cat "$WORK/system.out")"

for kind in setuid setgid; do
    rm -f "$UHOME/env.log" "$UHOME/conf.log"
    as_user "$BIN/probe-$kind" "$MODULE" >"$WORK/$kind.out" 2>"$WORK/$kind.err" ||
        die "$kind probe failed: $(cat "$WORK/$kind.out" "$WORK/$kind.err")"
    ! grep -q "User Token" "$WORK/$kind.out" || die "$kind: the user's configuration was read: $(cat "$WORK/$kind.out")"
    diff "$WORK/system.out" "$WORK/$kind.out" >/dev/null ||
        die "$kind: the tokens differ from the system configuration's: $(diff "$WORK/system.out" "$WORK/$kind.out")"
    [ ! -e "$UHOME/env.log" ] || die "$kind: the module created the log file the user named (MSS_PKCS11_LOG)"
    [ ! -e "$UHOME/conf.log" ] || die "$kind: the module wrote the log file of the user's configuration"
    ! grep -q "mss-pkcs11.*debug" "$WORK/$kind.err" || die "$kind: MSS_PKCS11_DEBUG was honoured: $(cat "$WORK/$kind.err")"
    ok "$kind root: the user's configuration, log file and debug level are ignored; the system configuration's tokens ($(head -1 "$WORK/$kind.out"))"
done

echo "$PASSED passed, 0 failed"
