/* SPDX-License-Identifier: BSD-3-Clause */
/* Clocks, percentiles and resident memory; see bench_stats.h. */
#include "bench_stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

double bench_now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

double bench_wall_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank: the smallest value that at least p of the values do not exceed. */
static double percentile(const double *sorted, size_t n, double p)
{
    size_t rank = (size_t)ceil(p * (double)n);
    return sorted[rank == 0 ? 0 : rank - 1];
}

bench_summary bench_summarise(double *ms, size_t n)
{
    bench_summary s = { .n = n };
    if (n == 0)
        return s;
    qsort(ms, n, sizeof *ms, cmp_double);
    s.p50 = percentile(ms, n, 0.50);
    s.p99 = percentile(ms, n, 0.99);
    s.max = ms[n - 1];
    return s;
}

long bench_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}
