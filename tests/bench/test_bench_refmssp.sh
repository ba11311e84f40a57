#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# make check's run of bench-refmssp.sh with tiny counts: the benchmark's steps still run
# (seed tools, both refmssp set-ups, the load program), so a change that breaks them is
# seen before someone needs the figures. Asserts nothing about speed.
BENCH_SHORT=1 exec "$(dirname "$0")/bench-refmssp.sh"
