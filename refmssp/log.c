/* SPDX-License-Identifier: BSD-3-Clause */
/* stderr logging; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static const char *or_dash(const char *s)
{
    return (s != NULL && *s != '\0') ? s : "-";
}

/* Keep a field on one line and short, whatever the peer sent. */
static void sanitize(const char *in, char *out, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; in[i] != '\0' && j + 1 < len; i++) {
        unsigned char c = (unsigned char)in[i];
        out[j++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[j] = '\0';
}

void rm_log_access(const rm_access *a)
{
    char now[32];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);

    char ap[136], msisdn[40], trans[48];
    sanitize(or_dash(a->ap_id), ap, sizeof ap);
    sanitize(or_dash(a->msisdn), msisdn, sizeof msisdn);
    sanitize(or_dash(a->ap_trans_id), trans, sizeof trans);
    /* One fprintf per line so lines from different threads do not interleave. */
    fprintf(stderr, "%s %s %s ap=%s msisdn=%s ap_trans_id=%s status=%d http=%d %.1fms\n", now,
            or_dash(a->peer), or_dash(a->operation), ap, msisdn, trans, a->mss_status,
            a->http_status, a->elapsed_ms);
}

void rm_log_error(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "refmssp: %s\n", line);
}
