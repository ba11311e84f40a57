/* SPDX-License-Identifier: BSD-3-Clause */
/* Request dispatch to the operation handlers; see mss_ops.h. */
#include "mss_ops.h"
#include "op_handlers.h"
#include "flow.h"
#include "fault_answer.h"

#include <stdio.h>
#include <string.h>

void ops_handle_request(const ops_ctx *ctx, const ops_request *request, ops_reply *out)
{
    memset(out, 0, sizeof *out);
    out->binding = srv_binding_or_soap(request->binding);
    ops_note_request(out, "-", NULL, NULL);
    mss_message req;
    memset(&req, 0, sizeof req);
    mss_detail why;
    mss_error err = mss_binding_decode(out->binding, request->body, request->body_len, &req,
                                       &why);
    if (err != MSS_OK) {
        char detail[300];
        snprintf(detail, sizeof detail, "cannot read the request: %s",
                 why.text[0] ? why.text : "malformed");
        ops_fault_reply(101, 0, detail, out);
        return;
    }
    if (request->expect != 0 && req.type != request->expect) {
        ops_fault_reply(101, 0, SRV_OTHER_OPERATION, out);
        mss_message_clear(&req);
        return;
    }
    switch (req.type) {
    case MSS_MSG_SIGNATURE_REQ:
        op_signature(ctx, &req.u.signature_req, out);
        break;
    case MSS_MSG_STATUS_REQ:
        op_status_query(ctx, &req.u.status_req, out);
        break;
    case MSS_MSG_PROFILE_REQ:
        op_profile_query(ctx, &req.u.profile_req, out);
        break;
    case MSS_MSG_RECEIPT_REQ:
        op_receipt(ctx, &req.u.receipt_req, out);
        break;
    default:
        ops_fault_reply(101, 0, "not a request this MSSP serves", out);
        break;
    }
    mss_message_clear(&req);
}

void ops_handle_resumed(const ops_ctx *ctx, const ops_request *request, const char *trans_id,
                        ops_reply *out)
{
    memset(out, 0, sizeof *out);
    out->binding = srv_binding_or_soap(request->binding);
    ops_note_request(out, "MSS_Signature", NULL, NULL);
    mss_message req;
    memset(&req, 0, sizeof req);
    if (mss_binding_decode(out->binding, request->body, request->body_len, &req, NULL) !=
            MSS_OK ||
        req.type != MSS_MSG_SIGNATURE_REQ) {
        mss_message_clear(&req);
        ops_fault_reply(900, 9002, "the waiting request was lost", out);
        return;
    }
    ops_note_request(out, "MSS_Signature", req.u.signature_req.msisdn,
                     req.u.signature_req.hdr.ap_trans_id);
    store_tx tx;
    flow_settle(ctx->store, trans_id);
    int found = store_tx_find(ctx->store, trans_id, &tx);
    if (found != 1)
        ops_fault_reply(900, 9002, "the transaction was lost", out);
    else if (tx.state == STORE_TX_PENDING)
        /* only when the server stops before the phone answered */
        ops_fault_reply(208, 2081, "the MSSP is shutting down", out);
    else
        op_signature_final(ctx, &req.u.signature_req, &tx, out);
    if (found == 1)
        store_tx_clear(&tx);
    mss_message_clear(&req);
}
