/* SPDX-License-Identifier: BSD-3-Clause */
/* The message model's own helpers, below the public mss/message.h: the bounds every
 * decoder holds a message to, the parameter rule of additional services (message.c) and
 * releasing each part (message_clear.c), shared by the bindings and the client. */
#ifndef MSS_MODEL_INTERNAL_H
#define MSS_MODEL_INTERNAL_H

#include <mss/message.h>

/* What a decoder accepts, whatever the binding: hostile input must neither overflow an
 * int nor make us allocate without bound. */
#define MSS_MAX_VERSION 1000000L     /* Major/MinorVersion: tiny numbers in practice */
#define MSS_MAX_TIMEOUT_S 86400L     /* TimeOut: a day is far beyond any deployment's limit */
#define MSS_MAX_STATUS_CODE 999999L  /* status and fault codes are 3 digits, FiCom's 4 */
#define MSS_MAX_SERVICES 32          /* additional services, service responses */
#define MSS_MAX_SERVICE_CERTS 16     /* certificates in one signingCertificate response */
#define MSS_MAX_PROFILES 256         /* SignatureProfile entries of a profile response */
#define MSS_MAX_USER_CERTS 64        /* MobileUserCertificate entries of a profile response */

/* The FiCom parameter an additional service carries, by its URI: "EventID",
 * "NoSpamCode" or "UserLang" (both bindings spell it so); NULL for none. */
const char *mss_service_param(const char *uri);

/* Whether a service may be sent: a URI, and a value exactly when its parameter needs one
 * (eventId and userLang do; noSpam's code is optional; the others take none). MSS_OK or
 * MSS_ERR_ARGS. */
mss_error mss_service_check(const mss_service *sv);

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
