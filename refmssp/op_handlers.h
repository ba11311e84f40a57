/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The operation handlers (op_*.c), called by the dispatcher in mss_ops.c. Each
 * checks its decoded request and always fills *out (a response or a fault).
 */
#ifndef REFMSSP_OP_HANDLERS_H
#define REFMSSP_OP_HANDLERS_H

#include "op_common.h"

/* The reply for a signature request whose transaction TX has ended (synch mode):
 * 500/503 with the signature, or the fault of the failure. */
void op_signature_final(const ops_ctx *ctx, const mss_signature_req *req, const store_tx *tx,
                        ops_reply *out);

/* The operations. */
void op_signature(const ops_ctx *ctx, const mss_signature_req *req, ops_reply *out);
void op_status_query(const ops_ctx *ctx, const mss_status_req *req, ops_reply *out);
void op_profile_query(const ops_ctx *ctx, const mss_profile_req *req, ops_reply *out);
void op_receipt(const ops_ctx *ctx, const mss_receipt_req *req, ops_reply *out);

#endif /* REFMSSP_OP_HANDLERS_H */
