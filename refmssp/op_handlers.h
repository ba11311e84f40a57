/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers shared by the operation handlers (op_*.c) and their dispatcher (mss_ops.c).
 */
#ifndef REFMSSP_OPS_INTERNAL_H
#define REFMSSP_OPS_INTERNAL_H

#include "mss.h"
#include "mss_ops.h"

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

/* Encode MSG into the reply (200). An encoder failure becomes a 900 fault. */
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

/* The reply for a signature request whose transaction TX has ended (synch mode):
 * 500/503 with the signature, or the fault of the failure. */
void op_signature_final(const ops_ctx *ctx, const mss_signature_req *req, const store_tx *tx,
                        ops_reply *out);

/* The operations. */
void op_signature(const ops_ctx *ctx, const mss_signature_req *req, ops_reply *out);
void op_status_query(const ops_ctx *ctx, const mss_status_req *req, ops_reply *out);
void op_profile_query(const ops_ctx *ctx, const mss_profile_req *req, ops_reply *out);
void op_receipt(const ops_ctx *ctx, const mss_receipt_req *req, ops_reply *out);

#endif /* REFMSSP_OPS_INTERNAL_H */
