/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every MSSP operation shares: the request context, the reply, and the
 * helpers the handlers (op_*.c) build their answers with. Defined in op_common.c,
 * which depends on nothing of the handlers or of their dispatcher (mss_ops.c), so
 * the files depend one way: mss_ops.c -> op_*.c -> op_common.c.
 */
#ifndef REFMSSP_OP_COMMON_H
#define REFMSSP_OP_COMMON_H

#include <stddef.h>

#include <mss/mss.h>
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
    /* The request's binding: the answer, fault or response, is written in it (NULL:
     * SOAP). Set before anything else; ops_reply_clear keeps it. */
    const mss_binding *binding;
    int http_status;         /* 200 for a response, 500 for a fault (server may change it) */
    char *body;              /* malloc'd SOAP envelope or JSON object */
    size_t body_len;
    char operation[24];      /* "MSS_Signature", … or "-" */
    char msisdn[24];         /* from the request, "" when none */
    char ap_trans_id[40];
    char ap_id[128];         /* the AP the request was authenticated as, "" before */
    int mss_status;          /* status or fault code answered */
    /* A synch signature that waits for the phone: the HTTP layer holds the request
     * until this transaction has ended, then calls ops_handle_resumed. */
    char wait_trans_id[40];
} ops_reply;

/*
 * Answer with a fault without looking at a body: CODE with optional SPECIFIER
 * (0: none) and a DETAIL line (may be NULL), in the reply's binding (HTTP 500 for
 * both: TS 102 204's SOAP faults and Swisscom's REST ones). Used by the operations
 * and by the HTTP layer for an unauthenticated client (104) or an oversize body (101).
 */
void ops_fault_reply(int code, int specifier, const char *detail, ops_reply *out);

void ops_reply_clear(ops_reply *reply);

/*
 * Check what every request carries: MajorVersion 1 (else 108); an AP_ID of a
 * configured AP, its AP_PWD, and a transport authentication (certificate, Basic) of
 * that same AP (else 104); an AP_TransID (else 102). Returns the AP when fine;
 * otherwise NULL, the reply already holds the fault and the caller returns.
 */
const rm_ap *ops_check_header(const ops_ctx *ctx, const mss_header *hdr, ops_reply *out);

/* Fill a response header: AP_Info copied from the request (never its AP_PWD),
 * MSSP_Info with our MSSP_ID and INSTANT (a buffer of at least 32 bytes). */
void ops_response_header(const ops_ctx *ctx, const mss_header *req, mss_header *resp,
                         char *instant);

/* Set a status from a code: the code and its table name. */
void ops_set_status(mss_status *status, int code);

/* 1 when the reply is written in the REST binding. */
int ops_reply_is_rest(const ops_reply *reply);

/* Encode MSG into the reply (200) in its binding. A signature the binding has no form
 * for (fi:PKCS1 in JSON) becomes a 101/1017 fault that says so; any other encoder
 * failure a 900 fault. */
void ops_reply_message(const mss_message *msg, int status_code, ops_reply *out);

/* Look up transaction MSSP_TRANS_ID of the AP that sent HDR. 0 when found (*tx
 * filled; release it with store_tx_clear); otherwise the reply already holds the
 * fault (900/9002 database error, or 101 for an unknown id) and the caller returns.
 * Another AP's transaction is as unknown as a made-up one. */
int ops_find_ap_tx(const ops_ctx *ctx, const mss_header *hdr, const char *mssp_trans_id,
                   store_tx *tx, ops_reply *out);

/* Remember the request's MSISDN and AP_TransID for the access log. */
void ops_note_request(ops_reply *out, const char *operation, const char *msisdn,
                      const char *ap_trans_id);

/* A signature in the form MSS_FORMAT asks for (cert is used for FiCom fi:PKCS1,
 * with or without the #rsa-pss suffix). */
void ops_build_signature(const char *mss_format, unsigned char *sig, size_t sig_len,
                         unsigned char *cert, size_t cert_len, mss_signature *out);

#endif /* REFMSSP_OP_COMMON_H */
