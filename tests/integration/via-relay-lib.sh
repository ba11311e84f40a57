# SPDX-License-Identifier: BSD-3-Clause
# MSS_TEST_VIA=relay: the module's tests, unchanged, through an mss-relay in front of their
# refmssp. test-lib.sh's mssp_start sources this file once refmssp runs and calls
# via_relay_start, which
#   - sets up a relay in $WORK/relay that forwards to refmssp as its AP (refmssp's AP
#     certificate, key and AP_PWD go to the relay only), with limits that a test's
#     signatures do not reach (the limits have their own test, test_relay_e2e.sh);
#   - lets one relay user in, VIA_RELAY_USER, with a client certificate of the relay's CA,
#     owning every MSISDN of the module configuration's [user] sections;
#   - rewrites the [mssp] section of the module configuration (the same file, so a test
#     that names it finds the relay's) to the relay: its URL, its CA, the user's
#     certificate and key, the AP_ID the relay gives desktops; no AP key or AP_PWD is left.
#     The [user] sections and every other key (cache, timeouts, mode) stay;
#   - points REFMSSP at refmssp-via-relay, so that the phones of a user a test adds later
#     (`refmssp user add`) become the relay user's too.
# MSS_TEST_RELAY_AUDIT=FILE puts the relay's audit log in FILE instead of $WORK/relay, for
# a caller that reads it after the test has removed WORK (test_relay_interop.sh).
[ -x "$RELAY" ] || die "no mss-relay at $RELAY (build it first)"
VIA_RELAY_USER=desktop

# The value of KEY in the [mssp] section of the module configuration FILE.
mssp_conf_get() { awk -v key="$2" '
    /^\[/ { in_mssp = ($0 == "[mssp]"); next }
    in_mssp && $1 == key && $2 == "=" { sub(/^[^=]*= */, ""); print; exit }' "$1"; }

# The module configuration FILE with its [mssp] section pointed at the relay: the keys that
# say where the MSSP is and how to authenticate to it are dropped, and the relay user's
# (from the configuration `mss-relay user add` wrote, DESKTOP_CONF) put first instead.
# Relative paths in DESKTOP_CONF are taken from its folder, as the module would.
via_relay_conf() {
    local file=$1 desktop_conf=$2 dir key value set=""
    dir=$(dirname "$desktop_conf")
    for key in url ca_file client_cert client_key ap_id; do
        value=$(mssp_conf_get "$desktop_conf" "$key")
        [ -n "$value" ] || die "$desktop_conf has no $key"
        case $key:$value in
            url:* | ap_id:* | *:/*) ;;
            *) value=$dir/$value ;;
        esac
        set+="$key = $value"$'\n'
    done
    awk -v set="$set" '
        /^\[/ { in_mssp = ($0 == "[mssp]"); print; if (in_mssp) printf "%s", set; next }
        in_mssp && $1 ~ /^(url|ca_file|client_cert|client_key|token_file|ap_id|ap_pwd|ap_pwd_file)$/ && $2 == "=" { next }
        { print }' "$file"
}

via_relay_start() {
    local r=$WORK/relay port upstream ap_id msisdns=() m msisdn_args=()
    upstream=$(mssp_conf_get "$MSS_PKCS11_CONF" url)
    ap_id=$(mssp_conf_get "$MSS_PKCS11_CONF" ap_id)
    mapfile -t msisdns < <(sed -n 's/^msisdn *= *//p' "$MSS_PKCS11_CONF" | tr ' ' '\n' | sed '/^$/d' | sort -u)
    [ -n "$upstream" ] && [ -n "$ap_id" ] && [ ${#msisdns[@]} -gt 0 ] ||
        die "via relay: $MSS_PKCS11_CONF names no url, ap_id or MSISDN"
    port=$(free_port) || die "no free port for the relay"
    "$RELAY" init "$r" --upstream-url "$upstream" --ap-id "$ap_id" \
        --upstream-ca "$WORK/state/ca.pem" --ap-cert "$WORK/state/ap.pem" \
        --ap-key "$WORK/state/ap.key" --ap-pwd-file "$WORK/state/ap_pwd" \
        --user-cert-ca "$WORK/state/ca.pem" --listen "127.0.0.1:$port" \
        >"$r.init.log" 2>&1 || die "via relay: mss-relay init: $(cat "$r.init.log")"
    relay_conf_set "$r" user_requests_per_minute 100000
    relay_conf_set "$r" msisdn_requests_per_minute 100000
    relay_conf_set "$r" max_pending_per_msisdn 100
    relay_conf_set "$r" max_text_chars 4096
    [ -z "${MSS_TEST_RELAY_AUDIT:-}" ] || relay_conf_set "$r" audit_log "$MSS_TEST_RELAY_AUDIT"
    for m in "${msisdns[@]}"; do msisdn_args+=(--msisdn "$m"); done
    # The profiles only fill the [user] sections of the configuration written beside the
    # certificate; the test's own [user] sections, with their profiles, are kept.
    "$RELAY" user add "$r" "$VIA_RELAY_USER" "${msisdn_args[@]}" --authn-profile \
        "$(sed -n 's/^authn_profile *= *//p' "$MSS_PKCS11_CONF" | head -n 1)" >"$r.user.log" 2>&1 ||
        die "via relay: mss-relay user add: $(cat "$r.user.log")"
    relay_start "$r"
    VIA_RELAY_LOG=$r.log

    via_relay_conf "$MSS_PKCS11_CONF" "$r/users/$VIA_RELAY_USER/mss-pkcs11.conf" >"$WORK/via-relay.conf" ||
        die "via relay: cannot rewrite $MSS_PKCS11_CONF"
    cat "$WORK/via-relay.conf" >"$MSS_PKCS11_CONF"
    # A desktop behind a relay holds no AP secret: neither an AP_PWD nor any of refmssp's
    # AP files (ap.pem, ap.key, ap_pwd) may be left in its configuration.
    ! grep -Eq '^ *(ap_pwd|ap_pwd_file) *=' "$MSS_PKCS11_CONF" &&
        ! grep -qF "$WORK/state/ap" "$MSS_PKCS11_CONF" ||
        die "via relay: $MSS_PKCS11_CONF still names an AP secret"

    export VIA_RELAY_REFMSSP=$REFMSSP VIA_RELAY_DIR=$r VIA_RELAY_USER
    REFMSSP=$top_srcdir/tests/integration/refmssp-via-relay
}
