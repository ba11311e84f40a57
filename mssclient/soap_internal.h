/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Internal interfaces between the SOAP binding's files: one encoder and decoder per
 * message part (the model's clear functions are in model_internal.h). Encoders append to a parent element and return
 * MSS_ERR_ARGS for content the schema does not allow, MSS_ERR_NOMEM on allocation
 * failure. Decoders read a parsed tree leniently and explain failures through mss_dec.
 */
#ifndef MSS_SOAP_INTERNAL_H
#define MSS_SOAP_INTERNAL_H

#include <libxml/tree.h>
#include <mss/mss.h>
#include "model_internal.h"
#include "xml_build.h"
#include "xml_read.h"

#define MSS_NS_XMLDSIG "http://www.w3.org/2000/09/xmldsig#"
#define MSS_NS_SOAP11 "http://schemas.xmlsoap.org/soap/envelope/"
/* The FiCom eventId additional service. */
#define MSS_SERVICE_EVENT_ID MSS_SERVICE_URI_EVENT_ID

/* soap_envelope.c: env:Envelope/env:Body, operation wrappers, serialisation. */
mss_error mss_env_new(xmlDocPtr *doc, xmlNodePtr *body);
mss_error mss_env_wrapper(xmlNodePtr body, const char *name, xmlNodePtr *wrapper);
mss_error mss_env_serialize(xmlDocPtr doc, char **xml, size_t *xml_len);
/* The Body's payload: an env:Fault element or the MSS message element. */
mss_error mss_env_unwrap(mss_dec *d, xmlDocPtr doc, xmlNodePtr *payload);

/* msg_header.c: MessageAbstractType and the small shared types. */
mss_error mss_enc_message(xmlNodePtr parent, const char *name, const mss_header *hdr,
                          xmlNodePtr *msg, xmlNsPtr *ns);
mss_error mss_dec_header(mss_dec *d, const xmlNode *msg, mss_header *hdr);
mss_error mss_enc_mobile_user(xmlNodePtr msg, xmlNsPtr ns, const char *msisdn);
mss_error mss_dec_mobile_user(mss_dec *d, const xmlNode *msg, int required, char **msisdn);
mss_error mss_enc_uri(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *uri);
mss_error mss_dec_uri(mss_dec *d, const xmlNode *elem, char **uri);
/* DataType: text content plus MimeType / Encoding attributes. */
mss_error mss_enc_data(xmlNodePtr msg, xmlNsPtr ns, const char *name, const mss_data *data);
mss_error mss_dec_data(mss_dec *d, const xmlNode *e, mss_data *data);

/* msg_status.c: StatusType and MSS_StatusReq / MSS_StatusResp. */
mss_error mss_enc_status(xmlNodePtr msg, xmlNsPtr ns, const mss_status *st,
                         xmlNodePtr *status_elem);
mss_error mss_dec_status(mss_dec *d, const xmlNode *msg, mss_status *st,
                         xmlNodePtr *status_elem);
/* A Status element itself (whatever its namespace, e.g. fi:Status in a ServiceResponse).
 * The encoder names Status in status_ns and its children in ns; it allows code 0
 * (callers that need a real code check that first). */
mss_error mss_dec_status_elem(mss_dec *d, const xmlNode *status, mss_status *st);
mss_error mss_enc_status_elem(xmlNodePtr parent, xmlNsPtr status_ns, xmlNsPtr ns,
                              const mss_status *st, xmlNodePtr *status_elem);
mss_error mss_enc_status_req(xmlNodePtr parent, const mss_status_req *req);
mss_error mss_dec_status_req(mss_dec *d, const xmlNode *msg, mss_status_req *req);
mss_error mss_enc_status_resp(xmlNodePtr parent, const mss_status_resp *resp);
mss_error mss_dec_status_resp(mss_dec *d, const xmlNode *msg, mss_status_resp *resp);

/* msg_signature_value.c: the MSS_Signature element (SignatureType). */
mss_error mss_enc_signature_value(xmlNodePtr msg, xmlNsPtr ns, const mss_signature *sig);
mss_error mss_dec_signature_value(mss_dec *d, const xmlNode *msg, mss_signature *sig);

/* msg_signature.c: MSS_SignatureReq / MSS_SignatureResp. */
mss_error mss_enc_signature_req(xmlNodePtr parent, const mss_signature_req *req);
mss_error mss_dec_signature_req(mss_dec *d, const xmlNode *msg, mss_signature_req *req);
mss_error mss_enc_signature_resp(xmlNodePtr parent, const mss_signature_resp *resp);
mss_error mss_dec_signature_resp(mss_dec *d, const xmlNode *msg, mss_signature_resp *resp);

/* msg_profile.c: MSS_ProfileReq / MSS_ProfileResp. */
mss_error mss_enc_profile_req(xmlNodePtr parent, const mss_profile_req *req);
mss_error mss_dec_profile_req(mss_dec *d, const xmlNode *msg, mss_profile_req *req);
mss_error mss_enc_profile_resp(xmlNodePtr parent, const mss_profile_resp *resp);
mss_error mss_dec_profile_resp(mss_dec *d, const xmlNode *msg, mss_profile_resp *resp);

/* msg_profile_certs.c: the Methics ProfileQueryExtension in Status/StatusDetail. */
mss_error mss_enc_profile_certs(xmlNodePtr status_elem, xmlNsPtr ns,
                                const mss_user_cert *certs, size_t n_certs);
mss_error mss_dec_profile_certs(mss_dec *d, const xmlNode *status_elem,
                                mss_user_cert **certs, size_t *n_certs);

/* msg_services.c: AdditionalServices of a request; fi:ServiceResponses in StatusDetail. */
mss_error mss_enc_services(xmlNodePtr msg, xmlNsPtr ns, const mss_service *services,
                           size_t n);
mss_error mss_dec_services(mss_dec *d, const xmlNode *services_elem, mss_service **services,
                           size_t *n);
mss_error mss_enc_service_responses(xmlNodePtr status_elem, xmlNsPtr ns,
                                    const mss_service_response *responses, size_t n);
mss_error mss_dec_service_responses(mss_dec *d, const xmlNode *status_elem,
                                    mss_service_response **responses, size_t *n);
/* A response's Status followed by the service responses in its StatusDetail
 * (MSS_SignatureResp and MSS_StatusResp end this way). */
mss_error mss_enc_status_services(xmlNodePtr msg, xmlNsPtr ns, const mss_status *st,
                                  const mss_service_response *responses, size_t n);
mss_error mss_dec_status_services(mss_dec *d, const xmlNode *msg, mss_status *st,
                                  mss_service_response **responses, size_t *n);

/* msg_receipt.c: MSS_ReceiptReq / MSS_ReceiptResp. */
mss_error mss_enc_receipt_req(xmlNodePtr parent, const mss_receipt_req *req);
mss_error mss_dec_receipt_req(mss_dec *d, const xmlNode *msg, mss_receipt_req *req);
mss_error mss_enc_receipt_resp(xmlNodePtr parent, const mss_receipt_resp *resp);
mss_error mss_dec_receipt_resp(mss_dec *d, const xmlNode *msg, mss_receipt_resp *resp);

/* msg_fault.c: env:Fault carrying an MSS status code. */
mss_error mss_enc_fault(xmlNodePtr body, const mss_fault *fault);
mss_error mss_dec_fault(mss_dec *d, const xmlNode *fault_elem, mss_fault *fault);

#endif
