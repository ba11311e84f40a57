#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# refmssp killed with SIGKILL in the middle of a load of asynchClientServer signatures,
# then started again on the same folder: every transaction it answered (an MSSP_TransID,
# a final status) is still there with the same outcome, byte for byte the same signature,
# and every transaction pending at the kill ends cleanly (208 EXPIRED_TRANSACTION, 2081)
# instead of staying 504 forever; the phones are free again. The kill comes once the
# load has got enough answers (waited for, not slept); what was in flight then is not
# checked, as no one was answered for it. MSS_TEST_BINDING=rest runs it over REST
# (docs/testing.md, "Both bindings"); make check runs it over SOAP only, as what it checks,
# the store across a kill, is the same whichever binding brought the requests.
. "$(dirname "$0")/refmssp-proto-lib.sh"
proto_start

DEMO=+99900000001   # policy approve: signed at once, final on the first status query
MANUAL=(+35800000101 +35800000102 +35800000103)   # policy manual: pending until a person answers
for i in "${!MANUAL[@]}"; do
    "$REFMSSP" user add "$STATE" "waiting$i" --msisdn "${MANUAL[i]}" --policy manual \
        --authn ecp256 --sign ecp256 >/dev/null || die "user add waiting$i failed"
done
sha256_digest_info /dev/null "$WORK/di"                 # for DEMO's RSA key
openssl dgst -sha256 -binary /dev/null >"$WORK/h32"    # a bare hash for the P-256 keys

# Requests pending at the kill: one per phone (a phone takes one request at a time).
PENDING=()
for msisdn in "${MANUAL[@]}"; do
    post "$(sig_req asynchClientServer "$msisdn" "$WORK/h32" "" "" 600)"
    expect "request for $msisdn" 200 100
    PENDING+=("$(trans_id)")
    post "$(status_req "${PENDING[-1]}")"
    expect "pending before the kill" 200 504
done
ok "${#PENDING[@]} requests wait for a person (504)"

# The load: signature request, then its status query, over and over, until refmssp is
# gone (the loop is bounded). Each answer is written down as soon as it came: an
# MSSP_TransID to answered.txt, a final status to final.txt with its signature's SHA-256.
# It runs in a subshell with a scratch folder of its own (post writes its request and
# response files there) and ends quietly when the server stops answering.
load() {
    WORK=$WORK/load
    mkdir -p "$WORK"
    # Once refmssp is killed every request fails: the load ends there, saying why.
    die() { echo "$*" >>"$WORK/../load-ended.txt"; exit 0; }
    local i id
    for ((i = 0; i < 2000; i++)); do
        post "$(sig_req asynchClientServer $DEMO "$WORK/../di")"
        [ "$CODE" = 100 ] || exit 0
        id=$(trans_id)
        echo "$id" >>"$WORK/../answered.txt"
        post "$(status_req "$id")"
        [ "$CODE" = 500 ] || exit 0
        signature_to "$WORK/sig"
        echo "$id $CODE $(sha256sum <"$WORK/sig" | cut -d' ' -f1)" >>"$WORK/../final.txt"
    done
}
: >"$WORK/answered.txt"
: >"$WORK/final.txt"
load &
LOAD_PID=$!
at_exit "kill $LOAD_PID 2>/dev/null || true"
finals() { [ "$(wc -l <"$WORK/final.txt")" -ge "$1" ]; }
# Five final statuses are enough to kill "in the middle". Each round trip here starts
# curl and xmllint several times, which on a loaded machine takes seconds: the guard
# is three start-up guards long, and only waits for the state.
wait_for $((3 * SETTLE_S)) "5 answered signatures" finals 5 ||
    die "the load got $(wc -l <"$WORK/final.txt") final statuses; it ended with: $(cat "$WORK/load-ended.txt" 2>/dev/null)"
kill -KILL "$REFMSSP_PID"
wait "$REFMSSP_PID" 2>/dev/null || true
REFMSSP_PID=""
wait "$LOAD_PID" || true
ANSWERED=$(wc -l <"$WORK/answered.txt")
FINAL=$(wc -l <"$WORK/final.txt")
ok "SIGKILL in the middle of the load, after $ANSWERED MSSP_TransIDs and $FINAL final statuses"

refmssp_start "$STATE" || die "refmssp did not start again after SIGKILL"
grep -q "pending transaction(s) of the previous run expired (208)" "$REFMSSP_LOG" ||
    die "the restart did not say it expired the pending transactions"
ok "refmssp starts again on the same folder"

# Every final status answered before the kill: the same status and the same signature.
while read -r id code sig_sha; do
    post "$(status_req "$id")"
    expect "answered $id after the restart" 200 "$code"
    signature_to "$WORK/sig"
    [ "$(sha256sum <"$WORK/sig" | cut -d' ' -f1)" = "$sig_sha" ] ||
        die "$id: another signature after the restart"
done <"$WORK/final.txt"
# Every MSSP_TransID answered: there, and final (its SIM signed it before the answer).
while read -r id; do
    post "$(status_req "$id")"
    expect "MSSP_TransID $id after the restart" 200 500
done <"$WORK/answered.txt"
ok "all $ANSWERED answered transactions are there, the $FINAL final ones with the same signature"

for id in "${PENDING[@]}"; do
    post "$(status_req "$id")"
    expect "pending at the kill: $id" 500 208 2081
done
for msisdn in "${MANUAL[@]}"; do
    post "$(sig_req asynchClientServer "$msisdn" "$WORK/h32")"
    expect "the phone $msisdn after the restart" 200 100
done
ok "the ${#PENDING[@]} transactions pending at the kill end with 208/2081; their phones take requests again"
schema_summary
echo "# $PASSED checks passed"
