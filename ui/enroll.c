/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool enroll: ask the MSSP which certificates a user has (MSS_ProfileQuery with
 * the Methics GetCertificates extension) and cache the one that belongs to each
 * configured key, matched by signature profile. This is the only place that learns
 * certificates over the network; the module then reads them from the cache.
 *
 * What the MSSP sends is checked before it is cached (conf/cert_check.c: user_ca_file,
 * dates, key usage for the role), and a certificate already enrolled is a pin: one that
 * differs replaces it only with --renew, after both fingerprints are shown, as
 * Swisscom's Mobile ID clients compare the certificate serial number before they
 * accept a new one.
 */
#include "config.h"

#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

/* Check one certificate the MSSP offers for a key and cache it: new, unchanged, or
 * (with renew) replacing the enrolled one. 0, or -1 after a message on stderr. */
static int enroll_key(tool_ctx *ctx, const mss_conf_user *u, mss_key_role role,
                      const mss_user_cert *cert, int renew)
{
    const char *name = mss_key_role_name(role);
    char why[512], path[4096], old_fp[MSS_CERT_FP_SIZE], new_fp[MSS_CERT_FP_SIZE];
    unsigned char *old = NULL;
    size_t old_len = 0;

    if (mss_cert_check(ctx->conf, role, cert->der, cert->der_len, time(NULL), why,
                       sizeof why) != MSS_CERT_OK) {
        fprintf(stderr, "mss-tool: %s: refusing the %s certificate the MSSP sent: %s\n",
                u->name, name, why);
        return -1;
    }
    int enrolled = mss_cache_read(ctx->conf, u, role, &old, &old_len) == 0;
    int same = enrolled && old_len == cert->der_len && !memcmp(old, cert->der, old_len);
    if (enrolled)
        mss_cert_fingerprint(old, old_len, old_fp);
    free(old);
    mss_cert_fingerprint(cert->der, cert->der_len, new_fp);
    mss_cache_path(ctx->conf, u, role, path, sizeof path);
    if (same) {
        printf("%s: %s key \"%s\" unchanged: %s\n", u->name, name, u->keys[role].label, path);
        return 0;
    }
    if (enrolled && !renew) {
        fprintf(stderr,
                "mss-tool: %s: the %s certificate the MSSP sent differs from the enrolled "
                "one; it was not replaced\n"
                "  enrolled: SHA-256 %s\n  offered:  SHA-256 %s\n"
                "  if the user's SIM or certificate was renewed, run: mss-tool enroll --renew %s\n",
                u->name, name, old_fp, new_fp, u->name);
        return -1;
    }
    if (enrolled)
        printf("%s: %s certificate renewed\n  old SHA-256 %s\n  new SHA-256 %s\n", u->name,
               name, old_fp, new_fp);
    if (mss_cache_write(ctx->conf, u, role, cert->der, cert->der_len, why, sizeof why) != 0) {
        fprintf(stderr, "mss-tool: %s: %s\n", u->name, why);
        return -1;
    }
    printf("%s: %s key \"%s\" enrolled: %s (SHA-256 %s)\n", u->name, name,
           u->keys[role].label, path, new_fp);
    return 0;
}

static int enroll_user(tool_ctx *ctx, mss_client *client, const mss_conf_user *u, int renew)
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
        if (!cert) {
            fprintf(stderr, "mss-tool: %s: the MSSP lists no ACTIVE certificate for profile %s\n",
                    u->name, k->profile);
            failed = 1;
            continue;
        }
        failed |= enroll_key(ctx, u, (mss_key_role)r, cert, renew) != 0;
    }
    mss_profile_resp_clear(&resp);
    return failed ? -1 : 0;
}

int cmd_enroll(tool_ctx *ctx, int argc, char **argv)
{
    int renew = 0, first;
    char why[512];
    if (tool_parse_args(argc, argv, "renew", &renew, "Usage: mss-tool enroll [--renew] [USER...]",
                        &first) != 0)
        return 2;
    /* Before any request: without a trust anchor no answer could be accepted. */
    if (mss_cert_trust_configured(ctx->conf, why, sizeof why) != 0) {
        fprintf(stderr, "mss-tool: %s\n", why);
        return 1;
    }
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
    if (first >= argc) {
        if (ctx->conf->n_users == 0)
            fprintf(stderr, "mss-tool: %s configures no [user NAME] section\n", ctx->conf_path);
        for (size_t i = 0; i < ctx->conf->n_users; i++)
            failures += enroll_user(ctx, client, &ctx->conf->users[i], renew) != 0;
        failures += ctx->conf->n_users == 0;
    } else {
        for (int i = first; i < argc; i++) {
            const mss_conf_user *u = tool_find_user(ctx, argv[i]);
            if (!u) {
                fprintf(stderr, "mss-tool: no user '%s' in %s\n", argv[i], ctx->conf_path);
                failures++;
                continue;
            }
            failures += enroll_user(ctx, client, u, renew) != 0;
        }
    }
    mss_client_free(client);
    return failures ? 1 : 0;
}
