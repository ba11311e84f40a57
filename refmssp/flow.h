/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The life of a signature transaction after the request: the SIM emulator's policy
 * (approve at once, after a delay, or when a person answers on the phone), the PIN
 * and its counter, expiry at the deadline. Shared by the server (its ticker and the
 * status query) and the admin CLI (refmssp phone …), which may run at the same time:
 * every end of a transaction is a conditional update, so exactly one of them wins.
 */
#ifndef REFMSSP_FLOW_H
#define REFMSSP_FLOW_H

#include <stddef.h>

#include <openssl/evp.h>

#include "store.h"

/* Without a TimeOut in the request a transaction expires after this long. */
#define FLOW_DEFAULT_TIMEOUT_S 120
/* A TimeOut larger than this is cut to it. */
#define FLOW_MAX_TIMEOUT_S 600
/* The longest delay:MS policy accepted. */
#define FLOW_MAX_DELAY_MS 600000L

/* The wall clock in milliseconds since the epoch (shared across processes). */
long long flow_now_ms(void);

typedef enum flow_policy_kind {
    FLOW_POLICY_APPROVE = 0,   /* the SIM signs at once */
    FLOW_POLICY_DELAY,         /* signs after delay_ms */
    FLOW_POLICY_MANUAL         /* waits for a person (phone page or 'refmssp phone') */
} flow_policy_kind;

/* "approve", "delay:MS" (0..FLOW_MAX_DELAY_MS) or "manual". 0, or -1 when malformed. */
int flow_policy_parse(const char *text, flow_policy_kind *kind, long *delay_ms);

/* The longest PIN record flow_pin_hash writes, with its NUL. */
#define FLOW_PIN_RECORD_MAX 160
/* A PIN record to store: "pbkdf2-sha256$ITERATIONS$SALT$KEY" (PBKDF2-HMAC-SHA256, a
 * random 16-byte salt, hex). 0, or -1 (no randomness, OUT too small). */
int flow_pin_hash(const char *pin, char *out, size_t out_len);
/* 1 when PIN matches RECORD (from flow_pin_hash); 0 otherwise or when RECORD is not
 * such a record. Compares in time independent of where the keys differ. */
int flow_pin_check(const char *pin, const char *record);
/* A PIN is 4 to 8 digits. */
int flow_pin_valid(const char *pin);

/* The certificates (PEM) CMS signatures carry besides the signer's: the test CA.
 * Set once at start by the process that signs (server, 'refmssp phone'); the text
 * must stay valid. NULL: none. */
void flow_set_cms_chain(const char *chain_pem);

/* Sign TX's data with PKEY as its algorithm says; STATUS 503 spoils the signature on
 * purpose. 0 and a malloc'd *sig, or the MSS status to fail with (103, 404, 900; 900
 * also when PKEY is NULL). */
int flow_sign_tx(EVP_PKEY *pkey, const store_tx *tx, int status, unsigned char **sig,
                 size_t *sig_len);
/* The audit detail of a transaction that ended with CODE. */
void flow_end_detail(const store_tx *tx, int code, char *detail, size_t len);

/* Sign a transaction with its key and end it as done with STATUS (500, or 503 with a
 * spoiled signature). When the key is gone it fails with 404 instead.
 * 1 this call ended it, 0 it was no longer pending, -1 error. */
int flow_sign_now(rm_store *store, const store_tx *tx, int status);

/* 1 when TX (as read) is pending and its time has come at NOW (ms): past its deadline,
 * or past the time its SIM approves by itself; flow_settle would end it. */
int flow_due(const store_tx *tx, long long now);

/* Bring one transaction up to date: expired (208/2082) past its deadline, signed
 * when its delay has passed. 0 or -1. */
int flow_settle(rm_store *store, const char *mssp_trans_id);
/* The same for every pending transaction whose time has come (store_tx_due_ids):
 * the ticker's sweep, which therefore costs nothing per transaction that waits. 0 or -1. */
int flow_settle_all(rm_store *store);

typedef enum phone_result {
    PHONE_SIGNED = 0,     /* right PIN (or none asked): signed */
    PHONE_CANCELED,       /* the user cancelled: 401 */
    PHONE_WRONG_PIN,      /* wrong PIN, tries left; the request still waits */
    PHONE_PIN_BLOCKED,    /* wrong PIN, the last try: the key is blocked, 402 */
    PHONE_NOTHING,        /* no pending request for the number */
    PHONE_ERROR
} phone_result;

/*
 * The person at the phone of MSISDN answers its pending request: APPROVE=1 with PIN
 * (NULL: the CLI's shortcut, no PIN check) or APPROVE=0 to cancel. TRANS_ID (may be
 * NULL) names the request; otherwise the oldest pending one. *tries_left gets the
 * tries left after a wrong PIN.
 */
phone_result flow_phone_answer(rm_store *store, const char *msisdn, const char *trans_id,
                               int approve, const char *pin, int *tries_left);

#endif /* REFMSSP_FLOW_H */
