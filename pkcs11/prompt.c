/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Starting, hearing and ending mss-prompt (prompt.h says what it is for).
 *
 * The helper is started with posix_spawn (safe in a host with many threads), its stdin
 * and stdout on two pipes whose other ends the module keeps close-on-exec, every other
 * descriptor of the host closed, stderr on /dev/null, and an environment built here:
 * the prompt's fields and, outside privileged programs, only what it needs to find the
 * person's desktop or terminal. In a privileged program (su, sudo, a setuid host) the
 * environment is the caller's: the helper gets none of it and may use the terminal
 * only (docs/security.md).
 */
#include "config.h"

#include "prompt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mlog.h"
#include "timed_wait.h"

#ifndef MSS_PROMPT_HELPER
#define MSS_PROMPT_HELPER "/usr/libexec/mss-prompt"
#endif

/* The variables of the host's environment the helper may need to reach the person:
 * the session bus (notify), the display (a command's window), the language. */
static const char *const passed_env[] = {
    "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "DISPLAY", "WAYLAND_DISPLAY",
    "XAUTHORITY", "HOME", "PATH", "LANG", "LC_ALL", "LC_MESSAGES", "TERM",
};
#define N_PASSED (sizeof passed_env / sizeof passed_env[0])
#define N_FIELDS 9

struct p11_prompt {
    pid_t pid;
    int to_helper;     /* the helper's stdin */
    int from_helper;   /* its stdout, non-blocking */
    int cancelled;
    char line[64];     /* a line from the helper being read */
    size_t line_len;
};

void p11_prompt_mask_msisdn(const char *msisdn, char *out, size_t size)
{
    size_t n = strlen(msisdn), i;

    if (size == 0)
        return;
    for (i = 0; i < n && i + 1 < size; i++)
        out[i] = (i < 4 || i + 3 >= n) ? msisdn[i] : '*';
    out[i] = '\0';
}

/* One "NAME=value" for the environment, or NULL (no memory: that field is left out). */
static char *env_entry(const char *name, const char *value)
{
    char *e = NULL;

    if (asprintf(&e, "%s=%s", name, value != NULL ? value : "") < 0)
        return NULL;
    return e;
}

/* The helper's environment: the fields, then what passed_env lets through. */
static char **helper_env(const mss_conf *conf, mss_conf_prompt mode, int privileged,
                         const p11_prompt_info *info)
{
    char **env = calloc(N_FIELDS + N_PASSED + 1, sizeof *env);
    char phone[32], timeout[16], parent[16];
    size_t n = 0, i;

    if (env == NULL)
        return NULL;
    p11_prompt_mask_msisdn(info->msisdn, phone, sizeof phone);
    snprintf(timeout, sizeof timeout, "%u", info->timeout_s);
    snprintf(parent, sizeof parent, "%ld", (long)getpid());
    const char *fields[N_FIELDS][2] = {
        {"MSS_PROMPT_MODE", mss_conf_prompt_name(mode)},
        {"MSS_PROMPT_TOKEN", info->token_label},
        {"MSS_PROMPT_PURPOSE", info->role == MSS_KEY_SIGN ? "signature" : "authentication"},
        {"MSS_PROMPT_CODE", info->code},
        {"MSS_PROMPT_PHONE", phone},
        {"MSS_PROMPT_TIMEOUT", timeout},
        {"MSS_PROMPT_PROGRAM", info->program},
        {"MSS_PROMPT_COMMAND", mode == MSS_PROMPT_COMMAND ? conf->prompt_command : NULL},
        {"MSS_PROMPT_PARENT", parent},
    };
    for (i = 0; i < N_FIELDS; i++)
        if (fields[i][1] != NULL && (env[n] = env_entry(fields[i][0], fields[i][1])) != NULL)
            n++;
    for (i = 0; i < N_PASSED && !privileged; i++) {
        const char *v = secure_getenv(passed_env[i]);
        if (v != NULL && (env[n] = env_entry(passed_env[i], v)) != NULL)
            n++;
    }
    return env;
}

static void free_env(char **env)
{
    for (size_t i = 0; env != NULL && env[i] != NULL; i++)
        free(env[i]);
    free(env);
}

/* The mode the helper is asked for. A privileged program's helper runs with the
 * program's privileges and none of the caller's environment: the terminal at most. */
static mss_conf_prompt effective_mode(const mss_conf *conf, int privileged)
{
    if (privileged && conf->prompt != MSS_PROMPT_NONE)
        return MSS_PROMPT_TTY;
    return conf->prompt;
}

/* The session bus sd_bus_open_user would find: its address, or the socket in the
 * runtime folder it falls back to. Never in a privileged program (the caller's
 * environment leads to the caller's bus). */
static int session_bus_reachable(int privileged)
{
    const char *addr, *runtime;
    char path[4096];
    struct stat st;

    if (privileged)
        return 0;
    addr = secure_getenv("DBUS_SESSION_BUS_ADDRESS");
    if (addr != NULL && addr[0] != '\0')
        return 1;
    runtime = secure_getenv("XDG_RUNTIME_DIR");
    if (runtime == NULL || runtime[0] == '\0' ||
        snprintf(path, sizeof path, "%s/bus", runtime) >= (int)sizeof path)
        return 0;
    return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Whether this process has a controlling terminal the helper (same session) could
 * open: the same open prompt_tty.c makes, closed at once. */
static int terminal_openable(void)
{
    int fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

/* In auto mode the helper tries the session bus, then the terminal (mss_prompt.c);
 * when neither is there it can only say "shown nowhere", so starting it would cost a
 * process per signature for nothing. Explicit modes are left to the helper. */
static int worth_starting(const mss_conf *conf, mss_conf_prompt mode, int privileged)
{
    if (conf->prompt != MSS_PROMPT_AUTO)
        return 1;
    if (mode == MSS_PROMPT_AUTO && session_bus_reachable(privileged))
        return 1;
    return terminal_openable();
}

static int spawn_helper(const char *path, char **env, int in_fd, int out_fd, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    char *argv[] = {(char *)"mss-prompt", NULL};
    int rc;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return ENOMEM;
    if (posix_spawnattr_init(&attr) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        return ENOMEM;
    }
    /* The host may block or ignore signals; the helper starts with the defaults. */
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    rc = posix_spawn(pid, path, &fa, &attr, argv, env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Read what the helper has written, without waiting; handle each whole line. Returns
 * 1 when it has closed its end (exited). */
static int read_helper(p11_prompt *p, int *shown)
{
    char buf[128];
    ssize_t n;

    while ((n = read(p->from_helper, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != '\n') {
                if (p->line_len + 1 < sizeof p->line)
                    p->line[p->line_len++] = buf[i];
                continue;
            }
            p->line[p->line_len] = '\0';
            if (strcmp(p->line, "cancel") == 0)
                p->cancelled = 1;
            else if (strncmp(p->line, "shown", 5) == 0 && shown != NULL)
                *shown = 1;
            p->line_len = 0;
        }
    }
    return n == 0;
}

/* Wait until the helper says it shows, exits, or P11_PROMPT_SHOW_MS pass. */
static void wait_shown(p11_prompt *p)
{
    uint64_t deadline = monotonic_ms() + P11_PROMPT_SHOW_MS;
    int shown = 0;

    while (!shown) {
        uint64_t now = monotonic_ms();
        struct pollfd pfd = {.fd = p->from_helper, .events = POLLIN};

        if (now >= deadline) {
            mlog_warn("prompt: mss-prompt did not show within %d ms; sending anyway",
                      P11_PROMPT_SHOW_MS);
            return;
        }
        if (poll(&pfd, 1, (int)(deadline - now)) < 0 && errno != EINTR)
            return;
        if (read_helper(p, &shown)) {
            mlog_info("prompt: mss-prompt ended before showing anything");
            return;
        }
    }
}

static const char *helper_path(void)
{
    const char *env = mss_conf_getenv("MSS_PKCS11_PROMPT_HELPER");

    return env != NULL && env[0] != '\0' ? env : MSS_PROMPT_HELPER;
}

p11_prompt *p11_prompt_start(const mss_conf *conf, const p11_prompt_info *info)
{
    int privileged = mss_conf_privileged();
    mss_conf_prompt mode = effective_mode(conf, privileged);
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    const char *path = helper_path();
    p11_prompt *p;
    char **env;
    int rc;

    if (mode == MSS_PROMPT_NONE)
        return NULL;
    if (!worth_starting(conf, mode, privileged)) {
        mlog_debug("prompt: no session bus and no terminal; mss-prompt not started");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    env = helper_env(conf, mode, privileged, info);
    if (p == NULL || env == NULL || pipe2(in, O_CLOEXEC) != 0 ||
        pipe2(out, O_CLOEXEC | O_NONBLOCK) != 0) {
        mlog_warn("prompt: cannot prepare mss-prompt: %s", strerror(errno));
        rc = -1;
    } else {
        rc = spawn_helper(path, env, in[0], out[1], &p->pid);
        if (rc != 0)
            mlog_warn("prompt: cannot start %s: %s", path, strerror(rc));
    }
    free_env(env);
    if (in[0] >= 0)
        close(in[0]);
    if (out[1] >= 0)
        close(out[1]);
    if (rc != 0) {
        if (in[1] >= 0)
            close(in[1]);
        if (out[0] >= 0)
            close(out[0]);
        free(p);
        return NULL;
    }
    p->to_helper = in[1];
    p->from_helper = out[0];
    wait_shown(p);
    return p;
}

int p11_prompt_cancelled(p11_prompt *p)
{
    if (p == NULL)
        return 0;
    if (!p->cancelled)
        read_helper(p, NULL);
    return p->cancelled;
}

/* Has the helper exited? Reaps it if so. A host that reaps every child itself (a
 * SIGCHLD handler with waitpid(-1), or SIGCHLD ignored) may have done it already. */
static int helper_gone(pid_t pid)
{
    int status;
    pid_t r = waitpid(pid, &status, WNOHANG);

    return r == pid || (r < 0 && errno == ECHILD);
}

/* Write the end line unless the helper has already closed its stdin: with SIGPIPE
 * blocked in this thread for the write, and any pending one taken back. */
static void tell_end(p11_prompt *p, const char *line)
{
    sigset_t pipe_only, old, pending;
    struct timespec zero = {0, 0};
    ssize_t n;

    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    if (pthread_sigmask(SIG_BLOCK, &pipe_only, &old) != 0)
        return;
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    n = write(p->to_helper, line, strlen(line));
    if (n < 0 && errno == EPIPE && !was_pending)
        sigtimedwait(&pipe_only, NULL, &zero);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void p11_prompt_end(p11_prompt *p, p11_prompt_outcome outcome)
{
    static const char *const lines[] = {"end ok\n", "end cancelled\n", "end failed\n"};
    struct timespec ms = {0, 1000000L};
    uint64_t deadline;
    int closed = 0;

    if (p == NULL)
        return;
    tell_end(p, lines[outcome]);
    close(p->to_helper);
    deadline = monotonic_ms() + P11_PROMPT_END_MS;
    while (!helper_gone(p->pid)) {
        if (monotonic_ms() >= deadline) {
            mlog_warn("prompt: mss-prompt did not end within %d ms; killed", P11_PROMPT_END_MS);
            kill(p->pid, SIGKILL);
            waitpid(p->pid, NULL, 0);
            break;
        }
        if (!closed) {
            /* Its stdout closes as it exits; until then wake on what it writes. */
            struct pollfd pfd = {.fd = p->from_helper, .events = POLLIN};
            poll(&pfd, 1, 10);
            closed = read_helper(p, NULL);
        } else {
            nanosleep(&ms, NULL); /* closed, not yet reaped: a moment more */
        }
    }
    close(p->from_helper);
    free(p);
}
