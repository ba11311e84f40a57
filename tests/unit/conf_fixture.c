/* SPDX-License-Identifier: BSD-3-Clause */
/* Scratch files for the libmssconf tests; see conf_fixture.h. */
#include "conf_fixture.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

char conf_fixture_dir[256];

int conf_fixture_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(conf_fixture_dir, sizeof conf_fixture_dir, "%s/mss-conf-test.XXXXXX", tmp);
    return mkdtemp(conf_fixture_dir) ? 0 : -1;
}

int conf_fixture_teardown(void **state)
{
    (void)state;
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", conf_fixture_dir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *conf_fixture_path(const char *name)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", conf_fixture_dir, name);
    return path;
}

const char *conf_fixture_write(const char *name, const char *text, mode_t mode)
{
    const char *path = conf_fixture_path(name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

char *conf_fixture_read(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *buf = malloc(1024 * 1024);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 1024 * 1024 - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}
