/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The module's side of the prompt (pkcs11/prompt.c), with small shell scripts standing in
 * for mss-prompt: what the helper is given (its environment), how its Cancel is heard, the
 * masked phone number, and what a privileged program refuses.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "prompt.h"

static char dir[64];
static char path_buf[256];

static const char *in_dir(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir, name);
    return path_buf;
}

static void write_script(const char *name, const char *body)
{
    FILE *f = fopen(in_dir(name), "w");

    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s", body);
    fclose(f);
    assert_int_equal(chmod(in_dir(name), 0755), 0);
}

static int read_file(const char *name, char *out, size_t size)
{
    FILE *f = fopen(in_dir(name), "r");
    size_t n;

    if (f == NULL)
        return -1;
    n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_p11_prompt.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    /* A helper that writes down its environment, says it shows, waits for the end line
     * and writes that down too. */
    {
        char body[512];
        snprintf(body, sizeof body,
                 "env > %s/env\necho 'shown test'\nread line\necho \"$line\" > %s/end\n", dir,
                 dir);
        write_script("record-helper", body);
    }
    write_script("cancel-helper", "echo 'shown test'\necho cancel\nread line\n");
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const p11_prompt_info info = {
    .token_label = "Demo User",
    .role = MSS_KEY_SIGN,
    .code = "1234",
    .msisdn = "+358401234567",
    .timeout_s = 90,
    .program = "pkcs11-tool",
};

static void use_helper(const char *name)
{
    setenv("MSS_PKCS11_PROMPT_HELPER", in_dir(name), 1);
}

static void test_phone_number_is_masked(void **state)
{
    char out[32];

    (void)state;
    p11_prompt_mask_msisdn("+358401234567", out, sizeof out);
    assert_string_equal(out, "+358******567");
    p11_prompt_mask_msisdn("+1234", out, sizeof out);
    assert_string_equal(out, "+1234");
    p11_prompt_mask_msisdn("+358401234567", out, 6); /* cut, still terminated */
    assert_string_equal(out, "+358*");
}

static void test_helper_gets_the_fields_and_only_what_leads_to_the_person(void **state)
{
    mss_conf conf = {.prompt = MSS_PROMPT_NOTIFY};
    char env[8192], end[64];
    p11_prompt *p;

    (void)state;
    use_helper("record-helper");
    setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus", 1);
    setenv("MSS_TEST_SECRET", "must-not-pass", 1);
    p = p11_prompt_start(&conf, &info);
    assert_non_null(p);
    assert_false(p11_prompt_cancelled(p));
    p11_prompt_end(p, P11_PROMPT_SIGNED);

    assert_int_equal(read_file("env", env, sizeof env), 0);
    assert_non_null(strstr(env, "MSS_PROMPT_MODE=notify\n"));
    assert_non_null(strstr(env, "MSS_PROMPT_TOKEN=Demo User\n"));
    assert_non_null(strstr(env, "MSS_PROMPT_PURPOSE=signature\n"));
    assert_non_null(strstr(env, "MSS_PROMPT_CODE=1234\n"));
    assert_non_null(strstr(env, "MSS_PROMPT_PHONE=+358******567\n"));
    assert_non_null(strstr(env, "MSS_PROMPT_TIMEOUT=90\n"));
    assert_non_null(strstr(env, "MSS_PROMPT_PROGRAM=pkcs11-tool\n"));
    assert_non_null(strstr(env, "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus\n"));
    assert_null(strstr(env, "MSS_TEST_SECRET"));
    assert_null(strstr(env, "MSS_PKCS11_PROMPT_HELPER"));
    assert_int_equal(read_file("end", end, sizeof end), 0);
    assert_string_equal(end, "end ok\n");
    unsetenv("MSS_TEST_SECRET");
}

static void test_cancel_from_the_helper_is_heard(void **state)
{
    mss_conf conf = {.prompt = MSS_PROMPT_AUTO};
    p11_prompt *p;
    int i;

    (void)state;
    use_helper("cancel-helper");
    /* auto starts the helper only where something can show: here a session bus. */
    setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus", 1);
    p = p11_prompt_start(&conf, &info);
    assert_non_null(p);
    /* It wrote "cancel" right after "shown"; the pipe may hand it over a moment later. */
    for (i = 0; i < 6000 && !p11_prompt_cancelled(p); i++)
        usleep(10 * 1000);
    assert_true(p11_prompt_cancelled(p));
    p11_prompt_end(p, P11_PROMPT_CANCELLED);
}

static void test_none_starts_nothing(void **state)
{
    mss_conf conf = {.prompt = MSS_PROMPT_NONE};

    (void)state;
    use_helper("record-helper");
    unlink(in_dir("env"));
    assert_null(p11_prompt_start(&conf, &info));
    assert_int_equal(access(in_dir("env"), F_OK), -1);
    p11_prompt_end(NULL, P11_PROMPT_SIGNED); /* ending no prompt is fine */
    assert_false(p11_prompt_cancelled(NULL));
}

/* In a new session (no controlling terminal), with the given desktop variables: did
 * prompt = auto start the helper? 1 yes, 0 no, -1 the child failed. */
static int auto_starts_helper_without_terminal(const char *bus_address, const char *runtime_dir)
{
    pid_t pid;
    int status;

    use_helper("record-helper");
    unlink(in_dir("env"));
    pid = fork();
    if (pid == 0) {
        mss_conf conf = {.prompt = MSS_PROMPT_AUTO};
        p11_prompt *p;

        if (setsid() < 0)
            _exit(3);
        if (bus_address != NULL)
            setenv("DBUS_SESSION_BUS_ADDRESS", bus_address, 1);
        else
            unsetenv("DBUS_SESSION_BUS_ADDRESS");
        if (runtime_dir != NULL)
            setenv("XDG_RUNTIME_DIR", runtime_dir, 1);
        else
            unsetenv("XDG_RUNTIME_DIR");
        p = p11_prompt_start(&conf, &info);
        p11_prompt_end(p, P11_PROMPT_SIGNED);
        _exit(p != NULL ? 1 : 0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) > 1)
        return -1;
    /* The record-helper writes its environment first thing: a start leaves the file. */
    if (WEXITSTATUS(status) == 1)
        return access(in_dir("env"), F_OK) == 0 ? 1 : -1;
    return access(in_dir("env"), F_OK) == 0 ? -1 : 0;
}

static void test_auto_starts_nothing_when_nothing_can_show(void **state)
{
    (void)state;
    assert_int_equal(auto_starts_helper_without_terminal(NULL, NULL), 0);
    /* A runtime folder without a bus socket in it is no bus either. */
    assert_int_equal(auto_starts_helper_without_terminal(NULL, dir), 0);
    assert_int_equal(auto_starts_helper_without_terminal("", NULL), 0);
}

static void test_auto_starts_the_helper_when_a_bus_is_there(void **state)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    int fd;

    (void)state;
    assert_int_equal(auto_starts_helper_without_terminal("unix:path=/nonexistent/bus", NULL), 1);
    /* No address, but the socket sd_bus_open_user falls back to. */
    const char *bus = in_dir("bus");

    assert_true(strlen(bus) < sizeof addr.sun_path);
    memcpy(addr.sun_path, bus, strlen(bus) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(auto_starts_helper_without_terminal(NULL, dir), 1);
    close(fd);
    unlink(in_dir("bus"));
}

/* Run as root, the test changes its effective group, which makes it privileged (real and
 * effective ids differ; file access stays root's): the helper named in the environment
 * is not started (only the installed one may be, absent in a build tree). */
static void test_privileged_program_ignores_the_helper_from_the_environment(void **state)
{
    mss_conf conf = {.prompt = MSS_PROMPT_COMMAND, .prompt_command = (char *)"/bin/true"};
    p11_prompt *p;

    (void)state;
    if (geteuid() != 0) {
        print_message("not root: cannot make the process privileged\n");
        skip();
    }
    use_helper("record-helper");
    unlink(in_dir("env"));
    assert_int_equal(setegid(65534), 0);
    p = p11_prompt_start(&conf, &info);
    p11_prompt_end(p, P11_PROMPT_FAILED);
    assert_int_equal(setegid(0), 0);
    assert_int_equal(access(in_dir("env"), F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_number_is_masked),
        cmocka_unit_test(test_helper_gets_the_fields_and_only_what_leads_to_the_person),
        cmocka_unit_test(test_cancel_from_the_helper_is_heard),
        cmocka_unit_test(test_none_starts_nothing),
        cmocka_unit_test(test_auto_starts_nothing_when_nothing_can_show),
        cmocka_unit_test(test_auto_starts_the_helper_when_a_bus_is_there),
        cmocka_unit_test(test_privileged_program_ignores_the_helper_from_the_environment),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
