/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The life of a refmssp transaction, against a scratch database: the phone's
 * answers (right PIN, wrong PINs, the third blocking the key, cancel), expiry at the
 * deadline, approval after a delay, the restart sweep, counters that survive a
 * re-open; and the parsers of scenario numbers, policies, PINs and user specs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "../../refmssp/flow.h"
#include "../../server/pki.h"
#include "../../refmssp/scenario.h"
#include "../../refmssp/sim.h"
#include "../../refmssp/store.h"
#include "../../refmssp/users.h"
#include "scratch_db.h"

#define MSISDN "+35840123456"
#define PIN "2468"

typedef struct fixture {
    char dir[64];
    char path[128];
    rm_store *store;
    long long sign_key_id;
    X509 *sign_cert;
    int n_tx;
} fixture;

/* SHA-256 DigestInfo of 32 bytes of 0x61. */
static unsigned char digest_info[51] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
                                        0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
                                        0x20};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    memset(digest_info + 19, 0x61, 32);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_refmssp_flow.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/refmssp.db", f->dir);
    char err[256];
    if (store_open(f->path, 1, &f->store, err, sizeof err) != 0)
        return -1;
    pki_name ca_name = {.cn = "flow CA"};
    EVP_PKEY *ca_key = pki_key_generate(PKI_KEY_RSA2048);
    X509 *ca = pki_issue(PKI_CERT_CA, &ca_name, ca_key, NULL, ca_key, err, sizeof err);
    rm_user_spec spec = {.name = "flow", .msisdn = MSISDN, .authn_type = PKI_KEY_EC_P256,
                         .sign_type = PKI_KEY_RSA2048, .policy = "manual", .pin = PIN};
    int rc = ca != NULL && rm_user_create(f->store, ca, ca_key, &spec, err, sizeof err) == 0
                 ? 0 : -1;
    X509_free(ca);
    EVP_PKEY_free(ca_key);
    if (rc != 0) {
        print_error("set-up: %s\n", err);
        return -1;
    }
    long long uid = 0;
    store_key *keys = NULL;
    size_t n = 0;
    if (store_find_user(f->store, MSISDN, &uid) != 1 ||
        store_user_keys(f->store, uid, &keys, &n) != 0 || n != 2)
        return -1;
    f->sign_key_id = keys[1].id;
    f->sign_cert = pki_cert_from_der(keys[1].cert_der, keys[1].cert_len);
    store_keys_free(keys, n);
    *state = f;
    return f->sign_cert != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->store);
    X509_free(f->sign_cert);
    scratch_db_remove(f->path, f->dir);
    free(f);
    return 0;
}

/* A pending transaction for the sign key; its id is written into id (32 bytes). */
static void add_pending(fixture *f, char *id, long long approve_at_ms, long long deadline_ms)
{
    snprintf(id, 32, "Tflow%d", ++f->n_tx);
    store_tx tx = {
        .mssp_trans_id = id, .ap_id = "http://ap", .ap_trans_id = "A1", .msisdn = MSISDN,
        .mode = "asynchClientServer", .profile = "mss:x:sign", .state = STORE_TX_PENDING,
        .status_code = 504, .key_id = f->sign_key_id, .alg = SIM_ALG_PKCS1,
        .dtbs = digest_info, .dtbs_len = sizeof digest_info, .dtbd = "Sign the test?",
        .event_id = "AB12", .approve_at_ms = approve_at_ms, .deadline_ms = deadline_ms,
    };
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
}

static void expect_state(fixture *f, const char *id, store_tx_state state, int code, int spec)
{
    store_tx tx;
    assert_int_equal(store_tx_find(f->store, id, &tx), 1);
    assert_int_equal(tx.state, state);
    assert_int_equal(tx.status_code, code);
    assert_int_equal(tx.specifier, spec);
    if (state == STORE_TX_DONE) {
        /* the signature is PKCS#1 v1.5 over the DigestInfo, by the certified key */
        EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(f->sign_cert), NULL);
        assert_non_null(ctx);
        assert_int_equal(EVP_PKEY_verify_init(ctx), 1);
        assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
        assert_int_equal(EVP_PKEY_verify(ctx, tx.signature, tx.signature_len, digest_info,
                                         sizeof digest_info), 1);
        EVP_PKEY_CTX_free(ctx);
        assert_null(tx.dtbs);   /* not kept once signed */
    }
    store_tx_clear(&tx);
}

static int pin_failures(fixture *f)
{
    store_key k;
    assert_int_equal(store_key_by_id(f->store, f->sign_key_id, &k), 1);
    int n = k.pin_failures;
    store_key_clear(&k);
    return n;
}

static void wrong_pins_count_and_the_right_one_signs(void **state)
{
    fixture *f = *state;
    char id[32];
    int left = -1;
    add_pending(f, id, 0, flow_now_ms() + 60000);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, NULL, 1, "1111", &left), PHONE_WRONG_PIN);
    assert_int_equal(left, 2);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, NULL, 1, "9999", &left), PHONE_WRONG_PIN);
    assert_int_equal(left, 1);
    expect_state(f, id, STORE_TX_PENDING, 504, 0);
    assert_int_equal(pin_failures(f), 2);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, NULL, 1, PIN, &left), PHONE_SIGNED);
    expect_state(f, id, STORE_TX_DONE, 500, 0);
    assert_int_equal(pin_failures(f), 0);
    /* nothing is pending any more */
    assert_int_equal(flow_phone_answer(f->store, MSISDN, NULL, 0, NULL, &left), PHONE_NOTHING);
}

static void third_wrong_pin_blocks_until_unblock_and_survives_reopen(void **state)
{
    fixture *f = *state;
    char id[32];
    int left = -1;
    add_pending(f, id, 0, flow_now_ms() + 60000);
    for (int i = 0; i < 2; i++)
        assert_int_equal(flow_phone_answer(f->store, MSISDN, id, 1, "0000", &left),
                         PHONE_WRONG_PIN);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, id, 1, "0000", &left),
                     PHONE_PIN_BLOCKED);
    assert_int_equal(left, 0);
    expect_state(f, id, STORE_TX_FAILED, 402, 4021);

    char err[256];
    store_close(f->store);
    assert_int_equal(store_open(f->path, 0, &f->store, err, sizeof err), 0);
    assert_int_equal(pin_failures(f), STORE_PIN_TRIES);

    long long uid = 0;
    assert_int_equal(store_find_user(f->store, MSISDN, &uid), 1);
    assert_int_equal(store_set_user_blocked(f->store, uid, 0), 0);
    assert_int_equal(pin_failures(f), 0);
}

static void cancel_ends_with_401_and_names_the_request(void **state)
{
    fixture *f = *state;
    char id[32];
    int left = 0;
    add_pending(f, id, 0, flow_now_ms() + 60000);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, "Tnot-this", 0, NULL, &left),
                     PHONE_NOTHING);
    assert_int_equal(flow_phone_answer(f->store, "+35840999", NULL, 0, NULL, &left),
                     PHONE_NOTHING);
    expect_state(f, id, STORE_TX_PENDING, 504, 0);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, id, 0, NULL, &left), PHONE_CANCELED);
    expect_state(f, id, STORE_TX_FAILED, 401, 4011);
    /* an ended transaction cannot be ended again */
    assert_int_equal(store_tx_finish(f->store, id, STORE_TX_DONE, 500, 0, NULL, 0), 0);
}

static void deadline_expires_and_delay_approves(void **state)
{
    fixture *f = *state;
    char late[32], delayed[32], too_slow[32], waiting[32];
    long long now = flow_now_ms();
    add_pending(f, late, 0, now - 1);
    add_pending(f, delayed, now - 10, now + 60000);
    add_pending(f, too_slow, now + 5000, now - 1);
    add_pending(f, waiting, now + 60000, now + 120000);
    assert_int_equal(flow_settle_all(f->store), 0);
    expect_state(f, late, STORE_TX_FAILED, 208, 2082);
    expect_state(f, delayed, STORE_TX_DONE, 500, 0);
    expect_state(f, too_slow, STORE_TX_FAILED, 208, 2082);
    expect_state(f, waiting, STORE_TX_PENDING, 504, 0);

    int count = 0;
    assert_int_equal(store_tx_expire_all(f->store, &count), 0);
    assert_int_equal(count, 1);
    expect_state(f, waiting, STORE_TX_FAILED, 208, 2081);
}

static void spoiled_signature_for_503_does_not_verify(void **state)
{
    fixture *f = *state;
    char id[32];
    add_pending(f, id, 0, flow_now_ms() + 60000);
    store_tx tx;
    assert_int_equal(store_tx_find(f->store, id, &tx), 1);
    assert_int_equal(flow_sign_now(f->store, &tx, 503), 1);
    store_tx_clear(&tx);
    assert_int_equal(store_tx_find(f->store, id, &tx), 1);
    assert_int_equal(tx.status_code, 503);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(X509_get0_pubkey(f->sign_cert), NULL);
    assert_int_equal(EVP_PKEY_verify_init(ctx), 1);
    assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING), 1);
    assert_int_not_equal(EVP_PKEY_verify(ctx, tx.signature, tx.signature_len, digest_info,
                                         sizeof digest_info), 1);
    EVP_PKEY_CTX_free(ctx);
    store_tx_clear(&tx);
}

static void scenario_numbers_parse(void **state)
{
    (void)state;
    scenario s;
    scenario_parse("+999000001401", &s);
    assert_int_equal(s.kind, SCENARIO_PHONE_FAULT);
    assert_int_equal(s.code, 401);
    scenario_parse("+999000001105", &s);
    assert_int_equal(s.kind, SCENARIO_REQUEST_FAULT);
    scenario_parse("+999000001503", &s);
    assert_int_equal(s.kind, SCENARIO_STATUS);
    scenario_parse("+999000001500", &s);   /* success is not a scenario */
    assert_int_equal(s.kind, SCENARIO_UNKNOWN);
    scenario_parse("+999000001999", &s);
    assert_int_equal(s.kind, SCENARIO_UNKNOWN);
    scenario_parse("+999000020250", &s);
    assert_int_equal(s.kind, SCENARIO_DELAY);
    assert_int_equal(s.delay_ms, 250);
    scenario_parse("+99900000001", &s);
    assert_int_equal(s.kind, SCENARIO_NONE);
    scenario_parse("+9990000014010", &s);   /* too long: an ordinary number */
    assert_int_equal(s.kind, SCENARIO_NONE);
    assert_true(scenario_reserved("+999000001208"));
    assert_false(scenario_reserved("+4912345"));
}

static void policies_pins_and_specs_are_checked(void **state)
{
    (void)state;
    flow_policy_kind k;
    long ms = -1;
    assert_int_equal(flow_policy_parse("approve", &k, &ms), 0);
    assert_int_equal(k, FLOW_POLICY_APPROVE);
    assert_int_equal(flow_policy_parse("delay:250", &k, &ms), 0);
    assert_int_equal(k, FLOW_POLICY_DELAY);
    assert_int_equal(ms, 250);
    assert_int_equal(flow_policy_parse("manual", &k, &ms), 0);
    assert_int_equal(k, FLOW_POLICY_MANUAL);
    const char *bad[] = {"", "delay:", "delay:-1", "delay:1x", "delay:9999999", "Manual", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(flow_policy_parse(bad[i], &k, &ms), -1);
    assert_true(flow_pin_valid("1234"));
    assert_true(flow_pin_valid("12345678"));
    assert_false(flow_pin_valid("123"));
    assert_false(flow_pin_valid("123456789"));
    assert_false(flow_pin_valid("12a4"));

    char err[200];
    rm_user_spec ok = {.name = "a.b-c_1", .msisdn = "+4912345"};
    assert_int_equal(rm_user_spec_check(&ok, err, sizeof err), 0);
    rm_user_spec s = ok;
    s.msisdn = "+999000001401";
    assert_int_equal(rm_user_spec_check(&s, err, sizeof err), -1);
    assert_non_null(strstr(err, "scenario"));
    s = ok;
    s.name = "a b";
    assert_int_equal(rm_user_spec_check(&s, err, sizeof err), -1);
    s = ok;
    s.name = "x]\n[mssp";
    assert_int_equal(rm_user_spec_check(&s, err, sizeof err), -1);
    s = ok;
    s.label = "two\nlines";
    assert_int_equal(rm_user_spec_check(&s, err, sizeof err), -1);
    s = ok;
    s.policy = "sometimes";
    assert_int_equal(rm_user_spec_check(&s, err, sizeof err), -1);
    s = ok;
    s.authn_type = PKI_KEY_EC_P256;
    s.sign_type = PKI_KEY_EC_P384;
    s.pss = 1;
    assert_int_equal(rm_user_spec_check(&s, err, sizeof err), -1);
}

/* A throw-away EC CA to certify further users. */
static X509 *test_ca(const char *cn, EVP_PKEY **key)
{
    char err[256];
    pki_name name = {.cn = cn};
    *key = pki_key_generate(PKI_KEY_EC_P256);
    X509 *ca = pki_issue(PKI_CERT_CA, &name, *key, NULL, *key, err, sizeof err);
    assert_non_null(ca);
    return ca;
}

static void duplicate_users_are_refused(void **state)
{
    fixture *f = *state;
    char err[256];
    EVP_PKEY *ca_key = NULL;
    X509 *ca = test_ca("flow CA 2", &ca_key);
    rm_user_spec same_msisdn = {.name = "other", .msisdn = MSISDN};
    rm_user_spec same_name = {.name = "flow", .msisdn = "+35840000"};
    assert_int_equal(rm_user_create(f->store, ca, ca_key, &same_msisdn, err, sizeof err), -1);
    assert_int_equal(rm_user_create(f->store, ca, ca_key, &same_name, err, sizeof err), -1);
    store_user *users = NULL;
    size_t n = 0;
    assert_int_equal(store_list_users(f->store, &users, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(users[0].policy, "manual");
    assert_non_null(users[0].pin_hash);
    assert_null(strstr(users[0].pin_hash, PIN));
    store_users_free(users, n);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
}

/* The hex SHA-256 of "refmssp-pin:" MSISDN ":" PIN: the old, unsalted and fast storage. */
static void old_pin_digest(const char *msisdn, const char *pin, char out[65])
{
    char text[96];
    unsigned char md[32];
    unsigned md_len = 0;
    snprintf(text, sizeof text, "refmssp-pin:%s:%s", msisdn, pin);
    assert_int_equal(EVP_Digest(text, strlen(text), md, &md_len, EVP_sha256(), NULL), 1);
    for (unsigned i = 0; i < md_len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static char *stored_pin(fixture *f, const char *msisdn)
{
    store_user u;
    assert_int_equal(store_get_user(f->store, msisdn, &u), 1);
    assert_non_null(u.pin_hash);
    char *copy = strdup(u.pin_hash);
    store_user_clear(&u);
    return copy;
}

/* A PIN is kept as a salted PBKDF2 record: two users with the same PIN store different
 * values, neither is the old fixed-prefix SHA-256, and the PIN still checks. */
static void pins_are_stored_with_a_salted_slow_kdf(void **state)
{
    fixture *f = *state;
    char err[256];
    EVP_PKEY *ca_key = NULL;
    X509 *ca = test_ca("flow CA 3", &ca_key);
    rm_user_spec twin = {.name = "twin", .msisdn = "+35840999999", .authn_type = PKI_KEY_EC_P256,
                         .sign_type = PKI_KEY_EC_P256, .pin = PIN};
    assert_int_equal(rm_user_create(f->store, ca, ca_key, &twin, err, sizeof err), 0);
    char *first = stored_pin(f, MSISDN), *second = stored_pin(f, "+35840999999");
    char old[65];
    old_pin_digest(MSISDN, PIN, old);
    assert_string_not_equal(first, old);
    assert_true(strncmp(first, "pbkdf2-sha256$", 14) == 0);
    assert_string_not_equal(first, second);
    free(first);
    free(second);
    char id[32];
    int left = -1;
    add_pending(f, id, 0, flow_now_ms() + 60000);
    assert_int_equal(flow_phone_answer(f->store, MSISDN, NULL, 1, PIN, &left), PHONE_SIGNED);
    X509_free(ca);
    EVP_PKEY_free(ca_key);
}

/* A scenario number signs with the scenario user's key, so a PIN given for it is that
 * user's PIN: a wrong one counts on the key like any other (the manual says so). */
static void scenario_numbers_check_the_scenario_users_pin(void **state)
{
    fixture *f = *state;
    char id[32];
    int left = -1;
    snprintf(id, sizeof id, "Tscenario");
    store_tx tx = {
        .mssp_trans_id = id, .ap_id = "http://ap", .ap_trans_id = "A9",
        .msisdn = "+999000029999", .mode = "asynchClientServer", .profile = "mss:x:sign",
        .state = STORE_TX_PENDING, .status_code = 504, .key_id = f->sign_key_id,
        .alg = SIM_ALG_PKCS1, .dtbs = digest_info, .dtbs_len = sizeof digest_info,
        .approve_at_ms = flow_now_ms() + 600000, .deadline_ms = flow_now_ms() + 600000,
    };
    assert_int_equal(store_tx_insert(f->store, &tx), 0);
    assert_int_equal(flow_phone_answer(f->store, "+999000029999", NULL, 1, "1111", &left),
                     PHONE_WRONG_PIN);
    assert_int_equal(left, 2);
    assert_int_equal(pin_failures(f), 1);
    assert_int_equal(flow_phone_answer(f->store, "+999000029999", NULL, 1, PIN, &left),
                     PHONE_SIGNED);
    assert_int_equal(pin_failures(f), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(wrong_pins_count_and_the_right_one_signs, setup, teardown),
        cmocka_unit_test_setup_teardown(third_wrong_pin_blocks_until_unblock_and_survives_reopen,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_ends_with_401_and_names_the_request, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(deadline_expires_and_delay_approves, setup, teardown),
        cmocka_unit_test_setup_teardown(spoiled_signature_for_503_does_not_verify, setup,
                                        teardown),
        cmocka_unit_test(scenario_numbers_parse),
        cmocka_unit_test(policies_pins_and_specs_are_checked),
        cmocka_unit_test_setup_teardown(duplicate_users_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(pins_are_stored_with_a_salted_slow_kdf, setup, teardown),
        cmocka_unit_test_setup_teardown(scenario_numbers_check_the_scenario_users_pin, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
