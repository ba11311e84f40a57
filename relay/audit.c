/* SPDX-License-Identifier: BSD-3-Clause */
#include "audit.h"

#include "json.h"
#include "mss_conf.h"
#include "textbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A line is a few hundred bytes; the cap keeps a hostile field from growing it. */
#define AUDIT_LINE_MAX 4096

struct relay_audit {
    int fd;
    char *path;                  /* for relay_audit_reopen */
};

relay_audit *relay_audit_open(const char *path, char *why, size_t why_len)
{
    int fd = -1;
    if (mss_conf_open(path, O_WRONLY | O_APPEND | O_CREAT, MSS_CONF_FILE_NOT_WRITABLE, &fd, why,
                      why_len) != 0)
        return NULL;
    relay_audit *a = malloc(sizeof *a);
    char *copy = strdup(path);
    if (a == NULL || copy == NULL) {
        snprintf(why, why_len, "out of memory");
        free(a);
        free(copy);
        close(fd);
        return NULL;
    }
    a->fd = fd;
    a->path = copy;
    return a;
}

int relay_audit_reopen(relay_audit *audit, char *why, size_t why_len)
{
    int fd = -1;
    if (mss_conf_open(audit->path, O_WRONLY | O_APPEND | O_CREAT, MSS_CONF_FILE_NOT_WRITABLE, &fd,
                      why, why_len) != 0)
        return -1;
    /* dup2 replaces the descriptor in one step: a line being written goes whole to the
     * old file or whole to the new one, and no write ever finds the number closed. */
    int rc = dup2(fd, audit->fd) < 0 ? -1 : 0;
    if (rc != 0)
        snprintf(why, why_len, "%s: cannot reopen", audit->path);
    close(fd);
    return rc;
}

void relay_audit_close(relay_audit *audit)
{
    if (audit == NULL)
        return;
    close(audit->fd);
    free(audit->path);
    free(audit);
}

int relay_audit_format(const relay_audit_event *e, time_t now, char **line, size_t *len)
{
    char when[32];
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    textbuf b;
    textbuf_init(&b, AUDIT_LINE_MAX);
    jw_writer w;
    jw_writer_init(&w, &b, 0);
    jw_object_begin(&w);
    jw_member_string(&w, "time", when);
    jw_member_string(&w, "user", e->user);
    jw_member_string(&w, "peer", e->peer);
    jw_member_string(&w, "operation", e->operation);
    jw_member_string(&w, "binding", e->binding);
    jw_member_string(&w, "msisdn", e->msisdn);
    jw_member_string(&w, "outcome", e->outcome);
    jw_key(&w, "status");
    if (e->status != 0)
        jw_int(&w, e->status);
    else
        jw_null(&w);
    jw_member_string(&w, "reason", e->reason);
    jw_member_int(&w, "latency_ms", e->latency_ms);
    jw_object_end(&w);
    if (jw_finish(&w) != 0) {
        textbuf_clear(&b);
        return -1;
    }
    *line = textbuf_take(&b, len);
    return *line != NULL ? 0 : -1;
}

int relay_audit_write(relay_audit *audit, const relay_audit_event *e, time_t now)
{
    char *line = NULL;
    size_t len = 0;
    if (relay_audit_format(e, now, &line, &len) != 0)
        return -1;
    ssize_t put;
    do
        put = write(audit->fd, line, len);
    while (put < 0 && errno == EINTR);
    free(line);
    return put == (ssize_t)len ? 0 : -1;
}
