/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-relay run DIR: a placeholder so that this branch links; the serving part replaces
 * this file. */
#include "commands.h"

#include <stdio.h>

int relay_cmd_run(const char *dir)
{
    (void)dir;
    fprintf(stderr, "mss-relay run: not built on this branch\n");
    return 1;
}
