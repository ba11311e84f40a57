/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal to libmssclient's client half: the mss_client structure and the helpers
 * that sign.c, profile.c, receipt.c and client.c share. Not installed.
 */
#ifndef MSS_CLIENT_INTERNAL_H
#define MSS_CLIENT_INTERNAL_H

#include <stdint.h>

#include <mss/mss.h>
#include "detail.h"
#include "endpoints.h"
#include "transport.h"


struct mss_client {
    /* Copies of the options, owned by the client (the caller's strings may go away). */
    mss_url_lists urls;     /* url and the per-operation lists */
    char *ap_id;
    char *ap_pwd;           /* secret: goes into request bodies only */
    mss_messaging_mode mode;
    unsigned timeout_s;
    unsigned poll_first_ms;
    unsigned poll_interval_ms;
    unsigned connect_timeout_ms;
    unsigned status_timeout_ms; /* one status query or asynch request */
    int log_level;          /* 0: every line; else lines with level < log_level */
    mss_log_fn log;
    void *log_ctx;

    const mss_binding *binding;
    mss_transport *transport;

};

/* The endpoint a request of this type goes to on server url_index (see endpoints.h);
 * for_log: the form without credentials. */
const char *mss_client_url_for(const mss_client *client, mss_message_type type, int url_index,
                               int for_log);

/* 1 when url_index is MSS_URL_FIRST_REACHABLE or the index of a URL of the client's list. */
int mss_client_url_index_valid(const mss_client *client, int url_index);

/* Send one log line through the options' callback (no-op without one). Never pass secrets. */
void mss_client_log(const mss_client *client, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Fill a request header with this client's AP_ID / AP_PWD, a fresh AP_TransID and the
 * current Instant. The header borrows client strings and the two caller buffers, so a
 * request built this way must never be passed to mss_message_clear().
 */
mss_error mss_client_fill_header(mss_client *client, mss_header *hdr,
                                 char *trans_id_buf, char *instant_buf, mss_detail *detail);

/* What one request/response round trip is bounded by. */
typedef struct mss_exchange_limits {
    uint64_t deadline_ms;   /* absolute, on mss_now_ms()'s clock */
    unsigned max_request_ms;/* cap for this one HTTP request (0: up to the deadline) */
    mss_cancel_fn cancel;   /* may be NULL */
    void *cancel_ctx;
} mss_exchange_limits;

/*
 * POST one encoded request and decode the answer into *resp (which the caller clears
 * with mss_message_clear in every case). Returns MSS_OK when the answer is of type
 * `expect`; MSS_ERR_FAULT with resp->type == MSS_MSG_FAULT for a fault; every failure
 * is explained in *detail (which may be NULL). `op` is the operation name used in log lines.
 *
 * url_index picks the server (no failover), or is MSS_URL_FIRST_REACHABLE: then the
 * request goes through the operation's list in order, on to the next URL only while the
 * transport reports that the request never left (mss_transport_post's *unreached), all
 * within limits->deadline_ms. *url_used (may be NULL): the index it was last sent to;
 * -1 when nothing was sent.
 */
mss_error mss_client_exchange(mss_client *client, const char *op, const mss_message *req,
                              mss_message_type expect, const mss_exchange_limits *limits,
                              int url_index, int *url_used, mss_message *resp,
                              mss_detail *detail);

#endif
