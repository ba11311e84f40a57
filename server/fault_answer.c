/* SPDX-License-Identifier: BSD-3-Clause */
/* A server's fault answers; see fault_answer.h. */
#include "fault_answer.h"

#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

const mss_binding *srv_binding_or_soap(const mss_binding *binding)
{
    return binding != NULL ? binding : mss_binding_soap();
}

/* Last resorts when even the fault cannot be encoded (out of memory). */
static const char soap_internal_error[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<env:Envelope xmlns:env=\"" MSS_NS_SOAP12 "\" xmlns:mss=\"" MSS_NS_ETSI "\">"
    "<env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value>"
    "<env:Subcode><env:Value>mss:_900</env:Value></env:Subcode></env:Code>"
    "<env:Reason><env:Text xml:lang=\"en\">INTERNAL_ERROR</env:Text></env:Reason>"
    "</env:Fault></env:Body></env:Envelope>\n";
static const char rest_internal_error[] =
    "{\"Fault\":{\"Code\":{\"Value\":\"Receiver\",\"SubCode\":{\"Value\":\"_900\"}},"
    "\"Reason\":\"INTERNAL_ERROR\"}}";

int srv_fault_answer(const mss_binding *binding, int code, int specifier, const char *detail,
                     char **body, size_t *len)
{
    binding = srv_binding_or_soap(binding);
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_FAULT;
    mss_fault_set(&msg.u.fault, code, specifier, detail);
    *body = NULL;
    *len = 0;
    if (mss_binding_encode(binding, &msg, body, len) == MSS_OK)
        return code;
    *body = strdup(binding == mss_binding_rest() ? rest_internal_error : soap_internal_error);
    *len = *body != NULL ? strlen(*body) : 0;
    return 900;
}

const char *srv_no_json_form(const mss_binding *binding, mss_error err, const mss_message *msg)
{
    if (err != MSS_ERR_ARGS || binding != mss_binding_rest())
        return NULL;
    const mss_signature *sig = NULL;
    if (msg != NULL && msg->type == MSS_MSG_SIGNATURE_RESP)
        sig = &msg->u.signature_resp.signature;
    else if (msg != NULL && msg->type == MSS_MSG_STATUS_RESP)
        sig = &msg->u.status_resp.signature;
    switch (sig != NULL ? sig->kind : MSS_SIG_NONE) {
    case MSS_SIG_FICOM_PKCS1:
        return "the signature is FiCom's fi:PKCS1, which has no JSON form: ask for it over SOAP";
    case MSS_SIG_XML:
        return "the signature is an XMLSignature, which has no JSON form: ask for it over SOAP";
    default:
        return "the answer has no JSON form: ask for it over SOAP";
    }
}

int srv_format_is_ficom_pkcs1(const char *mss_format)
{
    return mss_format != NULL &&
           strncmp(mss_format, MSS_FORMAT_FICOM_PKCS1, strlen(MSS_FORMAT_FICOM_PKCS1)) == 0;
}
