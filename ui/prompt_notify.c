/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prompt as a desktop notification: the freedesktop Notifications interface on
 * the person's session bus (GNOME Shell, KDE Plasma, dunst, mako and the others).
 * Critical urgency and no expiry, so it stays until the request ends; updated in place
 * (replaces_id) as the countdown runs; a Cancel action; closed at the end.
 *
 * Only the daemon that owns org.freedesktop.Notifications is listened to: the signal
 * match names its unique bus name, so another program on the bus cannot press Cancel
 * on our behalf (and a Cancel could only stop a signature, never make one).
 */
#include "config.h"

#include "prompt.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#include "timed_wait.h"

#define NOTIFY_SERVICE "org.freedesktop.Notifications"
#define NOTIFY_PATH "/org/freedesktop/Notifications"
#define NOTIFY_CALL_USEC (2u * 1000u * 1000u) /* a daemon that does not answer in 2 s */
#define URGENCY_CRITICAL 2

typedef struct notify_ui {
    sd_bus *bus;
    const prompt_fields *f;
    uint32_t id;        /* the daemon's number for our notification */
    int cancelled;
} notify_ui;

/* Summary and body for seconds_left. */
static void texts(const prompt_fields *f, unsigned seconds_left, char *summary, size_t ss,
                  char *body, size_t bs)
{
    snprintf(summary, ss, "Confirm on your phone: code %s", f->code);
    snprintf(body, bs,
             "%s asks for %s%s with %s.\nCheck that your phone %s shows the code %s, then "
             "enter your PIN there.\n%u s left.",
             f->program[0] != '\0' ? f->program : "A program",
             strcmp(f->purpose, "signature") == 0 ? "a " : "", f->purpose, f->token, f->phone,
             f->code, seconds_left);
}

/* Show or replace the notification. 0, or a negative errno. */
static int notify(notify_ui *n, unsigned seconds_left)
{
    sd_bus_message *m = NULL, *reply = NULL;
    sd_bus_error error = SD_BUS_ERROR_NULL;
    char summary[128], body[512];
    int r;

    texts(n->f, seconds_left, summary, sizeof summary, body, sizeof body);
    r = sd_bus_message_new_method_call(n->bus, &m, NOTIFY_SERVICE, NOTIFY_PATH, NOTIFY_SERVICE,
                                       "Notify");
    if (r >= 0)
        r = sd_bus_message_append(m, "susss", "mss-pkcs11", n->id, "dialog-password", summary,
                                  body);
    if (r >= 0)
        r = sd_bus_message_append(m, "as", 2, "cancel", "Cancel");
    if (r >= 0)
        r = sd_bus_message_append(m, "a{sv}", 3, "urgency", "y", (uint8_t)URGENCY_CRITICAL,
                                  "category", "s", "device", "resident", "b", 1);
    if (r >= 0)
        r = sd_bus_message_append(m, "i", 0); /* never expires by itself */
    if (r >= 0)
        r = sd_bus_call(n->bus, m, NOTIFY_CALL_USEC, &error, &reply);
    if (r >= 0)
        r = sd_bus_message_read(reply, "u", &n->id);
    sd_bus_error_free(&error);
    sd_bus_message_unref(reply);
    sd_bus_message_unref(m);
    return r;
}

static int on_action(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
    notify_ui *n = userdata;
    uint32_t id;
    const char *action;

    (void)error;
    if (sd_bus_message_read(m, "us", &id, &action) >= 0 && id == n->id && n->id != 0 &&
        strcmp(action, "cancel") == 0)
        n->cancelled = 1;
    return 0;
}

/* The unique name of the notification daemon, or NULL when there is none. */
static char *daemon_name(sd_bus *bus)
{
    sd_bus_message *reply = NULL;
    sd_bus_error error = SD_BUS_ERROR_NULL;
    const char *owner = NULL;
    char *copy = NULL;

    if (sd_bus_call_method(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus", "GetNameOwner", &error, &reply, "s",
                           NOTIFY_SERVICE) >= 0 &&
        sd_bus_message_read(reply, "s", &owner) >= 0)
        copy = strdup(owner);
    sd_bus_error_free(&error);
    sd_bus_message_unref(reply);
    return copy;
}

static void *notify_open(const prompt_fields *f)
{
    notify_ui *n = calloc(1, sizeof *n);
    char *owner = NULL;

    if (n == NULL)
        return NULL;
    n->f = f;
    if (sd_bus_open_user(&n->bus) < 0 ||
        sd_bus_set_method_call_timeout(n->bus, NOTIFY_CALL_USEC) < 0 ||
        (owner = daemon_name(n->bus)) == NULL ||
        sd_bus_match_signal(n->bus, NULL, owner, NOTIFY_PATH, NOTIFY_SERVICE, "ActionInvoked",
                            on_action, n) < 0 ||
        notify(n, f->timeout_s) < 0) {
        free(owner);
        sd_bus_flush_close_unref(n->bus);
        free(n);
        return NULL;
    }
    free(owner);
    return n;
}

static int notify_fd(void *ui, short *events, uint64_t *timeout_ms)
{
    notify_ui *n = ui;
    uint64_t usec = UINT64_MAX;
    int ev = sd_bus_get_events(n->bus);

    *events = ev > 0 ? (short)ev : POLLIN;
    /* sd-bus answers with a CLOCK_MONOTONIC time, in microseconds. */
    if (sd_bus_get_timeout(n->bus, &usec) >= 0 && usec != UINT64_MAX) {
        uint64_t now = monotonic_us();
        *timeout_ms = usec > now ? (usec - now + 999) / 1000 : 0;
    }
    return sd_bus_get_fd(n->bus);
}

static int notify_process(void *ui)
{
    notify_ui *n = ui;

    while (sd_bus_process(n->bus, NULL) > 0)
        ;
    return n->cancelled;
}

static void notify_update(void *ui, unsigned seconds_left)
{
    notify(ui, seconds_left);
}

static void notify_close(void *ui, prompt_outcome outcome)
{
    notify_ui *n = ui;
    sd_bus_error error = SD_BUS_ERROR_NULL;

    (void)outcome;
    sd_bus_call_method(n->bus, NOTIFY_SERVICE, NOTIFY_PATH, NOTIFY_SERVICE, "CloseNotification",
                       &error, NULL, "u", n->id);
    sd_bus_error_free(&error);
    sd_bus_flush_close_unref(n->bus);
    free(n);
}

const prompt_ui prompt_ui_notify = {
    .name = "notify",
    .open = notify_open,
    .fd = notify_fd,
    .process = notify_process,
    .update = notify_update,
    .close = notify_close,
};
