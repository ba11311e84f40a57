/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Contract tests: one table of protocol scenarios that runs, through libmssclient,
 * against both fakes of an MSSP: the in-process mock of the unit tests
 * (test_contract_mock) and refmssp on loopback (test_contract_refmssp.sh). Each row says
 * what an AP sees for one MSISDN in one messaging mode and one binding (SOAP and REST:
 * each test runs the table over both); a fake that answers otherwise fails, so the two
 * cannot drift apart. The MSISDNs are refmssp's scenario numbers
 * (refmssp/scenario.h) and its demo user.
 */
#ifndef MSS_CONTRACT_H
#define MSS_CONTRACT_H

#include <mss/mss.h>

#define CONTRACT_DEMO_MSISDN "+99900000001"   /* a user whose phone approves at once */
#define CONTRACT_UNKNOWN_MSISDN "+99900000077" /* a number no fake knows */

/* What a row asks of the MSSP. */
typedef enum contract_op {
    CONTRACT_SIGN = 0,      /* mss_client_sign for msisdn */
    CONTRACT_PROFILE,       /* mss_client_profile_query for msisdn, with certificates */
    CONTRACT_RECEIPT,       /* mss_client_receipt for msisdn and trans_id */
} contract_op;

typedef struct contract_row {
    const char *what;
    const char *msisdn;
    mss_error want;         /* what the call returns */
    int want_status;        /* the MSS status after it (mss_detail.status, or the
                             * response's status when the call succeeds without one) */
    contract_op op;
    const char *trans_id;   /* CONTRACT_RECEIPT: NULL for the transaction of the last
                             * approved signature row of msisdn above it, in this run */
} contract_row;

extern const contract_row contract_rows[];
extern const size_t contract_n_rows;

/* Run every row in synch and in asynchClientServer mode with clients made from base
 * (mode and polling set here; base->binding says SOAP or REST, NULL: SOAP); fail the
 * cmocka test at the first difference. */
void contract_run_all(const mss_client_options *base);

#endif
