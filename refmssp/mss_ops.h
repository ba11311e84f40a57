/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MSSP operations: a decoded TS 102 204 request in, an encoded SOAP response or
 * fault out. No HTTP here (server.c does that) and no signing math (sim.c does that).
 */
#ifndef REFMSSP_MSS_OPS_H
#define REFMSSP_MSS_OPS_H

#include <stddef.h>

#include "rm_conf.h"
#include "store.h"

typedef struct ops_ctx {
    rm_store *store;
    const rm_conf *conf;
    /* Per request: the APs (bit i = conf->aps[i]) its transport authentication (TLS
     * client certificate, HTTP Basic) stands for. The AP named by AP_ID must be one. */
    unsigned long long transport_aps;
} ops_ctx;

/* What goes back to the AP, plus the fields of its access-log line. */
typedef struct ops_reply {
    int http_status;         /* 200 for a response, 500 for a fault (server may change it) */
    char *body;              /* malloc'd SOAP envelope */
    size_t body_len;
    char operation[24];      /* "MSS_Signature", … or "-" */
    char msisdn[24];         /* from the request, "" when none */
    char ap_trans_id[40];
    int mss_status;          /* status or fault code answered */
    /* A synch signature that waits for the phone: the HTTP layer holds the request
     * until this transaction has ended, then calls ops_handle_resumed. */
    char wait_trans_id[40];
} ops_reply;

/* Handle one request body. Always fills *out (a fault when anything is wrong). */
void ops_handle_request(const ops_ctx *ctx, const char *body, size_t body_len, ops_reply *out);

/*
 * The final answer to a synch MSS_Signature that waited (wait_trans_id): BODY is
 * the original request again (for the header to echo), TRANS_ID its transaction.
 */
void ops_handle_resumed(const ops_ctx *ctx, const char *body, size_t body_len,
                        const char *trans_id, ops_reply *out);

/*
 * Answer with a fault without looking at a body: CODE with optional SPECIFIER
 * (0: none) and a DETAIL line (may be NULL). Used by the HTTP layer for an
 * unauthenticated client (104) or an oversize body (101).
 */
void ops_fault_reply(int code, int specifier, const char *detail, ops_reply *out);

void ops_reply_clear(ops_reply *reply);

#endif /* REFMSSP_MSS_OPS_H */
