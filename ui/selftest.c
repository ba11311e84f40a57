/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool test [USER...]: the end-to-end check of a set-up. For each enrolled key of
 * each user, one real signature through libmssclient with the module's configuration,
 * confirmed on the phone and verified against the cached certificate. It succeeds only
 * when every key it tested signed; a key that was never enrolled is skipped with a line
 * saying so, and a run that tests nothing fails.
 */
#include "config.h"

#include "selftest.h"

#include <stdio.h>

/* Test every configured key of U; counts the verdicts. */
static void test_user(tool_ctx *ctx, mss_client *client, const mss_conf_user *u, int *ok,
                      int *failed)
{
    for (int r = 0; r < MSS_KEY_ROLES; r++) {
        if (!u->keys[r].present)
            continue;
        selftest_verdict v = selftest_key(ctx, client, u, (mss_key_role)r);
        *ok += v == SELFTEST_OK;
        *failed += v == SELFTEST_FAILED;
    }
}

int cmd_test(tool_ctx *ctx, int argc, char **argv)
{
    int first;
    if (tool_parse_args(argc, argv, NULL, NULL, "Usage: mss-tool [-v] test [USER...]", &first) != 0)
        return 2;
    mss_client_options opts;
    mss_conf_client_options(ctx->conf, &opts);
    opts.log = tool_log;
    opts.log_ctx = ctx;
    /* Each key's line already says what failed; the client's own warnings are detail. */
    if (!ctx->verbose)
        opts.log_level = MSS_LOG_UPTO(MSS_LOG_ERROR);
    mss_client *client = NULL;
    mss_detail detail;
    mss_error e = mss_client_new(&opts, &client, &detail);
    if (e != MSS_OK) {
        fprintf(stderr, "mss-tool: the [mssp] settings of %s cannot work: %s%s%s\n",
                ctx->conf_path, mss_error_string(e), detail.text[0] ? ": " : "", detail.text);
        return 1;
    }
    int ok = 0, failed = 0;
    if (first >= argc) {
        for (size_t i = 0; i < ctx->conf->n_users; i++)
            test_user(ctx, client, &ctx->conf->users[i], &ok, &failed);
    } else {
        for (int i = first; i < argc; i++) {
            const mss_conf_user *u = tool_find_user(ctx, argv[i]);
            if (u == NULL) {
                fprintf(stderr, "mss-tool: no user '%s' in %s\n", argv[i], ctx->conf_path);
                failed++;
                continue;
            }
            test_user(ctx, client, u, &ok, &failed);
        }
    }
    mss_client_free(client);
    if (ok == 0 && failed == 0) {
        fprintf(stderr, "mss-tool: no enrolled key to test in %s; run mss-tool enroll first\n",
                ctx->conf_path);
        return 1;
    }
    printf("%d key%s signed and verified, %d failed\n", ok, ok == 1 ? "" : "s", failed);
    return failed ? 1 : 0;
}
