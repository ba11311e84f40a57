/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-tool show: what the module will see, read from disk only. */
#include "config.h"

#include "tool.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_show(tool_ctx *ctx, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "mss-tool: show takes no arguments\n");
        return 2;
    }
    const mss_conf *c = ctx->conf;
    printf("configuration: %s\n", c->path);
    printf("mssp url:      %s\n", c->url);
    printf("ap_id:         %s\n", c->ap_id);
    printf("mode:          %s\n", mss_mode_name(c->mode));
    printf("cache:         %s\n", c->cache_dir);
    int missing = 0;
    for (size_t i = 0; i < c->n_users; i++) {
        const mss_conf_user *u = &c->users[i];
        printf("user %s: %s, token \"%s\"\n", u->name, u->msisdn, u->label);
        for (int r = 0; r < MSS_KEY_ROLES; r++) {
            const mss_conf_key *k = &u->keys[r];
            if (!k->present)
                continue;
            char path[PATH_MAX];
            unsigned char *der = NULL;
            size_t len = 0;
            int cached = mss_cache_path(c, u, (mss_key_role)r, path, sizeof path) == 0 &&
                         mss_cache_read(c, u, (mss_key_role)r, &der, &len) == 0;
            free(der);
            missing += !cached;
            printf("  %-5s \"%s\" profile %s: %s\n", mss_key_role_name((mss_key_role)r),
                   k->label, k->profile, cached ? path : "not enrolled (run mss-tool enroll)");
        }
    }
    return missing ? 1 : 0;
}
