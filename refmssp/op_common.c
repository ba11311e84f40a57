/* SPDX-License-Identifier: BSD-3-Clause */
/* The helpers every operation shares; see op_common.h. */
#include "op_common.h"
#include "fault_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

static void copy_field(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src != NULL ? src : "");
}

void ops_note_request(ops_reply *out, const char *operation, const char *msisdn,
                      const char *ap_trans_id)
{
    copy_field(out->operation, sizeof out->operation, operation);
    copy_field(out->msisdn, sizeof out->msisdn, msisdn);
    copy_field(out->ap_trans_id, sizeof out->ap_trans_id, ap_trans_id);
}

int ops_reply_is_rest(const ops_reply *reply)
{
    return reply->binding == mss_binding_rest();
}

/* Last resort when even the JSON fault cannot be encoded (out of memory). */
void ops_fault_reply(int code, int specifier, const char *detail, ops_reply *out)
{
    free(out->body);
    out->body = NULL;
    out->http_status = 500;
    out->mss_status = srv_fault_answer(out->binding, code, specifier, detail, &out->body,
                                       &out->body_len);
}

void ops_reply_message(const mss_message *msg, int status_code, ops_reply *out)
{
    free(out->body);
    out->body = NULL;
    mss_error err = mss_binding_encode(srv_binding_or_soap(out->binding), msg, &out->body,
                                       &out->body_len);
    const char *no_json = srv_no_json_form(out->binding, err, msg);
    if (no_json != NULL) {
        ops_fault_reply(101, 1017, no_json, out);
        return;
    }
    if (err != MSS_OK) {
        ops_fault_reply(900, 9002, "cannot encode the response", out);
        return;
    }
    out->http_status = 200;
    out->mss_status = status_code;
}

void ops_set_status(mss_status *status, int code)
{
    const mss_status_info *info = mss_status_lookup(code);
    status->code = code;
    status->subcode = 0;
    /* The encoder only reads the message; the table's string outlives the reply. */
    status->message = info != NULL ? (char *)info->name : NULL;
}

static void format_instant(char *buf)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* AP_PWD is required by the schema in every message; a response never echoes it. */
static char empty_pwd[] = "";

void ops_response_header(const ops_ctx *ctx, const mss_header *req, mss_header *resp,
                         char *instant)
{
    format_instant(instant);
    memset(resp, 0, sizeof *resp);
    resp->major_version = 1;
    resp->minor_version = 1;
    resp->ap_id = req->ap_id;
    resp->ap_trans_id = req->ap_trans_id;
    resp->ap_pwd = empty_pwd;
    resp->ap_instant = req->ap_instant != NULL ? req->ap_instant : instant;
    resp->mssp_id_uri = ctx->conf->mssp_id;
    resp->mssp_instant = instant;
}

const rm_ap *ops_check_header(const ops_ctx *ctx, const mss_header *hdr, ops_reply *out)
{
    if (hdr->major_version != 1) {
        ops_fault_reply(108, 0, "MajorVersion must be 1", out);
        return NULL;
    }
    int i = hdr->ap_pwd != NULL ? rm_conf_find_ap(ctx->conf, hdr->ap_id) : -1;
    if (i < 0 || !rm_secret_equal(hdr->ap_pwd, ctx->conf->aps[i].ap_pwd)) {
        ops_fault_reply(104, 0, "unknown AP_ID or wrong AP_PWD", out);
        return NULL;
    }
    if ((ctx->transport_aps & (1ULL << i)) == 0) {
        ops_fault_reply(104, 0, "the client certificate or HTTP Basic credentials are not "
                        "this AP_ID's", out);
        return NULL;
    }
    /* From here on the request speaks for this AP: its access line says so. */
    copy_field(out->ap_id, sizeof out->ap_id, ctx->conf->aps[i].ap_id);
    if (hdr->ap_trans_id == NULL || hdr->ap_trans_id[0] == '\0') {
        ops_fault_reply(102, 0, "AP_TransID is missing", out);
        return NULL;
    }
    return &ctx->conf->aps[i];
}

int ops_find_ap_tx(const ops_ctx *ctx, const mss_header *hdr, const char *mssp_trans_id,
                   store_tx *tx, ops_reply *out)
{
    int found = store_tx_find(ctx->store, mssp_trans_id, tx);
    if (found < 0) {
        ops_fault_reply(900, 9002, "database error", out);
        return -1;
    }
    if (found == 0 || strcmp(tx->ap_id, hdr->ap_id) != 0) {
        if (found)
            store_tx_clear(tx);
        ops_fault_reply(101, 0, "unknown MSSP_TransID", out);
        return -1;
    }
    return 0;
}

void ops_build_signature(const char *mss_format, unsigned char *sig, size_t sig_len,
                         unsigned char *cert, size_t cert_len, mss_signature *out)
{
    memset(out, 0, sizeof *out);
    out->value = sig;
    out->value_len = sig_len;
    if (srv_format_is_ficom_pkcs1(mss_format)) {
        out->kind = MSS_SIG_FICOM_PKCS1;
        out->cert_der = cert;
        out->cert_len = cert_len;
    } else {
        out->kind = MSS_SIG_BASE64;
    }
}

void ops_reply_clear(ops_reply *reply)
{
    const mss_binding *binding = reply->binding;
    free(reply->body);
    memset(reply, 0, sizeof *reply);
    reply->binding = binding;
}
