/* SPDX-License-Identifier: BSD-3-Clause */
/* The SOAP binding's entry points: dispatch between the envelope and the message parts. */
#include <stdlib.h>
#include <string.h>
#include "binding_internal.h"
#include "soap_internal.h"
#include "xml_safe.h"

/* The operation wrapper for each message; responses reuse the request's name. */
static const char *wrapper_name(mss_message_type type)
{
    switch (type) {
    case MSS_MSG_SIGNATURE_REQ:
    case MSS_MSG_SIGNATURE_RESP: return "MSS_Signature";
    case MSS_MSG_STATUS_REQ:
    case MSS_MSG_STATUS_RESP: return "MSS_StatusQuery";
    case MSS_MSG_PROFILE_REQ:
    case MSS_MSG_PROFILE_RESP: return "MSS_ProfileQuery";
    case MSS_MSG_RECEIPT_REQ:
    case MSS_MSG_RECEIPT_RESP: return "MSS_Receipt";
    default: return NULL;
    }
}

static mss_error encode_payload(xmlNodePtr body, const mss_message *msg)
{
    if (msg->type == MSS_MSG_FAULT)
        return mss_enc_fault(body, &msg->u.fault);
    const char *name = wrapper_name(msg->type);
    if (name == NULL)
        return MSS_ERR_ARGS;
    xmlNodePtr w = NULL;
    mss_error rc = mss_env_wrapper(body, name, &w);
    if (rc != MSS_OK)
        return rc;
    switch (msg->type) {
    case MSS_MSG_SIGNATURE_REQ: return mss_enc_signature_req(w, &msg->u.signature_req);
    case MSS_MSG_SIGNATURE_RESP: return mss_enc_signature_resp(w, &msg->u.signature_resp);
    case MSS_MSG_STATUS_REQ: return mss_enc_status_req(w, &msg->u.status_req);
    case MSS_MSG_STATUS_RESP: return mss_enc_status_resp(w, &msg->u.status_resp);
    case MSS_MSG_PROFILE_REQ: return mss_enc_profile_req(w, &msg->u.profile_req);
    case MSS_MSG_PROFILE_RESP: return mss_enc_profile_resp(w, &msg->u.profile_resp);
    case MSS_MSG_RECEIPT_REQ: return mss_enc_receipt_req(w, &msg->u.receipt_req);
    case MSS_MSG_RECEIPT_RESP: return mss_enc_receipt_resp(w, &msg->u.receipt_resp);
    default: return MSS_ERR_ARGS;
    }
}

mss_error mss_soap_encode(const mss_message *msg, char **xml, size_t *xml_len)
{
    if (msg == NULL || xml == NULL)
        return MSS_ERR_ARGS;
    mss_xml_init();
    xmlDocPtr doc = NULL;
    xmlNodePtr body = NULL;
    mss_error rc = mss_env_new(&doc, &body);
    if (rc != MSS_OK)
        return rc;
    rc = encode_payload(body, msg);
    if (rc == MSS_OK)
        rc = mss_env_serialize(doc, xml, xml_len);
    xmlFreeDoc(doc);
    return rc;
}

static mss_error decode_payload(mss_dec *d, const xmlNode *p, mss_message *out)
{
    if (p->ns != NULL && mss_xr_is(p, "Fault", MSS_NS_SOAP12)) {
        out->type = MSS_MSG_FAULT;
        return mss_dec_fault(d, p, &out->u.fault);
    }
    const char *name = (const char *)p->name;
    if (strcmp(name, "MSS_SignatureReq") == 0) {
        out->type = MSS_MSG_SIGNATURE_REQ;
        return mss_dec_signature_req(d, p, &out->u.signature_req);
    }
    if (strcmp(name, "MSS_SignatureResp") == 0) {
        out->type = MSS_MSG_SIGNATURE_RESP;
        return mss_dec_signature_resp(d, p, &out->u.signature_resp);
    }
    if (strcmp(name, "MSS_StatusReq") == 0) {
        out->type = MSS_MSG_STATUS_REQ;
        return mss_dec_status_req(d, p, &out->u.status_req);
    }
    if (strcmp(name, "MSS_StatusResp") == 0) {
        out->type = MSS_MSG_STATUS_RESP;
        return mss_dec_status_resp(d, p, &out->u.status_resp);
    }
    if (strcmp(name, "MSS_ProfileReq") == 0) {
        out->type = MSS_MSG_PROFILE_REQ;
        return mss_dec_profile_req(d, p, &out->u.profile_req);
    }
    if (strcmp(name, "MSS_ProfileResp") == 0) {
        out->type = MSS_MSG_PROFILE_RESP;
        return mss_dec_profile_resp(d, p, &out->u.profile_resp);
    }
    if (strcmp(name, "MSS_ReceiptReq") == 0) {
        out->type = MSS_MSG_RECEIPT_REQ;
        return mss_dec_receipt_req(d, p, &out->u.receipt_req);
    }
    if (strcmp(name, "MSS_ReceiptResp") == 0) {
        out->type = MSS_MSG_RECEIPT_RESP;
        return mss_dec_receipt_resp(d, p, &out->u.receipt_resp);
    }
    return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "unsupported message <%s>", mss_xr_name(p));
}

static mss_error decode_body(const char *xml, size_t xml_len, mss_message *msg, mss_dec *d)
{
    xmlDocPtr doc = NULL;
    mss_error rc = mss_xml_parse_safe(xml, xml_len, &doc, d);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr payload = NULL;
    rc = mss_env_unwrap(d, doc, &payload);
    if (rc == MSS_OK)
        rc = decode_payload(d, payload, msg);
    xmlFreeDoc(doc);
    return rc;
}

mss_error mss_soap_decode(const char *xml, size_t xml_len, mss_message *out, mss_detail *detail)
{
    return mss_binding_decode_frame(decode_body, xml, xml_len, out, detail);
}

static const struct mss_binding soap_binding = {
    .name = "soap",
    /* SOAP 1.2's media type; text/xml is what some SOAP MSSPs answer with. */
    .content_type = "application/soap+xml; charset=utf-8",
    .accept = "application/soap+xml, text/xml, application/xml",
    .encode = mss_soap_encode,
    .decode = mss_soap_decode,
};

const mss_binding *mss_binding_soap(void)
{
    return &soap_binding;
}
