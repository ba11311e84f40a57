/* SPDX-License-Identifier: BSD-3-Clause */
/* Questions any part may ask of a message, whatever binding it came through. */
#include <string.h>
#include "model_internal.h"

const char *mss_message_type_name(mss_message_type type)
{
    switch (type) {
    case MSS_MSG_SIGNATURE_REQ: return "MSS_SignatureReq";
    case MSS_MSG_SIGNATURE_RESP: return "MSS_SignatureResp";
    case MSS_MSG_STATUS_REQ: return "MSS_StatusReq";
    case MSS_MSG_STATUS_RESP: return "MSS_StatusResp";
    case MSS_MSG_PROFILE_REQ: return "MSS_ProfileReq";
    case MSS_MSG_PROFILE_RESP: return "MSS_ProfileResp";
    case MSS_MSG_FAULT: return "Fault";
    case MSS_MSG_RECEIPT_REQ: return "MSS_ReceiptReq";
    case MSS_MSG_RECEIPT_RESP: return "MSS_ReceiptResp";
    }
    return "unknown message";
}

const mss_header *mss_message_header(const mss_message *msg)
{
    if (msg == NULL)
        return NULL;
    switch (msg->type) {
    case MSS_MSG_SIGNATURE_REQ: return &msg->u.signature_req.hdr;
    case MSS_MSG_SIGNATURE_RESP: return &msg->u.signature_resp.hdr;
    case MSS_MSG_STATUS_REQ: return &msg->u.status_req.hdr;
    case MSS_MSG_STATUS_RESP: return &msg->u.status_resp.hdr;
    case MSS_MSG_PROFILE_REQ: return &msg->u.profile_req.hdr;
    case MSS_MSG_PROFILE_RESP: return &msg->u.profile_resp.hdr;
    case MSS_MSG_RECEIPT_REQ: return &msg->u.receipt_req.hdr;
    case MSS_MSG_RECEIPT_RESP: return &msg->u.receipt_resp.hdr;
    case MSS_MSG_FAULT: return NULL;
    }
    return NULL;
}

const mss_service *mss_service_find(const mss_service *services, size_t n, const char *uri)
{
    if (services == NULL || uri == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (services[i].uri != NULL && strcmp(services[i].uri, uri) == 0)
            return &services[i];
    return NULL;
}

const char *mss_service_param(const char *uri)
{
    if (uri == NULL)
        return NULL;
    if (strcmp(uri, MSS_SERVICE_URI_EVENT_ID) == 0)
        return "EventID";
    if (strcmp(uri, MSS_SERVICE_URI_NO_SPAM) == 0)
        return "NoSpamCode";
    if (strcmp(uri, MSS_SERVICE_URI_USER_LANG) == 0)
        return "UserLang";
    return NULL;
}

mss_error mss_service_check(const mss_service *sv)
{
    if (sv->uri == NULL || sv->uri[0] == '\0')
        return MSS_ERR_ARGS;
    const char *param = mss_service_param(sv->uri);
    if (param == NULL)
        return sv->value == NULL ? MSS_OK : MSS_ERR_ARGS;
    if (strcmp(param, "NoSpamCode") == 0)
        return MSS_OK;
    return sv->value != NULL ? MSS_OK : MSS_ERR_ARGS;
}
