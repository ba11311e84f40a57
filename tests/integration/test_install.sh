#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make install puts the module in p11-kit's module folder and a .module file in p11-kit's
# configuration folder; p11-kit list-modules then shows the module and its token. The
# install goes to a scratch DESTDIR, and p11-kit is pointed at it through a test user's
# own p11-kit configuration, so nothing on the machine changes.
. "$(dirname "$0")/e2e-lib.sh"
require_tools p11-kit
[ "$(id -u)" -eq 0 ] || skip "needs root to run p11-kit as a test user (runuser)"

ROOT=$WORK/root
flock "$top_builddir/.install.lock" ${MAKE:-make} -s -C "$top_builddir" install DESTDIR="$ROOT" >"$WORK/install.out" 2>&1 ||
    die "make install failed: $(tail -20 "$WORK/install.out")"
SO=$(find "$ROOT" -name mss-pkcs11.so)
MODFILE=$(find "$ROOT" -name mss-pkcs11.module)
[ -n "$SO" ] && [ -n "$MODFILE" ] || die "make install wrote no module or no .module file: $(find "$ROOT" -type f)"
[ -z "$(find "$ROOT" -name 'mss-pkcs11.la')" ] || die "make install left a libtool archive beside the module"
installed=${SO#"$ROOT"}
grep -qx "module: $installed" "$MODFILE" || die "$MODFILE does not name $installed: $(cat "$MODFILE")"
ok "make install: $installed and ${MODFILE#"$ROOT"} naming it"
HELPER=$(find "$ROOT" -name mss-prompt -type f -perm -u+x)
[ -n "$HELPER" ] || die "make install wrote no mss-prompt"
grep -qaF "${HELPER#"$ROOT"}" "$SO" || die "the module does not start the installed ${HELPER#"$ROOT"}"
ok "make install: the prompt helper ${HELPER#"$ROOT"}, the path the module starts"

# A test user whose p11-kit configuration registers the installed module, with a module
# configuration of its own that holds one cached certificate (no MSSP is needed to list).
mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
TESTUSER=mssinst
id "$TESTUSER" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$TESTUSER"
UHOME=$WORK/home
mkdir -p "$UHOME/.config/pkcs11/modules" "$UHOME/cache/demo"
printf 'module: %s\n' "$SO" >"$UHOME/.config/pkcs11/modules/mss-pkcs11.module"
cp "$WORK/state/cache/demo/sign.pem" "$UHOME/cache/demo/sign.pem"
cat >"$UHOME/mss-pkcs11.conf" <<CONF
[mssp]
url = https://127.0.0.1:9/mss
ca_file = $WORK/state/ca.pem
user_ca_file = $WORK/state/ca.pem
ap_id = http://ap.refmssp.test
cache_dir = $UHOME/cache

[user demo]
msisdn = +99900000001
label = Demo User
sign_profile = mss:refmssp:sign:loa4:sim
CONF
chown -R "$TESTUSER" "$UHOME"
chmod 755 "$WORK" "$ROOT"
chmod -R a+rX "$ROOT"
runuser -u "$TESTUSER" -- env HOME="$UHOME" MSS_PKCS11_CONF="$UHOME/mss-pkcs11.conf" \
    timeout 60 p11-kit list-modules >"$WORK/modules.out" 2>&1 || die "p11-kit list-modules failed: $(cat "$WORK/modules.out")"
grep -q "^mss-pkcs11: $SO" "$WORK/modules.out" || die "p11-kit does not list the module: $(cat "$WORK/modules.out")"
grep -A6 "^mss-pkcs11:" "$WORK/modules.out" | grep -q "token: Demo User" ||
    die "p11-kit does not show the Demo User token: $(grep -A12 '^mss-pkcs11:' "$WORK/modules.out")"
ok "p11-kit list-modules shows the installed module and its Demo User token"

echo "$PASSED passed, 0 failed"
