/* SPDX-License-Identifier: BSD-3-Clause */
/* Transaction life: policies, PINs, expiry; see flow.h. */
#include "flow.h"
#include "hex.h"
#include "key_cache.h"
#include "pki.h"
#include "scenario.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

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

/* PBKDF2 parameters of new PIN records. The count is stored in each record, so it can
 * be raised later without invalidating the PINs already stored. */
#define PIN_KDF_PREFIX "pbkdf2-sha256$"
#define PIN_KDF_ITERATIONS 100000
#define PIN_SALT_BYTES 16
#define PIN_DK_BYTES 32

/* PBKDF2-HMAC-SHA256 of PIN with SALT (the salt's hex text) into dk. 0 or -1. */
static int pin_derive(const char *pin, const char *salt_hex, unsigned long iterations,
                      unsigned char dk[PIN_DK_BYTES])
{
    if (iterations == 0 || iterations > 10000000UL)
        return -1;
    return PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), (const unsigned char *)salt_hex,
                             (int)strlen(salt_hex), (int)iterations, EVP_sha256(), PIN_DK_BYTES,
                             dk) == 1 ? 0 : -1;
}

int flow_pin_hash(const char *pin, char *out, size_t out_len)
{
    unsigned char salt[PIN_SALT_BYTES], dk[PIN_DK_BYTES];
    char salt_hex[2 * PIN_SALT_BYTES + 1], dk_hex[2 * PIN_DK_BYTES + 1];
    if (RAND_bytes(salt, sizeof salt) != 1)
        return -1;
    hex_encode(salt, sizeof salt, salt_hex);
    if (pin_derive(pin, salt_hex, PIN_KDF_ITERATIONS, dk) != 0)
        return -1;
    hex_encode(dk, sizeof dk, dk_hex);
    OPENSSL_cleanse(dk, sizeof dk);
    int n = snprintf(out, out_len, PIN_KDF_PREFIX "%d$%s$%s", PIN_KDF_ITERATIONS, salt_hex,
                     dk_hex);
    return n > 0 && (size_t)n < out_len ? 0 : -1;
}

int flow_pin_check(const char *pin, const char *record)
{
    size_t prefix = strlen(PIN_KDF_PREFIX);
    if (pin == NULL || record == NULL || strncmp(record, PIN_KDF_PREFIX, prefix) != 0)
        return 0;
    char *end = NULL;
    unsigned long iterations = strtoul(record + prefix, &end, 10);
    const char *salt = end != NULL && *end == '$' ? end + 1 : NULL;
    const char *stored = salt != NULL ? strchr(salt, '$') : NULL;
    if (stored == NULL || stored - salt != 2 * PIN_SALT_BYTES ||
        strlen(stored + 1) != 2 * PIN_DK_BYTES)
        return 0;
    char salt_hex[2 * PIN_SALT_BYTES + 1];
    memcpy(salt_hex, salt, sizeof salt_hex - 1);
    salt_hex[sizeof salt_hex - 1] = '\0';
    unsigned char dk[PIN_DK_BYTES];
    char dk_hex[2 * PIN_DK_BYTES + 1];
    if (pin_derive(pin, salt_hex, iterations, dk) != 0)
        return 0;
    hex_encode(dk, sizeof dk, dk_hex);
    OPENSSL_cleanse(dk, sizeof dk);
    /* both sides have the fixed length checked above */
    int ok = CRYPTO_memcmp(dk_hex, stored + 1, 2 * PIN_DK_BYTES) == 0;
    OPENSSL_cleanse(dk_hex, sizeof dk_hex);
    return ok;
}

static const char *cms_chain_pem;

void flow_set_cms_chain(const char *chain_pem)
{
    cms_chain_pem = chain_pem;
}

int flow_sign_tx(EVP_PKEY *pkey, const store_tx *tx, int status, unsigned char **sig,
                 size_t *sig_len)
{
    *sig = NULL;
    *sig_len = 0;
    int rc = pkey == NULL ? 900
             : tx->alg == SIM_ALG_CMS
                 ? sim_sign_cms(pkey, tx->cert_der, tx->cert_len, cms_chain_pem, tx->dtbs,
                                tx->dtbs_len, sig, sig_len)
                 : sim_sign(pkey, (sim_alg)tx->alg, tx->ecdsa_raw, tx->dtbs, tx->dtbs_len, sig,
                            sig_len);
    if (rc == 0 && status == 503)
        (*sig)[*sig_len - 1] ^= 0x01;   /* INVALID_SIGNATURE: a signature that fails */
    return rc;
}

void flow_end_detail(const store_tx *tx, int code, char *detail, size_t len)
{
    snprintf(detail, len, "MSSP_TransID=%s status=%d", tx->mssp_trans_id, code);
}

int flow_sign_now(rm_store *store, const store_tx *tx, int status)
{
    store_key key;
    int found = store_key_by_id(store, tx->key_id, &key);
    if (found < 0)
        return -1;
    if (found == 0)
        return store_tx_finish(store, tx->mssp_trans_id, STORE_TX_FAILED, 404, 4041, NULL, 0);
    EVP_PKEY *pkey = key_cache_get(key.id, key.key_pem);
    store_key_clear(&key);
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int rc = flow_sign_tx(pkey, tx, status, &sig, &sig_len);
    EVP_PKEY_free(pkey);
    char detail[160];
    flow_end_detail(tx, rc != 0 ? rc : status, detail, sizeof detail);
    store_audit_line audit = {rc != 0 ? "sign-failed" : "signed", tx->msisdn, detail};
    int ended = rc != 0 ? store_tx_finish_audited(store, tx->mssp_trans_id, STORE_TX_FAILED, rc,
                                                  rc == 900 ? 9003 : 0, NULL, 0, &audit)
                        : store_tx_finish_audited(store, tx->mssp_trans_id, STORE_TX_DONE,
                                                  status, 0, sig, sig_len, &audit);
    free(sig);
    return ended;
}

/* End TX as failed with CODE / SPECIFIER, the audit line EVENT in the same commit. */
static int fail_audited(rm_store *store, const store_tx *tx, int code, int specifier,
                        const char *event)
{
    char detail[128];
    flow_end_detail(tx, code, detail, sizeof detail);
    store_audit_line audit = {event, tx->msisdn, detail};
    return store_tx_finish_audited(store, tx->mssp_trans_id, STORE_TX_FAILED, code, specifier,
                                   NULL, 0, &audit);
}

/* TX as read from the store: end it if its time has come. */
static int approve_due(const store_tx *tx, long long now)
{
    return tx->approve_at_ms > 0 && tx->approve_at_ms <= now &&
           tx->approve_at_ms < tx->deadline_ms;
}

int flow_due(const store_tx *tx, long long now)
{
    return tx->state == STORE_TX_PENDING && (approve_due(tx, now) || now >= tx->deadline_ms);
}

static int settle_tx(rm_store *store, const store_tx *tx, long long now)
{
    if (!flow_due(tx, now))
        return 0;
    if (approve_due(tx, now))
        return flow_sign_now(store, tx, 500) < 0 ? -1 : 0;
    return fail_audited(store, tx, 208, 2082, "expired") < 0 ? -1 : 0;
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
    if (store_tx_due_ids(store, flow_now_ms(), &ids, &n) != 0)
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

/* The user whose PIN guards MSISDN's requests: its own, or for a scenario number the
 * scenario user, whose keys sign for it. 1 found, 0 none, -1 error. */
static int pin_owner(rm_store *store, const char *msisdn, store_user *out)
{
    int found = store_get_user(store, msisdn, out);
    if (found == 0 && scenario_reserved(msisdn))
        found = store_get_scenario_user(store, out);
    return found;
}

/* A PIN was given: check it against the owner's. 1 right, 0 wrong. */
static int pin_matches(rm_store *store, const char *msisdn, const char *pin)
{
    store_user user;
    if (pin_owner(store, msisdn, &user) != 1)
        return 0;
    int ok = user.pin_hash == NULL || flow_pin_check(pin, user.pin_hash);
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
        int ended = fail_audited(store, &tx, 401, 4011, "user-cancel");
        result = ended == 1 ? PHONE_CANCELED : ended == 0 ? PHONE_NOTHING : PHONE_ERROR;
    } else if (pin != NULL && !pin_matches(store, msisdn, pin)) {
        int failures = 0;
        if (store_key_pin_failed(store, tx.key_id, &failures) == 0) {
            *tries_left = failures >= STORE_PIN_TRIES ? 0 : STORE_PIN_TRIES - failures;
            store_audit(store, "wrong-pin", msisdn, NULL);
            result = PHONE_WRONG_PIN;
            if (failures >= STORE_PIN_TRIES) {
                fail_audited(store, &tx, 402, 4021, "pin-blocked");
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
