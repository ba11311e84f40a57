/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up cost of a module as a host program meets it: in a fresh process each time,
 * dlopen, C_GetFunctionList, C_Initialize, C_GetSlotList (count, then the list) and
 * C_Finalize.
 */
#ifndef MSS_BENCH_STARTUP_H
#define MSS_BENCH_STARTUP_H

typedef struct bench_startup_result {
    double median_total_ms;  /* dlopen to C_Finalize's return */
    double median_init_ms;   /* C_Initialize + C_GetSlotList alone */
    double max_total_ms;
    unsigned long slots;     /* slots with a token, as the last run saw them */
} bench_startup_result;

/* runs runs, each in a child process forked from this one (which must not have loaded
 * the module). 0, or -1 after a message when a run failed. */
int bench_startup(const char *module_path, int runs, bench_startup_result *out);

#endif
