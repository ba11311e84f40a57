/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSS_ProfileQuery: the user's signature profiles and, with the Methics
 * GetCertificates extension, each key's certificate tagged with its profile — only
 * the profiles the asking AP may use (its profile list), as MSS_Signature enforces.
 */
#include "op_handlers.h"
#include "op_common.h"
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

static char state_active[] = "ACTIVE";

static void send_profiles(const ops_ctx *ctx, const mss_profile_req *req, store_key *keys,
                          size_t n_keys, ops_reply *out)
{
    char **profiles = calloc(n_keys + 1, sizeof *profiles);
    mss_user_cert *certs = calloc(n_keys + 1, sizeof *certs);
    if (profiles == NULL || certs == NULL) {
        free(profiles);
        free(certs);
        ops_fault_reply(900, 9002, "out of memory", out);
        return;
    }
    for (size_t i = 0; i < n_keys; i++) {
        profiles[i] = keys[i].profile;
        certs[i].der = keys[i].cert_der;
        certs[i].der_len = keys[i].cert_len;
        certs[i].state = keys[i].state != NULL ? keys[i].state : state_active;
        certs[i].profiles = keys[i].profile;
    }
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_PROFILE_RESP;
    mss_profile_resp *resp = &msg.u.profile_resp;
    char instant[32];
    ops_response_header(ctx, &req->hdr, &resp->hdr, instant);
    resp->profiles = profiles;
    resp->n_profiles = n_keys;
    if (req->get_certificates) {
        resp->certs = certs;
        resp->n_certs = n_keys;
    }
    ops_set_status(&resp->status, 100);
    ops_reply_message(&msg, 100, out);
    free(profiles);
    free(certs);
}

/* Keep only the keys whose profile AP may use (the others are freed); *n shrinks. */
static void keep_allowed(const rm_ap *ap, store_key *keys, size_t *n)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        if (rm_ap_profile_allowed(ap, keys[i].profile))
            keys[kept++] = keys[i];
        else
            store_key_clear(&keys[i]);
    }
    *n = kept;
}

void op_profile_query(const ops_ctx *ctx, const mss_profile_req *req, ops_reply *out)
{
    ops_note_request(out, "MSS_ProfileQuery", req->msisdn, req->hdr.ap_trans_id);
    /* Swisscom's REST profile query is version 2.0 (mobileid.yaml); its fields are the
     * 1.x query's, so over REST it is answered as one. */
    mss_header hdr = req->hdr;
    if (ops_reply_is_rest(out) && hdr.major_version == 2 && hdr.minor_version == 0)
        hdr.major_version = 1;
    const rm_ap *ap = ops_check_header(ctx, &hdr, out);
    if (ap == NULL)
        return;
    if (req->msisdn == NULL || req->msisdn[0] == '\0') {
        ops_fault_reply(102, 0, "MobileUser/MSISDN is missing", out);
        return;
    }
    /* A scenario number shows the keys it signs with (the scenario user's); one whose
     * outcome is a request fault answers that fault here too. */
    scenario scn;
    scenario_parse(req->msisdn, &scn);
    if (scn.kind == SCENARIO_REQUEST_FAULT) {
        ops_fault_reply(scn.code, scn.code == 105 ? 1052 : 0, "scenario number", out);
        return;
    }
    long long user_id = 0;
    int found = 0;
    if (scn.kind == SCENARIO_NONE) {
        found = store_find_user(ctx->store, req->msisdn, &user_id);
    } else if (scn.kind != SCENARIO_UNKNOWN) {
        store_user user;
        found = store_get_scenario_user(ctx->store, &user);
        if (found == 1) {
            user_id = user.id;
            store_user_clear(&user);
        }
    }
    if (found <= 0) {
        if (found < 0)
            ops_fault_reply(900, 9002, "database error", out);
        else
            ops_fault_reply(105, 1052, "no such mobile user", out);
        return;
    }
    store_key *keys = NULL;
    size_t n_keys = 0;
    if (store_user_keys(ctx->store, user_id, &keys, &n_keys) != 0) {
        ops_fault_reply(900, 9002, "database error", out);
        return;
    }
    keep_allowed(ap, keys, &n_keys);
    if (n_keys == 0)
        ops_fault_reply(104, 0, "none of this user's profiles is open to this AP", out);
    else
        send_profiles(ctx, req, keys, n_keys, out);
    store_keys_free(keys, n_keys);
}
