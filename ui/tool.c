/* SPDX-License-Identifier: BSD-3-Clause */
/* What every mss-tool command shares: its log callback, its arguments, finding a
 * configured user. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

void tool_log(int level, const char *line, void *opaque)
{
    const tool_ctx *ctx = opaque;
    const char *name = mss_conf_log_level_name(level);
    if (level <= MSS_LOG_WARNING + ctx->verbose && name != NULL)
        fprintf(stderr, "mss-tool: %s: %s\n", name, line);
}

mss_conf_user *tool_find_user(tool_ctx *ctx, const char *key)
{
    for (size_t i = 0; i < ctx->conf->n_users; i++) {
        mss_conf_user *u = &ctx->conf->users[i];
        if (!strcmp(u->name, key) || !strcmp(u->msisdn, key))
            return u;
    }
    return NULL;
}

int tool_parse_args(int argc, char **argv, const char *flag_name, int *flag, const char *usage,
                    int *first)
{
    const struct option options[] = {
        { flag_name, no_argument, NULL, 'f' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    optind = 0; /* a fresh scan of the command's own arguments (glibc) */
    while ((opt = getopt_long(argc, argv, "", flag_name ? options : options + 1, NULL)) != -1) {
        if (opt != 'f') {
            fprintf(stderr, "%s\n", usage);
            return 2;
        }
        *flag = 1;
    }
    *first = optind;
    return 0;
}
