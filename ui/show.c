/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-tool show: what the module will see, read from disk only, and what will stop
 * working soon: a certificate that has expired (the module refuses to sign with its
 * key) or expires within MSS_CERT_WARN_DAYS, while there is time to renew it. The
 * facts are collected once (facts.c) and printed as text here or as JSON
 * (show_json.c). */
#include "config.h"

#include "show.h"
#include "tool.h"

#include <stdio.h>
#include <time.h>

/* The lines under a key that has a cached certificate. */
static void show_certificate(const key_facts *k)
{
    char when[40];
    printf("        subject %s\n", k->subject ? k->subject : "(unknown)");
    printf("        serial %s, SHA-256 %s\n", k->serial[0] ? k->serial : "(unknown)",
           k->fingerprint);
    switch (k->state) {
    case KEY_NOT_YET_VALID:
        mss_cert_time_text(k->not_before, when, sizeof when);
        printf("        certificate is not valid before %s: the module will not sign with "
               "this key\n", when);
        break;
    case KEY_EXPIRED:
        mss_cert_time_text(k->not_after, when, sizeof when);
        printf("        certificate expired on %s: the module will not sign with this key\n",
               when);
        break;
    case KEY_EXPIRING:
        mss_cert_time_text(k->not_after, when, sizeof when);
        printf("        certificate expires on %s, in %ld day%s\n", when, k->days_left,
               k->days_left == 1 ? "" : "s");
        break;
    case KEY_VALID:
        mss_cert_time_text(k->not_after, when, sizeof when);
        printf("        certificate valid until %s (%ld days)\n", when, k->days_left);
        break;
    case KEY_UNREADABLE:
        printf("        certificate dates cannot be read\n");
        break;
    case KEY_NOT_ENROLLED:
        break;
    }
}

static void show_text(const tool_facts *f)
{
    const mss_conf *c = f->conf;
    printf("configuration: %s\n", c->path);
    printf("mssp url:      %s\n", c->url);
    printf("ap_id:         %s\n", c->ap_id);
    printf("mode:          %s\n", mss_mode_name(c->mode));
    printf("cache:         %s\n", c->cache_dir);
    for (size_t i = 0; i < f->n_users; i++) {
        const user_facts *uf = &f->users[i];
        printf("user %s: %s, token \"%s\"\n", uf->user->name, uf->user->msisdn,
               uf->user->label);
        for (int r = 0; r < MSS_KEY_ROLES; r++) {
            const key_facts *k = &uf->keys[r];
            if (!k->present)
                continue;
            printf("  %-5s \"%s\" profile %s: %s\n", mss_key_role_name(k->role), k->key->label,
                   k->key->profile,
                   k->state == KEY_NOT_ENROLLED ? "not enrolled (run mss-tool enroll)" : k->path);
            if (k->state != KEY_NOT_ENROLLED)
                show_certificate(k);
        }
    }
    /* On standard error as well, where scripts and cron mails look. */
    for (size_t i = 0; i < f->n_users; i++)
        for (int r = 0; r < MSS_KEY_ROLES; r++)
            if (f->users[i].keys[r].warning[0])
                fprintf(stderr, "mss-tool: warning: %s\n", f->users[i].keys[r].warning);
}

int cmd_show(tool_ctx *ctx, int argc, char **argv)
{
    int json = 0, first;
    if (tool_parse_args(argc, argv, "json", &json, "Usage: mss-tool show [--json]", &first) != 0)
        return 2;
    if (first < argc) {
        fprintf(stderr, "mss-tool: show takes no arguments besides --json\n");
        return 2;
    }
    tool_facts facts;
    if (tool_facts_collect(ctx->conf, time(NULL), &facts) != 0) {
        fprintf(stderr, "mss-tool: out of memory\n");
        return 1;
    }
    int rc = 0;
    if (json)
        rc = show_json(&facts) != 0;
    else
        show_text(&facts);
    if (facts.n_missing || facts.n_unusable)
        rc = 1;
    tool_facts_clear(&facts);
    return rc;
}
