/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Scenario numbers: MSISDNs whose digits choose what the SIM emulator answers, in
 * the manner of production MSSPs' test numbers. They need no user of their own; they
 * sign with the keys of the scenario user (the user named "demo", else the first).
 *
 *   +999000001NNN   the request ends with status NNN:
 *                   1xx (101, 105, …)    a fault of the MSS_Signature call itself;
 *                   501, 503, 505        a signature with that status (503: a
 *                                        signature that does not verify);
 *                   others (208, 209, 401, 402, 403, 404, 406, 422, 900, …)
 *                                        the phone's answer: in synch mode the fault of
 *                                        MSS_Signature, in asynch mode the fault of the
 *                                        first MSS_StatusQuery.
 *   +99900002SSSS   approved after SSSS milliseconds (0000–9999).
 *
 * Any other number in those two ranges (an unknown code) is an unknown user (105).
 */
#ifndef REFMSSP_SCENARIO_H
#define REFMSSP_SCENARIO_H

#define SCENARIO_OUTCOME_PREFIX "+999000001"
#define SCENARIO_DELAY_PREFIX "+99900002"

typedef enum scenario_kind {
    SCENARIO_NONE = 0,       /* an ordinary number */
    SCENARIO_REQUEST_FAULT,  /* code: fault of the signature request */
    SCENARIO_PHONE_FAULT,    /* code: the transaction fails with it */
    SCENARIO_STATUS,         /* code: a signature with this (5xx) status */
    SCENARIO_DELAY,          /* delay_ms: approved after it */
    SCENARIO_UNKNOWN         /* in a scenario range, but no scenario: 105 */
} scenario_kind;

typedef struct scenario {
    scenario_kind kind;
    int code;
    unsigned delay_ms;
} scenario;

/* What MSISDN stands for (kind SCENARIO_NONE for an ordinary number). */
void scenario_parse(const char *msisdn, scenario *out);

/* 1 when MSISDN lies in one of the scenario ranges (users may not have it). */
int scenario_reserved(const char *msisdn);

#endif /* REFMSSP_SCENARIO_H */
