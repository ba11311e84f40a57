/* SPDX-License-Identifier: BSD-3-Clause */
/* The protocol scenarios every fake MSSP must answer alike, and their runner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "contract.h"

/* A signature request's row. */
#define SIGN(what, msisdn, want, status) {what, msisdn, want, status, CONTRACT_SIGN, NULL}

const contract_row contract_rows[] = {
    SIGN("the phone approves", CONTRACT_DEMO_MSISDN, MSS_OK, 500),
    SIGN("an unknown user", CONTRACT_UNKNOWN_MSISDN, MSS_ERR_FAULT, 105),
    SIGN("a number in a scenario range without a scenario", "+999000001123", MSS_ERR_FAULT, 105),
    SIGN("WRONG_PARAM at the request", "+999000001101", MSS_ERR_FAULT, 101),
    SIGN("UNKNOWN_CLIENT at the request", "+999000001105", MSS_ERR_FAULT, 105),
    SIGN("the transaction expires", "+999000001208", MSS_ERR_FAULT, 208),
    SIGN("an OTA error", "+999000001209", MSS_ERR_FAULT, 209),
    SIGN("the user cancels", "+999000001401", MSS_ERR_FAULT, 401),
    SIGN("the PIN is blocked", "+999000001402", MSS_ERR_FAULT, 402),
    SIGN("the card is blocked", "+999000001403", MSS_ERR_FAULT, 403),
    SIGN("no key found", "+999000001404", MSS_ERR_FAULT, 404),
    SIGN("the phone is busy", "+999000001406", MSS_ERR_FAULT, 406),
    SIGN("no certificate", "+999000001422", MSS_ERR_FAULT, 422),
    SIGN("an internal error", "+999000001900", MSS_ERR_FAULT, 900),
    SIGN("a signature with REVOKED_CERTIFICATE", "+999000001501", MSS_ERR_STATUS, 501),
    SIGN("a signature that does not verify", "+999000001503", MSS_ERR_STATUS, 503),
    SIGN("a signature with an unsupported status 505", "+999000001505", MSS_ERR_STATUS, 505),
    SIGN("approved after 50 ms", "+999000020050", MSS_OK, 500),
    /* The other requests an AP sends, so that every message type crosses both bindings. */
    {"a profile query of the demo user", CONTRACT_DEMO_MSISDN, MSS_OK, 100, CONTRACT_PROFILE, NULL},
    {"a profile query of an unknown user", CONTRACT_UNKNOWN_MSISDN, MSS_ERR_FAULT, 105,
     CONTRACT_PROFILE, NULL},
    {"a receipt for the last approved signature", CONTRACT_DEMO_MSISDN, MSS_OK, 100,
     CONTRACT_RECEIPT, NULL},
    {"a receipt for an unknown transaction", CONTRACT_DEMO_MSISDN, MSS_ERR_FAULT, 101,
     CONTRACT_RECEIPT, "Tunknown"},
};
const size_t contract_n_rows = sizeof contract_rows / sizeof contract_rows[0];

/* A SHA-256 DigestInfo: what the demo user's RSA key signs. */
static const unsigned char digest_info[51] = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
    0x01, 0x05, 0x00, 0x04, 0x20, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
    0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};

/* The outcome of one row: the call's result and the MSS status seen. */
typedef struct outcome {
    mss_error rc;
    int status;
    char text[512];
    const char *problem;    /* what is wrong besides rc and status; NULL: nothing */
} outcome;

/* The MSSP_TransID each approved signature row got in this run ("" for the others), for
 * the receipt rows. */
#define MAX_ROWS 64
typedef char trans_ids[MAX_ROWS][256];

static void run_sign(mss_client *client, const contract_row *row, char *trans_id,
                     size_t trans_id_size, outcome *out)
{
    mss_sign_request req = {.msisdn = row->msisdn, .dtbs = digest_info,
                            .dtbs_len = sizeof digest_info, .dtbd = "contract test"};
    mss_sign_result res;
    mss_detail detail;
    out->rc = mss_client_sign(client, &req, &res, &detail);
    out->status = detail.status;
    snprintf(out->text, sizeof out->text, "%s", detail.text);
    if (out->rc == MSS_OK) {
        assert_true(res.raw_signature != NULL && res.raw_signature_len > 0);
        assert_non_null(res.mssp_trans_id);
        snprintf(trans_id, trans_id_size, "%s", res.mssp_trans_id);
    }
    mss_sign_result_clear(&res);
}

static void run_profile(mss_client *client, const contract_row *row, outcome *out)
{
    mss_profile_resp resp;
    mss_detail detail;
    out->rc = mss_client_profile_query(client, row->msisdn, &resp, &detail);
    out->status = detail.status;
    snprintf(out->text, sizeof out->text, "%s", detail.text);
    if (out->rc == MSS_OK) {
        out->status = resp.status.code;
        if (resp.n_certs == 0 || resp.certs[0].der_len == 0)
            out->problem = "no certificate in the profile response";
        mss_profile_resp_clear(&resp);
    }
}

/* The transaction of the last approved signature row for msisdn before row `before`. */
static const char *approved_trans_id(const char *msisdn, size_t before, trans_ids *ids)
{
    for (size_t i = before; i-- > 0;)
        if (contract_rows[i].op == CONTRACT_SIGN && strcmp(contract_rows[i].msisdn, msisdn) == 0 &&
            (*ids)[i][0] != '\0')
            return (*ids)[i];
    return NULL;
}

static void run_receipt(mss_client *client, size_t index, trans_ids *ids, outcome *out)
{
    const contract_row *row = &contract_rows[index];
    const char *trans_id =
        row->trans_id != NULL ? row->trans_id : approved_trans_id(row->msisdn, index, ids);
    if (trans_id == NULL)
        fail_msg("%s: no approved signature of %s before it in the table", row->what, row->msisdn);
    mss_detail detail;
    out->rc = mss_client_receipt(client, MSS_URL_FIRST_REACHABLE, row->msisdn, trans_id, 500,
                                 "contract receipt", &detail);
    /* A receipt's answer may leave the status out; MSS_OK means 100 then. */
    out->status = out->rc == MSS_OK && detail.status == 0 ? 100 : detail.status;
    snprintf(out->text, sizeof out->text, "%s", detail.text);
}

static void run_row(mss_client *client, const char *how, size_t index, trans_ids *ids)
{
    const contract_row *row = &contract_rows[index];
    outcome got = {0};
    switch (row->op) {
    case CONTRACT_SIGN:
        run_sign(client, row, (*ids)[index], sizeof (*ids)[index], &got);
        break;
    case CONTRACT_PROFILE:
        run_profile(client, row, &got);
        break;
    case CONTRACT_RECEIPT:
        run_receipt(client, index, ids, &got);
        break;
    }
    if (got.rc != row->want || got.status != row->want_status || got.problem != NULL)
        fail_msg("%s, %s (%s): expected %s with status %d, got %s with status %d (%s)", how,
                 row->what, row->msisdn, mss_error_string(row->want), row->want_status,
                 mss_error_string(got.rc), got.status,
                 got.problem != NULL ? got.problem : got.text);
    printf("# %s: %s → %s, status %d\n", how, row->what, mss_error_string(got.rc), got.status);
}

void contract_run_all(const mss_client_options *base)
{
    static const mss_messaging_mode modes[] = {MSS_MODE_SYNCH, MSS_MODE_ASYNCH_CLIENT_SERVER};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        mss_client_options o = *base;
        o.mode = modes[m];
        o.poll_first_ms = 20;
        o.poll_interval_ms = 20;
        mss_client *client = NULL;
        mss_detail detail;
        if (mss_client_new(&o, &client, &detail) != MSS_OK)
            fail_msg("mss_client_new: %s", detail.text);
        char how[96];
        static trans_ids ids;
        memset(ids, 0, sizeof ids);
        assert_true(contract_n_rows <= MAX_ROWS);
        snprintf(how, sizeof how, "%s, %s",
                 mss_binding_name(o.binding != NULL ? o.binding : mss_binding_soap()),
                 mss_mode_name(modes[m]));
        for (size_t i = 0; i < contract_n_rows; i++)
            run_row(client, how, i, &ids);
        mss_client_free(client);
    }
}
