/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-prompt: shows the person what their phone is about to ask (the token, what for,
 * the verification code, the phone number and the time left) and offers a Cancel,
 * for as long as the module's signature request waits. Started by the module, never
 * by hand; it reads its fields from MSS_PROMPT_* and talks to the module on stdin and
 * stdout (pkcs11/prompt.h).
 *
 * It ends when the module says "end …", when its stdin reaches end of file (the
 * module's process is gone), or on SIGTERM (sent when the thread that started it
 * ends), whichever comes first, and takes down what it showed.
 */
#include "config.h"

#include "prompt.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "timed_wait.h"

/* How often the countdown is brought up to date. */
#define COUNTDOWN_STEP_S 5

static volatile sig_atomic_t terminated;

static void on_term(int sig)
{
    (void)sig;
    terminated = 1;
}

static const char *field(const char *name)
{
    const char *v = getenv(name);
    return v != NULL ? v : "";
}

static void read_fields(prompt_fields *f)
{
    char *end;
    unsigned long t = strtoul(field("MSS_PROMPT_TIMEOUT"), &end, 10);

    f->mode = field("MSS_PROMPT_MODE");
    f->token = field("MSS_PROMPT_TOKEN");
    f->purpose = field("MSS_PROMPT_PURPOSE");
    f->code = field("MSS_PROMPT_CODE");
    f->phone = field("MSS_PROMPT_PHONE");
    f->program = field("MSS_PROMPT_PROGRAM");
    f->command = getenv("MSS_PROMPT_COMMAND");
    f->timeout_s = (*end == '\0' && t <= 3600) ? (unsigned)t : 0;
}

/* The place to show: the mode's own, or for auto the first that opens. */
static const prompt_ui *open_ui(const prompt_fields *f, void **state)
{
    static const prompt_ui *const auto_order[] = {&prompt_ui_notify, &prompt_ui_tty};
    static const prompt_ui *const by_name[] = {&prompt_ui_notify, &prompt_ui_tty,
                                               &prompt_ui_command};
    size_t i;

    if (strcmp(f->mode, "auto") == 0) {
        for (i = 0; i < sizeof auto_order / sizeof auto_order[0]; i++)
            if ((*state = auto_order[i]->open(f)) != NULL)
                return auto_order[i];
        return NULL;
    }
    for (i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
        if (strcmp(f->mode, by_name[i]->name) == 0)
            return (*state = by_name[i]->open(f)) != NULL ? by_name[i] : NULL;
    return NULL;
}

static void say(const char *line)
{
    /* The module may be gone; a failed write changes nothing here. */
    if (write(STDOUT_FILENO, line, strlen(line)) < 0)
        return;
}

/* Read the module's line; 1 once it has ended the prompt (or is gone). */
static int module_ended(prompt_outcome *outcome)
{
    char buf[64];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf - 1);

    if (n < 0)
        return errno != EINTR && errno != EAGAIN;
    if (n == 0) {
        *outcome = PROMPT_FAILED;
        return 1;
    }
    buf[n] = '\0';
    if (strstr(buf, "end ok") != NULL)
        *outcome = PROMPT_SIGNED;
    else if (strstr(buf, "end cancelled") != NULL)
        *outcome = PROMPT_CANCELLED;
    else
        *outcome = PROMPT_FAILED;
    return strstr(buf, "end") != NULL;
}

static void wait_for_the_end(const prompt_ui *ui, void *state, const prompt_fields *f)
{
    uint64_t started = monotonic_ms(), next_update = started + COUNTDOWN_STEP_S * 1000u;
    prompt_outcome outcome = PROMPT_FAILED;
    int cancel_sent = 0;

    for (;;) {
        struct pollfd pfd[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = -1}};
        uint64_t now = monotonic_ms(), wait_ms = next_update > now ? next_update - now : 0;
        int n = 1;

        if (ui != NULL) {
            uint64_t ui_wait = UINT64_MAX;
            short events = 0;
            pfd[1].fd = ui->fd(state, &events, &ui_wait);
            pfd[1].events = events;
            if (pfd[1].fd >= 0)
                n = 2;
            if (ui_wait < wait_ms)
                wait_ms = ui_wait;
        }
        if (poll(pfd, (nfds_t)n, (int)(wait_ms > 60000 ? 60000 : wait_ms)) < 0 && errno != EINTR)
            break;
        if (terminated)
            break;
        if ((pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) && module_ended(&outcome))
            break;
        if (ui != NULL && ui->process(state) && !cancel_sent) {
            say("cancel\n");
            cancel_sent = 1;
        }
        now = monotonic_ms();
        if (ui != NULL && now >= next_update) {
            unsigned elapsed = (unsigned)((now - started) / 1000u);
            ui->update(state, f->timeout_s > elapsed ? f->timeout_s - elapsed : 0);
            next_update = now + COUNTDOWN_STEP_S * 1000u;
        }
    }
    if (ui != NULL)
        ui->close(state, outcome);
}

int main(void)
{
    struct sigaction sa;
    const char *parent = getenv("MSS_PROMPT_PARENT");
    prompt_fields f;
    const prompt_ui *ui;
    void *state = NULL;
    char line[32];

    /* Ended when the thread that started us ends; and if the module's process is
     * already gone (the signal would never come), do not start at all. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (parent == NULL || strtol(parent, NULL, 10) != (long)getppid())
        return 1;

    read_fields(&f);
    ui = open_ui(&f, &state);
    snprintf(line, sizeof line, "shown %s\n", ui != NULL ? ui->name : "nowhere");
    say(line);
    wait_for_the_end(ui, state, &f);
    return 0;
}
