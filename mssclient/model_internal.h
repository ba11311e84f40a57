/* SPDX-License-Identifier: BSD-3-Clause */
/* The message model's own helpers, below the public mss/message.h: releasing each part
 * (message_clear.c), shared by the bindings and the client. */
#ifndef MSS_MODEL_INTERNAL_H
#define MSS_MODEL_INTERNAL_H

#include <mss/message.h>

void mss_header_clear(mss_header *hdr);
void mss_data_clear(mss_data *data);
void mss_status_clear(mss_status *st);
void mss_status_req_clear(mss_status_req *req);
void mss_status_resp_clear(mss_status_resp *resp);
void mss_signature_clear(mss_signature *sig);
void mss_signature_req_clear(mss_signature_req *req);
void mss_signature_resp_clear(mss_signature_resp *resp);
void mss_profile_req_clear(mss_profile_req *req);
void mss_user_certs_free(mss_user_cert *certs, size_t n_certs);
void mss_receipt_req_clear(mss_receipt_req *req);
void mss_receipt_resp_clear(mss_receipt_resp *resp);
void mss_fault_clear(mss_fault *fault);

#endif
