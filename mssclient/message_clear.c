/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Releasing the message model: every *_clear frees what a struct owns and zeroes it,
 * whichever binding (or caller) filled it. Safe on zeroed structs.
 */
#include <stdlib.h>
#include <string.h>
#include "model_internal.h"

void mss_header_clear(mss_header *hdr)
{
    free(hdr->ap_id);
    free(hdr->ap_trans_id);
    if (hdr->ap_pwd != NULL) /* a secret: do not leave it in freed memory */
        memset(hdr->ap_pwd, 0, strlen(hdr->ap_pwd));
    free(hdr->ap_pwd);
    free(hdr->ap_instant);
    free(hdr->mssp_id_uri);
    free(hdr->mssp_instant);
    memset(hdr, 0, sizeof *hdr);
}

void mss_data_clear(mss_data *data)
{
    free(data->text);
    free(data->mime_type);
    free(data->encoding);
    memset(data, 0, sizeof *data);
}

void mss_status_clear(mss_status *st)
{
    free(st->message);
    memset(st, 0, sizeof *st);
}

void mss_status_req_clear(mss_status_req *req)
{
    mss_header_clear(&req->hdr);
    free(req->mssp_trans_id);
    free(req->msisdn);
    memset(req, 0, sizeof *req);
}

void mss_status_resp_clear(mss_status_resp *resp)
{
    mss_header_clear(&resp->hdr);
    free(resp->msisdn);
    mss_signature_clear(&resp->signature);
    mss_status_clear(&resp->status);
    mss_service_responses_free(resp->service_responses, resp->n_service_responses);
    memset(resp, 0, sizeof *resp);
}

void mss_services_free(mss_service *services, size_t n)
{
    for (size_t i = 0; services != NULL && i < n; i++) {
        free(services[i].uri);
        free(services[i].value);
    }
    free(services);
}

void mss_service_responses_free(mss_service_response *responses, size_t n)
{
    for (size_t i = 0; responses != NULL && i < n; i++) {
        free(responses[i].uri);
        mss_status_clear(&responses[i].status);
        for (size_t j = 0; responses[i].certs != NULL && j < responses[i].n_certs; j++)
            free(responses[i].certs[j].data);
        free(responses[i].certs);
    }
    free(responses);
}

void mss_signature_clear(mss_signature *sig)
{
    free(sig->value);
    free(sig->cert_der);
    memset(sig, 0, sizeof *sig);
}

void mss_signature_req_clear(mss_signature_req *req)
{
    mss_header_clear(&req->hdr);
    free(req->msisdn);
    mss_data_clear(&req->dtbs);
    mss_data_clear(&req->dtbd);
    free(req->signature_profile);
    free(req->mss_format);
    mss_services_free(req->services, req->n_services);
    memset(req, 0, sizeof *req);
}

void mss_signature_resp_clear(mss_signature_resp *resp)
{
    mss_header_clear(&resp->hdr);
    free(resp->mssp_trans_id);
    free(resp->msisdn);
    mss_signature_clear(&resp->signature);
    free(resp->signature_profile);
    mss_status_clear(&resp->status);
    mss_service_responses_free(resp->service_responses, resp->n_service_responses);
    memset(resp, 0, sizeof *resp);
}

void mss_receipt_req_clear(mss_receipt_req *req)
{
    mss_header_clear(&req->hdr);
    free(req->mssp_trans_id);
    free(req->msisdn);
    mss_status_clear(&req->status);
    mss_data_clear(&req->message);
    memset(req, 0, sizeof *req);
}

void mss_receipt_resp_clear(mss_receipt_resp *resp)
{
    mss_header_clear(&resp->hdr);
    mss_status_clear(&resp->status);
    memset(resp, 0, sizeof *resp);
}

void mss_user_certs_free(mss_user_cert *certs, size_t n_certs)
{
    for (size_t i = 0; certs && i < n_certs; i++) {
        free(certs[i].der);
        free(certs[i].state);
        free(certs[i].algorithm);
        free(certs[i].profiles);
    }
    free(certs);
}

void mss_profile_req_clear(mss_profile_req *req)
{
    mss_header_clear(&req->hdr);
    free(req->msisdn);
    memset(req, 0, sizeof *req);
}

void mss_profile_resp_clear(mss_profile_resp *resp)
{
    if (resp == NULL)
        return;
    mss_header_clear(&resp->hdr);
    for (size_t i = 0; resp->profiles && i < resp->n_profiles; i++)
        free(resp->profiles[i]);
    free(resp->profiles);
    mss_user_certs_free(resp->certs, resp->n_certs);
    mss_status_clear(&resp->status);
    memset(resp, 0, sizeof *resp);
}

void mss_fault_clear(mss_fault *fault)
{
    free(fault->reason);
    free(fault->detail);
    memset(fault, 0, sizeof *fault);
}

void mss_message_clear(mss_message *msg)
{
    if (msg == NULL)
        return;
    switch (msg->type) {
    case MSS_MSG_SIGNATURE_REQ: mss_signature_req_clear(&msg->u.signature_req); break;
    case MSS_MSG_SIGNATURE_RESP: mss_signature_resp_clear(&msg->u.signature_resp); break;
    case MSS_MSG_STATUS_REQ: mss_status_req_clear(&msg->u.status_req); break;
    case MSS_MSG_STATUS_RESP: mss_status_resp_clear(&msg->u.status_resp); break;
    case MSS_MSG_PROFILE_REQ: mss_profile_req_clear(&msg->u.profile_req); break;
    case MSS_MSG_PROFILE_RESP: mss_profile_resp_clear(&msg->u.profile_resp); break;
    case MSS_MSG_FAULT: mss_fault_clear(&msg->u.fault); break;
    case MSS_MSG_RECEIPT_REQ: mss_receipt_req_clear(&msg->u.receipt_req); break;
    case MSS_MSG_RECEIPT_RESP: mss_receipt_resp_clear(&msg->u.receipt_resp); break;
    default: break; /* zeroed or unknown: nothing owned */
    }
    memset(msg, 0, sizeof *msg);
}
