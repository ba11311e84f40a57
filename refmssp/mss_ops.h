/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MSSP operations: a TS 102 204 request in, its response or fault out, both in the
 * request's binding (SOAP or REST: the same operations whichever). No HTTP here (server.c does that) and no signing math (sim.c does that).
 * The context, the reply and ops_fault_reply come from op_common.h.
 */
#ifndef REFMSSP_MSS_OPS_H
#define REFMSSP_MSS_OPS_H

#include <stddef.h>

#include "op_common.h"

/* One request as the HTTP layer read it. */
typedef struct ops_request {
    const char *body;
    size_t body_len;
    const mss_binding *binding;  /* what the body is in, and the answer will be; NULL: SOAP */
    mss_message_type expect;      /* 0: any request; else the one message the path serves
                                  * (Swisscom's /rest/service/sign, …) */
} ops_request;

/* Handle one request. Always fills *out (a fault when anything is wrong). */
void ops_handle_request(const ops_ctx *ctx, const ops_request *request, ops_reply *out);

/*
 * The final answer to a synch MSS_Signature that waited (wait_trans_id): REQUEST is
 * the original one again (for the header to echo), TRANS_ID its transaction.
 */
void ops_handle_resumed(const ops_ctx *ctx, const ops_request *request, const char *trans_id,
                        ops_reply *out);

#endif /* REFMSSP_MSS_OPS_H */
