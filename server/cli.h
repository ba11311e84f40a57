/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The command lines of the servers (refmssp, mss-relay): "PROGRAM COMMAND [ARGS]",
 * each command run with argv starting at its own name (so getopt_long sees it as the
 * program), --help and --version answered alike, and the same words for mistakes.
 */
#ifndef MSS_SERVER_CLI_H
#define MSS_SERVER_CLI_H

#include <stdio.h>

typedef struct srv_cli_command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the command's name; exit status */
} srv_cli_command;

/*
 * Run the command ARGV[1] names among COMMANDS (N of them), with optind reset; PROGRAM
 * names the caller in messages ("refmssp", "mss-relay user"). No command, -h, --help
 * or help: USAGE (to stderr with status 2 when nothing was given); --version: the
 * version, when VERSION is non-zero. Returns the exit status.
 */
int srv_cli_dispatch(const char *program, int argc, char **argv, const srv_cli_command *commands,
                     size_t n, void (*usage)(FILE *out), int version);

/* The one operand (DIR) left after getopt_long, or NULL after saying what is wrong. */
const char *srv_cli_single_operand(int argc, char **argv, const char *program, const char *cmd,
                                   const char *what);

#endif /* MSS_SERVER_CLI_H */
