#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module through p11-kit's remoting, as a sandboxed browser (Flatpak) would use it:
# `p11-kit server` loads mss-pkcs11 on the host and exports tokens on a unix socket;
# p11-kit-client.so, the module the sandbox loads, forwards every call there. Through the
# client: the token looks as it does directly, pkcs11-tool signs and openssl verifies, NSS
# (tstclnt) authenticates to a TLS server, a cancel on the phone comes back as a failed
# signature, a server exports only the tokens its URI names, and what waits while a
# signature is pending on the phone (another process: nothing; another thread: everything).
. "$(dirname "$0")/e2e-lib.sh"
command -v p11-kit >/dev/null 2>&1 || skip "p11-kit is not installed (.ci/deps.sh installs it)"
p11-kit server --help >/dev/null 2>&1 || skip "this p11-kit has no 'server' command (needs p11-kit 0.23.10 or later)"
CLIENT=""
for dir in "$(pkg-config --variable=p11_module_path p11-kit-1 2>/dev/null || true)" \
    /usr/lib/x86_64-linux-gnu/pkcs11 /usr/lib64/pkcs11 /usr/lib/pkcs11; do
    if [ -n "$dir" ] && [ -f "$dir/p11-kit-client.so" ]; then CLIENT=$dir/p11-kit-client.so; break; fi
done
[ -n "$CLIENT" ] || skip "p11-kit-client.so is not installed (package p11-kit-modules; .ci/deps.sh installs it)"
require_tools --package libnss3-tools modutil certutil tstclnt
PROBE=$top_builddir/tests/integration/p11_queue_probe

mssp_start
add_phone_user
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll failed: $(cat "$WORK/enroll.out")"

# --- p11-kit server in the foreground (-f), its socket in WORK. It prints the shell lines
# that set P11_KIT_SERVER_ADDRESS once it listens; each connection gets a `p11-kit remote`
# child that loads the module. server_start NAME URI… sets SERVER_PID, SERVER_SOCKET and
# exports P11_KIT_SERVER_ADDRESS as printed; server_stop PID stops it and its children.
server_printed_address() { grep -q '^P11_KIT_SERVER_ADDRESS=' "$1" || process_gone "$2"; }
# server_run NAME COMMAND…: run a `p11-kit server -f` command line whose socket is
# $WORK/NAME.sock; server_start NAME URI… runs the plain one for the built module.
server_start() {
    local name=$1
    shift
    server_run "$name" p11-kit server -f --provider "$MODULE" -n "$WORK/$name.sock" "$@"
}
server_run() {
    local name=$1 out=$WORK/$1.out
    shift
    SERVER_SOCKET=$WORK/$name.sock
    "$@" >"$out" 2>"$WORK/$name.err" &
    SERVER_PID=$!
    at_exit "server_stop $SERVER_PID"
    wait_for "$SETTLE_S" "p11-kit server to print its address" server_printed_address "$out" "$SERVER_PID" ||
        die "p11-kit server did not start"
    grep -q '^P11_KIT_SERVER_ADDRESS=' "$out" || die "p11-kit server exited: $(cat "$WORK/$name.err")"
    P11_KIT_SERVER_ADDRESS=$(sed -n 's/^P11_KIT_SERVER_ADDRESS=\([^;]*\);.*/\1/p' "$out")
    export P11_KIT_SERVER_ADDRESS
    [ "$P11_KIT_SERVER_ADDRESS" = "unix:path=$SERVER_SOCKET" ] ||
        die "p11-kit server printed '$P11_KIT_SERVER_ADDRESS', not the socket it was given"
    [ -S "$SERVER_SOCKET" ] || die "no socket at $SERVER_SOCKET"
    # Connecting takes write permission: the owner's only (p11-kit binds with umask 066).
    SOCKET_MODE=$(stat -c %a "$SERVER_SOCKET")
    [ $((8#$SOCKET_MODE & 8#022)) -eq 0 ] || die "group or others may write to the socket (mode $SOCKET_MODE)"
}
server_stop() {
    local pid=$1 p children
    process_gone "$pid" && return 0
    children=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
    # shellcheck disable=SC2086 # one word per child
    kill -TERM "$pid" $children 2>/dev/null || true
    for p in $pid $children; do
        wait_for "$SETTLE_S" "p11-kit process $p to exit on SIGTERM" process_gone "$p" ||
            kill -KILL "$p" 2>/dev/null || true
    done
    wait "$pid" 2>/dev/null || true
}

# pkcs11-tool with the client module.
pc() { pkcs11-tool --module "$CLIENT" "$@"; }
# "label|serial" of each token pkcs11-tool -L lists.
token_ids() {
    awk '/^ *token label *:/ { sub(/^[^:]*: /, ""); label = $0 }
         /^ *serial num *:/ { sub(/^[^:]*: /, ""); print label "|" $0 }'
}
# Mechanism names pkcs11-tool -M lists for a token, sorted: mechs MODULE TOKEN.
mechs() {
    pkcs11-tool --module "$1" --token-label "$2" -M 2>/dev/null | sed -n 's/^  \([A-Za-z0-9_-]*\)[, ].*/\1/p' | sort
}
# MSS_Signature requests refmssp has received for one MSISDN.
mssp_signatures_for() { grep "MSS_Signature " "$REFMSSP_LOG" | grep -c "msisdn=$1 " || true; }
DEMO_MSISDN=+99900000001

# --- 1. A server exporting one token: the demo user's.
server_start one "pkcs11:token=Demo%20User"
p11 -L >"$WORK/direct.L" || die "pkcs11-tool -L on the module failed"
pc -L >"$WORK/remote.L" 2>"$WORK/remote.err" || die "pkcs11-tool -L through p11-kit-client.so failed: $(cat "$WORK/remote.err")"
direct=$(token_ids <"$WORK/direct.L" | grep '^Demo User|') || die "the module lists no Demo User token"
remote=$(token_ids <"$WORK/remote.L")
[ "$remote" = "$direct" ] || die "through the client: '$remote'; directly: '$direct'"
ok "p11-kit-client.so lists the Demo User token with the label and serial the module gives it (socket mode $SOCKET_MODE)"

n_direct=$(token_ids <"$WORK/direct.L" | wc -l)
[ "$n_direct" -ge 4 ] || die "the module lists $n_direct tokens, expected the 4 configured users"
for other in "Demo EC User" "Demo PSS User" "$PHONE_LABEL"; do
    ! grep -q "token label *: $other\$" "$WORK/remote.L" || die "'$other' is visible although the URI names Demo User only"
done
ok "the server exports only the token its URI names: 1 of the module's $n_direct tokens"

# Objects: the same certificates and keys, by kind, label and ID. (p11-kit 0.24 fails the
# size query of CKA_ALLOWED_MECHANISMS with CKR_DEVICE_ERROR; pkcs11-tool only warns.)
objects() { grep -E '^(Certificate|Public Key|Private Key) Object|^ *(label|ID):' || true; }
p11 --token-label "Demo User" -O >"$WORK/direct.O" 2>&1 || die "pkcs11-tool -O on the module failed"
pc -O >"$WORK/remote.O" 2>&1 || die "pkcs11-tool -O through the client failed: $(cat "$WORK/remote.O")"
[ "$(objects <"$WORK/remote.O")" = "$(objects <"$WORK/direct.O")" ] ||
    die "objects differ: through the client $(objects <"$WORK/remote.O"); directly $(objects <"$WORK/direct.O")"
[ "$(objects <"$WORK/remote.O" | grep -c 'Object')" -eq 6 ] || die "expected 6 objects: $(cat "$WORK/remote.O")"
allowed_rv=$(sed -n 's/.*(ALLOWED_MECHANISMS) failed: rv = \([A-Z_]*\).*/\1/p' "$WORK/remote.O" | head -1)
[ -z "$allowed_rv" ] || echo "# reading CKA_ALLOWED_MECHANISMS through this p11-kit fails: $allowed_rv"
ok "pkcs11-tool -O through the client lists the module's 6 objects, same labels and IDs"

printf 'a document signed through p11-kit remoting\n' >"$WORK/doc.txt"
id=$(p11_key_id "$CLIENT" "Signing key")
[ -n "$id" ] || die "no 'Signing key' through the client: $(pc -O 2>&1)"
openssl x509 -in "$WORK/state/cache/demo/sign.pem" -pubkey -noout >"$WORK/pub.pem"
before=$(mssp_signatures_for "$DEMO_MSISDN")
pc --id "$id" --sign -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/doc.sig" 2>"$WORK/sign.err" ||
    die "signing through the client failed: $(cat "$WORK/sign.err")"
openssl dgst -sha256 -verify "$WORK/pub.pem" -signature "$WORK/doc.sig" "$WORK/doc.txt" >/dev/null ||
    die "the signature made through the client does not verify with the user's certificate"
[ "$(mssp_signatures_for "$DEMO_MSISDN")" -gt "$before" ] || die "refmssp saw no MSS_Signature for $DEMO_MSISDN"
ok "SHA256-RSA-PKCS through the client: refmssp got the MSS_Signature, openssl verifies the signature"

server_stop "$SERVER_PID"
[ ! -e "$SERVER_SOCKET" ] || die "p11-kit server left its socket behind after SIGTERM"
ok "p11-kit server stops on SIGTERM and removes its socket"
pc -L >"$WORK/noserver.L" 2>&1 && die "pkcs11-tool -L succeeded with no server: $(cat "$WORK/noserver.L")"
grep -q "No slots" "$WORK/noserver.L" || die "with no server: $(cat "$WORK/noserver.L")"
ok "with no server, p11-kit-client.so initialises and lists no slots"

# --- 2. The server as docs/examples/mss-pkcs11-p11-kit-server.service runs it (every token
# of the module), with the socket in WORK instead of %t and the built module.
UNIT=$top_srcdir/docs/examples/mss-pkcs11-p11-kit-server.service
if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir -m 0700 "$WORK/xdg-run"
    XDG_RUNTIME_DIR=$WORK/xdg-run systemd-analyze --user verify --man=no "$UNIT" >"$WORK/verify.out" 2>&1 ||
        die "systemd-analyze rejects the example unit: $(cat "$WORK/verify.out")"
    ok "systemd-analyze --user verify accepts the example unit"
fi
# ExecStart with its continuation lines, one word per element.
read -r -a unit_cmd <<<"$(awk '/^ExecStart=/ { on = 1; sub(/^ExecStart=/, "") }
    on { more = sub(/\\$/, ""); printf "%s ", $0; if (!more) exit }' "$UNIT")"
if [ "${#unit_cmd[@]}" -lt 4 ] || [ "$(basename "${unit_cmd[0]}")" != p11-kit ] || [ "${unit_cmd[1]}" != server ]; then
    die "the example unit's ExecStart is not a p11-kit server command: ${unit_cmd[*]}"
fi
cmd=(p11-kit)
for ((i = 1; i < ${#unit_cmd[@]}; i++)); do
    case ${unit_cmd[i]} in
    %t/mss-pkcs11/pkcs11) cmd+=("$WORK/all.sock") ;;
    */mss-pkcs11.so) cmd+=("$MODULE") ;;
    *) cmd+=("${unit_cmd[i]}") ;;
    esac
done
server_run all "${cmd[@]}"
pc -L >"$WORK/remote-all.L" 2>&1 || die "pkcs11-tool -L through the client failed: $(cat "$WORK/remote-all.L")"
[ "$(token_ids <"$WORK/remote-all.L")" = "$(token_ids <"$WORK/direct.L")" ] ||
    die "pkcs11:manufacturer=mss-pkcs11 does not export the module's tokens: $(cat "$WORK/remote-all.L")"
ok "the example unit's command exports all $n_direct tokens (pkcs11:manufacturer=mss-pkcs11), in the module's order"

# p11-kit's RPC carries only the mechanisms it knows (p11-kit 0.24 lacks SHA224-RSA-PKCS,
# the SHA*-RSA-PKCS-PSS and ECDSA-SHA* families): the client may show fewer, never others.
# What browsers sign with must be there: RSA-PKCS (TLS 1.2), RSA-PKCS-PSS (TLS 1.3), ECDSA.
for pair in "Demo User:RSA-PKCS" "Demo PSS User:RSA-PKCS-PSS" "Demo EC User:ECDSA"; do
    label=${pair%%:*} need=${pair##*:}
    mechs "$MODULE" "$label" >"$WORK/mechs.direct"
    mechs "$CLIENT" "$label" >"$WORK/mechs.remote"
    extra=$(comm -13 "$WORK/mechs.direct" "$WORK/mechs.remote" | tr '\n' ' ')
    [ -z "$extra" ] || die "$label: the client lists mechanisms the module does not: $extra"
    grep -qx -- "$need" "$WORK/mechs.remote" || die "$label: $need does not reach the client"
    missing=$(comm -23 "$WORK/mechs.direct" "$WORK/mechs.remote" | paste -sd " " -)
    echo "# $label: not carried by this p11-kit: ${missing:-none}"
done
ok "the client lists a subset of the module's mechanisms, including RSA-PKCS, RSA-PKCS-PSS and ECDSA"

# NSS with the client module registered in its database, as a sandboxed browser would have it.
DB=sql:$WORK/nssdb
mkdir -p "$WORK/nssdb"
certutil -N -d "$DB" --empty-password || die "certutil -N failed"
modutil -dbdir "$DB" -add mss-remote -libfile "$CLIENT" -force >"$WORK/modutil.out" 2>&1 ||
    die "modutil -add p11-kit-client.so failed: $(cat "$WORK/modutil.out")"
certutil -L -d "$DB" -h all >"$WORK/certs.out" 2>&1 || die "certutil -L failed: $(cat "$WORK/certs.out")"
grep -q "Demo User:Authentication key" "$WORK/certs.out" || die "certutil -L lacks the Demo User certificate: $(cat "$WORK/certs.out")"
ok "NSS loads p11-kit-client.so and lists the token's certificates"

printf 'GET / HTTP/1.0\r\n\r\n' >"$WORK/request.txt"
handshake() { # USER MSISDN VERSION WHAT
    local before
    before=$(mssp_signatures_for "$2")
    timeout 90 tstclnt -h 127.0.0.1 -p "$TLS_PORT" -d "$DB" -n "$1:Authentication key" -V "$3:$3" \
        -o -A "$WORK/request.txt" >"$WORK/page.html" 2>"$WORK/tstclnt.err" ||
        die "tstclnt ($4) through the client failed: $(cat "$WORK/tstclnt.err")"
    tls_server_saw "$1" || die "($4) the TLS server did not verify CN=$1: $(cat "$TLS_LOG")"
    [ "$(mssp_signatures_for "$2")" -gt "$before" ] || die "($4) the handshake signature did not reach refmssp"
    ok "tstclnt through p11-kit-client.so, $4: the server verified CN=$1"
}
tls_server_start -tls1_2 -client_sigalgs 'RSA+SHA256'
handshake "Demo User" "$DEMO_MSISDN" tls1.2 "TLS 1.2, RSA PKCS#1 v1.5"
tls_server_start -tls1_3
handshake "Demo PSS User" +99900000003 tls1.3 "TLS 1.3, RSA-PSS"
handshake "Demo EC User" +99900000002 tls1.3 "TLS 1.3, ECDSA P-256"

# --- 3. Cancelled on the phone while another process uses the same server.
id=$(p11_key_id "$CLIENT" "Signing key" "$PHONE_LABEL")
[ -n "$id" ] || die "no signing key on the $PHONE_LABEL token through the client"
rm -f "$WORK/phone.sig"
timeout 120 pkcs11-tool --module "$CLIENT" --token-label "$PHONE_LABEL" --id "$id" --sign -m SHA256-RSA-PKCS \
    -i "$WORK/doc.txt" -o "$WORK/phone.sig" >"$WORK/cancel.out" 2>&1 &
sign_pid=$!
wait_for "$SETTLE_S" "the request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN" ||
    die "the signature never reached the phone: $(cat "$WORK/cancel.out")"
timeout 60 pkcs11-tool --module "$CLIENT" -L >"$WORK/during.L" 2>&1 || die "a second process got no answer: $(cat "$WORK/during.L")"
grep -q "token label *: Demo User\$" "$WORK/during.L" || die "the second process saw no tokens: $(cat "$WORK/during.L")"
phone_has_request "$WORK/state" "$PHONE_MSISDN" || die "the request left the phone before the check"
ok "another process is served while a signature waits on the phone (one p11-kit remote per connection)"

"$REFMSSP" phone cancel "$WORK/state" "$PHONE_MSISDN" >"$WORK/phone.out" 2>&1 || die "refmssp phone cancel failed: $(cat "$WORK/phone.out")"
sign_status=0
wait "$sign_pid" || sign_status=$?
[ "$sign_status" -ne 0 ] || die "pkcs11-tool succeeded although the person cancelled"
[ "$sign_status" -ne 124 ] || die "pkcs11-tool was still waiting 120 s after the cancel"
grep -q "CKR_FUNCTION_CANCELED" "$WORK/cancel.out" || die "expected CKR_FUNCTION_CANCELED: $(cat "$WORK/cancel.out")"
[ ! -s "$WORK/phone.sig" ] || die "a signature was written although the person cancelled"
ok "cancelled on the phone: the client returns CKR_FUNCTION_CANCELED (exit $sign_status), no signature"

# --- 4. One process, two threads (what a browser is): a call from a second thread made
# while a signature waits on the phone. The module answers it at once; through p11-kit it
# waits, because a connection's `p11-kit remote` runs one call at a time. The probe notes
# whether the answer file, made just before the phone answers, existed when the call returned.
probe() { # MODULE WHAT LINE: answer on the phone once the probe has printed LINE
    local out=$WORK/probe.$2.out go=$WORK/probe.$2.go answer=$WORK/probe.$2.answer
    "$PROBE" "$1" "$PHONE_LABEL" "Demo User" "$go" "$answer" >"$out" 2>&1 &
    local pid=$!
    wait_for "$SETTLE_S" "the probe's request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN" ||
        die "the probe's signature never reached the phone: $(cat "$out")"
    touch "$go"
    wait_for "$SETTLE_S" "the probe to print '$3'" grep -qx "$3" "$out" || die "probe ($2): $(cat "$out")"
    touch "$answer"
    "$REFMSSP" phone approve "$WORK/state" "$PHONE_MSISDN" --pin 1234 >"$WORK/phone.out" 2>&1 ||
        die "refmssp phone approve failed: $(cat "$WORK/phone.out")"
    wait "$pid" || die "probe ($2) failed: $(cat "$out")"
    PROBE_RESULT=$(grep '^result ' "$out") || die "probe ($2) printed no result: $(cat "$out")"
    case $PROBE_RESULT in *" sign_rv=0x0 "*) ;; *) die "probe ($2): the signature failed: $PROBE_RESULT" ;; esac
}
probe "$MODULE" direct "second call returned"
case $PROBE_RESULT in *second_after_answer=no*) ;; *) die "module: the second call waited for the phone: $PROBE_RESULT" ;; esac
ok "module loaded directly: a second thread's call returns while the signature is pending"
probe "$CLIENT" remote "second call issued"
case $PROBE_RESULT in *second_after_answer=yes*) ;; *) die "client: the second call did not wait for the phone: $PROBE_RESULT" ;; esac
waited=${PROBE_RESULT##*second_waited_s=}
ok "through p11-kit-client.so: a second thread's call waits until the phone has answered (${waited%% *} s here)"

echo "$PASSED passed, 0 failed"
