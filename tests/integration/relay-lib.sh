# SPDX-License-Identifier: BSD-3-Clause
# mss-relay in the tests, on top of refmssp-proto-lib.sh: a relay set up in front of the
# test's refmssp with refmssp's AP credentials, started and stopped like refmssp, and
# TS 102 204 requests sent to it with a relay user's certificate or bearer token. (Starting
# and stopping a relay, and editing its mss-relay.conf, are test-lib.sh's.)
. "$(dirname "${BASH_SOURCE[0]}")/refmssp-proto-lib.sh"
[ -x "$RELAY" ] || die "no mss-relay at $RELAY (build it first)"
PROFILES=(--authn-profile "$AUTHN" --sign-profile "$SIGN")

# relay_init DIR UPSTREAM_URLS…: a relay in DIR on a free port, forwarding to the URLs
# (in order) as refmssp's AP.
relay_init() {
    local dir=$1 port url_args=()
    shift
    for u in "$@"; do url_args+=(--upstream-url "$u"); done
    port=$(free_port) || die "no free port"
    "$RELAY" init "$dir" "${url_args[@]}" --ap-id http://ap.refmssp.test \
        --upstream-ca "$STATE/ca.pem" --ap-cert "$STATE/ap.pem" --ap-key "$STATE/ap.key" \
        --ap-pwd-file "$STATE/ap_pwd" "${PROFILES[@]}" --user-cert-ca "$STATE/ca.pem" \
        --listen "127.0.0.1:$port" >"$dir.init.log" 2>&1 || die "mss-relay init: $(cat "$dir.init.log")"
}

# relay_copy FROM TO: a second instance of the relay in FROM (same keys, users and CA),
# on a port of its own.
relay_copy() {
    cp -a "$1" "$2" || die "cannot copy $1"
    sed -i "s|^listen = .*|listen = 127.0.0.1:$(free_port)|" "$2/mss-relay.conf"
}

# relay_post DIR XML [curl credential args…]: post to the relay in DIR; like post
# (refmssp-proto-lib.sh), with the relay's CA and the given credentials.
relay_post() {
    local dir=$1 xml=$2
    shift 2
    printf '%s' "$xml" >"$WORK/req.xml"
    HTTP=$(curl -sS --noproxy "*" --max-time "$SETTLE_S" --cacert "$dir/ca.pem" "$@" \
        -H 'Content-Type: application/soap+xml; charset=utf-8' \
        --data-binary @"$WORK/req.xml" -o "$WORK/resp.xml" -w '%{http_code}' \
        "$(relay_url "$dir")") || die "curl to the relay failed"
    read_codes
    check_schema
}

# The credentials of relay user NAME in DIR, for relay_post "${CRED[@]}".
as_cert() { CRED=(--cert "$1/users/$2/$2.pem" --key "$1/users/$2/$2.key"); }
as_token() { CRED=(-H "Authorization: Bearer $(cat "$1/users/$2/$2.token")"); }

# A desktop's requests carry the module's AP_ID and no password (the relay ignores both).
AP_ID_OVERRIDE=http://mss-relay.invalid
AP_PWD_OVERRIDE=not-used

# audit_has DIR TEXT…: DIR's audit log has a line with every TEXT.
audit_has() {
    local dir=$1 line
    shift
    while IFS= read -r line; do
        local all=1 t
        for t in "$@"; do [[ $line == *"$t"* ]] || all=0; done
        [ $all = 1 ] && return 0
    done <"$dir/audit.log"
    return 1
}

# --- Desktops (what 'mss-relay user add' handed over), signing with pkcs11-tool.
# relay_with_alice_and_bob DIR UPSTREAM_URL [KEY VALUE]…: a relay in DIR (relay_init) with
# the keys given set, limits high enough for a test that signs a lot, users alice and bob
# (desktop_prepare's), started; their desktops in ALICE and BOB, ready to enroll.
relay_with_alice_and_bob() {
    local dir=$1
    relay_init "$dir" "$2"
    shift 2
    while [ $# -ge 2 ]; do relay_conf_set "$dir" "$1" "$2"; shift 2; done
    relay_conf_set "$dir" user_requests_per_minute 1000
    relay_conf_set "$dir" msisdn_requests_per_minute 1000
    "$RELAY" user add "$dir" alice --msisdn +99900000001 --msisdn +99900000003 >/dev/null ||
        die "user add alice failed"
    "$RELAY" user add "$dir" bob --msisdn +99900000002 --token >/dev/null ||
        die "user add bob failed"
    relay_start "$dir"
    ALICE=$dir/users/alice
    BOB=$dir/users/bob
    desktop_prepare "$ALICE" "$BOB"
}

# desktop_prepare ALICE_DIR BOB_DIR: the desktops of relay users alice (a client
# certificate; phones +99900000001 and +99900000003) and bob (a bearer token;
# +99900000002) made ready to sign: bob's token 0600, and each certificate cache in the
# test's folder. +99900000003's keys sign with PSS: a property of the SIM the relay does
# not know, so the desktop's section says it (as refmssp's own set-up does).
desktop_prepare() {
    local alice=$1 bob=$2 d
    chmod 600 "$bob/bob.token"
    sed -i '/^\[user alice-2\]$/a sign_pss = yes' "$alice/mss-pkcs11.conf"
    grep -q '^sign_pss = yes$' "$alice/mss-pkcs11.conf" || die "could not set sign_pss"
    for d in "$alice" "$bob"; do desktop_conf_set "$d" cache_dir "$d/cache"; done
}

# desktop_conf_set DIR KEY VALUE: KEY = VALUE in [mssp] of DIR/mss-pkcs11.conf (replaced,
# or added at the section's start).
desktop_conf_set() {
    local conf=$1/mss-pkcs11.conf
    if grep -q "^$2 = " "$conf"; then
        sed -i "s|^$2 = .*|$2 = $3|" "$conf"
    else
        sed -i "s|^\[mssp\]\$|[mssp]\n$2 = $3|" "$conf"
    fi
    grep -q "^$2 = $3\$" "$conf" || die "could not set $2 in $conf"
}

# desktop_enroll DIR: mss-tool enroll with the desktop's configuration (its certificates
# come through the relay).
desktop_enroll() {
    MSS_PKCS11_CONF=$1/mss-pkcs11.conf "$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 ||
        die "enroll through the relay ($1): $(cat "$WORK/enroll.out")"
}

# desktop_sign DESKTOP_DIR TOKEN_LABEL USER_SECTION MECH [pkcs11-tool options] -- [openssl
# options]: pkcs11-tool signs $WORK/doc.txt with the token's signing key, and openssl
# verifies the signature with the enrolled certificate.
desktop_sign() {
    local dir=$1 token=$2 user=$3
    shift 3
    MSS_PKCS11_CONF=$dir/mss-pkcs11.conf p11_sign_verified "$dir/cache/$user/sign.pem" "$token" "$@"
}

# desktops_sign_all ALICE_DIR BOB_DIR: RSA PKCS#1 v1.5 and PSS as alice, ECDSA as bob
# (desktop_prepare's desktops, enrolled), each verified by openssl.
desktops_sign_all() {
    desktop_sign "$1" "MSS +99900000001" alice SHA256-RSA-PKCS -- -sha256
    desktop_sign "$1" "MSS +99900000003" alice-2 SHA256-RSA-PKCS-PSS --mgf MGF1-SHA256 -- \
        -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
    desktop_sign "$2" "MSS +99900000002" bob ECDSA-SHA256 --signature-format openssl -- -sha256
}

# desktops_sign_in_both_modes ALICE_DIR BOB_DIR WHAT: desktops_sign_all in synch, then in
# asynchClientServer, each an ok line "MODE: WHAT".
desktops_sign_in_both_modes() {
    local mode d
    for mode in synch asynchClientServer; do
        for d in "$1" "$2"; do desktop_conf_set "$d" messaging_mode $mode; done
        desktops_sign_all "$1" "$2"
        ok "$mode: $3"
    done
}

# relay_rest_post DIR PATH JSON [curl credential args…]: JSON to the relay in DIR at PATH
# (/mss, /restapi, /rest/service/…; REST_TYPE: another Content-Type); the answer checked
# and read as rest-lib.sh's rest_check_answer says.
relay_rest_post() {
    local dir=$1 path=$2 base
    printf '%s' "$3" >"$WORK/req.json"
    shift 3
    base=$(relay_url "$dir")
    HTTP=$(curl -sS --noproxy "*" --max-time "$SETTLE_S" --cacert "$dir/ca.pem" "$@" \
        -H "Content-Type: ${REST_TYPE:-application/json}" --data-binary @"$WORK/req.json" \
        -o "$WORK/resp.json" -w '%{http_code}|%{content_type}' "${base%/mss}$path") ||
        die "curl to the relay failed"
    RESP_TYPE=${HTTP#*|} HTTP=${HTTP%%|*}
    rest_check_answer "the relay's $path"
}
