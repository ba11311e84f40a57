#!/usr/bin/env bash
# Module-level C tests (p11_module_test.c) against a refmssp of their own: every
# mechanism, 16 threads, cancel, close and finalize during a signature, fork, errors.
# P11_VALGRIND=1 runs the C test under valgrind (leaks of kind "definite" fail it).
. "$(dirname "$0")/e2e-lib.sh"
e2e_start
export MSS_PKCS11_LOG=$WORK/module.log
"$MSS_TOOL" enroll >"$WORK/enroll.out" 2>&1 || die "mss-tool enroll failed: $(cat "$WORK/enroll.out")"

runner=()
if [ "${P11_VALGRIND:-0}" = 1 ]; then
    runner=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9)
fi
"${runner[@]}" "$top_builddir/tests/integration/p11_module_test" || die "p11_module_test failed"
ok "p11_module_test passed against refmssp"
echo "$PASSED passed, 0 failed"
