#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# NSS's tstclnt authenticates to an openssl s_server that requires a client certificate
# while the phone takes MSS_SLOW_PHONE_MS (default 45 s) to answer. Neither side has a
# handshake timeout of its own (tstclnt's -t applies to -q only).
. "$(dirname "$0")/slow-lib.sh"
require_tools --package libnss3-tools modutil certutil tstclnt
slow_versions libnss3-tools libnss3 openssl
slow_start

new_nssdb "$WORK/nssdb"
DB=sql:$WORK/nssdb
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
printf 'GET / HTTP/1.0\r\n\r\n' >"$WORK/request.txt"

slow_mark
timeout "$SLOW_LIMIT" tstclnt -h 127.0.0.1 -p "$TLS_PORT" -d "$DB" -n "$SLOW_LABEL:Authentication key" \
    -V tls1.2:tls1.2 -o -A "$WORK/request.txt" >"$WORK/page.html" 2>"$WORK/tstclnt.err" ||
    die "tstclnt failed: $(cat "$WORK/tstclnt.err")"
slow_check "tstclnt"
grep -q "CN *= *$SLOW_LABEL" "$WORK/page.html" || die "the page shows no $SLOW_LABEL client certificate"
tls_server_saw "$SLOW_LABEL" || die "the server did not verify the $SLOW_LABEL certificate"
ok "tstclnt: TLS 1.2 client authentication with the slow phone; the server verified CN=$SLOW_LABEL"

echo "$PASSED passed, 0 failed"
