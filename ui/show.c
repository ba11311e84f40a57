/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-tool show: what the module will see, read from disk only, and what will stop
 * working soon: a certificate that has expired (the module refuses to sign with its
 * key) or expires within MSS_CERT_WARN_DAYS, while there is time to renew it. */
#include "config.h"

#include "tool.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The state of a cached certificate's dates, after the path on its line; a warning
 * goes to stderr as well, where scripts and cron mails look. 1 when the key cannot
 * sign now (expired or not valid yet). */
static int show_validity(const mss_conf_user *u, mss_key_role role, const unsigned char *der,
                         size_t len, time_t now)
{
    time_t from, to;
    char when[40];
    const char *name = mss_key_role_name(role);
    if (mss_cert_dates(der, len, &from, &to) != 0)
        return 1;
    if (now < from || now > to) {
        mss_cert_time_text(now < from ? from : to, when, sizeof when);
        printf("        certificate %s %s: the module will not sign with this key\n",
               now < from ? "is not valid before" : "expired on", when);
        fprintf(stderr, "mss-tool: warning: %s: the %s certificate %s %s\n", u->name, name,
                now < from ? "is not valid before" : "expired on", when);
        return 1;
    }
    mss_cert_time_text(to, when, sizeof when);
    long days = (long)((to - now) / 86400);
    if (days < MSS_CERT_WARN_DAYS) {
        printf("        certificate expires on %s, in %ld day%s\n", when, days,
               days == 1 ? "" : "s");
        fprintf(stderr,
                "mss-tool: warning: %s: the %s certificate expires in %ld day%s (%s); "
                "renew it, then run mss-tool enroll --renew %s\n",
                u->name, name, days, days == 1 ? "" : "s", when, u->name);
    } else {
        printf("        certificate valid until %s\n", when);
    }
    return 0;
}

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
    int missing = 0, unusable = 0;
    time_t now = time(NULL);
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
            missing += !cached;
            printf("  %-5s \"%s\" profile %s: %s\n", mss_key_role_name((mss_key_role)r),
                   k->label, k->profile, cached ? path : "not enrolled (run mss-tool enroll)");
            if (cached)
                unusable += show_validity(u, (mss_key_role)r, der, len, now);
            free(der);
        }
    }
    return missing || unusable ? 1 : 0;
}
