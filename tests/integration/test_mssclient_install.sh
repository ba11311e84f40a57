#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# libmssclient as a program outside this tree sees it: make install into a scratch
# DESTDIR; mss.h includes exactly the installed headers; the installed library exports
# exactly the mss_* functions of its headers (and the module exactly C_*); a static link
# through mssclient.pc gets every library the code uses; docs/examples/mss-sign-hash.c builds with
# `pkg-config --cflags --libs mssclient` against the installed copy and signs a hash
# through refmssp; openssl verifies the signature.
. "$(dirname "$0")/e2e-lib.sh"
require_tools cc nm objdump pkg-config flock

ROOT=$WORK/root
# Another test may install into its own DESTDIR at the same time: one make at a time.
flock "$top_builddir/.install.lock" ${MAKE:-make} -s -C "$top_builddir" install DESTDIR="$ROOT" \
    >"$WORK/install.out" 2>&1 || die "make install failed: $(tail -20 "$WORK/install.out")"
PC=$(find "$ROOT" -name mssclient.pc)
LIB=$(find "$ROOT" -name 'libmssclient.so.0')
SO=$(find "$ROOT" -name mss-pkcs11.so)
[ -n "$PC" ] && [ -n "$LIB" ] && [ -n "$SO" ] || die "make install wrote no mssclient.pc, libmssclient.so.0 or module: $(find "$ROOT" -type f)"
[ -f "$(dirname "$PC")/../../include/mss/mss.h" ] || die "no headers under include/mss beside $PC"
ok "make install: ${LIB#"$ROOT"} (soname $(objdump -p "$LIB" | awk '/SONAME/ { print $2 }')), ${PC#"$ROOT"}, include/mss"

# The umbrella header and the installed set agree: mss.h includes every installed header
# (api.h comes through the others) and nothing that is not installed.
INC=$(dirname "$PC")/../../include/mss
(cd "$INC" && ls ./*.h | sed 's|^\./||' | grep -v -e '^mss\.h$' -e '^api\.h$' | sort) >"$WORK/installed.h"
sed -n 's|^#include <mss/\(.*\)>$|\1|p' "$INC/mss.h" | sort >"$WORK/umbrella.h"
diff "$WORK/installed.h" "$WORK/umbrella.h" >"$WORK/headers.diff" ||
    die "mss.h and the installed headers differ: $(cat "$WORK/headers.diff")"
ok "mss.h includes exactly the $(wc -l <"$WORK/installed.h") installed headers beside it"

# The ABI is what the headers declare: every exported symbol is mss_*, and every function
# the headers mark MSS_API is exported.
nm -D --defined-only "$LIB" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort >"$WORK/exported"
grep -v '^mss_' "$WORK/exported" && die "libmssclient exports symbols outside mss_*"
grep -ho 'MSS_API [^(]*(' "$(dirname "$PC")"/../../include/mss/*.h | grep -v '^MSS_API __' | sed 's/ *($//; s/.*[ *]//' |
    sort >"$WORK/declared"
diff "$WORK/declared" "$WORK/exported" >"$WORK/abi.diff" || die "exports differ from the headers: $(cat "$WORK/abi.diff")"
nm -D --defined-only "$SO" | awk '$2 == "T" { print $3 }' | grep -v '^C_' && die "the module exports symbols outside C_*"
ok "nm -D: libmssclient exports exactly the $(wc -l <"$WORK/declared") mss_* functions its headers declare; the module only C_*"

# The example, built as a user would, against the installed copy only.
export PKG_CONFIG_PATH=$(dirname "$PC") PKG_CONFIG_SYSROOT_DIR=$ROOT
FLAGS=$(pkg-config --cflags --libs mssclient) || die "pkg-config does not know mssclient"
# A static link needs every library the codec and client use (Requires.private).
STATIC=$(pkg-config --static --libs mssclient) || die "pkg-config --static does not know mssclient"
for lib in -lcurl -lxml2 -ljansson -lcrypto; do
    grep -q -- "$lib" <<<"$STATIC" || die "pkg-config --static --libs mssclient lacks $lib: $STATIC"
done
cc -std=c11 -Wall -Wextra -Werror "$top_srcdir/docs/examples/mss-sign-hash.c" $FLAGS \
    -o "$WORK/mss-sign-hash" 2>"$WORK/cc.out" || die "the example does not build: $(cat "$WORK/cc.out")"
export LD_LIBRARY_PATH=$(dirname "$LIB")
# Captured first: grep -q stops reading at the match, and under pipefail the long ldd
# output (libcurl's dependencies) could then die of SIGPIPE and fail the check.
LINKED=$(ldd "$WORK/mss-sign-hash")
grep -q "libmssclient.so.0 => $(dirname "$LIB")" <<<"$LINKED" ||
    die "the example does not load the installed library: $LINKED"
ok "docs/examples/mss-sign-hash.c builds with pkg-config --cflags --libs mssclient"

mssp_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"
S=$WORK/state
printf 'Contract no. 7: signed through libmssclient.\n' >"$WORK/doc.txt"
HASH=$(openssl dgst -sha256 -r "$WORK/doc.txt" | cut -d' ' -f1)
openssl x509 -in "$S/cache/demo/sign.pem" -outform DER -out "$WORK/user.der"
sign_hash() {
    "$WORK/mss-sign-hash" --url "$(awk '/^url = / { print $3 }' "$S/mss-pkcs11.conf")" \
        --ca "$S/ca.pem" --cert "$S/ap.pem" --key "$S/ap.key" --ap-id http://ap.refmssp.test \
        --ap-pwd-file "$S/ap_pwd" --profile mss:refmssp:sign:loa4:sim --sha256 "$HASH" "$@"
}
sign_hash --msisdn +99900000001 --user-cert "$WORK/user.der" --out "$WORK/doc.sig" \
    >"$WORK/example.out" 2>&1 || die "the example failed: $(cat "$WORK/example.out")"
grep -q '^verification code [0-9]\{4\}: confirm on the phone' "$WORK/example.out" ||
    die "no verification code shown: $(cat "$WORK/example.out")"
grep -q '^signature verified against' "$WORK/example.out" || die "no verification: $(cat "$WORK/example.out")"
openssl x509 -in "$S/cache/demo/sign.pem" -pubkey -noout >"$WORK/pub.pem"
openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "openssl does not verify the example's signature"
ok "the example signed a hash through refmssp; openssl verifies it with the user's certificate"

# An unknown user: the MSSP's fault reaches the program through mss_detail.
if sign_hash --msisdn +99900000077 --out "$WORK/none.sig" >"$WORK/unknown.out" 2>&1; then
    die "an unknown MSISDN was signed for"
fi
grep -q 'MSS status 105' "$WORK/unknown.out" || die "unknown user not reported as 105: $(cat "$WORK/unknown.out")"
[ ! -e "$WORK/none.sig" ] || die "a refused signature left a file"
ok "an unknown MSISDN: the example reports MSS status 105 and writes nothing"

echo "$PASSED passed, 0 failed"
