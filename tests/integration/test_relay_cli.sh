#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# mss-relay's command line: init makes the relay's CA, TLS identity, token key and copies
# of the upstream AP credentials with the right modes, and refuses an existing set-up or
# bad credentials leaving nothing behind; user add issues a client certificate that
# chains to the relay's CA for TLS client authentication (or a bearer token kept only
# as its hash) and a desktop mss-pkcs11.conf that mss-tool loads and that holds no AP
# key or AP_PWD; user list shows no secret; user remove refuses the user from then on.
. "$(dirname "$0")/test-lib.sh"
require_tools openssl sha256sum
RELAY=$top_builddir/relay/mss-relay

# The upstream's credentials: a refmssp set-up has an AP certificate, key and password.
"$REFMSSP" init "$WORK/mssp" --port 9443 >/dev/null || die "refmssp init failed"
AP_PWD=$(head -n1 "$WORK/mssp/ap_pwd")

mode_of() { stat -c %a "$1"; }
expect_mode() { [ "$(mode_of "$1")" = "$2" ] || die "$1 has mode $(mode_of "$1"), expected $2"; }
listing() { (cd "$1" && find . -printf '%p %m %s\n' | sort && cat users.conf); }

D=$WORK/relay
"$RELAY" init "$D" --upstream-url https://127.0.0.1:9443/mss --upstream-url https://localhost:9443/mss \
    --ap-id http://ap.refmssp.test --upstream-ca "$WORK/mssp/ca.pem" --ap-cert "$WORK/mssp/ap.pem" \
    --ap-key "$WORK/mssp/ap.key" --ap-pwd-file "$WORK/mssp/ap_pwd" \
    --authn-profile mss:refmssp:authn:loa3:sim --sign-profile mss:refmssp:sign:loa4:sim \
    --user-cert-ca "$WORK/mssp/ca.pem" >"$WORK/init.out" 2>&1 || die "init failed: $(cat "$WORK/init.out")"
expect_mode "$D" 700
for f in ca.key server.key token_keys upstream-ap.key upstream-ap_pwd; do expect_mode "$D/$f" 600; done
for f in ca.pem server.pem upstream-ca.pem upstream-ap.pem mssp-user-ca.pem mss-relay.conf users.conf; do
    expect_mode "$D/$f" 644
done
cmp -s "$D/upstream-ap.key" "$WORK/mssp/ap.key" || die "the AP key was not copied as it is"
grep -qx 'url = https://127.0.0.1:9443/mss https://localhost:9443/mss' "$D/mss-relay.conf" ||
    die "the upstream URLs are not one list in order: $(cat "$D/mss-relay.conf")"
grep -Eqx '[0-9a-f]{64}' "$D/token_keys" || die "token_keys does not hold a key"
openssl verify -CAfile "$D/ca.pem" -purpose sslserver "$D/server.pem" >/dev/null ||
    die "the relay's TLS certificate does not chain to its CA for TLS server use"
ok "init: CA, TLS identity, token key, upstream copies; secrets 0600, DIR 0700"

before=$(listing "$D")
"$RELAY" init "$D" --upstream-url https://x.example/ --ap-id a --upstream-ca "$WORK/mssp/ca.pem" \
    >"$WORK/again.out" 2>&1 && die "init over an existing set-up succeeded"
grep -q 'not empty' "$WORK/again.out" || die "no reason: $(cat "$WORK/again.out")"
[ "$(listing "$D")" = "$before" ] || die "a refused init changed the set-up"
"$RELAY" init "$WORK/bad" --upstream-url https://x.example/ --ap-id a --upstream-ca "$WORK/mssp/ca.pem" \
    --ap-cert "$WORK/mssp/ap.pem" --ap-key "$WORK/mssp/ca.key" >"$WORK/bad.out" 2>&1 &&
    die "init with a key that is not the certificate's succeeded"
grep -q 'is not the key of' "$WORK/bad.out" || die "no reason: $(cat "$WORK/bad.out")"
[ ! -e "$WORK/bad" ] || die "a failed init left $WORK/bad behind"
"$RELAY" init "$WORK/bad" --upstream-url http://x.example/ --ap-id a --upstream-ca "$WORK/mssp/ca.pem" \
    >/dev/null 2>&1 && die "init with an http:// upstream succeeded"
[ ! -e "$WORK/bad" ] || die "a refused init left $WORK/bad behind"
ok "init refuses an existing set-up and bad credentials, and leaves nothing behind"

# no_ap_secret FOLDER: none of the desktop's files holds the AP key, its password or the
# relay's own keys.
no_ap_secret() {
    local f
    for f in "$1"/*; do
        ! grep -qF "$AP_PWD" "$f" || die "$f holds the AP_PWD"
        ! grep -Eq '^ *(ap_pwd|ap_pwd_file) *=' "$f" || die "$f names an AP password"
        ! grep -qF "$(sed -n 2p "$D/upstream-ap.key")" "$f" || die "$f holds the AP key"
        ! grep -qF "$(sed -n 2p "$D/ca.key")" "$f" || die "$f holds the relay CA's key"
    done
}

"$RELAY" user add "$D" alice --msisdn +99900000001 --msisdn +99900000002 >"$WORK/alice.out" 2>&1 ||
    die "user add alice failed: $(cat "$WORK/alice.out")"
A=$D/users/alice
expect_mode "$A" 700
expect_mode "$A/alice.key" 600
for f in alice.pem relay-ca.pem mssp-user-ca.pem mss-pkcs11.conf; do expect_mode "$A/$f" 644; done
openssl verify -CAfile "$D/ca.pem" -purpose sslclient "$A/alice.pem" >"$WORK/verify.out" 2>&1 ||
    die "alice's certificate does not chain to the relay CA for TLS client use: $(cat "$WORK/verify.out")"
openssl x509 -in "$A/alice.pem" -noout -ext extendedKeyUsage | grep -q 'TLS Web Client Authentication' ||
    die "alice's certificate has no clientAuth"
[ "$(openssl pkey -in "$A/alice.key" -pubout)" = "$(openssl x509 -in "$A/alice.pem" -noout -pubkey)" ] ||
    die "alice.key is not the key of alice.pem"
fp=$(openssl x509 -in "$A/alice.pem" -noout -fingerprint -sha256 | cut -d= -f2)
grep -qx "cert_sha256 = $fp" "$D/users.conf" || die "users.conf does not list alice's certificate $fp"
grep -qx 'msisdn = +99900000001 +99900000002' "$D/users.conf" || die "users.conf lacks alice's phones"
cmp -s "$A/relay-ca.pem" "$D/ca.pem" || die "the desktop's CA is not the relay's"
cmp -s "$A/mssp-user-ca.pem" "$WORK/mssp/ca.pem" || die "the desktop's user CA is not the MSSP's"
grep -qx 'user_ca_file = mssp-user-ca.pem' "$A/mss-pkcs11.conf" || die "the desktop's configuration names no user_ca_file"
# show_conf FILE OUT: mss-tool show of FILE into OUT; it exits 1 while no key is enrolled,
# so the configuration counts as loaded when show prints it.
show_conf() {
    "$MSS_TOOL" --config "$1" show >"$2" 2>&1 || true
    grep -qx "configuration: $1" "$2" || die "mss-tool does not load $1: $(cat "$2")"
}
show_conf "$A/mss-pkcs11.conf" "$WORK/show-alice.out"
grep -q 'mssp url: *https://127.0.0.1:9444/mss' "$WORK/show-alice.out" || die "no relay URL: $(cat "$WORK/show-alice.out")"
grep -q 'user alice: +99900000001' "$WORK/show-alice.out" && grep -q 'user alice-2: +99900000002' "$WORK/show-alice.out" ||
    die "alice's phones are not users of the module: $(cat "$WORK/show-alice.out")"
grep -qx 'client_key = alice.key' "$A/mss-pkcs11.conf" || die "the desktop's key is not alice.key"
grep -qx 'ap_id = http://mss-relay.invalid' "$A/mss-pkcs11.conf" || die "no module_ap_id in the desktop's configuration"
no_ap_secret "$A"
ok "user add: a clientAuth certificate from the relay CA, listed by its SHA-256; mss-tool loads the desktop's configuration, which holds no AP secret"

"$RELAY" user add "$D" bob --msisdn +99900000003 --token --sign-profile mss:other:sign >"$WORK/bob.out" 2>&1 ||
    die "user add bob failed: $(cat "$WORK/bob.out")"
B=$D/users/bob
expect_mode "$B/bob.token" 600
token=$(cat "$B/bob.token")
[[ $token =~ ^[0-9a-f]{64}$ ]] || die "bob's token is not 64 hex digits"
hash=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
grep -qx "token_sha256 = $hash" "$D/users.conf" || die "users.conf does not list the SHA-256 of bob's token"
! grep -rqF "$token" "$D/users.conf" "$D/mss-relay.conf" || die "the relay keeps bob's token itself"
grep -qx 'token_file = bob.token' "$B/mss-pkcs11.conf" || die "the desktop's configuration names no token_file"
! grep -q 'client_key' "$B/mss-pkcs11.conf" || die "a token user got a client key"
grep -qx 'sign_profile = mss:other:sign' "$B/mss-pkcs11.conf" || die "--sign-profile was not used"
show_conf "$B/mss-pkcs11.conf" "$WORK/show-bob.out"
"$MSS_TOOL" --config "$B/mss-pkcs11.conf" show --json >"$WORK/show-bob.json" 2>/dev/null || true
grep -qF "\"token_file\": \"$B/bob.token\"" "$WORK/show-bob.json" ||
    die "mss-tool show --json does not name bob's token file: $(cat "$WORK/show-bob.json")"
! grep -qF "$token" "$WORK/show-bob.out" "$WORK/show-bob.json" || die "mss-tool shows bob's token"
grep -q 'user bob: +99900000003' "$WORK/show-bob.out" || die "bob is no user of the module: $(cat "$WORK/show-bob.out")"
no_ap_secret "$B"
ok "user add --token: a 0600 token file for the user, only its SHA-256 in users.conf"

"$RELAY" user list "$D" >"$WORK/list.out" 2>&1 || die "user list failed"
grep -Eq '^alice +certificate +\+99900000001 \+99900000002$' "$WORK/list.out" &&
    grep -Eq '^bob +token +\+99900000003$' "$WORK/list.out" || die "user list: $(cat "$WORK/list.out")"
! grep -qF -e "$token" -e "$hash" "$WORK/list.out" || die "user list shows a token or its hash"
ok "user list: names, how they authenticate, phones; no secret"

before=$(listing "$D")
"$RELAY" user add "$D" alice --msisdn +99900000009 >"$WORK/dup.out" 2>&1 && die "a second alice was added"
grep -q 'there is a user alice already' "$WORK/dup.out" || die "no reason: $(cat "$WORK/dup.out")"
"$RELAY" user add "$D" carol --msisdn 12345 >/dev/null 2>&1 && die "a phone number without + was taken"
"$RELAY" user add "$D" ../carol --msisdn +99900000009 >/dev/null 2>&1 && die "a name with a slash was taken"
"$RELAY" user add "$D" carol --msisdn +99900000009 --module-conf "$A/mss-pkcs11.conf" >/dev/null 2>&1 &&
    die "user add wrote over an existing desktop configuration"
[ "$(listing "$D")" = "$before" ] || die "a refused user add changed the set-up"
ok "user add refuses a taken name, a bad number or name, an existing file, and changes nothing"

"$RELAY" user remove "$D" alice >"$WORK/remove.out" 2>&1 || die "user remove failed: $(cat "$WORK/remove.out")"
! grep -q 'alice' "$D/users.conf" || die "alice is still in users.conf"
! grep -qx "cert_sha256 = $fp" "$D/users.conf" || die "alice's certificate is still listed"
[ ! -e "$A" ] || die "the files kept for alice were not removed"
grep -q '^\[user bob\]' "$D/users.conf" || die "removing alice removed bob"
"$RELAY" user remove "$D" alice >/dev/null 2>&1 && die "removing alice twice succeeded"
ok "user remove: the user and the files kept for them are gone, the others stay"

"$RELAY" --version | grep -q '^mss-relay ' || die "--version"
"$RELAY" --help | grep -q 'init DIR' || die "--help"
"$RELAY" frobnicate >/dev/null 2>&1 && die "an unknown command succeeded"
ok "--help, --version, unknown commands"
