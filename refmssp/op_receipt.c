/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSS_Receipt: the AP tells the user how a finished signature transaction ended.
 * The SIM emulator "shows" the message by recording it in the audit log; the answer
 * is status 100 (delivered). Only a transaction of this AP that produced a signature
 * takes a receipt (FiCom, Swisscom); anything else is 101.
 */
#include "op_handlers.h"
#include "op_common.h"

#include <stdio.h>
#include <string.h>

/* FiCom: a receipt message is plain UTF-8 text of at most 160 characters. */
#define RECEIPT_MAX_CHARS 160

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void send_receipt(const ops_ctx *ctx, const mss_receipt_req *req, ops_reply *out)
{
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_RECEIPT_RESP;
    char instant[32];
    ops_response_header(ctx, &req->hdr, &msg.u.receipt_resp.hdr, instant);
    ops_set_status(&msg.u.receipt_resp.status, 100);
    ops_reply_message(&msg, 100, out);
}

void op_receipt(const ops_ctx *ctx, const mss_receipt_req *req, ops_reply *out)
{
    ops_note_request(out, "MSS_Receipt", req->msisdn, req->hdr.ap_trans_id);
    if (ops_check_header(ctx, &req->hdr, out) == NULL)
        return;
    if (req->mssp_trans_id == NULL || req->mssp_trans_id[0] == '\0') {
        ops_fault_reply(102, 0, "MSSP_TransID is missing", out);
        return;
    }
    if (req->message.text != NULL && utf8_chars(req->message.text) > RECEIPT_MAX_CHARS) {
        ops_fault_reply(103, 0, "the receipt Message is longer than 160 characters", out);
        return;
    }
    store_tx tx;
    if (ops_find_ap_tx(ctx, &req->hdr, req->mssp_trans_id, &tx, out) != 0)
        return;
    ops_note_request(out, "MSS_Receipt", tx.msisdn, req->hdr.ap_trans_id);
    if (tx.state != STORE_TX_DONE) {
        ops_fault_reply(101, 0, "a receipt is only for a transaction that produced a signature",
                        out);
    } else if (req->msisdn != NULL && req->msisdn[0] != '\0' &&
               strcmp(req->msisdn, tx.msisdn) != 0) {
        ops_fault_reply(101, 0, "MSISDN does not match the transaction", out);
    } else {
        char detail[240];
        snprintf(detail, sizeof detail, "MSSP_TransID=%s message=%.180s", tx.mssp_trans_id,
                 req->message.text != NULL ? req->message.text : "");
        store_audit(ctx->store, "receipt", tx.msisdn, detail);
        send_receipt(ctx, req, out);
    }
    store_tx_clear(&tx);
}
