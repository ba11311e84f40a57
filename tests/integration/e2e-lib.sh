# SPDX-License-Identifier: BSD-3-Clause
# The end-to-end tests' helpers, on top of test-lib.sh: the module loaded into
# pkcs11-tool, a person answering on the phone, a TLS server asking for a client
# certificate.
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"
require_tools pkcs11-tool openssl

p11() { pkcs11-tool --module "$MODULE" "$@"; }

# --- The "confirm on your phone" path: a user whose SIM waits for a person (refmssp's
# manual policy); the test plays the person with `refmssp phone approve|cancel`.
PHONE_MSISDN=+99900000009
PHONE_LABEL="Phone User"

# add_user NAME MSISDN POLICY LABEL [CONF]: a SIM user in refmssp (POLICY: approve, manual
# or delay:MS) whose [user NAME] section is appended to CONF (default: the module's
# configuration); then its certificates are enrolled.
add_user() {
    local conf=${5:-$MSS_PKCS11_CONF}
    "$REFMSSP" user add "$WORK/state" "$1" --msisdn "$2" --policy "$3" --label "$4" \
        --module-conf "$conf" >/dev/null || die "refmssp user add $1 failed"
    MSS_PKCS11_CONF=$conf "$MSS_TOOL" enroll "$1" >/dev/null || die "mss-tool enroll $1 failed"
}

# The [mssp] section of the module configuration alone (no users), on stdout.
mssp_section() { sed '/^\[user /,$d' "$MSS_PKCS11_CONF"; }

# Add the phone user to refmssp and to the module configuration, and enroll it.
add_phone_user() { add_user phone "$PHONE_MSISDN" manual "$PHONE_LABEL"; }

# PHONE_CONF: a module configuration holding only the phone user's authentication key, for
# clients that would otherwise pick another token's key first.
phone_only_conf() {
    PHONE_CONF=$WORK/phone-only.conf
    mssp_section >"$PHONE_CONF"
    printf '[user phone]\nmsisdn = %s\nlabel = %s\nauthn_profile = mss:refmssp:authn:loa3:sim\n' \
        "$PHONE_MSISDN" "$PHONE_LABEL" >>"$PHONE_CONF"
}

# Wait until the phone shows a request, keep what it shows (refmssp phone list, in
# $WORK/phone.list), then answer it: approve (with the right PIN) or cancel. Run it in the
# background before the client that signs.
phone_answer() {
    if ! wait_for "$SETTLE_S" "a request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN" 2>/dev/null; then
        echo "phone_answer: no request reached the phone within $SETTLE_S s" >"$WORK/phone.out"
        return 1
    fi
    "$REFMSSP" phone list "$WORK/state" "$PHONE_MSISDN" >"$WORK/phone.list" 2>&1
    if [ "$1" = approve ]; then
        "$REFMSSP" phone approve "$WORK/state" "$PHONE_MSISDN" --pin 1234 >"$WORK/phone.out" 2>&1
    else
        "$REFMSSP" phone cancel "$WORK/state" "$PHONE_MSISDN" >"$WORK/phone.out" 2>&1
    fi
}

# Run a client command while the phone answers: with_phone approve|cancel CMD ARGS...
# Returns the client's exit status; fails the test if the phone never saw the request.
with_phone() {
    local action=$1 status=0 phone_status=0
    shift
    phone_answer "$action" &
    local phone_pid=$!
    "$@" || status=$?
    wait "$phone_pid" || phone_status=$?
    [ "$phone_status" -eq 0 ] || die "the phone did not get the request ($*): $(cat "$WORK/phone.out")"
    return "$status"
}

# --- A TLS server that requires a client certificate from refmssp's test CA:
# openssl s_server with refmssp's server certificate (127.0.0.1), answering a page that
# shows the client certificate (-www). tls_server_start [extra s_server options] sets
# TLS_PORT and TLS_LOG; each start replaces the previous server.
TLS_PID=""
at_exit tls_server_stop
tls_server_stop() {
    [ -z "$TLS_PID" ] || { kill "$TLS_PID" 2>/dev/null || true; wait "$TLS_PID" 2>/dev/null || true; }
    TLS_PID=""
}
tls_server_start() {
    tls_server_stop
    TLS_PORT=$(free_port)
    TLS_LOG=$WORK/s_server.$TLS_PORT.log
    openssl s_server -accept "127.0.0.1:$TLS_PORT" -cert "$WORK/state/server.pem" \
        -key "$WORK/state/server.key" -CAfile "$WORK/state/ca.pem" -Verify 1 -www "$@" \
        >"$TLS_LOG" 2>&1 &
    TLS_PID=$!
    wait_for "$SETTLE_S" "openssl s_server on port $TLS_PORT" tcp_listening "$TLS_PORT" ||
        die "openssl s_server did not start: $(cat "$TLS_LOG")"
}
# Did the TLS server verify a client certificate with this CN?
tls_server_saw() { grep -q "depth=0 CN = $1," "$TLS_LOG"; }

# Does someone own the bus name $1 on the session bus (a notification daemon, say)?
bus_name_owned() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:"$1" 2>/dev/null | grep -q "boolean true"
}

# How many signature requests has refmssp received so far?
mssp_signatures() { grep -c "MSS_Signature " "$REFMSSP_LOG" || true; }

# --- Certificates a test puts into the cache itself.
# sha256_fp PEM: the certificate's SHA-256 fingerprint as openssl prints it (AB:CD:…).
sha256_fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | cut -d= -f2; }

# expired_cert PEM: a self-signed RSA certificate with the signing key's usage
# (nonRepudiation) that was valid in January 2020 only. openssl ca can set past dates;
# req cannot. Each call makes a new one, in its own scratch folder.
expired_cert() {
    local dir
    dir=$(mktemp -d "$WORK/oldca.XXXXXX")
    touch "$dir/index.txt"
    echo 01 >"$dir/serial"
    cat >"$dir/ca.cnf" <<CNF
[ca]
default_ca = old
[old]
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = any
[any]
commonName = supplied
[sign]
keyUsage = critical,nonRepudiation
CNF
    openssl req -new -newkey rsa:2048 -nodes -subj "/CN=Expired" -keyout "$dir/k.pem" \
        -out "$dir/r.csr" 2>/dev/null &&
        openssl ca -batch -config "$dir/ca.cnf" -selfsign -keyfile "$dir/k.pem" \
            -in "$dir/r.csr" -startdate 20200101000000Z -enddate 20200201000000Z \
            -extensions sign -out "$1" >/dev/null 2>&1 ||
        die "cannot make the expired certificate"
}

# cert_ssh_key CERT OUT: write the key of the certificate CERT (PEM) as an OpenSSH public
# key line ("ssh-rsa AAAA…") to OUT, for authorized_keys and ssh -i.
cert_ssh_key() {
    openssl x509 -in "$1" -pubkey -noout >"$2.spki.pem" || die "cannot read the key of $1"
    ssh-keygen -i -m PKCS8 -f "$2.spki.pem" | cut -d' ' -f1,2 >"$2" || die "ssh-keygen cannot convert the key of $1"
}

# --- Client configurations.
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

# new_nssdb DIR: a fresh NSS database in DIR trusting the test CA, with the module
# registered (modutil's -force only skips its "are you sure" question).
new_nssdb() {
    mkdir -p "$1"
    { certutil -N -d "sql:$1" --empty-password &&
      certutil -A -d "sql:$1" -n 'refmssp test CA' -t 'C,,' -i "$WORK/state/ca.pem" &&
      modutil -dbdir "sql:$1" -add mss-pkcs11 -libfile "$MODULE" -force; } >"$1.out" 2>&1 ||
        die "cannot set up the NSS database $1: $(cat "$1.out")"
}

# openssl_provider_conf OUT: an OpenSSL configuration that loads pkcs11-provider with the
# module (skips the test when pkcs11-provider is not installed).
openssl_provider_conf() {
    local provider=/usr/lib/$MULTIARCH/ossl-modules/pkcs11.so
    [ -f "$provider" ] || skip "pkcs11-provider is not installed (.ci/deps.sh installs it from bookworm-backports)"
    cat >"$1" <<CONF
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
pkcs11 = pkcs11_sect
[default_sect]
activate = 1
[pkcs11_sect]
module = $provider
pkcs11-module-path = $MODULE
activate = 1
CONF
}

# sunpkcs11_keystore CFG SLOT: write a SunPKCS11 configuration for the module's slot
# number SLOT (0: the first user's token) to CFG, and set P11 to the keytool/jarsigner
# options that open it. The PIN is entered on the phone; the token accepts any PIN.
sunpkcs11_keystore() {
    printf 'name = MSS\nlibrary = %s\nslotListIndex = %s\n' "$MODULE" "$2" >"$1"
    P11=(-keystore NONE -storetype PKCS11 -providerClass sun.security.pkcs11.SunPKCS11
         -providerArg "$1" -storepass 000000)
}
