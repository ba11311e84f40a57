/*
 * MSS_Signature: check the request, let the SIM emulator sign, keep the transaction,
 * answer 500 with the signature (synch) or 100 with an MSSP_TransID (asynch).
 */
#include "ops_internal.h"
#include "b64.h"
#include "pki.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

/* An NCName of 25 characters: "T" + 96 random bits in hex, unguessable by other APs. */
static int new_trans_id(char *buf, size_t len)
{
    unsigned char raw[12];
    if (len < 2 * sizeof raw + 2 || RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    buf[0] = 'T';
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(buf + 1 + 2 * i, 3, "%02x", raw[i]);
    return 0;
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

static int format_supported(const char *format)
{
    return format == NULL || strcmp(format, MSS_FORMAT_KIURU_PKCS1) == 0 ||
           strcmp(format, MSS_FORMAT_FICOM_PKCS1) == 0;
}

/* DTBS must be base64 octets (a DigestInfo); anything else is 107 or 101. */
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
    if (mss_b64_decode(dtbs->text, bytes, len) != 0) {
        ops_fault_reply(101, 0, "DataToBeSigned is not valid base64", out);
        return -1;
    }
    return 0;
}

/* The SIM emulator's part: approve at once and sign with the key. */
static int sim_sign(const store_key *key, const unsigned char *dtbs, size_t dtbs_len,
                    unsigned char **sig, size_t *sig_len, ops_reply *out)
{
    EVP_PKEY *pkey = pki_key_from_pem(key->key_pem);
    if (pkey == NULL) {
        ops_fault_reply(900, 9004, "the user's key cannot be loaded", out);
        return -1;
    }
    int rc = sim_sign_pkcs1(pkey, dtbs, dtbs_len, sig, sig_len);
    EVP_PKEY_free(pkey);
    if (rc == 103)
        ops_fault_reply(103, 0, "DataToBeSigned is longer than the key allows", out);
    else if (rc != 0)
        ops_fault_reply(rc, 0, "the SIM could not sign", out);
    return rc == 0 ? 0 : -1;
}

static void send_response(const ops_ctx *ctx, const mss_signature_req *req, const store_tx *tx,
                          ops_reply *out)
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
    if (req->mode == MSS_MODE_SYNCH) {
        ops_build_signature(tx->mss_format, tx->signature, tx->signature_len, tx->cert_der,
                            tx->cert_len, &resp->signature);
        ops_set_status(&resp->status, 500);
    } else {
        ops_set_status(&resp->status, 100);
    }
    ops_reply_message(&msg, resp->status.code, out);
}

/* Sign and record the finished transaction; on failure the reply holds the fault. */
static void sign_and_record(const ops_ctx *ctx, const mss_signature_req *req,
                            const store_key *key, const unsigned char *dtbs, size_t dtbs_len,
                            ops_reply *out)
{
    char trans_id[32];
    store_tx tx;
    memset(&tx, 0, sizeof tx);
    if (sim_sign(key, dtbs, dtbs_len, &tx.signature, &tx.signature_len, out) != 0)
        return;
    if (new_trans_id(trans_id, sizeof trans_id) != 0) {
        free(tx.signature);
        ops_fault_reply(900, 9002, "no randomness for a transaction id", out);
        return;
    }
    tx.mssp_trans_id = trans_id;
    tx.ap_id = req->hdr.ap_id;
    tx.ap_trans_id = req->hdr.ap_trans_id;
    tx.msisdn = req->msisdn;
    tx.mode = (char *)mss_mode_name(req->mode);   /* only read */
    tx.profile = key->profile;
    tx.mss_format = req->mss_format;
    tx.state = STORE_TX_DONE;
    tx.status_code = 500;
    tx.cert_der = key->cert_der;
    tx.cert_len = key->cert_len;
    tx.created = (long long)time(NULL);
    if (store_tx_insert(ctx->store, &tx) != 0) {
        free(tx.signature);
        ops_fault_reply(900, 9002, "cannot record the transaction", out);
        return;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "MSSP_TransID=%s profile=%.80s status=500", trans_id,
             key->profile);
    store_audit(ctx->store, "signature", req->msisdn, detail);
    send_response(ctx, req, &tx, out);
    free(tx.signature);
}

void op_signature(const ops_ctx *ctx, const mss_signature_req *req, ops_reply *out)
{
    ops_note_request(out, "MSS_Signature", req->msisdn, req->hdr.ap_trans_id);
    if (ops_check_header(ctx, &req->hdr, out) != 0)
        return;
    if (req->mode != MSS_MODE_SYNCH && req->mode != MSS_MODE_ASYNCH_CLIENT_SERVER) {
        ops_fault_reply(101, 1013, "MessagingMode must be synch or asynchClientServer", out);
        return;
    }
    if (req->msisdn == NULL || req->msisdn[0] == '\0') {
        ops_fault_reply(102, 0, "MobileUser/MSISDN is missing", out);
        return;
    }
    long long user_id = 0;
    int found = store_find_user(ctx->store, req->msisdn, &user_id);
    if (found <= 0) {
        if (found < 0)
            ops_fault_reply(900, 9002, "database error", out);
        else
            ops_fault_reply(105, 1052, "no such mobile user", out);
        return;
    }
    unsigned char *dtbs = NULL;
    size_t dtbs_len = 0;
    if (decode_dtbs(&req->dtbs, &dtbs, &dtbs_len, out) != 0)
        return;

    store_key *keys = NULL;
    size_t n_keys = 0;
    const store_key *key = NULL;
    if (store_user_keys(ctx->store, user_id, &keys, &n_keys) != 0) {
        ops_fault_reply(900, 9002, "database error", out);
    } else if ((key = pick_key(keys, n_keys, req->signature_profile)) == NULL) {
        ops_fault_reply(109, 0, "the user has no key for this SignatureProfile", out);
    } else if (!format_supported(req->mss_format)) {
        ops_fault_reply(101, 1017, "MSS_Format not supported", out);
    } else {
        sign_and_record(ctx, req, key, dtbs, dtbs_len, out);
    }
    store_keys_free(keys, n_keys);
    free(dtbs);
}
