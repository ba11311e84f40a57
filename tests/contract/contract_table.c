/* SPDX-License-Identifier: BSD-3-Clause */
/* The protocol scenarios every fake MSSP must answer alike, and their runner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "contract.h"

const contract_row contract_rows[] = {
    {"the phone approves", CONTRACT_DEMO_MSISDN, MSS_OK, 500},
    {"an unknown user", CONTRACT_UNKNOWN_MSISDN, MSS_ERR_FAULT, 105},
    {"a number in a scenario range without a scenario", "+999000001123", MSS_ERR_FAULT, 105},
    {"WRONG_PARAM at the request", "+999000001101", MSS_ERR_FAULT, 101},
    {"UNKNOWN_CLIENT at the request", "+999000001105", MSS_ERR_FAULT, 105},
    {"the transaction expires", "+999000001208", MSS_ERR_FAULT, 208},
    {"an OTA error", "+999000001209", MSS_ERR_FAULT, 209},
    {"the user cancels", "+999000001401", MSS_ERR_FAULT, 401},
    {"the PIN is blocked", "+999000001402", MSS_ERR_FAULT, 402},
    {"the card is blocked", "+999000001403", MSS_ERR_FAULT, 403},
    {"no key found", "+999000001404", MSS_ERR_FAULT, 404},
    {"the phone is busy", "+999000001406", MSS_ERR_FAULT, 406},
    {"no certificate", "+999000001422", MSS_ERR_FAULT, 422},
    {"an internal error", "+999000001900", MSS_ERR_FAULT, 900},
    {"a signature with REVOKED_CERTIFICATE", "+999000001501", MSS_ERR_STATUS, 501},
    {"a signature that does not verify", "+999000001503", MSS_ERR_STATUS, 503},
    {"a signature with an unsupported status 505", "+999000001505", MSS_ERR_STATUS, 505},
    {"approved after 50 ms", "+999000020050", MSS_OK, 500},
};
const size_t contract_n_rows = sizeof contract_rows / sizeof contract_rows[0];

/* A SHA-256 DigestInfo: what the demo user's RSA key signs. */
static const unsigned char digest_info[51] = {
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
    0x01, 0x05, 0x00, 0x04, 0x20, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
    0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};

static void run_row(mss_client *client, const char *mode, const contract_row *row)
{
    mss_sign_request req = {.msisdn = row->msisdn, .dtbs = digest_info,
                            .dtbs_len = sizeof digest_info, .dtbd = "contract test"};
    mss_sign_result res;
    mss_detail detail;
    mss_error rc = mss_client_sign(client, &req, &res, &detail);
    if (rc != row->want || detail.status != row->want_status)
        fail_msg("%s, %s (%s): expected %s with status %d, got %s with status %d (%s)", mode,
                 row->what, row->msisdn, mss_error_string(row->want), row->want_status,
                 mss_error_string(rc), detail.status, detail.text);
    if (rc == MSS_OK)
        assert_true(res.raw_signature != NULL && res.raw_signature_len > 0);
    mss_sign_result_clear(&res);
    printf("# %s: %s → %s, status %d\n", mode, row->what, mss_error_string(rc), detail.status);
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
        for (size_t i = 0; i < contract_n_rows; i++)
            run_row(client, mss_mode_name(modes[m]), &contract_rows[i]);
        mss_client_free(client);
    }
}
