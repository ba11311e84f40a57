#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The interop tests, unchanged, through mss-relay (MSS_TEST_VIA=relay, via-relay-lib.sh):
# OpenSSH (test_ssh.sh), OpenSSL's s_client, dgst and cms (test_openssl.sh), NSS's tstclnt
# (test_nss.sh), Firefox and Chromium (test_browser.sh), pkcs11-tool's mechanisms and PAM,
# each with a module configuration that names the relay and holds no AP secret. Each
# test's relay audit log must show that its signatures went through the relay, as the one
# relay user, including the phone user a test adds after the relay has started.
. "$(dirname "$0")/test-lib.sh"
[ -x "$RELAY" ] || die "no mss-relay at $RELAY (build it first)"
TESTS_DIR=$(dirname "$0")
# What add_phone_user (e2e-lib.sh) gives refmssp after the relay runs.
LATER_PHONE=+99900000009

# audit_signatures FILE MSISDN: the relay's successful signatures for MSISDN in FILE.
audit_signatures() {
    grep '"operation":"MSS_Signature"' "$1" | grep '"outcome":"ok"' | grep -c "\"msisdn\":\"$2\"" || true
}

ran=()
skipped=()
for t in test_ssh test_openssl test_nss test_browser test_pkcs11_tool_mechanisms test_pam; do
    audit=$WORK/$t.audit.log
    status=0
    MSS_TEST_VIA=relay MSS_TEST_RELAY_AUDIT=$audit "$TESTS_DIR/$t.sh" >"$WORK/$t.out" 2>&1 ||
        status=$?
    case $status in
        0) ;;
        77) skipped+=("$t ($(sed -n 's/^SKIP: //p' "$WORK/$t.out" | head -n 1))"); continue ;;
        *) cat "$WORK/$t.out" >&2; die "$t fails through the relay (exit $status)" ;;
    esac
    [ -s "$audit" ] || die "$t passed, but the relay audited nothing: did it go through the relay?"
    signed=$(grep '"operation":"MSS_Signature"' "$audit" | grep -c '"outcome":"ok"' || true)
    [ "$signed" -gt 0 ] || die "$t: no successful signature in the relay's audit log"
    others=$(grep -vc '"user":"desktop"' "$audit" || true)
    [ "$others" = 0 ] || die "$t: $others audit lines of someone other than the relay user"
    # A phone the test adds once the relay runs must have signed through it too.
    if grep -q '^add_phone_user' "$TESTS_DIR/$t.sh"; then
        [ "$(audit_signatures "$audit" "$LATER_PHONE")" -gt 0 ] ||
            die "$t: no signature of the phone user added later ($LATER_PHONE) through the relay"
    fi
    ok "$t passes through the relay: $(grep -c '^ok ' "$WORK/$t.out") checks, $signed signatures in the relay's audit log"
    ran+=("$t")
done
for s in "${skipped[@]}"; do echo "# skipped: $s"; done
[ ${#ran[@]} -gt 0 ] || skip "no interop test could run here: ${skipped[*]}"
echo "$PASSED passed, 0 failed"
