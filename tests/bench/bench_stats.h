/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Clocks and the summary of a set of durations, for the benchmark p11_sign_bench.
 */
#ifndef MSS_BENCH_STATS_H
#define MSS_BENCH_STATS_H

#include <stddef.h>

/* Milliseconds on the monotonic clock (durations). */
double bench_now_ms(void);
/* Milliseconds since the epoch on the real-time clock: comparable with the instants
 * another process on the same machine records (refmssp's approval time). */
double bench_wall_ms(void);

typedef struct bench_summary {
    size_t n;
    double p50, p99, max; /* milliseconds */
} bench_summary;

/* Sorts ms[0..n) in place and summarises it (nearest-rank percentiles). n may be 0. */
bench_summary bench_summarise(double *ms, size_t n);

/* Resident set size of this process in KiB (VmRSS of /proc/self/status), or -1. */
long bench_rss_kib(void);

#endif
