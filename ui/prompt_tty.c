/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prompt as one line on the controlling terminal, for ssh, pkcs11-tool, openssl
 * and other programs run from a terminal (OpenSSH prints its "Confirm user presence"
 * line the same way). The line is completed with the outcome at the end. Nothing is
 * read from the terminal: Ctrl-C keeps its meaning for the program that asked, and
 * ending that program ends the request.
 */
#include "config.h"

#include "prompt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct tty_ui {
    int fd;
} tty_ui;

static void put(int fd, const char *text)
{
    size_t left = strlen(text);

    while (left > 0) {
        ssize_t n = write(fd, text, left);
        if (n <= 0)
            return;
        text += n;
        left -= (size_t)n;
    }
}

static void *tty_open(const prompt_fields *f)
{
    char line[512];
    tty_ui *t;
    int fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    t = malloc(sizeof *t);
    if (t == NULL) {
        close(fd);
        return NULL;
    }
    t->fd = fd;
    snprintf(line, sizeof line,
             "%s: confirm the %s with %s on your phone %s: check it shows code %s (%u s) ... ",
             f->program[0] != '\0' ? f->program : "mss-pkcs11", f->purpose, f->token, f->phone,
             f->code, f->timeout_s);
    put(fd, line);
    return t;
}

static int tty_fd(void *ui, short *events, uint64_t *timeout_ms)
{
    (void)ui, (void)events, (void)timeout_ms;
    return -1;
}

static int tty_process(void *ui)
{
    (void)ui;
    return 0;
}

static void tty_update(void *ui, unsigned seconds_left)
{
    (void)ui, (void)seconds_left; /* one line, not redrawn under the program's output */
}

static void tty_close(void *ui, prompt_outcome outcome)
{
    static const char *const words[] = {"confirmed.\n", "cancelled.\n", "not signed.\n"};
    tty_ui *t = ui;

    put(t->fd, words[outcome]);
    close(t->fd);
    free(t);
}

const prompt_ui prompt_ui_tty = {
    .name = "tty",
    .open = tty_open,
    .fd = tty_fd,
    .process = tty_process,
    .update = tty_update,
    .close = tty_close,
};
