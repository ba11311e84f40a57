#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# NSS, the engine of Firefox and Chromium: modutil registers the module in a fresh NSS
# database, certutil shows the tokens' certificates, and tstclnt authenticates to an
# openssl s_server that requires a client certificate: TLS 1.2 with RSA PKCS#1 v1.5 and
# ECDSA, TLS 1.3 with RSA-PSS and ECDSA, and a signature confirmed (or cancelled) on the phone.
. "$(dirname "$0")/e2e-lib.sh"
require_tools --package libnss3-tools modutil certutil tstclnt
mssp_start
add_phone_user
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

new_nssdb "$WORK/nssdb"
DB=sql:$WORK/nssdb
modutil -dbdir "$DB" -list >"$WORK/modlist.out" 2>&1 || die "modutil -list failed"
for token in "Demo User" "Demo EC User" "Demo PSS User" "$PHONE_LABEL"; do
    grep -q "token: $token\$" "$WORK/modlist.out" || die "modutil -list does not show '$token': $(cat "$WORK/modlist.out")"
done
ok "modutil registers the module; its slots show every configured user's token"

certutil -L -d "$DB" -h all >"$WORK/certs.out" 2>&1 || die "certutil -L failed: $(cat "$WORK/certs.out")"
for label in "Authentication key" "Signing key"; do
    grep -q "Demo User:$label" "$WORK/certs.out" || die "certutil -L lacks 'Demo User:$label': $(cat "$WORK/certs.out")"
done
ok "certutil -L -h all lists the token certificates"

printf 'GET / HTTP/1.0\r\n\r\n' >"$WORK/request.txt"
# tstclnt USER_TOKEN TLS_VERSION: client authentication with the token's authentication key.
tstclnt_as() {
    timeout 90 tstclnt -h 127.0.0.1 -p "$TLS_PORT" -d "$DB" -n "$1:Authentication key" -V "$2:$2" \
        -o -A "$WORK/request.txt" >"$WORK/page.html" 2>"$WORK/tstclnt.err"
}
# handshake USER CN VERSION WHAT: one successful client authentication through the MSSP.
handshake() {
    local before
    before=$(mssp_signatures)
    tstclnt_as "$1" "$3" || die "tstclnt ($4) failed: $(cat "$WORK/tstclnt.err")"
    grep -q "CN *= *$2" "$WORK/page.html" || die "($4) the page shows no $2 client certificate"
    tls_server_saw "$2" || die "($4) the server did not verify $2's certificate"
    [ "$(mssp_signatures)" -gt "$before" ] || die "($4) the handshake signature did not go through the MSSP"
    ok "tstclnt $4: the server verified CN=$2"
}

tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256:ECDSA+SHA256'
handshake "Demo User" "Demo User" tls1.2 "TLS 1.2, RSA PKCS#1 v1.5"
handshake "Demo EC User" "Demo EC User" tls1.2 "TLS 1.2, ECDSA P-256"

tls_server_start -tls1_3
handshake "Demo PSS User" "Demo PSS User" tls1.3 "TLS 1.3, RSA-PSS"
handshake "Demo EC User" "Demo EC User" tls1.3 "TLS 1.3, ECDSA P-256"

# Confirm on the phone: approved → authenticated; cancelled → the handshake fails cleanly.
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
with_phone approve tstclnt_as "$PHONE_LABEL" tls1.2 || die "tstclnt with the phone's approval failed: $(cat "$WORK/tstclnt.err")"
tls_server_saw "$PHONE_LABEL" || die "the server did not verify the $PHONE_LABEL certificate"
ok "confirm on the phone: the person approves and the TLS client authentication succeeds"
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
if with_phone cancel tstclnt_as "$PHONE_LABEL" tls1.2; then
    die "tstclnt succeeded although the person cancelled"
fi
! tls_server_saw "$PHONE_LABEL" || die "the server accepted a certificate although the person cancelled"
ok "cancelled on the phone: the TLS handshake fails and no client is authenticated"

echo "$PASSED passed, 0 failed"
