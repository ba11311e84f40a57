/* SPDX-License-Identifier: BSD-3-Clause */
/* The REST binding's entry points: the wrapping object, and dispatch to the message parts. */
#include <stdlib.h>
#include <string.h>
#include "binding_internal.h"
#include "json_safe.h"
#include "rest_internal.h"

/* Every message a body may hold, by the member name that wraps it. */
static const mss_message_type message_types[] = {
    MSS_MSG_SIGNATURE_REQ, MSS_MSG_SIGNATURE_RESP, MSS_MSG_STATUS_REQ, MSS_MSG_STATUS_RESP,
    MSS_MSG_PROFILE_REQ, MSS_MSG_PROFILE_RESP, MSS_MSG_RECEIPT_REQ, MSS_MSG_RECEIPT_RESP,
    MSS_MSG_FAULT,
};
#define N_MESSAGE_TYPES (sizeof message_types / sizeof message_types[0])

static mss_error encode_payload(json_t *m, const mss_message *msg)
{
    switch (msg->type) {
    case MSS_MSG_SIGNATURE_REQ: return mss_rest_enc_signature_req(m, &msg->u.signature_req);
    case MSS_MSG_SIGNATURE_RESP: return mss_rest_enc_signature_resp(m, &msg->u.signature_resp);
    case MSS_MSG_STATUS_REQ: return mss_rest_enc_status_req(m, &msg->u.status_req);
    case MSS_MSG_STATUS_RESP: return mss_rest_enc_status_resp(m, &msg->u.status_resp);
    case MSS_MSG_PROFILE_REQ: return mss_rest_enc_profile_req(m, &msg->u.profile_req);
    case MSS_MSG_PROFILE_RESP: return mss_rest_enc_profile_resp(m, &msg->u.profile_resp);
    case MSS_MSG_RECEIPT_REQ: return mss_rest_enc_receipt_req(m, &msg->u.receipt_req);
    case MSS_MSG_RECEIPT_RESP: return mss_rest_enc_receipt_resp(m, &msg->u.receipt_resp);
    case MSS_MSG_FAULT: return mss_rest_enc_fault(m, &msg->u.fault);
    }
    return MSS_ERR_ARGS;
}

/* The AP_PWD value of a body's message, if it has one: wiped before the tree is freed. */
static json_t *ap_pwd_of(json_t *m)
{
    return json_object_get(json_object_get(m, "AP_Info"), "AP_PWD");
}

mss_error mss_rest_encode_as(const mss_message *msg, mss_rest_adjust adjust, char **json,
                             size_t *json_len)
{
    if (msg == NULL || json == NULL)
        return MSS_ERR_ARGS;
    const char *name = mss_message_type_name(msg->type);
    json_t *root = json_object(), *m = NULL;
    if (root == NULL)
        return MSS_ERR_NOMEM;
    mss_error rc = mss_jb_object(root, name, &m);
    if (rc == MSS_OK)
        rc = encode_payload(m, msg);
    if (rc == MSS_OK && adjust != NULL)
        rc = adjust(m, msg);
    if (rc == MSS_OK)
        rc = mss_jb_serialize(root, json, json_len);
    mss_json_wipe_string(ap_pwd_of(m));
    json_decref(root);
    return rc;
}

mss_error mss_rest_encode(const mss_message *msg, char **json, size_t *json_len)
{
    return mss_rest_encode_as(msg, NULL, json, json_len);
}

static mss_error decode_payload(mss_dec *d, mss_message_type type, const json_t *m,
                                mss_message *out)
{
    out->type = type;
    switch (type) {
    case MSS_MSG_SIGNATURE_REQ: return mss_rest_dec_signature_req(d, m, &out->u.signature_req);
    case MSS_MSG_SIGNATURE_RESP: return mss_rest_dec_signature_resp(d, m, &out->u.signature_resp);
    case MSS_MSG_STATUS_REQ: return mss_rest_dec_status_req(d, m, &out->u.status_req);
    case MSS_MSG_STATUS_RESP: return mss_rest_dec_status_resp(d, m, &out->u.status_resp);
    case MSS_MSG_PROFILE_REQ: return mss_rest_dec_profile_req(d, m, &out->u.profile_req);
    case MSS_MSG_PROFILE_RESP: return mss_rest_dec_profile_resp(d, m, &out->u.profile_resp);
    case MSS_MSG_RECEIPT_REQ: return mss_rest_dec_receipt_req(d, m, &out->u.receipt_req);
    case MSS_MSG_RECEIPT_RESP: return mss_rest_dec_receipt_resp(d, m, &out->u.receipt_resp);
    case MSS_MSG_FAULT: return mss_rest_dec_fault(d, m, &out->u.fault);
    }
    return mss_dec_fail(d, MSS_ERR_ARGS, "unknown message type");
}

/* The one message member of the root object: exactly one of the names above. */
static mss_error find_message(mss_dec *d, json_t *root, mss_message_type *type, json_t **m)
{
    const char *found = NULL;
    for (size_t i = 0; i < N_MESSAGE_TYPES; i++) {
        const char *name = mss_message_type_name(message_types[i]);
        json_t *v = json_object_get(root, name);
        if (v == NULL)
            continue;
        if (found != NULL)
            return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "the JSON body holds both %s and %s",
                                found, name);
        if (!json_is_object(v))
            return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not an object", name);
        found = name;
        *type = message_types[i];
        *m = v;
    }
    if (found == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED,
                            "the JSON body holds no MSS message (MSS_SignatureReq, ..., Fault)");
    return MSS_OK;
}

static mss_error decode_body(const char *json, size_t json_len, mss_message *msg, mss_dec *d)
{
    json_t *root = NULL, *m = NULL;
    mss_error rc = mss_json_parse_safe(json, json_len, &root, d);
    if (rc != MSS_OK)
        return rc;
    mss_message_type type = MSS_MSG_FAULT;
    rc = find_message(d, root, &type, &m);
    if (rc == MSS_OK)
        rc = decode_payload(d, type, m, msg);
    mss_json_wipe_string(ap_pwd_of(m));
    json_decref(root);
    return rc;
}

mss_error mss_rest_decode(const char *json, size_t json_len, mss_message *out, mss_detail *detail)
{
    return mss_binding_decode_frame(decode_body, json, json_len, out, detail);
}

static const struct mss_binding rest_binding = {
    .name = "rest",
    /* JSON is UTF-8 by definition (RFC 8259): no charset parameter. */
    .content_type = "application/json",
    .accept = "application/json",
    .encode = mss_rest_encode,
    .decode = mss_rest_decode,
};

const mss_binding *mss_binding_rest(void)
{
    return &rest_binding;
}
