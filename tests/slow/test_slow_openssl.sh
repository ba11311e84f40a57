#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# openssl s_client, with the key and certificate through pkcs11-provider, authenticates to
# openssl s_server while the phone takes MSS_SLOW_PHONE_MS (default 45 s) to answer.
# Neither s_client nor s_server has a handshake timeout.
. "$(dirname "$0")/slow-lib.sh"
openssl_provider_conf "$WORK/provider.cnf"
slow_versions openssl pkcs11-provider
slow_start

tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
slow_mark
printf 'GET / HTTP/1.0\r\n\r\n' | OPENSSL_CONF=$WORK/provider.cnf timeout "$SLOW_LIMIT" openssl s_client \
    -connect "127.0.0.1:$TLS_PORT" -CAfile "$WORK/state/ca.pem" -tls1_2 -quiet \
    -cert 'pkcs11:token=Slow%20Phone%20User;object=Authentication%20key;type=cert' \
    -key 'pkcs11:token=Slow%20Phone%20User;object=Authentication%20key;type=private' \
    >"$WORK/page.html" 2>"$WORK/err" || die "openssl s_client failed: $(cat "$WORK/err")"
slow_check "openssl s_client"
grep -q "CN *= *$SLOW_LABEL" "$WORK/page.html" || die "the page shows no $SLOW_LABEL client certificate: $(cat "$WORK/err")"
tls_server_saw "$SLOW_LABEL" || die "the server did not verify the $SLOW_LABEL certificate"
ok "openssl s_client (pkcs11-provider): TLS 1.2 client authentication with the slow phone; the server verified CN=$SLOW_LABEL"

echo "$PASSED passed, 0 failed"
