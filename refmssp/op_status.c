/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSS_StatusQuery: report a transaction of this AP (brought up to date first: it may
 * have expired or been approved by a delay). Pending → 504; done → 500 (or 503) with
 * the signature in the format the signature request asked for; failed → the SOAP
 * fault of the final status, as the field answers terminal errors while polling.
 */
#include "op_handlers.h"
#include "op_common.h"
#include "flow.h"

#include <stdio.h>
#include <string.h>

static void send_status(const ops_ctx *ctx, const mss_status_req *req, store_tx *tx,
                        ops_reply *out)
{
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_STATUS_RESP;
    mss_status_resp *resp = &msg.u.status_resp;
    char instant[32];
    ops_response_header(ctx, &req->hdr, &resp->hdr, instant);
    resp->msisdn = tx->msisdn;
    if (tx->state == STORE_TX_DONE) {
        ops_build_signature(tx->mss_format, tx->signature, tx->signature_len, tx->cert_der,
                            tx->cert_len, &resp->signature);
        ops_set_status(&resp->status, tx->status_code);
    } else {
        ops_set_status(&resp->status, 504);
    }
    ops_reply_message(&msg, resp->status.code, out);
}

void op_status_query(const ops_ctx *ctx, const mss_status_req *req, ops_reply *out)
{
    ops_note_request(out, "MSS_StatusQuery", req->msisdn, req->hdr.ap_trans_id);
    if (ops_check_header(ctx, &req->hdr, out) == NULL)
        return;
    if (req->mssp_trans_id == NULL || req->mssp_trans_id[0] == '\0') {
        ops_fault_reply(102, 0, "MSSP_TransID is missing", out);
        return;
    }
    store_tx tx;
    if (ops_find_ap_tx(ctx, &req->hdr, req->mssp_trans_id, &tx, out) != 0)
        return;
    if (flow_due(&tx, flow_now_ms())) {
        /* Its time has come (expiry, the SIM's own approval) but the ticker has not
         * ended it yet: end it now and answer with the result. The common case, still
         * pending or already ended, costs one read. */
        store_tx_clear(&tx);
        flow_settle(ctx->store, req->mssp_trans_id);
        if (ops_find_ap_tx(ctx, &req->hdr, req->mssp_trans_id, &tx, out) != 0)
            return;
    }
    ops_note_request(out, "MSS_StatusQuery", tx.msisdn, req->hdr.ap_trans_id);
    if (tx.state == STORE_TX_FAILED)
        ops_fault_reply(tx.status_code, tx.specifier, "the signature transaction failed", out);
    else
        send_status(ctx, req, &tx, out);
    store_tx_clear(&tx);
}
