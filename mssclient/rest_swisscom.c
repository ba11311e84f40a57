/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Swisscom Mobile ID flavour of the REST binding. The messages are Kiuru's, with the
 * changes Swisscom's OpenAPI file (mobileid-api, rest/mobileid.yaml) requires of a
 * request, and one path per operation below the server's base URL:
 *
 *   /rest/service/sign     MSS_SignatureReq: MinorVersion "2"; MessagingMode "asynch"
 *                          for asynchClientServer; AdditionalServices and TimeOut
 *                          always present (the file marks them required, as it does
 *                          SignatureProfile, which the caller gives)
 *   /rest/service/status   MSS_StatusReq as Kiuru writes it
 *   /rest/service/receipt  MSS_ReceiptReq with Status {StatusCode {Value "100"}}, the
 *                          only value the file allows
 *   /rest/service/profile  MSS_ProfileReq: versions "2" and "0", and Params, the words
 *                          of what is asked ("certs" for the certificates)
 *
 * The decoder is the REST binding's, which already reads Swisscom's spellings
 * (docs/protocol-profile.md, "Kiuru and Swisscom").
 */
#include <string.h>
#include "binding_internal.h"
#include "rest_internal.h"

/* TimeOut when a request leaves it to the MSSP: Swisscom requires the member, and its
 * guide's examples ask for 80 s. */
#define SWISSCOM_DEFAULT_TIMEOUT_S 80

static mss_error adjust_signature_req(json_t *m, const mss_signature_req *req)
{
    mss_error rc = mss_jb_number_string(m, "MinorVersion", 2);
    if (rc == MSS_OK && req->mode == MSS_MODE_ASYNCH_CLIENT_SERVER)
        rc = mss_jb_string(m, "MessagingMode", "asynch");
    if (rc == MSS_OK && json_object_get(m, "TimeOut") == NULL)
        rc = mss_jb_number_string(m, "TimeOut", SWISSCOM_DEFAULT_TIMEOUT_S);
    json_t *services = NULL;
    if (rc == MSS_OK && json_object_get(m, "AdditionalServices") == NULL)
        rc = mss_jb_array(m, "AdditionalServices", &services);
    return rc;
}

/* Swisscom's receipt carries Status 100 (its file allows no other value), whatever
 * status the signature ended with. */
static mss_error adjust_receipt_req(json_t *m)
{
    json_t *status = NULL, *code = NULL;
    mss_error rc;
    json_object_del(m, "Status");
    if ((rc = mss_jb_object(m, "Status", &status)) != MSS_OK ||
        (rc = mss_jb_object(status, "StatusCode", &code)) != MSS_OK)
        return rc;
    return mss_jb_number_string(code, "Value", 100);
}

static mss_error adjust_profile_req(json_t *m, const mss_profile_req *req)
{
    mss_error rc;
    if ((rc = mss_jb_number_string(m, "MajorVersion", 2)) != MSS_OK ||
        (rc = mss_jb_number_string(m, "MinorVersion", 0)) != MSS_OK)
        return rc;
    /* Swisscom asks by words in Params, not by Methics' GetCertificates. */
    json_object_del(m, "GetCertificates");
    return mss_jb_string(m, "Params", req->get_certificates ? "state certs" : "state");
}

static mss_error swisscom_adjust(json_t *m, const mss_message *msg)
{
    switch (msg->type) {
    case MSS_MSG_SIGNATURE_REQ: return adjust_signature_req(m, &msg->u.signature_req);
    case MSS_MSG_RECEIPT_REQ: return adjust_receipt_req(m);
    case MSS_MSG_PROFILE_REQ: return adjust_profile_req(m, &msg->u.profile_req);
    default: return MSS_OK; /* status queries and every answer: Kiuru's shape */
    }
}

static mss_error swisscom_encode(const mss_message *msg, char **json, size_t *json_len)
{
    return mss_rest_encode_as(msg, swisscom_adjust, json, json_len);
}

static const char *swisscom_path(mss_message_type type)
{
    switch (type) {
    case MSS_MSG_SIGNATURE_REQ: return "/rest/service/sign";
    case MSS_MSG_STATUS_REQ: return "/rest/service/status";
    case MSS_MSG_RECEIPT_REQ: return "/rest/service/receipt";
    case MSS_MSG_PROFILE_REQ: return "/rest/service/profile";
    default: return NULL;
    }
}

static const struct mss_binding rest_swisscom_binding = {
    .name = "rest-swisscom",
    .content_type = "application/json",
    .accept = "application/json",
    .encode = swisscom_encode,
    .decode = mss_rest_decode,
    .request_path = swisscom_path,
};

const mss_binding *mss_binding_rest_swisscom(void)
{
    return &rest_swisscom_binding;
}
