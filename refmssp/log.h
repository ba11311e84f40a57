/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's stderr logging: one access line per request, and error lines.
 * Callers never pass AP_PWD, PINs or key material.
 */
#ifndef REFMSSP_LOG_H
#define REFMSSP_LOG_H

/* The fields of one access line. NULL strings print as "-". */
typedef struct rm_access {
    const char *peer;        /* client IP address */
    const char *operation;   /* MSS_Signature, MSS_StatusQuery, MSS_ProfileQuery, or "-" */
    const char *ap_id;       /* the AP the request was authenticated as; NULL/"": none */
    const char *msisdn;
    const char *ap_trans_id;
    int mss_status;          /* MSS status or fault code answered, 0: none */
    int http_status;
    double elapsed_ms;
} rm_access;

void rm_log_access(const rm_access *a);

/* "refmssp: " + message, to stderr. */
void rm_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* REFMSSP_LOG_H */
