#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module and mss-tool over the REST/JSON binding (binding = rest): mss-tool enrolls
# with a JSON profile query, and pkcs11-tool signs RSA PKCS#1 v1.5, RSA-PSS and ECDSA in
# both messaging modes, each signature verified by openssl against the cached
# certificate. The URL is refmssp's /restapi, which reads every body as JSON: a SOAP
# request there fails, so a signature that verifies went over REST. Then HTTP Basic in
# place of the client certificate.
. "$(dirname "$0")/e2e-lib.sh"
mssp_start
mssp_url_base
conf_set url "$URL_BASE/restapi"
conf_set binding rest
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll over REST failed: $(cat "$WORK/enroll.out")"
[ -s "$WORK/state/cache/demo/sign.pem" ] || die "enroll over REST cached no certificate"
ok "binding = rest: mss-tool enroll reads the certificates from a JSON profile query"
printf 'signed over REST\n' >"$WORK/doc.txt"

for mode in synch asynchClientServer; do
    conf_set messaging_mode $mode
    p11_sign_verified_ok "$mode over REST" "Demo User" demo SHA256-RSA-PKCS -- -sha256
    p11_sign_verified_ok "$mode over REST" "Demo PSS User" demo-pss SHA256-RSA-PKCS-PSS --mgf MGF1-SHA256 -- \
        -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32
    p11_sign_verified_ok "$mode over REST" "Demo EC User" demo-ec ECDSA-SHA384 --signature-format openssl -- -sha384
done
grep -q "MSS_StatusQuery" "$REFMSSP_LOG" || die "asynchClientServer made no status query"

# The same URL with the SOAP binding: refmssp reads the body as JSON, and signing fails.
conf_set binding soap
id=$(p11_key_id "$MODULE" "Signing key" "Demo User")
if timeout 60 pkcs11-tool --module "$MODULE" --token-label "Demo User" --id "$id" --sign \
    -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/sig" >"$WORK/soap.out" 2>&1; then
    die "a SOAP request to /restapi signed: the REST signatures above prove nothing"
fi
ok "control: binding = soap against the REST-only /restapi does not sign"

# HTTP Basic instead of the client certificate (refmssp ap_auth = basic; the module's
# http_user and http_password_file).
refmssp_stop
BASIC_PWD=$(openssl rand -hex 16)
printf 'ap_auth = basic\nap_basic_pwd = %s\n' "$BASIC_PWD" >>"$WORK/state/refmssp.conf"
refmssp_start "$WORK/state" || die "refmssp did not start with ap_auth = basic"
conf_set binding rest
conf_set messaging_mode synch
sed -i '/^client_cert = /d; /^client_key = /d' "$MSS_PKCS11_CONF"
( umask 077; printf '%s\n' "$BASIC_PWD" >"$WORK/basic_pwd" )
sed -i "s|^binding = rest\$|&\nhttp_user = ap\nhttp_password_file = $WORK/basic_pwd|" "$MSS_PKCS11_CONF"
p11_sign_verified_ok "HTTP Basic" "Demo User" demo SHA256-RSA-PKCS -- -sha256
printf 'wrong\n' >"$WORK/basic_pwd"
if timeout 60 pkcs11-tool --module "$MODULE" --token-label "Demo User" --id "$id" --sign \
    -m SHA256-RSA-PKCS -i "$WORK/doc.txt" -o "$WORK/sig" >"$WORK/basic.out" 2>&1; then
    die "a wrong HTTP Basic password signed"
fi
ok "HTTP Basic over REST (http_user, http_password_file) without a client certificate; a wrong password does not sign"
echo "$PASSED passed, 0 failed"
