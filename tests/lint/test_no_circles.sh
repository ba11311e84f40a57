#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# No file-level circles in any library or program of the tree (check_circles.py, over the
# object files make built).
set -euo pipefail
: "${top_builddir:?run through make check}" "${top_srcdir:?run through make check}"
command -v nm >/dev/null || { echo "SKIP: nm is not installed (binutils)"; exit 77; }
python3 "$top_srcdir/tests/lint/check_circles.py" "$top_builddir"
