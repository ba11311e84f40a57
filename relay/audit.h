/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The relay's audit log: one JSON object per line (JSON Lines), appended with a single
 * write(2) on an O_APPEND descriptor, so that lines from concurrent requests, and from
 * several processes sharing the file, never interleave.
 *
 * An event has room only for what an auditor needs (who, which phone, what, the outcome,
 * how long): no field can carry the AP password, a token, a certificate or the text shown
 * on the phone.
 */
#ifndef RELAY_AUDIT_H
#define RELAY_AUDIT_H

#include <stddef.h>
#include <time.h>

typedef struct relay_audit relay_audit;

typedef struct {
    const char *user;      /* the authenticated relay user; NULL before authentication */
    const char *peer;      /* client address */
    const char *operation; /* "MSS_Signature", "MSS_StatusQuery", … */
    const char *binding;   /* the desktop's request's: "soap" or "rest"; NULL if unknown */
    const char *msisdn;    /* the phone asked for, NULL if none */
    const char *outcome;   /* "ok", "refused" (by the relay), "fault" (from upstream), "error" */
    int status;            /* the TS 102 204 status or fault code answered, 0 if none */
    const char *reason;    /* a short explanation for people, NULL if none */
    long long latency_ms;  /* from the request's arrival to the answer */
} relay_audit_event;

/* Append to PATH (created 0600; refused when it is a symlink or others may write it).
 * NULL and the reason in WHY. */
relay_audit *relay_audit_open(const char *path, char *why, size_t why_len);

/* Closes; NULL is accepted. */
void relay_audit_close(relay_audit *audit);

/* Open the log's path again, for lines from now on (after logrotate moved the file):
 * SIGHUP in 'mss-relay run'. 0, or -1 with the reason (the old file stays in use). */
int relay_audit_reopen(relay_audit *audit, char *why, size_t why_len);

/* Write E with the time NOW (UTC, seconds). 0, or -1 when the line could not be written
 * whole (the caller logs that; the request's answer does not change). */
int relay_audit_write(relay_audit *audit, const relay_audit_event *e, time_t now);

/* The line relay_audit_write writes, newline included: *LINE (free it) of *LEN bytes. */
int relay_audit_format(const relay_audit_event *e, time_t now, char **line, size_t *len);

#endif /* RELAY_AUDIT_H */
