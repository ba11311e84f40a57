/* SPDX-License-Identifier: BSD-3-Clause */
/* Start-up runs in fresh processes; see bench_startup.h. */
#include "bench_startup.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_module.h"
#include "bench_stats.h"

/* What a child reports through the pipe. */
typedef struct run_report {
    double total_ms, init_ms;
    unsigned long slots;
} run_report;

/* The child's whole life: returns its exit status. */
static int one_run(const char *module_path, int out_fd)
{
    run_report r = { 0 };
    double t0 = bench_now_ms();
    bench_module m;
    if (bench_module_load(module_path, &m) != 0)
        return 1;
    double t_init = bench_now_ms();
    if (bench_module_init(&m) != 0)
        return 1;
    CK_ULONG n = 0;
    CK_SLOT_ID slots[256];
    CK_RV rv = m.f->C_GetSlotList(CK_TRUE, NULL, &n);
    if (rv == CKR_OK) {
        n = sizeof slots / sizeof slots[0];
        rv = m.f->C_GetSlotList(CK_TRUE, slots, &n);
    }
    if (rv != CKR_OK) {
        bench_fail("C_GetSlotList", rv);
        return 1;
    }
    r.init_ms = bench_now_ms() - t_init;
    rv = m.f->C_Finalize(NULL);
    if (rv != CKR_OK) {
        bench_fail("C_Finalize", rv);
        return 1;
    }
    r.total_ms = bench_now_ms() - t0;
    r.slots = n;
    return write(out_fd, &r, sizeof r) == (ssize_t)sizeof r ? 0 : 1;
}

static double median_of(double *v, size_t n)
{
    return bench_summarise(v, n).p50;
}

int bench_startup(const char *module_path, int runs, bench_startup_result *out)
{
    double *total = calloc((size_t)runs, sizeof *total);
    double *init = calloc((size_t)runs, sizeof *init);
    int rc = -1;
    if (total == NULL || init == NULL) {
        fprintf(stderr, "p11_sign_bench: out of memory\n");
        goto done;
    }
    for (int i = 0; i < runs; i++) {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("p11_sign_bench: pipe");
            goto done;
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("p11_sign_bench: fork");
            close(fds[0]);
            close(fds[1]);
            goto done;
        }
        if (pid == 0) {
            close(fds[0]);
            _exit(one_run(module_path, fds[1]));
        }
        close(fds[1]);
        run_report r;
        ssize_t got = read(fds[0], &r, sizeof r);
        close(fds[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        if (got != (ssize_t)sizeof r || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "p11_sign_bench: start-up run %d of %s failed\n", i + 1, module_path);
            goto done;
        }
        total[i] = r.total_ms;
        init[i] = r.init_ms;
        out->slots = r.slots;
    }
    out->median_init_ms = median_of(init, (size_t)runs);
    out->median_total_ms = median_of(total, (size_t)runs);
    out->max_total_ms = total[runs - 1]; /* sorted by median_of */
    rc = 0;
done:
    free(total);
    free(init);
    return rc;
}
