#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Module-level C tests (p11_module_test.c) against a refmssp of their own: every
# mechanism, 16 threads, cancel, close and finalize during a signature, fork, errors.
# P11_VALGRIND=1 runs the C test under valgrind (leaks of kind "definite" fail it).
# Scratch space in the build tree: nothing else cleans it up under our feet.
TEST_WORK_IN_BUILDDIR=1
. "$(dirname "$0")/e2e-lib.sh"
valgrind_if "${P11_VALGRIND:-0}"
mssp_start
export MSS_PKCS11_LOG=$WORK/module.log
# Besides refmssp's demo users (RSA, demo-ec P-256, demo-pss): every key type, DER and
# raw ECDSA answers, a user who answers on the phone by hand, and a blocked card.
add_user() {
    "$REFMSSP" user add "$WORK/state" "$@" --module-conf "$MSS_PKCS11_CONF" >>"$WORK/users.out" 2>&1 ||
        die "refmssp user add $*: $(cat "$WORK/users.out")"
}
add_user pss --msisdn +99900000011 --authn rsa3072 --sign rsa3072 --pss --label "PSS 3072"
add_user ec --msisdn +99900000012 --authn ecp256 --sign ecp384 --label "EC User"
add_user ecraw --msisdn +99900000013 --authn ecp384 --sign ecp256 --ecdsa-raw --label "EC Raw"
add_user manual --msisdn +99900000021 --policy manual --label "Manual User"
add_user blocked --msisdn +99900000022 --label "Blocked User"
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll failed: $(cat "$WORK/enroll.out")"
"$REFMSSP" user block "$WORK/state" blocked >>"$WORK/users.out" 2>&1 || die "refmssp user block failed"
export REFMSSP REFMSSP_DIR=$WORK/state

"${VALGRIND[@]}" "$top_builddir/tests/integration/p11_module_test" || die "p11_module_test failed"
ok "p11_module_test passed against refmssp"
echo "$PASSED passed, 0 failed"
