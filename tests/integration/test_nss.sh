#!/usr/bin/env bash
# NSS, the engine of Firefox and Chromium: modutil registers the module in a fresh NSS
# database, certutil shows the token's certificates, and tstclnt authenticates to an
# openssl s_server that requires a client certificate (TLS 1.2, RSA PKCS#1 v1.5).
. "$(dirname "$0")/e2e-lib.sh"
for tool in modutil certutil tstclnt; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (libnss3-tools; .ci/deps.sh installs it)"; exit 77; }
done
e2e_start
"$MSS_TOOL" enroll >/dev/null || die "mss-tool enroll failed"

DB=sql:$WORK/nssdb
mkdir -p "$WORK/nssdb"
certutil -N -d "$DB" --empty-password || die "certutil -N failed"
modutil -dbdir "$DB" -add mss-pkcs11 -libfile "$MODULE" -force >"$WORK/modutil.out" 2>&1 ||
    die "modutil -add failed: $(cat "$WORK/modutil.out")"
modutil -dbdir "$DB" -list >"$WORK/modlist.out" 2>&1 || die "modutil -list failed"
grep -q "Demo User" "$WORK/modlist.out" || die "modutil -list does not show the token: $(cat "$WORK/modlist.out")"
ok "modutil registers the module; its slot shows the Demo User token"

certutil -L -d "$DB" -h all >"$WORK/certs.out" 2>&1 || die "certutil -L failed: $(cat "$WORK/certs.out")"
for label in "Authentication key" "Signing key"; do
    grep -q "Demo User:$label" "$WORK/certs.out" || die "certutil -L lacks 'Demo User:$label': $(cat "$WORK/certs.out")"
done
ok "certutil -L -h all lists both certificates of the token"

# The TLS server: refmssp's server certificate (127.0.0.1), requiring a client certificate
# issued by refmssp's test CA.
PORT=$(refmssp_free_port)
openssl s_server -accept "127.0.0.1:$PORT" -cert "$WORK/state/server.pem" -key "$WORK/state/server.key" \
    -CAfile "$WORK/state/ca.pem" -Verify 1 -www -tls1_2 >"$WORK/s_server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

printf 'GET / HTTP/1.0\r\n\r\n' >"$WORK/request.txt"
before=$(grep -c "MSS_Signature " "$REFMSSP_LOG" || true)
timeout 90 tstclnt -h 127.0.0.1 -p "$PORT" -d "$DB" -n "Demo User:Authentication key" -V tls1.2:tls1.2 \
    -o -A "$WORK/request.txt" >"$WORK/page.html" 2>"$WORK/tstclnt.err" ||
    die "tstclnt failed: $(cat "$WORK/tstclnt.err")"
grep -q "Client certificate" "$WORK/page.html" || die "the server saw no client certificate: $(head -c 2000 "$WORK/page.html")"
grep -q "CN *= *Demo User" "$WORK/page.html" || die "the client certificate is not the Demo User's"
after=$(grep -c "MSS_Signature " "$REFMSSP_LOG" || true)
[ "$after" -gt "$before" ] || die "the handshake signature did not go through the MSSP"
ok "tstclnt TLS 1.2 client authentication with the mobile key; the server saw CN=Demo User"

echo "$PASSED passed, 0 failed"
