/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MSSP operations: a decoded TS 102 204 request in, an encoded SOAP response or
 * fault out. No HTTP here (server.c does that) and no signing math (sim.c does that).
 * The context, the reply and ops_fault_reply come from op_common.h.
 */
#ifndef REFMSSP_MSS_OPS_H
#define REFMSSP_MSS_OPS_H

#include <stddef.h>

#include "op_common.h"

/* Handle one request body. Always fills *out (a fault when anything is wrong). */
void ops_handle_request(const ops_ctx *ctx, const char *body, size_t body_len, ops_reply *out);

/*
 * The final answer to a synch MSS_Signature that waited (wait_trans_id): BODY is
 * the original request again (for the header to echo), TRANS_ID its transaction.
 */
void ops_handle_resumed(const ops_ctx *ctx, const char *body, size_t body_len,
                        const char *trans_id, ops_reply *out);

#endif /* REFMSSP_MSS_OPS_H */
