/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool — set up and check mss-pkcs11.
 *
 *   mss-tool [--config FILE] [-v] enroll [--renew] [USER...]   fetch certificates into the cache
 *   mss-tool [--config FILE] show [--json] print configuration and cache state, warn of expiry
 *   mss-tool [--config FILE] [-v] test [USER...]  sign once with each enrolled key and verify
 */
#include "config.h"

#include "tool.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: mss-tool [OPTIONS] COMMAND [ARGS]\n"
            "\n"
            "Set up and check the mss-pkcs11 PKCS#11 module.\n"
            "\n"
            "Commands:\n"
            "  enroll [--renew] [USER...]\n"
            "                    ask the MSSP for each user's certificates (MSS_ProfileQuery),\n"
            "                    check them against user_ca_file and write the module's\n"
            "                    certificate cache; no USER: all users. A certificate that\n"
            "                    differs from the enrolled one is replaced only with --renew\n"
            "  show [--json]     print the configuration and the state of the cache; warns\n"
            "                    of certificates that expire within %d days. --json: the\n"
            "                    same facts as one JSON document, for scripts\n"
            "  test [USER...]    sign once with each enrolled key (confirm on the phone:\n"
            "                    the code it shows is printed first), verify the signature\n"
            "                    with the enrolled certificate and say what went wrong and\n"
            "                    how to fix it; no USER: all users\n"
            "\n"
            "Options:\n"
            "  -c, --config FILE  configuration file (default: $MSS_PKCS11_CONF, then\n"
            "                     ~/.config/mss-pkcs11/mss-pkcs11.conf, then %s/mss-pkcs11.conf)\n"
            "  -v, --verbose      more detail (twice: protocol debug lines)\n"
            "  -h, --help         this help\n"
            "      --version      print the version\n",
            MSS_CERT_WARN_DAYS, SYSCONFDIR);
}

/* No file at PATH: say where mss-tool looked, so the person can put one there or
 * point at theirs. */
static void explain_no_conf(const char *path, int found_by_search)
{
    char places[4 * PATH_MAX];
    if (!found_by_search) {
        fprintf(stderr, "mss-tool: no configuration file %s (named by --config)\n", path);
        return;
    }
    mss_conf_search_text(places, sizeof places);
    fprintf(stderr,
            "mss-tool: no configuration file; looked for:\n%s"
            "  write one (see mss-pkcs11.conf(5); refmssp init writes one for its test MSSP),\n"
            "  or name it with --config FILE or MSS_PKCS11_CONF\n",
            places);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "config", required_argument, NULL, 'c' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    tool_ctx ctx = { 0 };
    char found[PATH_MAX];
    int opt;
    /* '+': stop at the command, so each command parses its own arguments. */
    while ((opt = getopt_long(argc, argv, "+c:vh", options, NULL)) != -1) {
        switch (opt) {
        case 'c': ctx.conf_path = optarg; break;
        case 'v': ctx.verbose++; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("mss-tool %s\n", PACKAGE_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *command = argv[optind];
    int (*run)(tool_ctx *, int, char **) = NULL;
    if (!strcmp(command, "enroll"))
        run = cmd_enroll;
    else if (!strcmp(command, "show"))
        run = cmd_show;
    else if (!strcmp(command, "test"))
        run = cmd_test;
    else {
        fprintf(stderr, "mss-tool: unknown command '%s' (try --help)\n", command);
        return 2;
    }
    int found_by_search = ctx.conf_path == NULL;
    if (!ctx.conf_path) {
        if (mss_conf_find(found, sizeof found) != 0) {
            fprintf(stderr, "mss-tool: configuration path too long\n");
            return 1;
        }
        ctx.conf_path = found;
    }
    char err[512];
    if (mss_conf_load(ctx.conf_path, &ctx.conf, err, sizeof err) != 0) {
        if (access(ctx.conf_path, F_OK) != 0 && errno == ENOENT)
            explain_no_conf(ctx.conf_path, found_by_search);
        else
            fprintf(stderr, "mss-tool: %s\n", err);
        return 1;
    }
    int rc = run(&ctx, argc - optind, argv + optind);
    mss_conf_free(ctx.conf);
    return rc;
}
