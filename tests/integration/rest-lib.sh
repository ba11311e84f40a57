# SPDX-License-Identifier: BSD-3-Clause
# TS 102 204 requests as JSON (the REST binding, mss/rest.h) for the protocol tests, on top
# of refmssp-proto-lib.sh: the four requests in Kiuru's shape, the codes of an answer read
# with jq, and every JSON answer checked against tests/schemas/mss-rest.schema.json. The
# sending is the test's own (to refmssp as its AP, or to mss-relay as a relay user); it
# leaves the answer in $WORK/resp.json and its Content-Type in RESP_TYPE, then calls
# rest_check_answer. Another AP: AP_ID_OVERRIDE / AP_PWD_OVERRIDE, as for ap_info.
require_tools python3 jq
python3 -c 'import jsonschema' 2>/dev/null || skip "python3 has no jsonschema module (apt-get install python3-jsonschema)"
REST_SCHEMA=$top_srcdir/tests/schemas/mss-rest.schema.json
CHECK_JSON=$top_srcdir/tests/unit/check_json_schema.py

rest_header() {
    TRANS_N=$((TRANS_N + 1))
    printf '"MajorVersion":"1","MinorVersion":"1","AP_Info":{"AP_ID":"%s","AP_PWD":"%s","AP_TransID":"R%d","Instant":"%s"},"MSSP_Info":{"MSSP_ID":{}}' \
        "${AP_ID_OVERRIDE:-http://ap.refmssp.test}" "${AP_PWD_OVERRIDE:-$AP_PWD}" "$TRANS_N" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
# rest_sig MODE MSISDN DTBS_FILE [PROFILE] [FORMAT]
rest_sig() {
    printf '{"MSS_SignatureReq":{%s,"MessagingMode":"%s","TimeOut":"60","MobileUser":{"MSISDN":"%s"},"DataToBeSigned":{"MimeType":"application/octet-stream","Encoding":"base64","Data":"%s"}%s%s}}' \
        "$(rest_header)" "$1" "$2" "$(base64 -w0 <"$3")" \
        "${4:+,\"SignatureProfile\":\"$4\"}" "${5:+,\"MSS_Format\":\"$5\"}"
}
rest_status() { printf '{"MSS_StatusReq":{%s,"MSSP_TransID":"%s"}}' "$(rest_header)" "$1"; }
rest_profile() {
    printf '{"MSS_ProfileReq":{%s,"MobileUser":{"MSISDN":"%s"},"GetCertificates":true}}' "$(rest_header)" "$1"
}
rest_receipt() {
    printf '{"MSS_ReceiptReq":{%s,"MSSP_TransID":"%s","MobileUser":{"MSISDN":"%s"},"Message":{"MimeType":"text/plain","Encoding":"UTF-8","Data":"%s"}}}' \
        "$(rest_header)" "$1" "$2" "$3"
}

# rest_check_answer WHERE: the answer in $WORK/resp.json is JSON (RESP_TYPE) and valid
# against the schema; HTTP (already set), CODE (status or fault code) and SPEC (a fault's
# specifier) read from it.
REST_CHECKED=0
rest_check_answer() {
    [ "$RESP_TYPE" = application/json ] || die "$1 answered $RESP_TYPE: $(cat "$WORK/resp.json")"
    python3 "$CHECK_JSON" "$REST_SCHEMA" "$WORK/resp.json" >"$WORK/schema.log" 2>&1 ||
        die "the response does not validate: $(cat "$WORK/schema.log") $(cat "$WORK/resp.json")"
    REST_CHECKED=$((REST_CHECKED + 1))
    rest_codes
}
rest_codes() {
    CODE=$(jq -r '(.Fault.Code.SubCode.Value // (.[]|.Status.StatusCode.Value)) // ""' "$WORK/resp.json")
    CODE=${CODE#_}
    SPEC=$(jq -r '.Fault.Code.SubCode.SubCode.Value // ""' "$WORK/resp.json")
    SPEC=${SPEC#_}
}
rest_expect() {
    [ "$HTTP" = "$2" ] && [ "$CODE" = "$3" ] && { [ -z "${4:-}" ] || [ "$SPEC" = "$4" ]; } ||
        die "$1: expected HTTP $2 code $3${4:+/$4}, got HTTP $HTTP code $CODE/$SPEC: $(cat "$WORK/resp.json")"
}
rest_trans_id() { jq -r '.MSS_SignatureResp.MSSP_TransID // ""' "$WORK/resp.json"; }
rest_signature_to() {
    jq -r '(.MSS_SignatureResp // .MSS_StatusResp).MSS_Signature.Base64Signature' "$WORK/resp.json" |
        base64 -d >"$1"
}
