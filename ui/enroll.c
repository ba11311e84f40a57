/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool enroll: ask the MSSP which certificates a user has (MSS_ProfileQuery with
 * the Methics GetCertificates extension) and cache the one that belongs to each
 * configured key, matched by signature profile. This is the only place that learns
 * certificates over the network; the module then reads them from the cache.
 */
#include "config.h"

#include "tool.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Is uri one of the space-separated URIs in list? */
static int list_has(const char *list, const char *uri)
{
    size_t n = strlen(uri);
    for (const char *p = list; p && *p;) {
        p += strspn(p, " \t\r\n");
        size_t len = strcspn(p, " \t\r\n");
        if (len == n && !strncmp(p, uri, n))
            return 1;
        p += len;
    }
    return 0;
}

/* The ACTIVE certificate that the MSSP lists for a profile, or NULL. */
static const mss_user_cert *cert_for_profile(const mss_profile_resp *resp, const char *profile)
{
    for (size_t i = 0; i < resp->n_certs; i++) {
        const mss_user_cert *c = &resp->certs[i];
        if (c->der && list_has(c->profiles, profile) &&
            (!c->state || !strcasecmp(c->state, "ACTIVE")))
            return c;
    }
    return NULL;
}

static int enroll_user(tool_ctx *ctx, mss_client *client, const mss_conf_user *u)
{
    mss_profile_resp resp;
    mss_detail detail;
    memset(&resp, 0, sizeof resp);
    mss_error e = mss_client_profile_query(client, u->msisdn, &resp, &detail);
    if (e != MSS_OK) {
        const mss_status_info *info = detail.status ? mss_status_lookup(detail.status) : NULL;
        if (detail.status)
            fprintf(stderr, "mss-tool: %s (%s): the MSSP refused the profile query: %d %s\n",
                    u->name, u->msisdn, detail.status, info ? info->name : "");
        else
            fprintf(stderr, "mss-tool: %s (%s): profile query failed: %s\n", u->name, u->msisdn,
                    detail.text);
        return -1;
    }
    int failed = 0;
    for (int r = 0; r < MSS_KEY_ROLES; r++) {
        const mss_conf_key *k = &u->keys[r];
        if (!k->present)
            continue;
        const mss_user_cert *cert = cert_for_profile(&resp, k->profile);
        char err[256], path[4096];
        if (!cert) {
            fprintf(stderr, "mss-tool: %s: the MSSP lists no ACTIVE certificate for profile %s\n",
                    u->name, k->profile);
            failed = 1;
            continue;
        }
        if (mss_cache_write(ctx->conf, u, (mss_key_role)r, cert->der, cert->der_len, err,
                            sizeof err) != 0) {
            fprintf(stderr, "mss-tool: %s: %s\n", u->name, err);
            failed = 1;
            continue;
        }
        mss_cache_path(ctx->conf, u, (mss_key_role)r, path, sizeof path);
        printf("%s: %s key \"%s\" enrolled: %s\n", u->name, mss_key_role_name((mss_key_role)r),
               k->label, path);
    }
    mss_profile_resp_clear(&resp);
    return failed ? -1 : 0;
}

int cmd_enroll(tool_ctx *ctx, int argc, char **argv)
{
    mss_client_options opts;
    mss_conf_client_options(ctx->conf, &opts);
    opts.log = tool_log;
    opts.log_ctx = ctx;
    mss_client *client = NULL;
    mss_detail detail;
    mss_error e = mss_client_new(&opts, &client, &detail);
    if (e != MSS_OK) {
        fprintf(stderr, "mss-tool: %s: %s%s%s\n", ctx->conf_path, mss_error_string(e),
                detail.text[0] ? ": " : "", detail.text);
        return 1;
    }
    int failures = 0;
    if (argc <= 1) {
        if (ctx->conf->n_users == 0)
            fprintf(stderr, "mss-tool: %s configures no [user NAME] section\n", ctx->conf_path);
        for (size_t i = 0; i < ctx->conf->n_users; i++)
            failures += enroll_user(ctx, client, &ctx->conf->users[i]) != 0;
        failures += ctx->conf->n_users == 0;
    } else {
        for (int i = 1; i < argc; i++) {
            const mss_conf_user *u = tool_find_user(ctx, argv[i]);
            if (!u) {
                fprintf(stderr, "mss-tool: no user '%s' in %s\n", argv[i], ctx->conf_path);
                failures++;
                continue;
            }
            failures += enroll_user(ctx, client, u) != 0;
        }
    }
    mss_client_free(client);
    return failures ? 1 : 0;
}
