#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Schema conformance of the REST binding: every JSON body test_codec_rest makes the encoder
# write (every message type, full and minimal), every body libmssclient sends and the mock
# MSSP answers in the contract table's REST run (tests/contract), and the Kiuru-shaped samples of
# tests/fuzz/seeds-json, validate against tests/schemas/mss-rest.schema.json (written from
# the public material; docs/protocol-profile.md). The schema's teeth are checked too: a
# misspelt field and a number written as a JSON number fail. Skips without python3's
# jsonschema module (Debian: python3-jsonschema).
. "$top_srcdir/tests/integration/test-lib.sh"
require_tools python3
SCHEMA=$top_srcdir/tests/schemas/mss-rest.schema.json
CHECK=$top_srcdir/tests/unit/check_json_schema.py
python3 -c 'import jsonschema' 2>/dev/null || skip "python3 has no jsonschema module (apt-get install python3-jsonschema)"

mkdir "$WORK/bodies" || die "cannot create $WORK/bodies"
MSS_REST_DUMP_DIR=$WORK/bodies "$top_builddir/tests/unit/test_codec_rest" >"$WORK/unit.log" 2>&1 ||
    die "test_codec_rest failed: $(tail -20 "$WORK/unit.log")"
shopt -s nullglob
bodies=("$WORK"/bodies/*.json)
[ "${#bodies[@]}" -ge 20 ] || die "test_codec_rest wrote only ${#bodies[@]} bodies"
for type in MSS_SignatureReq MSS_SignatureResp MSS_StatusReq MSS_StatusResp MSS_ReceiptReq \
    MSS_ReceiptResp MSS_ProfileReq MSS_ProfileResp Fault; do
    ls "$WORK"/bodies/*-"$type".json >/dev/null 2>&1 || die "no $type body was written"
done
python3 "$CHECK" "$SCHEMA" "${bodies[@]}" >"$WORK/check.log" 2>&1 ||
    die "encoder output does not validate: $(head -20 "$WORK/check.log")"
ok "${#bodies[@]} bodies of all 9 message types the encoder wrote validate against mss-rest.schema.json"

# What libmssclient itself sends over REST (each of its four request types, as
# mss_client_sign, _profile_query and _receipt build them) and what the mock MSSP answers:
# the contract table's run against the mock over REST, its bodies saved by the mock.
mkdir "$WORK/client" || die "cannot create $WORK/client"
MSS_REST_DUMP_DIR=$WORK/client "$top_builddir/tests/contract/test_contract_mock" \
    >"$WORK/contract.log" 2>&1 || die "test_contract_mock failed: $(tail -20 "$WORK/contract.log")"
for type in MSS_SignatureReq MSS_StatusReq MSS_ReceiptReq MSS_ProfileReq; do
    ls "$WORK"/client/*-"$type".json >/dev/null 2>&1 || die "the client sent no $type over REST"
done
exchanged=("$WORK"/client/*.json)
python3 "$CHECK" "$SCHEMA" "${exchanged[@]}" >"$WORK/client.log" 2>&1 ||
    die "what the client sent or the mock answered does not validate: $(head -20 "$WORK/client.log")"
ok "${#exchanged[@]} bodies libmssclient sent (all 4 request types) and the mock answered validate"

samples=("$top_srcdir"/tests/fuzz/seeds-json/kiuru_*.json)
[ "${#samples[@]}" -ge 8 ] || die "the Kiuru samples are missing from tests/fuzz/seeds-json"
python3 "$CHECK" "$SCHEMA" "${samples[@]}" >"$WORK/samples.log" 2>&1 ||
    die "the hand-written Kiuru samples do not validate: $(head -20 "$WORK/samples.log")"
ok "${#samples[@]} hand-written Kiuru samples validate"

# The schema refuses what it should: a misspelt member, a code as a JSON number.
printf '%s' '{"MSS_StatusReq":{"MajorVersion":"1","MinorVersion":"1","AP_Info":{"AP_ID":"a","AP_TransID":"t"},"MSSP_Info":{"MSSP_ID":{}},"MSSP_TransId":"x"}}' >"$WORK/misspelt.json"
printf '%s' '{"MSS_ReceiptResp":{"MajorVersion":"1","MinorVersion":"1","AP_Info":{"AP_ID":"a","AP_TransID":"t"},"MSSP_Info":{"MSSP_ID":{}},"Status":{"StatusCode":{"Value":100}}}}' >"$WORK/number.json"
for bad in misspelt number; do
    if python3 "$CHECK" "$SCHEMA" "$WORK/$bad.json" >"$WORK/$bad.log" 2>&1; then
        die "the schema accepts the $bad body"
    fi
done
ok "the schema refuses a misspelt field and a status code written as a JSON number"
echo "$PASSED passed, 0 failed"
