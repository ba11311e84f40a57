#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The module-level tests against refmssp (every mechanism, 16 threads, cancel,
# close-during-sign, fork) once more under valgrind memcheck: any memory error or
# definite leak fails the test. (test_p11_module.sh skips when valgrind is missing.)
P11_VALGRIND=1 exec bash "$(dirname "$0")/test_p11_module.sh"
