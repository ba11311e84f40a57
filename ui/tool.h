/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-tool: the set-up and diagnostics CLI. Commands share this small context. */
#ifndef MSS_TOOL_H
#define MSS_TOOL_H

#include "mss_conf.h"

typedef struct tool_ctx {
    const char *conf_path;   /* the configuration file in use */
    mss_conf *conf;
    int verbose;             /* 0: errors and results; 1: info; 2: debug */
    int clock_warned;        /* test: the MSSP's clock was found off and said so */
} tool_ctx;

/* Each command: argv[0] is the command name; returns a process exit status. */
int cmd_enroll(tool_ctx *ctx, int argc, char **argv);
int cmd_show(tool_ctx *ctx, int argc, char **argv);
int cmd_test(tool_ctx *ctx, int argc, char **argv);

/* A command's arguments (argv[0] is its name): its one optional --FLAG_NAME, which sets
 * *flag to 1 (FLAG_NAME NULL: the command has none), then operands from argv[*first].
 * 0, or 2 after printing USAGE for an unknown option. */
int tool_parse_args(int argc, char **argv, const char *flag_name, int *flag, const char *usage,
                    int *first);

/* Find the [user NAME] named by a command line argument (by name or MSISDN). */
mss_conf_user *tool_find_user(tool_ctx *ctx, const char *name_or_msisdn);

/* Log callback that prints the client's lines to stderr according to ctx->verbose. */
void tool_log(int level, const char *line, void *ctx);

#endif
