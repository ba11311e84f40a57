#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The stock PKCS#11 tools against the module and a refmssp of their own:
# pkcs11-tool --test and --test-fork with and without CKF_OS_LOCKING_OK,
# --test-threads with both init modes (IN: NULL args, IL: OS locking), and
# p11tool --test-sign for every private key (RSA; RSA-PSS for keys allowed PSS;
# ECDSA for EC keys), which signs through the module and verifies the result.
# Scratch space in the build tree: nothing else cleans it up under our feet.
TEST_WORK_IN_BUILDDIR=1
. "$(dirname "$0")/e2e-lib.sh"
require_tools --package gnutls-bin p11tool
mssp_start
export MSS_PKCS11_LOG=$WORK/module.log
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll failed: $(cat "$WORK/enroll.out")"

for locking in "" --use-locking; do
    mode=${locking:-"NULL init args"}
    timeout 300 pkcs11-tool --module "$MODULE" $locking --login --pin 0000 --test \
        >"$WORK/test.out" 2>&1 || die "pkcs11-tool --test ($mode) failed: $(cat "$WORK/test.out")"
    grep -q "^No errors" "$WORK/test.out" || die "pkcs11-tool --test ($mode): $(cat "$WORK/test.out")"
    # The signature and verify sections really ran (they are skipped for mechanisms
    # without CKF_HW or keys without CKA_SIGN).
    grep -q "SHA256-RSA-PKCS: OK" "$WORK/test.out" || die "no signature test ran: $(cat "$WORK/test.out")"
    ok "pkcs11-tool --test ($mode): no errors, signatures and C_Verify tested"

    timeout 60 pkcs11-tool --module "$MODULE" $locking --test-fork \
        >"$WORK/fork.out" 2>&1 || die "pkcs11-tool --test-fork ($mode) failed: $(cat "$WORK/fork.out")"
    grep -q "forked child" "$WORK/fork.out" || die "--test-fork did not fork: $(cat "$WORK/fork.out")"
    ok "pkcs11-tool --test-fork ($mode): the child's C_Initialize succeeds"
done

# Threads racing C_Initialize (NULL and OS locking), C_GetInfo, slot and token info.
timeout 120 pkcs11-tool --module "$MODULE" --test-threads INGISLT0 --test-threads ILGISLT0 \
    --test-threads INSLT0GISLP1 --test-threads ILT0GI -L >"$WORK/threads.out" 2>&1 ||
    die "pkcs11-tool --test-threads failed: $(cat "$WORK/threads.out")"
n=$(grep -c "returning rv = 0" "$WORK/threads.out" || true)
[ "$n" -eq 4 ] || die "expected 4 threads returning 0, got $n: $(cat "$WORK/threads.out")"
if grep "returned CKR_" "$WORK/threads.out" | grep -v "CKR_OK\|CKR_CRYPTOKI_ALREADY_INITIALIZED"; then
    die "a thread got an unexpected return value"
fi
ok "pkcs11-tool --test-threads with IN and IL: 4 threads, every call CKR_OK"

# Allowed mechanisms of a private key (by hex CKA_ID), over every slot.
allowed_mechanisms() {
    local slots i
    slots=$(pkcs11-tool --module "$MODULE" -L 2>/dev/null | grep -c "^Slot ")
    for i in $(seq 0 $((slots - 1))); do
        pkcs11-tool --module "$MODULE" --slot-index "$i" -O --type privkey 2>/dev/null
    done | awk -v want="$1" '
        /^ *ID:/ { id = $2 }
        /Allowed mechanisms:/ { if (id == want) { print $3; exit } }'
}

p11tool --provider "$MODULE" --list-all-privkeys 'pkcs11:' >"$WORK/keys.out" 2>&1 ||
    die "p11tool --list-all-privkeys failed: $(cat "$WORK/keys.out")"
rsa=0 pss=0 ec=0
while read -r url; do
    type=$(grep -A1 -F "URL: $url" "$WORK/keys.out" | sed -n 's/^\tType: Private key (\(.*\)-.*)/\1/p')
    id=$(grep -A4 -F "URL: $url" "$WORK/keys.out" | sed -n 's/^\tID: //p' | tr -d ':')
    timeout 60 p11tool --provider "$MODULE" --test-sign "$url" >"$WORK/sign.out" 2>&1 ||
        die "p11tool --test-sign $url failed: $(cat "$WORK/sign.out")"
    grep -q "Verifying against public key in the token... ok" "$WORK/sign.out" ||
        die "p11tool --test-sign $url: $(cat "$WORK/sign.out")"
    case $type in
        RSA) rsa=$((rsa + 1)) ;;
        EC*|ECDSA) ec=$((ec + 1)) ;;
    esac
    ok "p11tool --test-sign $type key $id: signed and verified"
    if [ "$type" = RSA ] && allowed_mechanisms "$id" | grep -q "RSA-PKCS-PSS"; then
        timeout 60 p11tool --provider "$MODULE" --sign-params rsa-pss --test-sign "$url" \
            >"$WORK/pss.out" 2>&1 || die "p11tool RSA-PSS --test-sign $url failed: $(cat "$WORK/pss.out")"
        grep -q "Verifying against public key in the token... ok" "$WORK/pss.out" ||
            die "p11tool RSA-PSS --test-sign $url: $(cat "$WORK/pss.out")"
        pss=$((pss + 1))
        ok "p11tool --sign-params rsa-pss --test-sign key $id: signed and verified"
    fi
done < <(sed -n 's/^\tURL: //p' "$WORK/keys.out")
[ "$rsa" -ge 2 ] || die "expected the demo user's two RSA keys, tested $rsa"
# refmssp init also makes demo-pss (RSA keys allowed PSS) and demo-ec (P-256 keys).
[ "$pss" -ge 2 ] || die "expected demo-pss's two RSA-PSS keys, tested $pss"
[ "$ec" -ge 2 ] || die "expected demo-ec's two EC keys, tested $ec"
echo "# p11tool --test-sign: RSA $rsa, RSA-PSS $pss, ECDSA $ec key(s)"

# Confirm on the phone: p11tool's test signature waits for the person.
add_phone_user
PHONE_URL="pkcs11:token=Phone%20User;object=Signing%20key;type=private"
with_phone approve timeout 60 p11tool --provider "$MODULE" --test-sign "$PHONE_URL" >"$WORK/sign.out" 2>&1 ||
    die "p11tool --test-sign with the phone's approval failed: $(cat "$WORK/sign.out")"
grep -q "Verifying against public key in the token... ok" "$WORK/sign.out" || die "p11tool: $(cat "$WORK/sign.out")"
ok "confirm on the phone: approved, p11tool --test-sign signs and verifies"
if with_phone cancel timeout 60 p11tool --provider "$MODULE" --test-sign "$PHONE_URL" >"$WORK/sign.out" 2>&1; then
    die "p11tool --test-sign succeeded although the person cancelled"
fi
! grep -q "Verifying against public key in the token... ok" "$WORK/sign.out" || die "p11tool verified a signature after a cancel"
ok "cancelled on the phone: p11tool --test-sign fails"
echo "$PASSED passed, 0 failed"
