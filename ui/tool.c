/* SPDX-License-Identifier: BSD-3-Clause */
/* What every mss-tool command shares: its log callback and finding a configured user. */
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
