#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The contract table (tests/contract/contract_table.c) against a real refmssp on loopback;
# test_contract_mock runs the same table against the in-process mock.
. "${top_srcdir:?run through make check}/tests/integration/test-lib.sh"
mssp_start
export REFMSSP_DIR=$WORK/state
MSS_URL=$(sed -n 's/^url = //p' "$MSS_PKCS11_CONF" | head -n 1)
export MSS_URL
[ -n "$MSS_URL" ] || die "no url in $MSS_PKCS11_CONF"
"$top_builddir/tests/contract/contract_refmssp" || die "refmssp breaks the contract"
ok "refmssp answers every row of the contract table as the mock does"
echo "$PASSED passed, 0 failed"
