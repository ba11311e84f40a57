/* SPDX-License-Identifier: BSD-3-Clause */
/* Transaction life: policies, PINs, expiry; see flow.h. */
#include "flow.h"
#include "hex.h"
#include "pki.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

long long flow_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int flow_policy_parse(const char *text, flow_policy_kind *kind, long *delay_ms)
{
    *delay_ms = 0;
    if (text == NULL)
        return -1;
    if (strcmp(text, "approve") == 0) {
        *kind = FLOW_POLICY_APPROVE;
        return 0;
    }
    if (strcmp(text, "manual") == 0) {
        *kind = FLOW_POLICY_MANUAL;
        return 0;
    }
    if (strncmp(text, "delay:", 6) != 0 || text[6] == '\0' || strlen(text + 6) > 6)
        return -1;
    long v = 0;
    for (const char *p = text + 6; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (v > FLOW_MAX_DELAY_MS)
        return -1;
    *kind = FLOW_POLICY_DELAY;
    *delay_ms = v;
    return 0;
}

int flow_pin_valid(const char *pin)
{
    size_t n = pin != NULL ? strlen(pin) : 0;
    if (n < 4 || n > 8)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return 0;
    return 1;
}

int flow_pin_hash(const char *msisdn, const char *pin, char *out)
{
    char text[96];
    int n = snprintf(text, sizeof text, "refmssp-pin:%s:%s", msisdn, pin);
    if (n < 0 || (size_t)n >= sizeof text)
        return -1;
    unsigned char md[32];
    unsigned md_len = 0;
    int ok = EVP_Digest(text, (size_t)n, md, &md_len, EVP_sha256(), NULL) == 1 && md_len == 32;
    OPENSSL_cleanse(text, sizeof text);
    if (!ok)
        return -1;
    hex_encode(md, md_len, out);
    return 0;
}

static const char *cms_chain_pem;

void flow_set_cms_chain(const char *chain_pem)
{
    cms_chain_pem = chain_pem;
}

int flow_sign_now(rm_store *store, const store_tx *tx, int status)
{
    store_key key;
    int found = store_key_by_id(store, tx->key_id, &key);
    if (found < 0)
        return -1;
    if (found == 0)
        return store_tx_finish(store, tx->mssp_trans_id, STORE_TX_FAILED, 404, 4041, NULL, 0);
    EVP_PKEY *pkey = pki_key_from_pem(key.key_pem);
    store_key_clear(&key);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = pkey == NULL ? 900
             : tx->alg == SIM_ALG_CMS
                 ? sim_sign_cms(pkey, tx->cert_der, tx->cert_len, cms_chain_pem, tx->dtbs,
                                tx->dtbs_len, &sig, &sig_len)
                 : sim_sign(pkey, (sim_alg)tx->alg, tx->ecdsa_raw, tx->dtbs, tx->dtbs_len, &sig,
                            &sig_len);
    EVP_PKEY_free(pkey);
    int ended;
    if (rc != 0) {
        ended = store_tx_finish(store, tx->mssp_trans_id, STORE_TX_FAILED, rc,
                                rc == 900 ? 9003 : 0, NULL, 0);
    } else {
        if (status == 503)
            sig[sig_len - 1] ^= 0x01;   /* INVALID_SIGNATURE: a signature that fails */
        ended = store_tx_finish(store, tx->mssp_trans_id, STORE_TX_DONE, status, 0, sig, sig_len);
    }
    free(sig);
    if (ended == 1) {
        char detail[160];
        snprintf(detail, sizeof detail, "MSSP_TransID=%s status=%d", tx->mssp_trans_id,
                 rc != 0 ? rc : status);
        store_audit(store, rc != 0 ? "sign-failed" : "signed", tx->msisdn, detail);
    }
    return ended;
}

static void audit_end(rm_store *store, const store_tx *tx, const char *event, int code)
{
    char detail[128];
    snprintf(detail, sizeof detail, "MSSP_TransID=%s status=%d", tx->mssp_trans_id, code);
    store_audit(store, event, tx->msisdn, detail);
}

/* TX as read from the store: end it if its time has come. */
static int settle_tx(rm_store *store, const store_tx *tx, long long now)
{
    if (tx->state != STORE_TX_PENDING)
        return 0;
    if (tx->approve_at_ms > 0 && tx->approve_at_ms <= now && tx->approve_at_ms < tx->deadline_ms)
        return flow_sign_now(store, tx, 500) < 0 ? -1 : 0;
    if (now >= tx->deadline_ms) {
        int ended = store_tx_finish(store, tx->mssp_trans_id, STORE_TX_FAILED, 208, 2082, NULL, 0);
        if (ended == 1)
            audit_end(store, tx, "expired", 208);
        return ended < 0 ? -1 : 0;
    }
    return 0;
}

int flow_settle(rm_store *store, const char *mssp_trans_id)
{
    store_tx tx;
    int found = store_tx_find(store, mssp_trans_id, &tx);
    if (found <= 0)
        return found;
    int rc = settle_tx(store, &tx, flow_now_ms());
    store_tx_clear(&tx);
    return rc;
}

int flow_settle_all(rm_store *store)
{
    char **ids = NULL;
    size_t n = 0;
    if (store_tx_pending_ids(store, NULL, &ids, &n) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (flow_settle(store, ids[i]) != 0)
            rc = -1;
    store_ids_free(ids, n);
    return rc;
}

/* The pending transaction the phone shows: TRANS_ID, or the oldest. 1, 0 none, -1. */
static int pending_for_phone(rm_store *store, const char *msisdn, const char *trans_id,
                             store_tx *out)
{
    char **ids = NULL;
    size_t n = 0;
    if (store_tx_pending_ids(store, msisdn, &ids, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        flow_settle(store, ids[i]);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (trans_id != NULL && strcmp(ids[i], trans_id) != 0)
            continue;
        int found = store_tx_find(store, ids[i], out);
        if (found < 0)
            rc = -1;
        else if (found == 1 && out->state != STORE_TX_PENDING)
            store_tx_clear(out);
        else if (found == 1)
            rc = 1;
    }
    store_ids_free(ids, n);
    return rc;
}

/* A PIN was given: check it against the user's. 1 right (or nothing to check), 0 wrong. */
static int pin_matches(rm_store *store, const char *msisdn, const char *pin)
{
    store_user user;
    if (store_get_user(store, msisdn, &user) != 1)
        return 1;   /* a scenario number: no PIN of its own */
    int ok = 1;
    if (user.pin_hash != NULL) {
        char hash[65];
        ok = flow_pin_hash(msisdn, pin, hash) == 0 &&
             strlen(hash) == strlen(user.pin_hash) &&
             CRYPTO_memcmp(hash, user.pin_hash, strlen(hash)) == 0;
    }
    store_user_clear(&user);
    return ok;
}

phone_result flow_phone_answer(rm_store *store, const char *msisdn, const char *trans_id,
                               int approve, const char *pin, int *tries_left)
{
    store_tx tx;
    int found = pending_for_phone(store, msisdn, trans_id, &tx);
    if (found <= 0)
        return found == 0 ? PHONE_NOTHING : PHONE_ERROR;
    phone_result result = PHONE_ERROR;
    if (!approve) {
        int ended = store_tx_finish(store, tx.mssp_trans_id, STORE_TX_FAILED, 401, 4011, NULL, 0);
        if (ended == 1)
            audit_end(store, &tx, "user-cancel", 401);
        result = ended == 1 ? PHONE_CANCELED : ended == 0 ? PHONE_NOTHING : PHONE_ERROR;
    } else if (pin != NULL && !pin_matches(store, msisdn, pin)) {
        int failures = 0;
        if (store_key_pin_failed(store, tx.key_id, &failures) == 0) {
            *tries_left = failures >= STORE_PIN_TRIES ? 0 : STORE_PIN_TRIES - failures;
            store_audit(store, "wrong-pin", msisdn, NULL);
            result = PHONE_WRONG_PIN;
            if (failures >= STORE_PIN_TRIES) {
                store_tx_finish(store, tx.mssp_trans_id, STORE_TX_FAILED, 402, 4021, NULL, 0);
                audit_end(store, &tx, "pin-blocked", 402);
                result = PHONE_PIN_BLOCKED;
            }
        }
    } else {
        if (pin != NULL)
            store_key_pin_ok(store, tx.key_id);
        int ended = flow_sign_now(store, &tx, 500);
        result = ended == 1 ? PHONE_SIGNED : ended == 0 ? PHONE_NOTHING : PHONE_ERROR;
    }
    store_tx_clear(&tx);
    return result;
}
