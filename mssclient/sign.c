/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_client_sign: one MSS_Signature and, in asynchClientServer mode, MSS_StatusQuery
 * polling until a final status, the deadline (TimeOut + 10 s) or a cancel.
 * The signature request is sent exactly once; only status queries are retried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include <mss/verify.h>
#include "deadline.h"
#include "ids.h"

/* Our deadline runs this long past the MSSP's TimeOut, so the MSSP's own expiry
 * (208) normally arrives before we give up. */
#define DEADLINE_MARGIN_MS 10000u
#define MAX_SERVICES 32u
#define MAX_DTBS_LEN 65536u
#define MAX_DTBD_LEN 4096u
#define MAX_FIELD_LEN 1024u
#define DEFAULT_DTBS_MIME "application/octet-stream"

void mss_sign_result_clear(mss_sign_result *result)
{
    if (result == NULL)
        return;
    free(result->mssp_trans_id);
    free(result->signature);
    free(result->cert_der);
    free(result->raw_signature);
    for (size_t i = 0; result->certs != NULL && i < result->n_certs; i++)
        free(result->certs[i].data);
    free(result->certs);
    mss_service_responses_free(result->service_responses, result->n_service_responses);
    free(result->mssp_instant);
    memset(result, 0, sizeof *result);
}

static int bad_token(const char *s)
{
    if (s == NULL)
        return 0;
    if (s[0] == '\0' || strlen(s) > MAX_FIELD_LEN)
        return 1;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static mss_error check_request(const mss_sign_request *req, mss_detail *detail)
{
    const char *why = NULL;
    if (req->msisdn == NULL || req->msisdn[0] == '\0')
        why = "msisdn is required";
    else if (bad_token(req->msisdn) || strlen(req->msisdn) > 64)
        why = "msisdn is too long or has control characters";
    else if (req->dtbs == NULL || req->dtbs_len == 0)
        why = "dtbs is required";
    else if (req->dtbs_len > MAX_DTBS_LEN)
        why = "dtbs is longer than 65536 bytes";
    else if (bad_token(req->mime_type) || bad_token(req->profile) || bad_token(req->format))
        why = "mime_type, profile or format is empty, too long or has control characters";
    else if (req->dtbd != NULL && strlen(req->dtbd) > MAX_DTBD_LEN)
        why = "dtbd is longer than 4096 bytes";
    else if ((req->n_services > 0 && req->services == NULL) || req->n_services > MAX_SERVICES)
        why = "services is NULL or longer than 32 entries";
    for (size_t i = 0; why == NULL && i < req->n_services; i++)
        if (req->services[i].uri == NULL || bad_token(req->services[i].uri) ||
            bad_token(req->services[i].value))
            why = "a service has no URI, or its URI or value is empty, too long or has "
                  "control characters";
    if (why == NULL)
        return MSS_OK;
    mss_detail_printf(detail, "mss_client_sign: %s", why);
    return MSS_ERR_ARGS;
}

static unsigned char *memdup(const unsigned char *p, size_t n)
{
    unsigned char *out = malloc(n ? n : 1);
    if (out != NULL && n)
        memcpy(out, p, n);
    return out;
}

/* Keep the MSSP's Instant of the response just decoded, replacing an older one: after a
 * final status it is the MSSP's clock at that moment. */
static mss_error remember_instant(const mss_header *hdr, mss_sign_result *r)
{
    if (hdr->mssp_instant == NULL)
        return MSS_OK;
    char *copy = strdup(hdr->mssp_instant);
    if (copy == NULL)
        return MSS_ERR_NOMEM;
    free(r->mssp_instant);
    r->mssp_instant = copy;
    return MSS_OK;
}

/* A success status: copy the signature (and certificate) into the result. */
static mss_error take_signature(const mss_signature *sig, mss_sign_result *r, mss_detail *detail)
{
    if (sig->kind == MSS_SIG_NONE || sig->value == NULL || sig->value_len == 0) {
        mss_detail_printf(detail, "status %d but no usable signature in the response%s",
                          detail->status, sig->kind == MSS_SIG_XML ? " (XMLSignature)" : "");
        return MSS_ERR_FORMAT;
    }
    r->signature = memdup(sig->value, sig->value_len);
    if (sig->cert_der != NULL && sig->cert_len > 0)
        r->cert_der = memdup(sig->cert_der, sig->cert_len);
    if (r->signature == NULL || (sig->cert_der != NULL && sig->cert_len > 0 && !r->cert_der)) {
        free(r->signature);
        free(r->cert_der);
        r->signature = r->cert_der = NULL;
        return MSS_ERR_NOMEM;
    }
    r->signature_len = sig->value_len;
    r->cert_len = r->cert_der ? sig->cert_len : 0;
    r->kind = sig->kind;
    return MSS_OK;
}

/* Add a certificate to the result's list unless it is there already. */
static int add_cert(mss_sign_result *r, const mss_blob *cert)
{
    for (size_t i = 0; i < r->n_certs; i++)
        if (r->certs[i].len == cert->len && memcmp(r->certs[i].data, cert->data, cert->len) == 0)
            return 1;
    mss_blob *grown = realloc(r->certs, (r->n_certs + 1) * sizeof *grown);
    if (grown == NULL)
        return 0;
    r->certs = grown;
    if ((grown[r->n_certs].data = memdup(cert->data, cert->len)) == NULL)
        return 0;
    grown[r->n_certs++].len = cert->len;
    return 1;
}

/* Take the service responses over from the decoded message (they are moved). */
static mss_error take_service_responses(mss_service_response **list, size_t *n,
                                        mss_sign_result *r)
{
    r->service_responses = *list;
    r->n_service_responses = *n;
    *list = NULL;
    *n = 0;
    for (size_t i = 0; i < r->n_service_responses; i++)
        for (size_t j = 0; j < r->service_responses[i].n_certs; j++)
            if (!add_cert(r, &r->service_responses[i].certs[j]))
                return MSS_ERR_NOMEM;
    return MSS_OK;
}

/* A PKCS1 format (Kiuru, FiCom, with or without #rsa-pss) asks for a raw signature. */
static int wants_raw(const char *format)
{
    return strstr(format, "#PKCS1") != NULL;
}

/* What the signature bytes are: raw, or a CMS whose certificates and (when it signs
 * no signed attributes) raw value are taken out. */
static mss_error classify_signature(const char *format, mss_sign_result *r, mss_detail *detail)
{
    mss_decoded_signature d;
    mss_detail why;
    mss_error rc = mss_signature_decode(r->kind, r->signature, r->signature_len, r->cert_der,
                                        r->cert_len, &d, &why);
    if (rc != MSS_OK) {
        mss_detail_printf(detail, "status %d, but the signature is unusable: %s", detail->status,
                          why.text);
        return rc;
    }
    r->is_cms = d.is_cms;
    r->cms_signed_attrs = d.cms_signed_attrs;
    r->raw_signature = d.raw;
    r->raw_signature_len = d.raw_len;
    d.raw = NULL;
    for (size_t i = 0; rc == MSS_OK && i < d.n_certs; i++)
        if (!add_cert(r, &d.certs[i]))
            rc = MSS_ERR_NOMEM;
    mss_decoded_signature_clear(&d);
    if (rc == MSS_OK && r->cms_signed_attrs && wants_raw(format)) {
        mss_detail_printf(detail, "asked for a raw PKCS#1 signature (%s) but the MSSP returned a CMS "
                             "whose SignerInfo signs signed attributes, not the data", format);
        return MSS_ERR_FORMAT;
    }
    return rc;
}

/* What a final (non-504) status means for the caller. 501, 503 and 505 carry a
 * signature too, but one the MSSP itself found unusable: they are errors. */
static mss_error final_status(const mss_status *st, const mss_signature *sig,
                              mss_service_response **responses, size_t *n_responses,
                              const char *format, mss_sign_result *r, mss_detail *detail)
{
    mss_detail_status(detail, st->code, st->subcode, st->message);
    mss_error rc = take_service_responses(responses, n_responses, r);
    if (rc != MSS_OK)
        return rc;
    if (st->code == 500 || st->code == 502) {
        if ((rc = take_signature(sig, r, detail)) != MSS_OK)
            return rc;
        return classify_signature(format, r, detail);
    }
    const mss_status_info *info = mss_status_lookup(st->code);
    mss_detail_printf(detail, "signature refused: status %d (%s)", st->code,
                         info ? info->name : "unknown status");
    return MSS_ERR_STATUS;
}

static const char *request_format(const mss_sign_request *req)
{
    return req->format ? req->format : MSS_FORMAT_KIURU_PKCS1;
}

/* Poll MSS_StatusQuery until a final status, a fault, the deadline or a cancel. */
static mss_error poll_status(mss_client *c, const mss_sign_request *req, const char *mssp_id,
                             uint64_t deadline_ms, mss_sign_result *r, mss_detail *detail)
{
    mss_error rc = mss_sleep_cancelable(c->poll_first_ms, deadline_ms, req->cancel,
                                        req->cancel_ctx);
    unsigned attempt = 0;

    while (rc == MSS_OK) {
        char trans_id[MSS_TRANS_ID_LEN + 1], instant[MSS_INSTANT_LEN + 1];
        mss_message q = {.type = MSS_MSG_STATUS_REQ};
        rc = mss_client_fill_header(c, &q.u.status_req.hdr, trans_id, instant, detail);
        if (rc != MSS_OK)
            return rc;
        /* MSSP_ID must be a copy of the one the signature response carried. */
        q.u.status_req.hdr.mssp_id_uri = (char *)mssp_id;
        q.u.status_req.mssp_trans_id = r->mssp_trans_id;
        q.u.status_req.msisdn = (char *)req->msisdn;

        mss_exchange_limits lim = {deadline_ms, c->status_timeout_ms + c->connect_timeout_ms,
                                   req->cancel, req->cancel_ctx};
        mss_message resp;
        /* The transaction lives on the server that took its request: ask there only. */
        rc = mss_client_exchange(c, "MSS_StatusQuery", &q, MSS_MSG_STATUS_RESP, &lim,
                                 r->url_index, NULL, &resp, detail);
        attempt++;
        if (rc == MSS_ERR_FAULT) { /* the exchange put the fault into the detail */
            mss_message_clear(&resp);
            return rc;
        }
        if (rc == MSS_OK)
            rc = remember_instant(&resp.u.status_resp.hdr, r);
        if (rc == MSS_OK) {
            mss_status_resp *sr = &resp.u.status_resp;
            mss_client_log(c, MSS_LOG_INFO, "MSS_StatusQuery #%u to %s: status %d", attempt,
                           mss_client_url_for(c, MSS_MSG_STATUS_REQ, r->url_index, 1),
                           sr->status.code);
            if (sr->status.code != 504) {
                rc = final_status(&sr->status, &sr->signature, &sr->service_responses,
                                  &sr->n_service_responses, request_format(req), r, detail);
                mss_message_clear(&resp);
                return rc;
            }
            mss_detail_status(detail, 504, 0, sr->status.message);
        } else if ((rc == MSS_ERR_TRANSPORT || rc == MSS_ERR_TIMEOUT) &&
                   mss_ms_left(deadline_ms) > 0) {
            /* A lost status query is harmless to repeat: it changes nothing at the MSSP. */
            mss_client_log(c, MSS_LOG_WARNING, "MSS_StatusQuery #%u failed (%s); will retry",
                           attempt, mss_error_string(rc));
        } else {
            mss_message_clear(&resp);
            return rc;
        }
        mss_message_clear(&resp);
        rc = mss_sleep_cancelable(c->poll_interval_ms, deadline_ms, req->cancel, req->cancel_ctx);
    }
    if (rc == MSS_ERR_CANCELED) {
        mss_detail_printf(detail, "signature canceled by the caller (MSSP_TransID %s)",
                             r->mssp_trans_id);
        mss_client_log(c, MSS_LOG_INFO, "MSSP_TransID %s: canceled by the caller", r->mssp_trans_id);
    } else if (rc == MSS_ERR_TIMEOUT) {
        mss_detail_printf(detail, "no final status within %u s (MSSP_TransID %s)",
                             c->timeout_s + DEADLINE_MARGIN_MS / 1000u, r->mssp_trans_id);
    }
    return rc;
}

/* Build and send the MSS_SignatureReq through the url list; *resp holds the answer on
 * MSS_OK / MSS_ERR_FAULT, and *url_used the index of the URL that gave it. */
static mss_error send_signature_req(mss_client *c, const mss_sign_request *req,
                                    uint64_t deadline_ms, mss_message *resp, int *url_used,
                                    mss_detail *detail)
{
    char trans_id[MSS_TRANS_ID_LEN + 1], instant[MSS_INSTANT_LEN + 1];
    mss_message m = {.type = MSS_MSG_SIGNATURE_REQ};
    mss_signature_req *sr = &m.u.signature_req;
    char *dtbs_b64 = NULL;

    memset(resp, 0, sizeof *resp);
    mss_error rc = mss_client_fill_header(c, &sr->hdr, trans_id, instant, detail);
    if (rc != MSS_OK)
        return rc;
    if (mss_base64_encode(req->dtbs, req->dtbs_len, &dtbs_b64) != 0) {
        mss_detail_printf(detail, "could not base64-encode the data to be signed");
        return MSS_ERR_NOMEM;
    }
    /* The struct fields are not const, but the encoder only reads them. */
    sr->mode = c->mode;
    sr->timeout_s = c->timeout_s;
    sr->msisdn = (char *)req->msisdn;
    sr->dtbs.text = dtbs_b64;
    sr->dtbs.mime_type = (char *)(req->mime_type ? req->mime_type : DEFAULT_DTBS_MIME);
    sr->dtbs.encoding = (char *)"base64";
    if (req->dtbd != NULL) {
        sr->dtbd.text = (char *)req->dtbd;
        sr->dtbd.mime_type = (char *)"text/plain";
        sr->dtbd.encoding = (char *)"UTF-8";
    }
    sr->signature_profile = (char *)req->profile;
    sr->mss_format = (char *)request_format(req);
    sr->services = (mss_service *)req->services;
    sr->n_services = req->n_services;

    /* synch: the answer comes when the user has acted, so allow the whole deadline. */
    mss_exchange_limits lim = {deadline_ms,
                               c->mode == MSS_MODE_SYNCH ? 0u
                                                         : c->status_timeout_ms + c->connect_timeout_ms,
                               req->cancel, req->cancel_ctx};
    mss_client_log(c, MSS_LOG_DEBUG, "MSS_Signature AP_TransID %s, mode %s, TimeOut %u s, "
                   "format %s, %zu bytes to sign", trans_id, mss_mode_name(c->mode), c->timeout_s,
                   sr->mss_format, req->dtbs_len);
    rc = mss_client_exchange(c, "MSS_Signature", &m, MSS_MSG_SIGNATURE_RESP, &lim,
                             MSS_URL_FIRST_REACHABLE, url_used, resp, detail);
    free(dtbs_b64);
    return rc;
}

mss_error mss_client_sign(mss_client *client, const mss_sign_request *req,
                          mss_sign_result *result, mss_detail *detail)
{
    mss_detail scratch; /* the status is read back below, asked for or not */
    if (detail == NULL)
        detail = &scratch;
    mss_detail_reset(detail);
    if (result == NULL)
        return MSS_ERR_ARGS;
    memset(result, 0, sizeof *result);
    if (client == NULL || req == NULL)
        return MSS_ERR_ARGS;
    mss_error rc = check_request(req, detail);
    if (rc != MSS_OK)
        return rc;
    if (req->cancel != NULL && req->cancel(req->cancel_ctx)) {
        mss_detail_printf(detail, "signature canceled by the caller before it was sent");
        return MSS_ERR_CANCELED;
    }

    uint64_t deadline_ms = mss_now_ms() + client->timeout_s * 1000ull + DEADLINE_MARGIN_MS;
    mss_message resp;
    int url_used = -1;
    rc = send_signature_req(client, req, deadline_ms, &resp, &url_used, detail);
    result->url_index = url_used > 0 ? url_used : 0;
    if (rc != MSS_OK) {
        mss_message_clear(&resp);
        return rc;
    }

    mss_signature_resp *sr = &resp.u.signature_resp;
    if (remember_instant(&sr->hdr, result) != MSS_OK ||
        (sr->mssp_trans_id != NULL && (result->mssp_trans_id = strdup(sr->mssp_trans_id)) == NULL)) {
        mss_message_clear(&resp);
        return MSS_ERR_NOMEM;
    }
    const char *log_url = mss_client_url_for(client, MSS_MSG_SIGNATURE_REQ, result->url_index, 1);
    mss_client_log(client, MSS_LOG_INFO, "MSS_Signature to %s: status %d, MSSP_TransID %s",
                   log_url, sr->status.code,
                   sr->mssp_trans_id ? sr->mssp_trans_id : "(none)");

    int pending = sr->status.code == 100 || sr->status.code == 504;
    if (client->mode == MSS_MODE_SYNCH || !pending) {
        /* synch answers finally; an asynch MSSP may also answer finally at once. */
        rc = final_status(&sr->status, &sr->signature, &sr->service_responses,
                          &sr->n_service_responses, request_format(req), result, detail);
        mss_message_clear(&resp);
        return rc;
    }
    if (result->mssp_trans_id == NULL || result->mssp_trans_id[0] == '\0') {
        mss_detail_printf(detail, "MSS_Signature to %s: status %d without an MSSP_TransID",
                          log_url, sr->status.code);
        mss_message_clear(&resp);
        return MSS_ERR_XML_UNEXPECTED;
    }
    mss_detail_status(detail, sr->status.code, sr->status.subcode, sr->status.message);
    char *mssp_id = NULL;
    if (sr->hdr.mssp_id_uri != NULL && (mssp_id = strdup(sr->hdr.mssp_id_uri)) == NULL) {
        mss_message_clear(&resp);
        return MSS_ERR_NOMEM;
    }
    mss_message_clear(&resp);

    rc = poll_status(client, req, mssp_id, deadline_ms, result, detail);
    free(mssp_id);
    return rc;
}
