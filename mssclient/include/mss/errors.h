/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — outcomes.
 *
 * Every function that can fail returns an mss_error. Those that talk to an MSSP, decode
 * a message or verify a signature also take an optional `mss_detail *`: the one place
 * where the MSS status, its sub-code, the MSSP's reason, the HTTP status and our own
 * explanation of a failure are reported. Pass NULL when the code alone is enough.
 * Nothing in the detail is a secret; every text in it is one printable line.
 *
 * The status table (mss_status_lookup) gives the name and meaning of the MSS status
 * codes of TS 102 204, FiCom and Swisscom, and which of them are final.
 */
#ifndef MSS_ERRORS_H
#define MSS_ERRORS_H

#include <mss/api.h>

MSS_BEGIN_DECLS

typedef enum mss_error {
    MSS_OK = 0,
    MSS_ERR_NOMEM,            /* allocation failed */
    MSS_ERR_ARGS,             /* a caller's argument is invalid */
    MSS_ERR_XML_MALFORMED,    /* not well-formed XML or JSON (or unsafe, or too deep) */
    MSS_ERR_XML_UNEXPECTED,   /* well-formed, but not the message shape expected */
    MSS_ERR_TOO_LARGE,        /* body larger than MSS_MAX_BODY */
    MSS_ERR_TRANSPORT,        /* connection failed or was reset */
    MSS_ERR_TLS,              /* TLS handshake or certificate verification failed */
    MSS_ERR_HTTP,             /* an HTTP status the protocol does not allow (detail.http_status) */
    MSS_ERR_FAULT,            /* the MSSP answered with a fault (detail.status, .subcode, .reason) */
    MSS_ERR_STATUS,           /* a final, unsuccessful MSS status (detail.status) */
    MSS_ERR_TIMEOUT,          /* our own deadline passed before a final status */
    MSS_ERR_CANCELED,         /* the caller's cancel callback asked to stop */
    MSS_ERR_SIGNATURE_INVALID,/* the returned signature does not verify */
    MSS_ERR_FORMAT,           /* the signature's format is not usable as asked */
    MSS_ERR_CONFIG            /* client options are incomplete or contradictory */
} mss_error;

/* A constant name and meaning for an error, e.g. "MSS_ERR_TLS: TLS failure". */
MSS_API const char *mss_error_string(mss_error err);

#define MSS_DETAIL_REASON_SIZE 128
#define MSS_DETAIL_TEXT_SIZE 256

/* What happened, beyond the mss_error. Zero it (or not) before a call: a call that takes
 * one resets it first, then fills what it learns. */
typedef struct mss_detail {
    int status;         /* last MSS status or fault code seen (e.g. 504, 401, 105); 0: none */
    int subcode;        /* fault specifier or nested StatusCode (e.g. 1051); 0: none */
    long http_status;   /* HTTP status of the last response; 0: no response */
    char reason[MSS_DETAIL_REASON_SIZE]; /* the MSSP's words (fault Reason, StatusMessage);
                                          * control characters replaced; "" when none */
    char text[MSS_DETAIL_TEXT_SIZE];     /* our one-line explanation of the failure; "" */
} mss_detail;

/* One row of the status-code table. */
typedef struct mss_status_info {
    int code;             /* e.g. 401 */
    const char *name;     /* e.g. "USER_CANCEL" */
    const char *meaning;  /* one line of explanation */
    int is_final;         /* 1 when no further status will follow */
    int is_success;       /* 1 for 500 and 502 (a signature that can be used) */
} mss_status_info;

/* The table row for a code, or NULL for a code not in the table. */
MSS_API const mss_status_info *mss_status_lookup(int code);

MSS_END_DECLS

#endif /* MSS_ERRORS_H */
