/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prompt as a program of the person's choice (prompt = command, prompt_command =
 * PATH), in the manner of SSH_ASKPASS: it is run with the fields in its environment
 * (MSS_PROMPT_TOKEN, _PURPOSE, _CODE, _PHONE, _TIMEOUT, _PROGRAM), in a process group
 * of its own, and ended (SIGTERM, then SIGKILL) when the request ends. Exiting with
 * status 1 before that, as a dialog's Cancel button does (zenity, ssh-askpass), is the
 * person's Cancel; any other exit only closes the prompt.
 */
#include "config.h"

#include "prompt.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "timed_wait.h"

/* How long the program gets to go after SIGTERM. */
#define COMMAND_GRACE_MS 500

typedef struct command_ui {
    pid_t pid;
    int pidfd;       /* readable once the program has exited */
    int exited;
} command_ui;

static void *command_open(const prompt_fields *f)
{
    command_ui *c;
    pid_t pid;

    if (f->command == NULL || f->command[0] != '/')
        return NULL;
    c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    pid = fork();
    if (pid < 0) {
        free(c);
        return NULL;
    }
    if (pid == 0) {
        char *argv[] = {(char *)f->command, NULL};
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* not left behind if we are killed */
        execv(f->command, argv);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: whichever runs first */
    c->pid = pid;
    c->pidfd = pidfd_open(pid, 0);
    return c;
}

static int command_fd(void *ui, short *events, uint64_t *timeout_ms)
{
    command_ui *c = ui;

    (void)timeout_ms;
    *events = POLLIN;
    return c->exited ? -1 : c->pidfd;
}

static int command_process(void *ui)
{
    command_ui *c = ui;
    int status;

    if (c->exited || waitpid(c->pid, &status, WNOHANG) != c->pid)
        return 0;
    c->exited = 1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

static void command_update(void *ui, unsigned seconds_left)
{
    (void)ui, (void)seconds_left; /* the program has its own clock, from MSS_PROMPT_TIMEOUT */
}

static void command_close(void *ui, prompt_outcome outcome)
{
    command_ui *c = ui;
    struct timespec ms = {0, 1000000L};
    uint64_t deadline = monotonic_ms() + COMMAND_GRACE_MS;

    (void)outcome;
    if (!c->exited) {
        kill(-c->pid, SIGTERM);
        while (waitpid(c->pid, NULL, WNOHANG) != c->pid) {
            if (monotonic_ms() >= deadline) {
                kill(-c->pid, SIGKILL);
                waitpid(c->pid, NULL, 0);
                break;
            }
            nanosleep(&ms, NULL);
        }
    }
    if (c->pidfd >= 0)
        close(c->pidfd);
    free(c);
}

const prompt_ui prompt_ui_command = {
    .name = "command",
    .open = command_open,
    .fd = command_fd,
    .process = command_process,
    .update = command_update,
    .close = command_close,
};
