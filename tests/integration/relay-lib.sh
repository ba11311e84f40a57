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
