/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The mock MSSP's answers to the contract's MSISDNs. Which number means what comes from
 * refmssp's own scenario parser (refmssp/scenario.c, linked in), so that the mock and
 * refmssp read the numbers alike; how each outcome travels (a fault of the request, of
 * the status query, or a status with a signature) is what the contract table checks.
 * Stateless: a status query carries the MSISDN, which decides the answer again.
 */
#include <string.h>

#include "../../refmssp/scenario.h"
#include "contract.h"
#include "mock_scenarios.h"

/* The answer to a request for msisdn once the phone has acted. */
static void final_answer(const mss_message *req, const char *msisdn, reply *out)
{
    scenario sc;
    scenario_parse(msisdn, &sc);
    int known = sc.kind == SCENARIO_DELAY ||
                (sc.kind == SCENARIO_NONE && strcmp(msisdn, CONTRACT_DEMO_MSISDN) == 0);
    if (sc.kind == SCENARIO_PHONE_FAULT) {
        answer_fault(sc.code, 0, "scenario", out);
        return;
    }
    if (!known && sc.kind != SCENARIO_STATUS) {
        answer_fault(105, 0, "UNKNOWN_CLIENT", out);
        return;
    }
    int code = sc.kind == SCENARIO_STATUS ? sc.code : 500;
    if (req->type == MSS_MSG_SIGNATURE_REQ) {
        answer_signature_resp(req, code, out);
        mss_signature *sig = &out->msg.u.signature_resp.signature;
        sig->kind = MSS_SIG_BASE64;
        sig->value = (unsigned char *)MOCK_SIG;
        sig->value_len = sizeof MOCK_SIG;
    } else {
        answer_status_resp(req, 500, out);
        mss_status_resp *sr = &out->msg.u.status_resp;
        sr->status.code = code;
    }
}

/* A profile query: the demo user has one certificate; every other number is unknown
 * (refmssp shows demo's certificates for scenario numbers, which the table does not ask). */
static void profile_answer(const mss_message *req, reply *out)
{
    const mss_profile_req *pq = &req->u.profile_req;
    if (pq->msisdn == NULL || strcmp(pq->msisdn, CONTRACT_DEMO_MSISDN) != 0) {
        answer_fault(105, 1052, "UNKNOWN_CLIENT", out);
        return;
    }
    /* Borrowed by the reply, never written: the same for every connection's thread. */
    static mss_user_cert cert = {.der = (unsigned char *)MOCK_CERT, .der_len = sizeof MOCK_CERT,
                                 .state = (char *)"ACTIVE"};
    out->msg.type = MSS_MSG_PROFILE_RESP;
    mss_profile_resp *pr = &out->msg.u.profile_resp;
    pr->hdr = answer_header(&pq->hdr);
    pr->certs = &cert;
    pr->n_certs = 1;
    pr->status.code = 100;
}

/* A receipt: the mock's only transaction is MOCK_MSSP_TRANS_ID; others are unknown (101). */
static void receipt_answer(const mss_message *req, reply *out)
{
    const mss_receipt_req *rr = &req->u.receipt_req;
    if (strcmp(rr->mssp_trans_id, MOCK_MSSP_TRANS_ID) != 0) {
        answer_fault(101, 0, "WRONG_PARAM", out);
        return;
    }
    out->msg.type = MSS_MSG_RECEIPT_RESP;
    out->msg.u.receipt_resp.hdr = answer_header(&rr->hdr);
    out->msg.u.receipt_resp.status.code = 100;
}

void respond_scenarios(server *s, const mss_message *req, reply *out)
{
    (void)s;
    if (req->type == MSS_MSG_PROFILE_REQ) {
        profile_answer(req, out);
        return;
    }
    if (req->type == MSS_MSG_RECEIPT_REQ) {
        receipt_answer(req, out);
        return;
    }
    if (req->type == MSS_MSG_STATUS_REQ) {
        final_answer(req, req->u.status_req.msisdn != NULL ? req->u.status_req.msisdn : "", out);
        return;
    }
    if (req->type != MSS_MSG_SIGNATURE_REQ) {
        answer_fault(101, 0, "WRONG_PARAM", out);
        return;
    }
    const mss_signature_req *sr = &req->u.signature_req;
    scenario sc;
    scenario_parse(sr->msisdn, &sc);
    /* Faults of the request itself come at once in both modes. */
    if (sc.kind == SCENARIO_REQUEST_FAULT || sc.kind == SCENARIO_UNKNOWN) {
        answer_fault(sc.kind == SCENARIO_UNKNOWN ? 105 : sc.code, 0, "scenario", out);
        return;
    }
    if (sr->mode == MSS_MODE_SYNCH)
        final_answer(req, sr->msisdn, out);
    else if (sc.kind == SCENARIO_NONE && strcmp(sr->msisdn, CONTRACT_DEMO_MSISDN) != 0)
        answer_fault(105, 0, "UNKNOWN_CLIENT", out);
    else
        answer_signature_resp(req, 100, out);
}
