/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal interfaces between the REST (JSON) binding's files: one encoder and decoder
 * per message part, as the SOAP binding has (soap_internal.h). Encoders add members to
 * the message's object and return MSS_ERR_ARGS for content the format cannot carry,
 * MSS_ERR_NOMEM on allocation failure. Decoders read the parsed object strictly (types,
 * numbers, required fields) and explain failures through mss_dec, naming the field by
 * its path from the message ("MSS_SignatureReq.DataToBeSigned.Data").
 */
#ifndef MSS_REST_INTERNAL_H
#define MSS_REST_INTERNAL_H

#include <jansson.h>
#include <mss/mss.h>
#include "detail.h"
#include "json_build.h"
#include "json_read.h"
#include "model_internal.h"

/* rest_header.c: MessageAbstractType (versions, AP_Info, MSSP_Info), MobileUser, DataType. */
mss_error mss_rest_enc_header(json_t *msg, const mss_header *hdr);
mss_error mss_rest_dec_header(mss_dec *d, const json_t *msg, const char *at, mss_header *hdr);
/* MobileUser {MSISDN}: an empty object for a NULL msisdn. */
mss_error mss_rest_enc_mobile_user(json_t *msg, const char *msisdn);
mss_error mss_rest_dec_mobile_user(mss_dec *d, const json_t *msg, const char *at, int required,
                                   char **msisdn);
/* {MimeType, Encoding, Data}; Data is required when the object is there. */
mss_error mss_rest_enc_data(json_t *msg, const char *key, const mss_data *data);
mss_error mss_rest_dec_data(mss_dec *d, const json_t *msg, const char *at, const char *key,
                            int required, mss_data *data);

/* rest_status.c: Status {StatusCode {Value, StatusCode {Value}}, StatusMessage, StatusDetail}
 * and the status query. A message's own Status needs a code (enc: > 0); *status_obj (may
 * be NULL) receives the object, for the StatusDetail that follows. */
mss_error mss_rest_enc_status(json_t *parent, const mss_status *st, json_t **status_obj);
mss_error mss_rest_dec_status(mss_dec *d, const json_t *parent, const char *at, int required,
                              mss_status *st, const json_t **status_obj);
mss_error mss_rest_enc_status_req(json_t *msg, const mss_status_req *req);
mss_error mss_rest_dec_status_req(mss_dec *d, const json_t *msg, mss_status_req *req);
mss_error mss_rest_enc_status_resp(json_t *msg, const mss_status_resp *resp);
mss_error mss_rest_dec_status_resp(mss_dec *d, const json_t *msg, mss_status_resp *resp);

/* rest_signature.c: MSS_SignatureReq / MSS_SignatureResp and MSS_Signature. */
mss_error mss_rest_enc_signature_value(json_t *msg, const mss_signature *sig);
mss_error mss_rest_dec_signature_value(mss_dec *d, const json_t *msg, const char *at,
                                       mss_signature *sig);
mss_error mss_rest_enc_signature_req(json_t *msg, const mss_signature_req *req);
mss_error mss_rest_dec_signature_req(mss_dec *d, const json_t *msg, mss_signature_req *req);
mss_error mss_rest_enc_signature_resp(json_t *msg, const mss_signature_resp *resp);
mss_error mss_rest_dec_signature_resp(mss_dec *d, const json_t *msg, mss_signature_resp *resp);

/* rest_services.c: AdditionalServices of a request; ServiceResponses of a response (a
 * member of the message itself, beside Status, in the JSON form). */
mss_error mss_rest_enc_services(json_t *msg, const mss_service *services, size_t n);
mss_error mss_rest_dec_services(mss_dec *d, const json_t *msg, const char *at,
                                mss_service **services, size_t *n);
mss_error mss_rest_enc_service_responses(json_t *msg, const mss_service_response *responses,
                                         size_t n);
mss_error mss_rest_dec_service_responses(mss_dec *d, const json_t *msg, const char *at,
                                         mss_service_response **responses, size_t *n);

/* rest_profile.c: MSS_ProfileReq / MSS_ProfileResp with the certificate extension. */
mss_error mss_rest_enc_profile_req(json_t *msg, const mss_profile_req *req);
mss_error mss_rest_dec_profile_req(mss_dec *d, const json_t *msg, mss_profile_req *req);
mss_error mss_rest_enc_profile_resp(json_t *msg, const mss_profile_resp *resp);
mss_error mss_rest_dec_profile_resp(mss_dec *d, const json_t *msg, mss_profile_resp *resp);

/* rest_receipt.c: MSS_ReceiptReq / MSS_ReceiptResp. */
mss_error mss_rest_enc_receipt_req(json_t *msg, const mss_receipt_req *req);
mss_error mss_rest_dec_receipt_req(mss_dec *d, const json_t *msg, mss_receipt_req *req);
mss_error mss_rest_enc_receipt_resp(json_t *msg, const mss_receipt_resp *resp);
mss_error mss_rest_dec_receipt_resp(mss_dec *d, const json_t *msg, mss_receipt_resp *resp);

/* rest_fault.c: the Fault object {Code {Value, SubCode {Value "_105"}}, Reason, Detail}. */
mss_error mss_rest_enc_fault(json_t *obj, const mss_fault *fault);
mss_error mss_rest_dec_fault(mss_dec *d, const json_t *obj, mss_fault *fault);

/* rest_codec.c: encoding with a flavour's changes. ADJUST (NULL: none) edits the message's
 * JSON object M after the Kiuru shape of MSG was written into it, before it is serialised. */
typedef mss_error (*mss_rest_adjust)(json_t *m, const mss_message *msg);
mss_error mss_rest_encode_as(const mss_message *msg, mss_rest_adjust adjust, char **json,
                             size_t *json_len);

#endif
