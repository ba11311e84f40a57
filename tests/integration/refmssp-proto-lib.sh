# SPDX-License-Identifier: BSD-3-Clause
# The refmssp protocol tests' helpers, on top of test-lib.sh: TS 102 204 requests as
# text, sent with curl over the AP's client certificate; status and fault codes read
# with xmllint; the MSS element of every response checked against MSS-plus.xsd in
# MSS_SCHEMA_DIR (tests/schemas). proto_start starts refmssp and sets STATE (its
# folder), URL_BASE and AP_PWD.
# Another AP: AP_ID_OVERRIDE / AP_PWD_OVERRIDE for the message, AP_CERT / AP_KEY for
# the TLS client certificate.
# MSS_TEST_BINDING=rest sends the same requests over the REST/JSON binding: post turns
# each into JSON with mss_rebind (libmsscodec), posts it as application/json (to /mss, and
# to Kiuru's /restapi where the SOAP request names another path), checks the JSON answer
# against tests/schemas/mss-rest.schema.json (all at once, in schema_summary) and turns it
# back into SOAP in $WORK/resp.xml, so the same xpaths read it. soap_only marks the checks
# that have no JSON form.
. "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"
require_tools curl openssl xmllint
: "${MSS_SCHEMA_DIR:=$top_srcdir/tests/schemas}"
# Every response is schema-checked: without the schemas the test would prove less, so fail.
[ -f "$MSS_SCHEMA_DIR/MSS-plus.xsd" ] || { echo "no TS 102 204 schemas in $MSS_SCHEMA_DIR" >&2; exit 1; }
: "${MSS_TEST_BINDING:=soap}"
case $MSS_TEST_BINDING in
soap) ;;
rest)
    require_tools python3
    python3 -c 'import jsonschema' 2>/dev/null ||
        skip "python3 has no jsonschema module (apt-get install python3-jsonschema)"
    REBIND=$top_builddir/tests/integration/mss_rebind
    [ -x "$REBIND" ] || { echo "no $REBIND: run through make check" >&2; exit 1; }
    ;;
*) echo "MSS_TEST_BINDING is soap or rest, not '$MSS_TEST_BINDING'" >&2; exit 1 ;;
esac
echo "# binding: $MSS_TEST_BINDING"

# soap_only WHY: true over SOAP; over REST false, after saying which check is left out
# and why (a check with a JSON counterpart asserts that instead, or names where it is).
soap_only() {
    [ "$MSS_TEST_BINDING" = soap ] && return 0
    echo "# SOAP only, not run over REST: $*"
    return 1
}

# (The protocol tests speak to refmssp as its AP, so MSS_TEST_VIA does not apply to them.)
proto_start() {
    mssp_start_direct
    STATE=$WORK/state
    mssp_url_base
    AP_PWD=$(cat "$STATE/ap_pwd")
}

NS_ENV=http://www.w3.org/2003/05/soap-envelope
NS_MSS=http://uri.etsi.org/TS102204/v1.1.2#
KIURU=http://www.methics.fi/KiuruMSSP/v3.2.0#PKCS1
FICOM=http://mss.ficom.fi/TS102204/v1.0.0#PKCS1
AUTHN=mss:refmssp:authn:loa3:sim
SIGN=mss:refmssp:sign:loa4:sim
TRANS_N=0

envelope() { printf '<env:Envelope xmlns:env="%s" xmlns:mss="%s"><env:Body>%s</env:Body></env:Envelope>' "$NS_ENV" "$NS_MSS" "$1"; }

ap_info() {
    TRANS_N=$((TRANS_N + 1))
    printf '<mss:AP_Info AP_ID="%s" AP_TransID="A%d" AP_PWD="%s" Instant="%s"/><mss:MSSP_Info><mss:MSSP_ID/></mss:MSSP_Info>' \
        "${AP_ID_OVERRIDE:-http://ap.refmssp.test}" "$TRANS_N" "${AP_PWD_OVERRIDE:-$AP_PWD}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}

# sig_req MODE MSISDN DTBS_FILE [PROFILE] [FORMAT] [TIMEOUT_S] [DTBD] [EVENT_ID]
sig_req() {
    local mode=$1 msisdn=$2 dtbs profile=${4:-} format=${5:-} timeout=${6:-} dtbd=${7:-} ev=${8:-}
    dtbs=$(base64 -w0 <"$3")
    envelope "<MSS_Signature><mss:MSS_SignatureReq MajorVersion=\"1\" MinorVersion=\"1\" MessagingMode=\"$mode\"${timeout:+ TimeOut=\"$timeout\"}>$(ap_info)<mss:MobileUser><mss:MSISDN>$msisdn</mss:MSISDN></mss:MobileUser><mss:DataToBeSigned MimeType=\"application/octet-stream\" Encoding=\"base64\">$dtbs</mss:DataToBeSigned>${dtbd:+<mss:DataToBeDisplayed MimeType=\"text/plain\" Encoding=\"UTF-8\">$dtbd</mss:DataToBeDisplayed>}${profile:+<mss:SignatureProfile><mss:mssURI>$profile</mss:mssURI></mss:SignatureProfile>}${ev:+<mss:AdditionalServices><mss:Service><mss:Description><mss:mssURI>http://mss.ficom.fi/TS102204/v1.0.0#eventId</mss:mssURI></mss:Description><fi:EventID xmlns:fi=\"http://mss.ficom.fi/TS102204/v1.0.0#\">$ev</fi:EventID></mss:Service></mss:AdditionalServices>}${format:+<mss:MSS_Format><mss:mssURI>$format</mss:mssURI></mss:MSS_Format>}</mss:MSS_SignatureReq></MSS_Signature>"
}

status_req() {
    envelope "<MSS_StatusQuery><mss:MSS_StatusReq MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"$1\">$(ap_info)</mss:MSS_StatusReq></MSS_StatusQuery>"
}

profile_req() {
    envelope "<MSS_ProfileQuery><mss:MSS_ProfileReq MajorVersion=\"1\" MinorVersion=\"1\">$(ap_info)<mss:MobileUser><mss:MSISDN>$1</mss:MSISDN></mss:MobileUser><mss:GetCertificates>true</mss:GetCertificates></mss:MSS_ProfileReq></MSS_ProfileQuery>"
}

# receipt_req MSSP_TRANSID MSISDN MESSAGE
receipt_req() {
    envelope "<MSS_Receipt><mss:MSS_ReceiptReq MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"$1\">$(ap_info)<mss:MobileUser><mss:MSISDN>$2</mss:MSISDN></mss:MobileUser><mss:Message MimeType=\"text/plain\" Encoding=\"UTF-8\">$3</mss:Message></mss:MSS_ReceiptReq></MSS_Receipt>"
}

# post XML [PATH] [extra curl args…] (NO_CERT=1: without the client certificate): the response lands in $WORK/resp.xml, the HTTP
# status in HTTP, the MSS status or fault code in CODE, a fault's specifier in SPEC.
# Over REST the request and answer are also in $WORK/req.json and $WORK/resp.json.
# RAW_BODY=1: XML is sent as it is, in the binding's Content-Type (garbage, say). LAST_BODY
# holds the curl arguments that sent the last body, for a test's own curl.
post() {
    local xml=$1 path=${2:-/mss}
    shift $(( $# >= 2 ? 2 : 1 ))
    printf '%s' "$xml" >"$WORK/req.xml"
    local cert=(--cert "${AP_CERT:-$STATE/ap.pem}" --key "${AP_KEY:-$STATE/ap.key}")
    [ -z "${NO_CERT:-}" ] || cert=()
    if [ "$MSS_TEST_BINDING" = rest ]; then
        LAST_BODY=(-H 'Content-Type: application/json' --data-binary @"$WORK/req.json")
        post_rest "$path" "${cert[@]}" "$@"
    else
        LAST_BODY=(-H 'Content-Type: application/soap+xml; charset=utf-8' --data-binary @"$WORK/req.xml")
        HTTP=$(curl -sS --max-time "$SETTLE_S" --cacert "$STATE/ca.pem" "${cert[@]}" \
            -H 'Content-Type: application/soap+xml; charset=utf-8' \
            --data-binary @"$WORK/req.xml" -o "$WORK/resp.xml" -w '%{http_code}' "$@" \
            "$URL_BASE$path") || die "curl failed for $path"
    fi
    echo "$HTTP" >"$WORK/http.code"   # for a post run in the background
    read_codes
    check_schema
}

# post_rest PATH [curl args…]: $WORK/req.xml as JSON; /mss stays (refmssp reads JSON there
# by its Content-Type), SOAP's other paths (the per-operation ports, /) become Kiuru's one
# URL. The answer must be JSON; it is kept for schema_summary and turned back into SOAP.
JSON_ANSWERS=0
post_rest() {
    local path=$1 type
    shift
    if [ "$path" != /mss ]; then
        echo "# over REST: $path is a SOAP path; posted to /restapi"
        path=/restapi
    fi
    if [ -n "${RAW_BODY:-}" ]; then
        cp "$WORK/req.xml" "$WORK/req.json"
    else
        "$REBIND" soap-to-rest <"$WORK/req.xml" >"$WORK/req.json" 2>"$WORK/rebind.err" ||
            die "the request has no JSON form: $(cat "$WORK/rebind.err")"
    fi
    HTTP=$(curl -sS --max-time "$SETTLE_S" --cacert "$STATE/ca.pem" \
        -H 'Content-Type: application/json' --data-binary @"$WORK/req.json" \
        -o "$WORK/resp.json" -w '%{http_code}|%{content_type}' "$@" "$URL_BASE$path") ||
        die "curl failed for $path"
    type=${HTTP#*|} HTTP=${HTTP%%|*}
    [ "$type" = application/json ] || die "$path answered $type: $(cat "$WORK/resp.json")"
    # A post in the background has its own counter: the name says which shell kept it.
    JSON_ANSWERS=$((JSON_ANSWERS + 1))
    mkdir -p "$WORK/json-answers"
    cp "$WORK/resp.json" "$WORK/json-answers/$BASHPID-$JSON_ANSWERS.json"
    "$REBIND" rest-to-soap <"$WORK/resp.json" >"$WORK/resp.xml" 2>"$WORK/rebind.err" ||
        die "the JSON answer does not decode: $(cat "$WORK/rebind.err") $(cat "$WORK/resp.json")"
}

xp() { xmllint --xpath "$1" "$WORK/resp.xml" 2>/dev/null || true; }

read_codes() {
    CODE="" SPEC=""
    local sub
    sub=$(xp "string(//*[local-name()='Fault']/*[local-name()='Code']/*[local-name()='Subcode']/*[local-name()='Value'])")
    if [ -n "$sub" ]; then
        CODE=${sub##*:}; CODE=${CODE#_}
        SPEC=$(xp "string(//*[local-name()='Subcode']/*[local-name()='Subcode']/*[local-name()='Value'])")
        SPEC=${SPEC##*:}; SPEC=${SPEC#_}
    else
        CODE=$(xp "string(//*[local-name()='Status']/*[local-name()='StatusCode']/@Value)")
    fi
}

SCHEMA_CHECKED=0
check_schema() {
    # Over REST the SOAP in resp.xml is mss_rebind's own; refmssp's JSON is checked in
    # schema_summary.
    if [ "$MSS_TEST_BINDING" = rest ]; then
        SCHEMA_CHECKED=$((SCHEMA_CHECKED + 1))
        return
    fi
    if [ -n "$(xp "//*[local-name()='Fault']")" ]; then
        xmllint --nonet --noout --schema "$MSS_SCHEMA_DIR/soap-envelope.xsd" "$WORK/resp.xml" \
            2>"$WORK/schema.err" || die "fault does not validate: $(cat "$WORK/schema.err")"
    else
        xp "/*[local-name()='Envelope']/*[local-name()='Body']/*/*" >"$WORK/mss.xml"
        [ -s "$WORK/mss.xml" ] || die "no MSS element in the response: $(cat "$WORK/resp.xml")"
        xmllint --nonet --noout --schema "$MSS_SCHEMA_DIR/MSS-plus.xsd" "$WORK/mss.xml" \
            2>"$WORK/schema.err" || die "response does not validate: $(cat "$WORK/schema.err")"
    fi
    SCHEMA_CHECKED=$((SCHEMA_CHECKED + 1))
}

# schema_summary: the last check of a test: responses were checked, and over REST every
# JSON answer (the background ones too) validates against mss-rest.schema.json.
schema_summary() {
    [ $SCHEMA_CHECKED -gt 0 ] || die "no response was checked against the schemas"
    if [ "$MSS_TEST_BINDING" = soap ]; then
        ok "$SCHEMA_CHECKED responses validated against MSS-plus.xsd / the SOAP 1.2 schema"
        return
    fi
    local answers=("$WORK"/json-answers/*.json)
    [ -f "${answers[0]}" ] || die "no JSON answer was kept"
    python3 "$top_srcdir/tests/unit/check_json_schema.py" \
        "$top_srcdir/tests/schemas/mss-rest.schema.json" "${answers[@]}" >"$WORK/json-schema.log" 2>&1 ||
        die "JSON answers do not validate: $(head -20 "$WORK/json-schema.log")"
    ok "${#answers[@]} JSON answers validated against mss-rest.schema.json"
}

# expect WHAT HTTP CODE [SPEC]
expect() {
    [ "$HTTP" = "$2" ] && [ "$CODE" = "$3" ] && { [ -z "${4:-}" ] || [ "$SPEC" = "$4" ]; } ||
        die "$1: expected HTTP $2 code $3${4:+/$4}, got HTTP $HTTP code $CODE/$SPEC: $(cat "$WORK/resp.xml")"
}

trans_id() { xp "string(//*[local-name()='MSS_SignatureResp']/@MSSP_TransID)"; }

# The signature bytes of the response (Base64Signature or fi:PKCS1/SignatureValue).
signature_to() {
    local b64
    b64=$(xp "string(//*[local-name()='Base64Signature'])")
    [ -n "$b64" ] || b64=$(xp "string(//*[local-name()='SignatureValue'])")
    printf '%s' "$b64" | base64 -d >"$1"
}

# The certificate of a user's key (ProfileQuery with GetCertificates) as a public key PEM.
pubkey_of() {
    local msisdn=$1 profile=$2 out=$3
    post "$(profile_req "$msisdn")"
    expect "profile query of $msisdn" 200 100
    xp "string(//*[local-name()='MobileUserCertificate'][@SignatureProfiles='$profile']//*[local-name()='X509Certificate'])" |
        base64 -d >"$WORK/cert.der"
    openssl x509 -inform DER -in "$WORK/cert.der" -pubkey -noout >"$out" ||
        die "no certificate for $profile of $msisdn"
}

# poll_until TRANS_ID CODE [MAX_S]: status queries until CODE comes back (at most MAX_S
# seconds, default SETTLE_S); anything but 504 (still pending) on the way fails the test.
poll_until() {
    wait_for "${3:-$SETTLE_S}" "status $2 of $1" status_is "$1" "$2" || die "status query of $1: still 504"
}
status_is() {
    post "$(status_req "$1")"
    [ "$CODE" = "$2" ] && return 0
    [ "$CODE" = 504 ] || die "status query of $1: got $CODE while waiting for $2"
    return 1
}
