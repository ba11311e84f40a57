# SPDX-License-Identifier: BSD-3-Clause
# mss-relay in the tests, on top of refmssp-proto-lib.sh: a relay set up in front of the
# test's refmssp with refmssp's AP credentials, started and stopped like refmssp, and
# TS 102 204 requests sent to it with a relay user's certificate or bearer token.
. "$(dirname "${BASH_SOURCE[0]}")/refmssp-proto-lib.sh"
RELAY=$top_builddir/relay/mss-relay
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

# relay_conf_set DIR KEY VALUE: a key of mss-relay.conf (init writes them commented out).
relay_conf_set() {
    sed -i -E "s|^(# )?$2 = .*|$2 = $3|" "$1/mss-relay.conf"
    grep -q "^$2 = $3\$" "$1/mss-relay.conf" || die "could not set $2 in $1/mss-relay.conf"
}

relay_url() { echo "https://$(sed -n 's/^listen = //p' "$1/mss-relay.conf")/mss"; }

# relay_start DIR: mss-relay run DIR in the background (its log DIR.log, its PID in
# RELAY_PID_<basename>), ready once it says it listens.
relay_settled() { grep -q "listening on" "$1.log" 2>/dev/null || process_gone "$2"; }
relay_start() {
    local dir=$1 name pid
    name=$(basename "$dir")
    : >"$dir.log"
    "$RELAY" run "$dir" >>"$dir.log" 2>&1 &
    pid=$!
    printf -v "RELAY_PID_${name//-/_}" '%s' "$pid"
    at_exit "kill $pid 2>/dev/null || true"
    wait_for "$SETTLE_S" "mss-relay $name to listen" relay_settled "$dir" "$pid" &&
        grep -q "listening on" "$dir.log" || die "mss-relay $name did not start: $(cat "$dir.log")"
}

# relay_stop DIR: SIGTERM, then wait until it has exited.
relay_stop() {
    local name pidvar
    name=$(basename "$1")
    pidvar="RELAY_PID_${name//-/_}"
    kill -TERM "${!pidvar}" 2>/dev/null || true
    wait_for "$SETTLE_S" "mss-relay $name to exit" process_gone "${!pidvar}" ||
        die "mss-relay $name did not stop on SIGTERM"
}

# relay_post DIR XML [curl credential args…]: post to the relay in DIR; like post
# (refmssp-proto-lib.sh), with the relay's CA and the given credentials.
relay_post() {
    local dir=$1 xml=$2
    shift 2
    printf '%s' "$xml" >"$WORK/req.xml"
    HTTP=$(curl -sS --max-time "$SETTLE_S" --cacert "$dir/ca.pem" "$@" \
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
