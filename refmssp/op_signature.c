/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSS_Signature: check the request, open a transaction for the SIM emulator, and
 * answer 100 with an MSSP_TransID (asynch) or, in synch mode, the final result —
 * at once when the transaction has already ended, otherwise once the phone has
 * answered (the HTTP layer holds the request meanwhile).
 */
#include "op_handlers.h"
#include "op_common.h"
#include "fault_answer.h"
#include "flow.h"
#include "key_cache.h"
#include <mss/verify.h>
#include "pki.h"
#include "random_hex.h"
#include "scenario.h"
#include "sim.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* The 406 check and the new transaction are one step for this process's threads. */
static pthread_mutex_t phone_lock = PTHREAD_MUTEX_INITIALIZER;

/* An NCName of 25 characters: "T" + 96 random bits in hex, unguessable by other APs. */
static int new_trans_id(char *buf, size_t len)
{
    if (len < 2)
        return -1;
    buf[0] = 'T';
    return random_hex(buf + 1, len - 1, 12);
}

static const store_key *pick_key(const store_key *keys, size_t n, const char *profile)
{
    for (size_t i = 0; i < n; i++) {
        if (profile == NULL ? strcmp(keys[i].role, "authn") == 0
                            : strcmp(keys[i].profile, profile) == 0)
            return &keys[i];
    }
    return NULL;
}

/* The PKCS1 format URIs, each optionally with "#rsa-pss", and the CMS ones.
 * 0 known, -1 not. */
static int parse_format(const char *format, int *pss, int *cms)
{
    *pss = 0;
    *cms = 0;
    if (format == NULL)
        return 0;
    if (strcmp(format, MSS_FORMAT_CMS) == 0 || strcmp(format, MSS_FORMAT_PKCS7) == 0) {
        *cms = 1;
        return 0;
    }
    static const char *const bases[] = {MSS_FORMAT_KIURU_PKCS1, MSS_FORMAT_FICOM_PKCS1};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        size_t n = strlen(bases[i]);
        if (strncmp(format, bases[i], n) != 0)
            continue;
        if (format[n] == '\0')
            return 0;
        if (strcmp(format + n, MSS_FORMAT_SUFFIX_PSS) == 0) {
            *pss = 1;
            return 0;
        }
    }
    return -1;
}

/* DTBS must be base64 octets (a DigestInfo or a bare hash); anything else is 107 or 101. */
static int decode_dtbs(const mss_data *dtbs, unsigned char **bytes, size_t *len, ops_reply *out)
{
    if (dtbs->text == NULL) {
        ops_fault_reply(102, 1022, "DataToBeSigned is missing", out);
        return -1;
    }
    if (dtbs->mime_type == NULL || strcasecmp(dtbs->mime_type, "application/octet-stream") != 0 ||
        dtbs->encoding == NULL || strcasecmp(dtbs->encoding, "base64") != 0) {
        ops_fault_reply(107, 0,
                        "DataToBeSigned must be MimeType application/octet-stream, Encoding base64",
                        out);
        return -1;
    }
    if (mss_base64_decode(dtbs->text, bytes, len) != 0) {
        ops_fault_reply(101, 0, "DataToBeSigned is not valid base64", out);
        return -1;
    }
    return 0;
}

static void send_response(const ops_ctx *ctx, const mss_signature_req *req, const store_tx *tx,
                          int status, ops_reply *out)
{
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *resp = &msg.u.signature_resp;
    char instant[32];
    ops_response_header(ctx, &req->hdr, &resp->hdr, instant);
    resp->mssp_trans_id = tx->mssp_trans_id;
    resp->msisdn = req->msisdn;
    resp->signature_profile = tx->profile;
    if (status != 100)
        ops_build_signature(tx->mss_format, tx->signature, tx->signature_len, tx->cert_der,
                            tx->cert_len, &resp->signature);
    ops_set_status(&resp->status, status);
    ops_reply_message(&msg, status, out);
}

void op_signature_final(const ops_ctx *ctx, const mss_signature_req *req, const store_tx *tx,
                        ops_reply *out)
{
    if (tx->state == STORE_TX_DONE)
        send_response(ctx, req, tx, tx->status_code, out);
    else
        ops_fault_reply(tx->status_code, tx->specifier, "the signature transaction failed", out);
}

/* Everything the checks found out about one request. */
typedef struct sig_job {
    scenario scn;
    store_user user;          /* the number's user, or the scenario user */
    store_key *keys;
    size_t n_keys;
    const store_key *key;
    EVP_PKEY *pkey;           /* key's private key, parsed (key_cache) */
    unsigned char *dtbs;
    size_t dtbs_len;
    sim_alg alg;
} sig_job;

static void job_clear(sig_job *job)
{
    store_user_clear(&job->user);
    store_keys_free(job->keys, job->n_keys);
    EVP_PKEY_free(job->pkey);
    free(job->dtbs);
    memset(job, 0, sizeof *job);
}

/* The user (or scenario user) behind the MSISDN. 0, or -1 with the fault in out. */
static int find_user(const ops_ctx *ctx, const mss_signature_req *req, sig_job *job,
                     ops_reply *out)
{
    scenario_parse(req->msisdn, &job->scn);
    if (job->scn.kind == SCENARIO_REQUEST_FAULT) {
        ops_fault_reply(job->scn.code, job->scn.code == 105 ? 1052 : 0, "scenario number", out);
        return -1;
    }
    int found = job->scn.kind == SCENARIO_UNKNOWN ? 0
                : job->scn.kind != SCENARIO_NONE ? store_get_scenario_user(ctx->store, &job->user)
                                                 : store_get_user(ctx->store, req->msisdn,
                                                                  &job->user);
    if (found == 1 && job->scn.kind == SCENARIO_NONE && strcmp(job->user.msisdn, req->msisdn) != 0)
        found = 0;   /* a user's name is not a phone number */
    if (found < 0)
        ops_fault_reply(900, 9002, "database error", out);
    else if (found == 0)
        ops_fault_reply(105, 1052, "no such mobile user", out);
    return found == 1 ? 0 : -1;
}

/* Key, format and data length. 0, or -1 with the fault in out. */
static int check_key_and_format(const ops_ctx *ctx, const rm_ap *ap,
                                const mss_signature_req *req, sig_job *job, ops_reply *out)
{
    int pss = 0, cms = 0;
    if (store_user_keys(ctx->store, job->user.id, &job->keys, &job->n_keys) != 0) {
        ops_fault_reply(900, 9002, "database error", out);
        return -1;
    }
    job->key = pick_key(job->keys, job->n_keys, req->signature_profile);
    if (job->key == NULL) {
        ops_fault_reply(109, 0, "the user has no key for this SignatureProfile", out);
        return -1;
    }
    if (!rm_ap_profile_allowed(ap, job->key->profile)) {
        ops_fault_reply(104, 0, "this AP may not use this SignatureProfile", out);
        return -1;
    }
    if (parse_format(req->mss_format, &pss, &cms) != 0) {
        ops_fault_reply(101, 1017, "MSS_Format not supported", out);
        return -1;
    }
    /* fi:PKCS1 carries the certificate beside the value, which the REST binding cannot
     * write: refused before a phone is asked rather than after it signed. */
    if (ops_reply_is_rest(out) && srv_format_is_ficom_pkcs1(req->mss_format)) {
        ops_fault_reply(101, 1017, SRV_NO_JSON_FORMAT, out);
        return -1;
    }
    pki_key_type type = PKI_KEY_RSA2048;
    pki_key_type_parse(job->key->key_type, &type);
    if (pss && (pki_key_type_is_ec(type) || !job->key->pss)) {
        ops_fault_reply(101, 1017, "this key cannot sign RSA-PSS", out);
        return -1;
    }
    job->alg = cms ? SIM_ALG_CMS
               : pki_key_type_is_ec(type) ? SIM_ALG_ECDSA : pss ? SIM_ALG_PSS : SIM_ALG_PKCS1;
    job->pkey = key_cache_get(job->key->id, job->key->key_pem);
    int rc = job->pkey != NULL ? sim_check(job->pkey, job->alg, job->dtbs_len) : 900;
    if (rc == 103)
        ops_fault_reply(103, 0, job->alg == SIM_ALG_PKCS1
                                    ? "DataToBeSigned does not fit the key (a DigestInfo expected)"
                                : job->alg == SIM_ALG_CMS
                                    ? "DataToBeSigned is empty or larger than 64 KiB"
                                    : "DataToBeSigned must be a bare hash (20, 28, 32, 48 or "
                                      "64 bytes)", out);
    else if (rc != 0)
        ops_fault_reply(900, 9004, "the user's key cannot be used", out);
    return rc == 0 ? 0 : -1;
}

/* One outstanding request per phone: 406 while another is pending. 0, or -1 + fault. */
static int check_phone_free(const ops_ctx *ctx, const char *msisdn, ops_reply *out)
{
    char **ids = NULL;
    size_t n = 0;
    if (store_tx_pending_ids(ctx->store, msisdn, &ids, &n) != 0) {
        ops_fault_reply(900, 9002, "database error", out);
        return -1;
    }
    int busy = 0;
    for (size_t i = 0; i < n; i++) {
        store_tx tx;
        flow_settle(ctx->store, ids[i]);
        if (store_tx_find(ctx->store, ids[i], &tx) == 1) {
            busy |= tx.state == STORE_TX_PENDING;
            store_tx_clear(&tx);
        }
    }
    store_ids_free(ids, n);
    if (busy)
        ops_fault_reply(406, 0, "another signature request is in progress for this user", out);
    return busy ? -1 : 0;
}

/* When the SIM answers (approve_at) or what the transaction ends with at once. */
static void decide_outcome(const sig_job *job, store_tx *tx, long long now, int *final_code,
                           int *specifier)
{
    *final_code = 0;
    *specifier = 0;
    if (job->scn.kind == SCENARIO_PHONE_FAULT) {
        *final_code = job->scn.code;
    } else if (job->scn.kind == SCENARIO_STATUS) {
        *final_code = job->scn.code;
    } else if (job->scn.kind == SCENARIO_DELAY) {
        tx->approve_at_ms = now + job->scn.delay_ms;
    } else if (job->user.blocked) {
        *final_code = 403;
        *specifier = 4032;
    } else if (job->key->pin_failures >= STORE_PIN_TRIES) {
        *final_code = 402;
        *specifier = 4021;
    } else {
        flow_policy_kind kind = FLOW_POLICY_APPROVE;
        long delay = 0;
        flow_policy_parse(job->user.policy, &kind, &delay);
        if (kind == FLOW_POLICY_APPROVE)
            *final_code = 500;
        else if (kind == FLOW_POLICY_DELAY)
            tx->approve_at_ms = now + (delay > 0 ? delay : 1);
    }
}

/* Record the transaction, end it now if it ends now, answer. */
static void open_transaction(const ops_ctx *ctx, const mss_signature_req *req, sig_job *job,
                             ops_reply *out)
{
    char trans_id[32];
    if (new_trans_id(trans_id, sizeof trans_id) != 0) {
        ops_fault_reply(900, 9002, "no randomness for a transaction id", out);
        return;
    }
    long long now = flow_now_ms();
    unsigned timeout_s = req->timeout_s > 0 ? req->timeout_s : FLOW_DEFAULT_TIMEOUT_S;
    if (timeout_s > FLOW_MAX_TIMEOUT_S)
        timeout_s = FLOW_MAX_TIMEOUT_S;
    store_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.mssp_trans_id = trans_id;
    tx.ap_id = req->hdr.ap_id;
    tx.ap_trans_id = req->hdr.ap_trans_id;
    tx.msisdn = req->msisdn;
    tx.mode = (char *)mss_mode_name(req->mode);   /* only read */
    tx.profile = job->key->profile;
    tx.mss_format = req->mss_format;
    tx.state = STORE_TX_PENDING;
    tx.status_code = 504;
    tx.cert_der = job->key->cert_der;
    tx.cert_len = job->key->cert_len;
    tx.created = (long long)time(NULL);
    tx.key_id = job->key->id;
    tx.alg = (int)job->alg;
    tx.ecdsa_raw = job->user.ecdsa_raw;
    tx.dtbs = job->dtbs;
    tx.dtbs_len = job->dtbs_len;
    tx.dtbd = req->dtbd.text;
    const mss_service *event_id = mss_service_find(req->services, req->n_services,
                                                   MSS_SERVICE_URI_EVENT_ID);
    tx.event_id = event_id != NULL ? event_id->value : NULL;
    tx.deadline_ms = now + (long long)timeout_s * 1000;
    int final_code = 0, specifier = 0;
    decide_outcome(job, &tx, now, &final_code, &specifier);
    /*
     * A transaction that ends at once (the SIM approves, a scenario's status) is
     * signed here, with the key already parsed for the checks, and written once,
     * already ended, with its audit lines: one commit per request.
     */
    unsigned char *sig = NULL;
    char request_detail[200], end_detail[160];
    snprintf(request_detail, sizeof request_detail, "MSSP_TransID=%s mode=%s profile=%.80s",
             trans_id, tx.mode, job->key->profile);
    store_audit_line audit[2] = {{"request", req->msisdn, request_detail}, {NULL, NULL, NULL}};
    size_t n_audit = 1;
    if (final_code >= 500 && final_code < 600) {
        int rc = flow_sign_tx(job->pkey, &tx, final_code, &sig, &tx.signature_len);
        tx.signature = sig;
        tx.state = rc == 0 ? STORE_TX_DONE : STORE_TX_FAILED;
        tx.status_code = rc == 0 ? final_code : rc;
        tx.specifier = rc == 900 ? 9003 : 0;
        flow_end_detail(&tx, tx.status_code, end_detail, sizeof end_detail);
        audit[n_audit++] = (store_audit_line){rc == 0 ? "signed" : "sign-failed", req->msisdn,
                                              end_detail};
    } else if (final_code != 0) {
        tx.state = STORE_TX_FAILED;
        tx.status_code = final_code;
        tx.specifier = specifier;
    }
    int recorded = store_tx_record(ctx->store, &tx, audit, n_audit);
    if (recorded != 0)
        ops_fault_reply(900, 9002, "cannot record the transaction", out);
    else if (req->mode != MSS_MODE_SYNCH)
        send_response(ctx, req, &tx, 100, out);
    else if (tx.state == STORE_TX_PENDING)
        snprintf(out->wait_trans_id, sizeof out->wait_trans_id, "%s", trans_id);
    else
        op_signature_final(ctx, req, &tx, out);
    free(sig);
}

void op_signature(const ops_ctx *ctx, const mss_signature_req *req, ops_reply *out)
{
    ops_note_request(out, "MSS_Signature", req->msisdn, req->hdr.ap_trans_id);
    const rm_ap *ap = ops_check_header(ctx, &req->hdr, out);
    if (ap == NULL)
        return;
    if (req->mode != MSS_MODE_SYNCH && req->mode != MSS_MODE_ASYNCH_CLIENT_SERVER) {
        ops_fault_reply(101, 1013, "MessagingMode must be synch or asynchClientServer", out);
        return;
    }
    if (req->msisdn == NULL || req->msisdn[0] == '\0') {
        ops_fault_reply(102, 0, "MobileUser/MSISDN is missing", out);
        return;
    }
    sig_job job;
    memset(&job, 0, sizeof job);
    if (find_user(ctx, req, &job, out) == 0 &&
        decode_dtbs(&req->dtbs, &job.dtbs, &job.dtbs_len, out) == 0 &&
        check_key_and_format(ctx, ap, req, &job, out) == 0) {
        pthread_mutex_lock(&phone_lock);
        if (check_phone_free(ctx, req->msisdn, out) == 0)
            open_transaction(ctx, req, &job, out);
        pthread_mutex_unlock(&phone_lock);
    }
    job_clear(&job);
}
