#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# mss-tool test and show --json against refmssp on loopback: a real signature with each
# enrolled key, the verification code the phone shows printed first, each kind of
# failure in its words (cancel, unknown user, PIN blocked, expiry on the MSSP, a
# signature that does not verify, an expired certificate refused without a request, no
# MSSP, a wrong ca_file, no configuration), a certificate that ends soon warned about,
# the MSSP's clock compared with ours; and show --json parsed, with the values openssl
# reads from the cached certificates.
. "$(dirname "$0")/e2e-lib.sh"
require_tools python3
mssp_start
CONF=$MSS_PKCS11_CONF
CACHE=$WORK/state/cache
"$MSS_TOOL" enroll demo >"$WORK/enroll.out" 2>&1 || die "enroll failed: $(cat "$WORK/enroll.out")"

# run_test NAME ARGS...: mss-tool ARGS with stdout and stderr in $WORK/NAME.out; its exit
# status in STATUS (the test goes on either way).
run_test() {
    local name=$1
    shift
    STATUS=0
    "$MSS_TOOL" "$@" >"$WORK/$name.out" 2>&1 || STATUS=$?
}
# expect NAME STATUS PATTERN…: the run NAME exited with STATUS and its output has each
# (grep -E) PATTERN.
expect() {
    local name=$1 want=$2 pattern
    shift 2
    [ "$STATUS" -eq "$want" ] || die "$name: exit status $STATUS, expected $want: $(cat "$WORK/$name.out")"
    for pattern in "$@"; do
        grep -Eq -- "$pattern" "$WORK/$name.out" || die "$name: no '$pattern' in: $(cat "$WORK/$name.out")"
    done
}
# add_unenrollable_user NAME MSISDN [PEM]: a [user NAME] with only a signing key, and PEM (default:
# demo's signing certificate) as its enrolled certificate, for numbers that cannot be
# enrolled (refmssp's scenario numbers, users it does not know).
add_unenrollable_user() {
    printf '\n[user %s]\nmsisdn = %s\nsign_profile = mss:refmssp:sign:loa4:sim\n' "$1" "$2" >>"$CONF"
    mkdir -p "$CACHE/$1"
    cp "${3:-$CACHE/demo/sign.pem}" "$CACHE/$1/sign.pem"
}

# --- Success: both keys of the demo user.
before=$(mssp_signatures)
run_test demo test demo
expect demo 0 '^demo authn "Authentication key": OK: signed on the phone and verified' \
    '^demo sign "Signing key": OK: signed on the phone and verified' \
    '^2 keys signed and verified, 0 failed$'
[ "$(mssp_signatures)" -eq $((before + 2)) ] || die "expected two MSS_Signature requests"
ok "mss-tool test demo: both keys signed through refmssp and verified; exit 0"

# --- The person at the phone: the code mss-tool prints is the one the phone shows.
add_phone_user
# answer_each OUT ACTION…: answer the phone's next requests one by one (approve or
# cancel). While each request waits on the phone, what it shows is kept in $WORK/shown,
# and mss-tool's output OUT must already hold the code: it is printed before the request.
answer_each() {
    local out=$1 action code
    shift
    for action in "$@"; do
        wait_for "$SETTLE_S" "a request on the phone" phone_has_request "$WORK/state" "$PHONE_MSISDN" ||
            return 1
        "$REFMSSP" phone list "$WORK/state" "$PHONE_MSISDN" | grep "^$PHONE_MSISDN " >>"$WORK/shown"
        code=$(tail -n 1 "$WORK/shown" | awk '{ print $3 }')
        grep -q "check that your phone shows code $code, then enter your PIN" "$out" || {
            echo "code $code is on the phone but not (yet) in mss-tool's output" >"$WORK/order.err"
            return 1
        }
        if [ "$action" = approve ]; then
            "$REFMSSP" phone approve "$WORK/state" "$PHONE_MSISDN" --pin 1234 >/dev/null || return 1
        else
            "$REFMSSP" phone cancel "$WORK/state" "$PHONE_MSISDN" >/dev/null || return 1
        fi
    done
}
# test_phone NAME ACTION…: mss-tool test phone while the phone answers with ACTIONs.
test_phone() {
    local name=$1 answered=0
    shift
    rm -f "$WORK/shown" "$WORK/order.err"
    : >"$WORK/$name.out"
    answer_each "$WORK/$name.out" "$@" &
    local pid=$!
    run_test "$name" test phone
    wait "$pid" || answered=$?
    [ "$answered" -eq 0 ] ||
        die "$name: $(cat "$WORK/order.err" 2>/dev/null || echo "the phone did not get every request"): $(cat "$WORK/$name.out")"
}
test_phone phone-approve approve approve
expect phone-approve 0 '^phone authn "Authentication key": OK' '^phone sign "Signing key": OK'
[ "$(wc -l <"$WORK/shown")" -eq 2 ] || die "the phone did not show two requests: $(cat "$WORK/shown")"
while read -r _ _ code _ text; do
    case $text in
    "mss-tool test: Sign in with Authentication key? Code $code" | \
        "mss-tool test: Sign with Signing key? Code $code") ;;
    *) die "the phone's text does not name mss-tool test, the key and code $code: $text" ;;
    esac
done <"$WORK/shown"
ok "the code the phone shows was printed by mss-tool before the request; the phone's text names mss-tool test"

test_phone phone-cancel cancel approve
expect phone-cancel 1 \
    '^phone authn "Authentication key": FAILED: the request was cancelled on the phone \(401 USER_CANCEL\); run the test again and enter your PIN' \
    '^phone sign "Signing key": OK' '^1 key signed and verified, 1 failed$'
ok "cancelled on the phone: the cancel wording for that key, the other key still tested, exit 1"

# --- Refusals of the MSSP, each in its words: a number it does not know, and refmssp's
# scenario numbers for a blocked PIN and a phone that never answered.
add_unenrollable_user stranger +99912345678
run_test stranger test stranger
expect stranger 1 'does not know the phone number \+99912345678 \(105 UNKNOWN_CLIENT\); check msisdn in \[user stranger\]'
add_unenrollable_user blocked +999000001402
run_test blocked test blocked
expect blocked 1 'the signing PIN is blocked .*\(402 PIN_NR_BLOCKED\); unblock it with your PUK'
add_unenrollable_user expiry +999000001208
run_test expiry test expiry
expect expiry 1 'the phone did not answer in time \(208 EXPIRED_TRANSACTION\); make sure the phone is on'
ok "unknown user (105), PIN blocked (402) and no answer (208): each in its words, exit 1"

# --- A signature that does not verify with the enrolled certificate: another key's.
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=Another key" -days 30 \
    -addext keyUsage=critical,nonRepudiation -keyout "$WORK/other.key" -out "$WORK/other.pem" \
    2>/dev/null || die "cannot make the other certificate"
add_unenrollable_user mismatch +99900000001 "$WORK/other.pem"
run_test mismatch test mismatch
expect mismatch 1 'FAILED: the signature does not verify with the enrolled certificate' \
    'run mss-tool enroll --renew mismatch'
ok "a signature that does not verify with the enrolled certificate: points to enroll --renew"

# --- A certificate for demo's signing key that ends in 10 days (refmssp's CA issues it):
# the key still signs, and the warning of show comes with it.
openssl x509 -in "$CACHE/demo/sign.pem" -pubkey -noout >"$WORK/demo-sign.pub"
openssl x509 -new -force_pubkey "$WORK/demo-sign.pub" -subj "/CN=Demo User soon" \
    -CA "$WORK/state/ca.pem" -CAkey "$WORK/state/ca.key" -days 10 \
    -extfile <(printf 'keyUsage=critical,nonRepudiation\n') -out "$WORK/soon.pem" 2>/dev/null ||
    die "cannot make the certificate that ends soon"
add_unenrollable_user soon +99900000001 "$WORK/soon.pem"
run_test soon test soon
expect soon 0 '^soon sign "Signing key": OK' \
    'warning: soon: the sign certificate expires in (9|10) days .* mss-tool enroll --renew soon'
ok "a certificate that ends within 30 days: the key signs, and the expiry warning comes with it"

# --- An expired enrolled certificate: refused here, the MSSP never asked.
expired_cert "$WORK/expired.pem"
add_unenrollable_user expired +99900000001 "$WORK/expired.pem"
before=$(mssp_signatures)
run_test expired test expired
expect expired 1 'the enrolled certificate expired on 2020-02-01 .*nothing was sent to the MSSP' \
    'mss-tool enroll --renew expired'
[ "$(mssp_signatures)" -eq "$before" ] || die "an expired certificate's key was sent to the MSSP"
ok "an expired certificate is refused before any request (refmssp saw no MSS_Signature)"

# --- The MSSP out of reach, and one whose TLS certificate ca_file does not vouch for.
sed "s|^url = .*|url = https://127.0.0.1:$(free_port)/mss|" "$CONF" >"$WORK/unreachable.conf"
run_test unreachable -c "$WORK/unreachable.conf" test demo
expect unreachable 1 'FAILED: cannot reach the MSSP at https://127.0.0.1:[0-9]+/mss' \
    'check url in \[mssp\], the network, and the proxy'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Foreign CA" \
    -days 30 -keyout "$WORK/foreign.key" -out "$WORK/foreign.pem" 2>/dev/null ||
    die "cannot make the foreign CA"
sed "s|^ca_file = .*|ca_file = $WORK/foreign.pem|" "$CONF" >"$WORK/foreign.conf"
run_test foreign -c "$WORK/foreign.conf" test demo
expect foreign 1 "the MSSP's TLS certificate is not trusted" "check ca_file in \\[mssp\\] \\($WORK/foreign.pem\\)"
ok "no MSSP at the url, and a ca_file that does not hold the MSSP's CA: each named with its fix"

# --- No configuration: where mss-tool looked.
MSS_PKCS11_CONF=$WORK/missing.conf run_test missing test
expect missing 1 'no configuration file' "MSS_PKCS11_CONF = $WORK/missing.conf"
ok "no configuration: says so and where it looked"

# --- The MSSP's clock against ours (libfaketime moves only mss-tool's clock).
if command -v faketime >/dev/null 2>&1; then
    STATUS=0
    faketime -f +10m "$MSS_TOOL" test demo >"$WORK/clock.out" 2>&1 || STATUS=$?
    expect clock 0 "warning: the MSSP's clock .* is 10 minutes behind this computer's" '2 keys signed'
    ! grep -q "clock" "$WORK/demo.out" || die "a clock warning without a skew: $(cat "$WORK/demo.out")"
    ok "a clock 10 minutes off the MSSP's Instant is warned about; in step, nothing is said"
else
    echo "# faketime is not installed (.ci/deps.sh installs it): the clock check was not run"
fi

# --- show --json: one document with the same facts, checked against openssl.
"$MSS_TOOL" show --json >"$WORK/show.json" 2>"$WORK/show.err" || true
python3 -m json.tool "$WORK/show.json" >/dev/null || die "show --json is not JSON: $(cat "$WORK/show.json")"
ok "mss-tool show --json parses with python3 -m json.tool"

pem_facts() {
    sha256_fp "$1"
    openssl x509 -in "$1" -noout -serial | cut -d= -f2
    date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ
}
mapfile -t authn < <(pem_facts "$CACHE/demo/authn.pem")
mapfile -t sign < <(pem_facts "$CACHE/demo/sign.pem")
url=$(sed -n 's/^url = //p' "$CONF")
python3 - "$WORK/show.json" "$CONF" "$url" "${authn[@]}" "${sign[@]}" <<'PY' || die "show --json has wrong values"
import json, sys
path, conf, url = sys.argv[1:4]
want = {"authn": sys.argv[4:7], "sign": sys.argv[7:10]}
doc = json.load(open(path))
def check(ok, what):
    if not ok:
        sys.exit(f"show --json: {what}")
check(doc["configuration"] == conf, f"configuration {doc['configuration']}")
check(doc["mssp"]["url"] == url, f"mssp.url {doc['mssp']['url']}")
check(doc["ok"] is False, "ok should be false (expired and mismatching users)")
users = {u["name"]: u for u in doc["users"]}
demo = users["demo"]
check(demo["msisdn"] == "+99900000001" and demo["label"] == "Demo User", "demo's msisdn/label")
keys = {k["role"]: k for k in demo["keys"]}
check(set(keys) == {"authn", "sign"}, "demo's keys")
for role, (fp, serial, not_after) in want.items():
    k = keys[role]
    c = k["certificate"]
    check(k["profile"] == f"mss:refmssp:{role}:loa{3 if role == 'authn' else 4}:sim", f"{role} profile")
    check(k["state"] == "valid" and k["usable"] is True and k["warnings"] == [], f"{role} state")
    check(c["sha256_fingerprint"] == fp, f"{role} fingerprint {c['sha256_fingerprint']} != {fp}")
    check(c["serial"] == serial, f"{role} serial {c['serial']} != {serial}")
    check(c["not_after"] == not_after, f"{role} notAfter {c['not_after']} != {not_after}")
    check("CN=Demo User" in c["subject"], f"{role} subject {c['subject']}")
    check(isinstance(c["days_left"], int) and c["days_left"] > 30, f"{role} days_left")
    check(c["not_before"] < c["not_after"], f"{role} notBefore")
soon = users["soon"]["keys"][0]
check(soon["state"] == "expiring" and soon["usable"] is True, "soon state")
check(9 <= soon["certificate"]["days_left"] <= 10, "soon days_left")
check(any("expires in" in w for w in soon["warnings"]), "soon warning")
expired = users["expired"]["keys"][0]
check(expired["state"] == "expired" and expired["usable"] is False, "expired state")
check(expired["certificate"]["not_after"] == "2020-02-01T00:00:00Z", "expired notAfter")
check(expired["certificate"]["days_left"] < 0, "expired days_left")
check(any("expired on 2020-02-01" in w for w in expired["warnings"]), "expired warning")
PY
ap_pwd=$(cat "$WORK/state/ap_pwd")
! grep -qF -- "$ap_pwd" "$WORK/show.json" || die "show --json printed ap_pwd"
ok "show --json: configuration, url, msisdn, label, profiles, and per certificate the fingerprint, serial and notAfter openssl reads; expiring and expired ones with their warnings; no ap_pwd"

echo "$PASSED passed, 0 failed"
