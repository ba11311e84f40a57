#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build the tree again with sanitizers in a folder of its own (san-KIND beside the normal
# build, from a copy of the distributed sources, since an in-tree configured source folder
# cannot host a second build) and run the tests whose programs are all ours: the unit tests, the contract tests,
# and the module and client tests against refmssp. The interop tests load the module into
# programs built without sanitizers, which cannot host an instrumented library.
#
#   tests/run-sanitizers.sh [address|thread]     (address: ASan + UBSan, the default)
#
# Run from the top of a configured source tree; exit status is make check's.
set -euo pipefail
kind=${1:-address}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/san-$kind
case $kind in
address)
    # Leaks are checked by valgrind elsewhere (test_p11_module_valgrind.sh); here every
    # other ASan and UBSan finding fails the run.
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:halt_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    tests="$(cd "$top/tests/unit" && ls test_*.c | sed 's/\.c$//; s|^|tests/unit/|' | tr '\n' ' ')"
    tests="$tests tests/contract/test_contract_mock tests/contract/test_contract_refmssp.sh"
    tests="$tests tests/integration/test_p11_module.sh tests/integration/test_client_transport.sh"
    ;;
thread)
    # The module's thread tests: 16 threads signing, cancel, close and finalize during a
    # signature (p11_module_test.c). (test_client is left out: its checks read what the
    # mock MSSP recorded without the mock's lock, ordered only by the HTTP exchange, which
    # ThreadSanitizer cannot see.)
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    tests="tests/unit/test_p11_module tests/integration/test_p11_module.sh"
    ;;
*)
    echo "usage: $0 [address|thread]" >&2
    exit 2
    ;;
esac
if [ ! -f "$build/Makefile" ]; then
    rm -rf "$build"
    make -s -C "$top" distdir distdir="$build" >/dev/null
    (cd "$build" && ./configure -q --enable-werror --enable-sanitizers="$kind")
fi
cd "$build"
make -s -j"$(nproc)"
make -s -j"$(nproc)" check TESTS="$tests"
