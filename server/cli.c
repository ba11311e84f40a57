/* SPDX-License-Identifier: BSD-3-Clause */
/* The servers' command-line dispatch; see cli.h. */
#include "config.h"

#include "cli.h"

#include <getopt.h>
#include <string.h>

int srv_cli_dispatch(const char *program, int argc, char **argv, const srv_cli_command *commands,
                     size_t n, void (*usage)(FILE *out), int version)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (version && strcmp(cmd, "--version") == 0) {
        printf("%s (%s) %s\n", program, PACKAGE_NAME, PACKAGE_VERSION);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            /* The command's options are parsed as if it were the program. */
            optind = 1;
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "%s: unknown command '%s' (see %s --help)\n", program, cmd, program);
    return 2;
}

const char *srv_cli_single_operand(int argc, char **argv, const char *program, const char *cmd,
                                   const char *what)
{
    if (optind >= argc) {
        fprintf(stderr, "%s %s: %s is missing (see %s %s --help)\n", program, cmd, what, program,
                cmd);
        return NULL;
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "%s %s: unexpected argument '%s'\n", program, cmd, argv[optind + 1]);
        return NULL;
    }
    return argv[optind];
}
