/* SPDX-License-Identifier: BSD-3-Clause */
/* Bodies saved for test_rest_schema.sh (see body_dump.h). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "body_dump.h"

void body_dump(const char *body, size_t len, const char *what)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int counter;
    const char *dir = getenv("MSS_REST_DUMP_DIR");
    if (dir == NULL || *dir == '\0')
        return;
    pthread_mutex_lock(&lock);
    int n = ++counter;
    pthread_mutex_unlock(&lock);
    char path[4200];
    snprintf(path, sizeof path, "%s/%04d-%s.json", dir, n, what);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(body, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}
