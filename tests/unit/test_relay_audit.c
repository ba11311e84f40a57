/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's audit log (relay/audit.c): one JSON object per line, appended; a field
 * holding quotes, newlines or control characters stays inside its line; a missing field
 * is null; the file is created owner-only and refused when it is a symlink or others may
 * write it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "scratch_dir.h"

#include "audit.h"

static const time_t WHEN = 1764646336; /* 2025-12-02T03:32:16Z */

static char *read_all(const char *path)
{
    static char text[4096];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void test_lines_are_appended_whole(void **state)
{
    (void)state;
    char why[256];
    const char *path = scratch_path("audit.jsonl");
    relay_audit *a = relay_audit_open(path, why, sizeof why);
    assert_non_null(a);
    relay_audit_event ok = {.user = "alice", .peer = "192.0.2.7", .operation = "MSS_Signature",
                            .binding = "rest", .msisdn = "+358401234567", .outcome = "ok", .status = 500,
                            .latency_ms = 812};
    relay_audit_event hostile = {.peer = "192.0.2.8", .operation = "MSS_Signature",
                                 .binding = "soap", .msisdn = "+1\"}\n{\"x", .outcome = "refused", .status = 104,
                                 .reason = "not\towned\r"};
    assert_int_equal(relay_audit_write(a, &ok, WHEN), 0);
    assert_int_equal(relay_audit_write(a, &hostile, WHEN + 1), 0);
    relay_audit_close(a);
    assert_non_null(a = relay_audit_open(path, why, sizeof why)); /* appends, not truncates */
    relay_audit_event bare = {.operation = "MSS_StatusQuery", .outcome = "error"};
    assert_int_equal(relay_audit_write(a, &bare, WHEN + 2), 0);
    relay_audit_close(a);
    assert_string_equal(
        read_all(path),
        "{\"time\":\"2025-12-02T03:32:16Z\",\"user\":\"alice\",\"peer\":\"192.0.2.7\","
        "\"operation\":\"MSS_Signature\",\"binding\":\"rest\",\"msisdn\":\"+358401234567\",\"outcome\":\"ok\","
        "\"status\":500,\"reason\":null,\"latency_ms\":812}\n"
        "{\"time\":\"2025-12-02T03:32:17Z\",\"user\":null,\"peer\":\"192.0.2.8\","
        "\"operation\":\"MSS_Signature\",\"binding\":\"soap\",\"msisdn\":\"+1\\\"}\\n{\\\"x\",\"outcome\":\"refused\","
        "\"status\":104,\"reason\":\"not\\towned\\r\",\"latency_ms\":0}\n"
        "{\"time\":\"2025-12-02T03:32:18Z\",\"user\":null,\"peer\":null,"
        "\"operation\":\"MSS_StatusQuery\",\"binding\":null,\"msisdn\":null,\"outcome\":\"error\","
        "\"status\":null,\"reason\":null,\"latency_ms\":0}\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_unsafe_files_are_refused(void **state)
{
    (void)state;
    char why[256];
    const char *open_to_all = scratch_path("writable.jsonl");
    FILE *f = fopen(open_to_all, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(open_to_all, 0666), 0);
    assert_null(relay_audit_open(open_to_all, why, sizeof why));
    assert_non_null(strstr(why, "writable"));
    char target[256];
    snprintf(target, sizeof target, "%s", scratch_path("target.jsonl"));
    const char *link = scratch_path("link.jsonl");
    assert_int_equal(symlink(target, link), 0);
    assert_null(relay_audit_open(link, why, sizeof why));
    assert_int_equal(access(target, F_OK), -1); /* nothing created through the link */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_are_appended_whole),
        cmocka_unit_test(test_unsafe_files_are_refused),
    };
    return cmocka_run_group_tests(tests, scratch_dir_make, scratch_dir_remove);
}
