/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The module's core (libp11core.la), linked directly: an instance is built from a
 * configuration and a certificate cache this test writes, without C_Initialize, the
 * global instance or dlopen, and its slots, objects, sessions and operations are
 * asked directly. Two users:
 *
 *   slot 0 "rsa": authn RSA-2048 (PKCS#1 v1.5 only), sign RSA-2048 with sign_pss = yes
 *   slot 1 "ec":  authn EC P-256 (no sign key configured)
 *
 * and a second configuration (expired.conf) with one user "old" whose authn
 * certificate is not valid yet and whose sign certificate has expired.
 *
 * The MSSP URL is 127.0.0.1:1, where nothing listens; no test here makes a request (one
 * that tried would fail with CKR_DEVICE_ERROR, which no test expects).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "hash.h"
#include "mech.h"
#include "module.h"
#include "p11_test_util.h"

enum { U_RSA = 0, U_EC = 1, N_USERS = 2 };

static struct {
    char dir[256];
    EVP_PKEY *rsa_authn, *rsa_sign, *ec_authn;
    p11_module m;
} t;

/* ------------------------------------------------------------ fixtures */

static const char conf_text[] =
    "[mssp]\nurl = http://127.0.0.1:1/mss\nallow_plain_http = yes\n"
    "ap_id = http://ap.example\ncache_dir = %s/cache\ntrust_on_first_use = yes\n\n"
    "[user rsa]\nmsisdn = +99900000001\nlabel = RSA User\n"
    "authn_profile = mss:refmssp:authn:loa3:sim\nauthn_label = RSA authn\n"
    "sign_profile = mss:refmssp:sign:loa4:sim\nsign_label = RSA sign\nsign_pss = yes\n\n"
    "[user ec]\nmsisdn = +99900000002\nlabel = EC User\n"
    "authn_profile = mss:refmssp:authn:loa3:sim\nauthn_label = EC authn\n";

static const char expired_conf_text[] =
    "[mssp]\nurl = http://127.0.0.1:1/mss\nallow_plain_http = yes\n"
    "ap_id = http://ap.example\ncache_dir = %s/cache\ntrust_on_first_use = yes\n\n"
    "[user old]\nmsisdn = +99900000004\n"
    "authn_profile = mss:refmssp:authn:loa3:sim\nsign_profile = mss:refmssp:sign:loa4:sim\n";

static int group_setup(void **state)
{
    char path[600], conf[2048];

    (void)state;
    snprintf(t.dir, sizeof t.dir, "/tmp/test_p11_core.XXXXXX");
    if (mkdtemp(t.dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/cache", t.dir);
    mkdir(path, 0700);
    t.rsa_authn = EVP_RSA_gen(2048);
    t.rsa_sign = EVP_RSA_gen(2048);
    t.ec_authn = EVP_EC_gen("P-256");
    p11t_write_cached_cert(path, "rsa", "authn", t.rsa_authn, 1);
    p11t_write_cached_cert(path, "rsa", "sign", t.rsa_sign, 2);
    p11t_write_cached_cert(path, "ec", "authn", t.ec_authn, 3);
    snprintf(conf, sizeof conf, conf_text, t.dir);
    snprintf(path, sizeof path, "%s/test.conf", t.dir);
    p11t_write_file(path, conf);

    /* Valid from tomorrow; expired yesterday. */
    snprintf(path, sizeof path, "%s/cache/old", t.dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/cache/old/authn.pem", t.dir);
    p11t_write_dated_cert(path, t.rsa_authn, 4, "authn", 86400, 2 * 86400);
    snprintf(path, sizeof path, "%s/cache/old/sign.pem", t.dir);
    p11t_write_dated_cert(path, t.rsa_sign, 5, "sign", -2 * 86400, -86400);
    snprintf(conf, sizeof conf, expired_conf_text, t.dir);
    snprintf(path, sizeof path, "%s/expired.conf", t.dir);
    p11t_write_file(path, conf);
    return 0;
}

static int group_teardown(void **state)
{
    char cmd[400];

    (void)state;
    EVP_PKEY_free(t.rsa_authn);
    EVP_PKEY_free(t.rsa_sign);
    EVP_PKEY_free(t.ec_authn);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t.dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Load the configuration file into an instance the way C_Initialize loads the
 * global one. */
static int load_instance_into(p11_module *m, const char *file)
{
    char path[600], err[256];
    mss_conf *conf = NULL;

    snprintf(path, sizeof path, "%s/%s", t.dir, file);
    if (mss_conf_load(path, &conf, err, sizeof err) != 0) {
        fprintf(stderr, "configuration: %s\n", err);
        return -1;
    }
    return p11_module_load(m, conf);
}

/* A fresh instance for a test. */
static int load_instance(const char *file)
{
    p11_module_init(&t.m);
    return load_instance_into(&t.m, file);
}

static int setup_instance(void **state)
{
    (void)state;
    return load_instance("test.conf");
}

static int setup_expired_instance(void **state)
{
    (void)state;
    return load_instance("expired.conf");
}

static int teardown_instance(void **state)
{
    (void)state;
    p11_module_unload(&t.m);
    return 0;
}

/* The handle of the object of this class for the slot's key of this role. */
static CK_OBJECT_HANDLE object_of(const p11_slot *slot, mss_key_role role,
                                  CK_OBJECT_CLASS klass)
{
    size_t i;

    for (i = 0; i < t.m.n_objects; i++) {
        const p11_object *o = &t.m.objects[i];

        if (o->slot == slot && o->key->role == role && o->klass == klass)
            return o->handle;
    }
    fail_msg("no object of class %lu for role %d", (unsigned long)klass, (int)role);
    return CK_INVALID_HANDLE;
}

static p11_session *open_session(CK_SLOT_ID id, CK_FLAGS flags)
{
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;
    p11_session *s = NULL;

    assert_int_equal(p11_session_open(p11_slot_get(&t.m, id), flags, &h), CKR_OK);
    assert_int_equal(p11_session_acquire(&t.m, h, &s), CKR_OK);
    return s;
}

/* Release the test's reference and close the session. */
static void close_session(p11_session *s)
{
    CK_SESSION_HANDLE h = s->handle;

    p11_session_release(s);
    assert_int_equal(p11_session_close(&t.m, h), CKR_OK);
}

/* ------------------------------------------------------------ slots and objects */

static void test_one_slot_per_configured_user(void **state)
{
    CK_SLOT_ID ids[4];
    CK_ULONG n = 0;
    CK_TOKEN_INFO info;

    (void)state;
    assert_int_equal(p11_slot_list(&t.m, CK_TRUE, NULL, &n), CKR_OK);
    assert_int_equal(n, N_USERS);
    n = 1;
    assert_int_equal(p11_slot_list(&t.m, CK_TRUE, ids, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, N_USERS);
    n = 4;
    assert_int_equal(p11_slot_list(&t.m, CK_TRUE, ids, &n), CKR_OK);
    assert_int_equal(ids[0], 0);
    assert_int_equal(ids[1], 1);
    assert_null(p11_slot_get(&t.m, N_USERS));
    /* Each slot leads back to its instance: the core's functions need no global. */
    assert_ptr_equal(p11_slot_get(&t.m, U_RSA)->module, &t.m);
    assert_int_equal(p11_token_info(p11_slot_get(&t.m, U_EC), &info), CKR_OK);
    assert_memory_equal(info.label, "EC User ", 8);
    assert_string_equal(p11_slot_get(&t.m, U_RSA)->user->msisdn, "+99900000001");
}

/* Certificate, public key and private key of one key, found by their CKA_ID. */
static void assert_three_objects_share_id(p11_session *s, const p11_key *key)
{
    CK_ATTRIBUTE by_id = {CKA_ID, (void *)key->id, sizeof key->id};
    CK_OBJECT_HANDLE found[8];
    CK_OBJECT_CLASS klass;
    CK_ATTRIBUTE get = {CKA_CLASS, &klass, sizeof klass};
    CK_ULONG n = 0, i;
    int seen = 0;

    assert_int_equal(p11_find_init(s, &by_id, 1), CKR_OK);
    assert_int_equal(p11_find(s, found, 8, &n), CKR_OK);
    assert_int_equal(p11_find_final(s), CKR_OK);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
        assert_int_equal(p11_get_attributes(s, found[i], &get, 1), CKR_OK);
        seen |= klass == CKO_CERTIFICATE ? 1 : klass == CKO_PUBLIC_KEY ? 2 : 4;
    }
    assert_int_equal(seen, 7);
}

static void test_three_objects_per_key_with_one_id(void **state)
{
    p11_session *rsa = open_session(U_RSA, CKF_SERIAL_SESSION);
    p11_session *ec = open_session(U_EC, CKF_SERIAL_SESSION);
    const p11_slot *rs = rsa->slot;
    CK_OBJECT_HANDLE found[8];
    CK_ULONG n = 0;

    (void)state;
    /* Three keys are cached (the ec user has no sign key): nine objects. */
    assert_int_equal(t.m.n_objects, 9);
    assert_true(rs->keys[MSS_KEY_AUTHN].present && rs->keys[MSS_KEY_SIGN].present);
    assert_false(ec->slot->keys[MSS_KEY_SIGN].present);
    assert_memory_not_equal(rs->keys[MSS_KEY_AUTHN].id, rs->keys[MSS_KEY_SIGN].id,
                            P11_KEY_ID_LEN);
    assert_three_objects_share_id(rsa, &rs->keys[MSS_KEY_AUTHN]);
    assert_three_objects_share_id(rsa, &rs->keys[MSS_KEY_SIGN]);
    assert_three_objects_share_id(ec, &ec->slot->keys[MSS_KEY_AUTHN]);

    /* A session sees only its own slot's objects. */
    assert_int_equal(p11_find_init(ec, NULL, 0), CKR_OK);
    assert_int_equal(p11_find(ec, found, 8, &n), CKR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(p11_find_final(ec), CKR_OK);
    assert_null(p11_object_get(ec->slot, object_of(rs, MSS_KEY_AUTHN, CKO_CERTIFICATE)));
    close_session(rsa);
    close_session(ec);
}

/* ------------------------------------------------------------ sessions */

static void test_sessions_are_reference_counted(void **state)
{
    p11_slot *slot = p11_slot_get(&t.m, U_RSA);
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE, h2 = CK_INVALID_HANDLE;
    p11_session *s = NULL, *again = NULL;
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(p11_session_open(slot, 0, &h), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    assert_int_equal(p11_session_open(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, &h),
                     CKR_OK);
    assert_int_equal(p11_session_open(slot, CKF_SERIAL_SESSION, &h2), CKR_OK);
    assert_true(h2 > h); /* handles grow */
    assert_int_equal(slot->n_sessions, 2);
    assert_int_equal(slot->n_rw_sessions, 1);

    /* The table holds one reference, every caller one more. */
    assert_int_equal(p11_session_acquire(&t.m, h, &s), CKR_OK);
    assert_int_equal(s->refs, 2);
    assert_int_equal(p11_session_acquire(&t.m, h, &again), CKR_OK);
    assert_ptr_equal(again, s);
    assert_int_equal(s->refs, 3);
    p11_session_release(again);
    assert_int_equal(s->refs, 2);

    /* Closed while a caller still holds it: gone from the table, marked closing (a
     * pending C_Sign sees that), and still valid memory until the caller lets go. */
    assert_int_equal(p11_login(s, CKU_USER), CKR_OK);
    assert_int_equal(p11_session_close(&t.m, h), CKR_OK);
    assert_int_equal(p11_session_close(&t.m, h), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(p11_session_acquire(&t.m, h, &again), CKR_SESSION_HANDLE_INVALID);
    assert_true(atomic_load(&s->closing));
    assert_int_equal(s->refs, 1);
    assert_int_equal(p11_session_info(s, &info), CKR_OK);
    assert_int_equal(info.slotID, U_RSA);
    assert_int_equal(slot->n_sessions, 1);
    assert_int_equal(slot->n_rw_sessions, 0);
    assert_true(slot->logged_in); /* one session is still open */
    p11_session_release(s);

    /* The last session's close ends the login. */
    assert_int_equal(p11_session_close_all(slot), CKR_OK);
    assert_int_equal(slot->n_sessions, 0);
    assert_false(slot->logged_in);
    assert_int_equal(t.m.n_sessions, 0);
    assert_int_equal(p11_session_acquire(&t.m, h2, &again), CKR_SESSION_HANDLE_INVALID);
}

/* A signature that outlived its instance (C_Finalize gave up waiting and abandoned
 * it; C_Initialize loaded a new one in the same storage) ends without touching the
 * new instance's count, which C_Finalize relies on to know when it may free. */
static void test_a_signature_from_an_abandoned_instance_is_not_uncounted(void **state)
{
    p11_module abandoned;
    unsigned long stale, current;

    (void)state;
    p11_module_lock(&t.m);
    stale = p11_inflight_begin_locked(&t.m);
    p11_module_unlock(&t.m);

    abandoned = t.m; /* what p11_instance.c keeps of an abandoned instance */
    p11_module_forget(&t.m);
    assert_int_equal(load_instance_into(&t.m, "test.conf"), 0);
    p11_module_lock(&t.m);
    current = p11_inflight_begin_locked(&t.m);
    p11_module_unlock(&t.m);
    assert_int_not_equal(stale, current);
    assert_int_equal(t.m.inflight, 1);

    p11_inflight_end(&t.m, stale); /* the stuck signature comes back */
    assert_int_equal(t.m.inflight, 1);
    p11_module_lock(&t.m);
    assert_int_equal(p11_inflight_drain_locked(&t.m, 0), -1); /* still one to wait for */
    p11_module_unlock(&t.m);
    p11_inflight_end(&t.m, current);
    assert_int_equal(t.m.inflight, 0);

    abandoned.inflight = 0;
    p11_module_unload(&abandoned); /* the test frees what a real abandon leaks */
}

/* ------------------------------------------------------------ operations */

static CK_RV sign_init(p11_session *s, CK_MECHANISM_TYPE type, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM mech = {type, NULL, 0};

    return p11_op_init(s, &p11_op_sign, &mech, key);
}

static void test_sign_init_checks_key_and_mechanism(void **state)
{
    p11_session *s = open_session(U_RSA, CKF_SERIAL_SESSION);
    CK_OBJECT_HANDLE authn = object_of(s->slot, MSS_KEY_AUTHN, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE sign = object_of(s->slot, MSS_KEY_SIGN, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE pub = object_of(s->slot, MSS_KEY_AUTHN, CKO_PUBLIC_KEY);
    CK_OBJECT_HANDLE cert = object_of(s->slot, MSS_KEY_AUTHN, CKO_CERTIFICATE);
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM pss_mech = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof pss};
    CK_ULONG len = 0;

    (void)state;
    assert_int_equal(sign_init(s, CKM_ECDSA_SHA256, authn), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, pub), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, cert), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, 9999), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(sign_init(s, CKM_SHA256_HMAC, authn), CKR_MECHANISM_INVALID);
    /* PSS only on the key configured for it. */
    assert_int_equal(p11_op_init(s, &p11_op_sign, &pss_mech, authn), CKR_MECHANISM_INVALID);
    pss.sLen = 20; /* the MSSP's salt is as long as the hash */
    assert_int_equal(p11_op_init(s, &p11_op_sign, &pss_mech, sign),
                     CKR_MECHANISM_PARAM_INVALID);
    pss.sLen = 32;
    assert_int_equal(p11_op_init(s, &p11_op_sign, &pss_mech, sign), CKR_OK);
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, authn), CKR_OPERATION_ACTIVE);

    /* The length query answers from the key alone and keeps the operation. */
    assert_int_equal(p11_op_run(s, &p11_op_sign, (CK_BYTE_PTR) "x", 1, NULL, &len), CKR_OK);
    assert_int_equal(len, 256);
    assert_true(s->sign.active);
    /* A NULL mechanism ends it (3.0); verify is a separate operation. */
    assert_int_equal(p11_op_init(s, &p11_op_sign, NULL, CK_INVALID_HANDLE), CKR_OK);
    assert_false(s->sign.active);
    assert_int_equal(p11_op_final(s, &p11_op_sign, NULL, &len), CKR_OPERATION_NOT_INITIALIZED);
    close_session(s);
}

/* A key whose certificate is outside its validity is refused at C_SignInit, before
 * anything could reach the MSSP, with the code C_SignInit has for "this key may not do
 * this" (docs/errors.md). The objects stay: a caller can still read the certificate and
 * verify old signatures locally. */
static void test_sign_init_refuses_a_key_outside_its_validity(void **state)
{
    p11_session *s = open_session(0, CKF_SERIAL_SESSION);
    CK_OBJECT_HANDLE expired = object_of(s->slot, MSS_KEY_SIGN, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE early = object_of(s->slot, MSS_KEY_AUTHN, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE pub = object_of(s->slot, MSS_KEY_SIGN, CKO_PUBLIC_KEY);
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};

    (void)state;
    assert_int_equal(t.m.n_objects, 6);
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, expired), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_false(s->sign.active);
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, early), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_false(s->sign.active);
    assert_int_equal(p11_op_init(s, &p11_op_verify, &mech, pub), CKR_OK);
    close_session(s);
}

/* A certificate that expires between C_SignInit and C_Sign: C_Sign checks again and
 * ends the operation before the request (CKR_FUNCTION_FAILED: C_Sign has no
 * key-permission code). The test moves the end of validity instead of waiting. */
static void test_sign_checks_validity_again_before_the_request(void **state)
{
    p11_session *s = open_session(U_RSA, CKF_SERIAL_SESSION);
    p11_key *key = &p11_slot_get(&t.m, U_RSA)->keys[MSS_KEY_SIGN];
    CK_OBJECT_HANDLE priv = object_of(s->slot, MSS_KEY_SIGN, CKO_PRIVATE_KEY);
    unsigned char sig[256];
    CK_ULONG len = sizeof sig;

    (void)state;
    assert_int_equal(sign_init(s, CKM_SHA256_RSA_PKCS, priv), CKR_OK);
    key->not_after = time(NULL) - 1;
    assert_int_equal(p11_op_run(s, &p11_op_sign, (CK_BYTE_PTR) "x", 1, sig, &len),
                     CKR_FUNCTION_FAILED);
    assert_false(s->sign.active);
    close_session(s);
}

/* A signature over data made by OpenSSL with the test's copy of the key. */
static size_t openssl_sign(EVP_PKEY *key, const char *md, const unsigned char *data,
                           size_t len, unsigned char *sig)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char der[600];
    size_t der_len = sizeof der;

    assert_int_equal(EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestSign(ctx, der, &der_len, data, len), 1);
    EVP_MD_CTX_free(ctx);
    if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC)
        return p11t_ecdsa_raw(der, der_len, (size_t)(EVP_PKEY_get_bits(key) + 7) / 8, sig);
    memcpy(sig, der, der_len);
    return der_len;
}

static CK_RV verify(p11_session *s, CK_MECHANISM_TYPE type, CK_OBJECT_HANDLE key,
                    const unsigned char *data, size_t len, unsigned char *sig, size_t sig_len)
{
    CK_MECHANISM mech = {type, NULL, 0};
    CK_ULONG n = (CK_ULONG)sig_len;
    CK_RV rv = p11_op_init(s, &p11_op_verify, &mech, key);

    if (rv != CKR_OK)
        return rv;
    return p11_op_run(s, &p11_op_verify, (CK_BYTE_PTR)data, (CK_ULONG)len, sig, &n);
}

static void test_verify_runs_through_the_shared_engine(void **state)
{
    static const unsigned char data[] = "what the phone would have signed";
    p11_session *rsa = open_session(U_RSA, CKF_SERIAL_SESSION);
    p11_session *ec = open_session(U_EC, CKF_SERIAL_SESSION);
    CK_OBJECT_HANDLE rsa_pub = object_of(rsa->slot, MSS_KEY_AUTHN, CKO_PUBLIC_KEY);
    CK_OBJECT_HANDLE rsa_priv = object_of(rsa->slot, MSS_KEY_AUTHN, CKO_PRIVATE_KEY);
    CK_OBJECT_HANDLE ec_pub = object_of(ec->slot, MSS_KEY_AUTHN, CKO_PUBLIC_KEY);
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
    unsigned char sig[600];
    size_t n = openssl_sign(t.rsa_authn, "SHA256", data, sizeof data, sig);
    CK_ULONG len = (CK_ULONG)n;

    (void)state;
    assert_int_equal(n, 256);
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, rsa_pub, data, sizeof data, sig, n),
                     CKR_OK);
    assert_false(rsa->verify.active); /* C_Verify ends the operation */
    /* The verify kind needs the public key, as sign needs the private one. */
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, rsa_priv, data, sizeof data, sig, n),
                     CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, rsa_pub, data, sizeof data, sig, n - 1),
                     CKR_SIGNATURE_LEN_RANGE);

    /* In parts, through the same engine: only *Final may end it then. */
    assert_int_equal(p11_op_init(rsa, &p11_op_verify, &mech, rsa_pub), CKR_OK);
    assert_int_equal(p11_op_update(rsa, &p11_op_verify, (CK_BYTE_PTR)data, 10), CKR_OK);
    assert_int_equal(p11_op_run(rsa, &p11_op_verify, (CK_BYTE_PTR)data, 1, sig, &len),
                     CKR_OPERATION_ACTIVE);
    assert_int_equal(p11_op_update(rsa, &p11_op_verify, (CK_BYTE_PTR)data + 10,
                                   sizeof data - 10),
                     CKR_OK);
    assert_int_equal(p11_op_final(rsa, &p11_op_verify, sig, &len), CKR_OK);

    sig[10] ^= 1;
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, rsa_pub, data, sizeof data, sig, n),
                     CKR_SIGNATURE_INVALID);

    /* ECDSA: r||s of the field's width. */
    n = openssl_sign(t.ec_authn, "SHA384", data, sizeof data, sig);
    assert_int_equal(n, 64);
    assert_int_equal(verify(ec, CKM_ECDSA_SHA384, ec_pub, data, sizeof data, sig, n), CKR_OK);
    assert_int_equal(verify(ec, CKM_ECDSA_SHA256, ec_pub, data, sizeof data, sig, n),
                     CKR_SIGNATURE_INVALID);
    close_session(rsa);
    close_session(ec);
}

/* The key's public key is parsed at its first check, not at load, then kept: a second
 * check uses the same one, and unloading the instance releases it (a leak shows under
 * valgrind and ASan). */
static void test_a_key_parses_its_public_key_once(void **state)
{
    static const unsigned char data[] = "checked twice";
    p11_session *rsa = open_session(U_RSA, CKF_SERIAL_SESSION);
    CK_OBJECT_HANDLE pub = object_of(rsa->slot, MSS_KEY_AUTHN, CKO_PUBLIC_KEY);
    const p11_key *key = &rsa->slot->keys[MSS_KEY_AUTHN];
    unsigned char sig[600];
    size_t n = openssl_sign(t.rsa_authn, "SHA256", data, sizeof data, sig);
    const mss_verify_key *first;

    (void)state;
    assert_null(atomic_load(&key->verifier));
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, pub, data, sizeof data, sig, n), CKR_OK);
    first = atomic_load(&key->verifier);
    assert_non_null(first);
    assert_ptr_equal(p11_key_verifier(key, NULL), first);
    sig[0] ^= 1;
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, pub, data, sizeof data, sig, n),
                     CKR_SIGNATURE_INVALID);
    assert_ptr_equal(atomic_load(&key->verifier), first);
    close_session(rsa);

    p11_key_clear(&t.m.slots[U_RSA].keys[MSS_KEY_AUTHN]);
    assert_null(atomic_load(&t.m.slots[U_RSA].keys[MSS_KEY_AUTHN].verifier));
}

/* An instance fetches each digest once, at its first use: every later operation
 * hashes with that one, and unloading releases them. */
static void test_an_instance_fetches_its_digests_once(void **state)
{
    static const unsigned char data[] = "hashed with the instance's digest";
    p11_session *rsa = open_session(U_RSA, CKF_SERIAL_SESSION);
    CK_OBJECT_HANDLE pub = object_of(rsa->slot, MSS_KEY_AUTHN, CKO_PUBLIC_KEY);
    unsigned char sig[600];
    size_t n = openssl_sign(t.rsa_authn, "SHA256", data, sizeof data, sig);
    const EVP_MD *sha256;
    p11_module m;
    int h;

    (void)state;
    for (h = 0; h < P11_HASH_COUNT; h++)
        assert_null(atomic_load(&t.m.digests.md[h])); /* nothing at load */
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, pub, data, sizeof data, sig, n), CKR_OK);
    sha256 = atomic_load(&t.m.digests.md[P11_HASH_SHA256]);
    assert_non_null(sha256);
    assert_true(EVP_MD_is_a(sha256, "SHA256"));
    assert_null(atomic_load(&t.m.digests.md[P11_HASH_SHA384])); /* not used yet */
    assert_int_equal(verify(rsa, CKM_SHA256_RSA_PKCS, pub, data, sizeof data, sig, n), CKR_OK);
    assert_ptr_equal(atomic_load(&t.m.digests.md[P11_HASH_SHA256]), sha256);
    for (h = 0; h < P11_HASH_COUNT; h++)
        assert_true(EVP_MD_is_a(p11_hash_md(&t.m.digests, (p11_hash)h),
                                p11_hash_mss_name(p11_hash_get((p11_hash)h))));
    /* Without a set: OpenSSL's built-in one. */
    assert_ptr_equal(p11_hash_md(NULL, P11_HASH_SHA256), EVP_sha256());
    close_session(rsa);

    p11_module_init(&m);
    assert_int_equal(load_instance_into(&m, "test.conf"), 0);
    assert_non_null(p11_hash_md(&m.digests, P11_HASH_SHA512));
    p11_module_unload(&m);
    for (h = 0; h < P11_HASH_COUNT; h++)
        assert_null(atomic_load(&m.digests.md[h]));
}

/* ------------------------------------------------------------ the hash table */

static void test_hash_facts_agree_with_each_other(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < P11_HASH_COUNT; i++) {
        const p11_hash_info *h = p11_hash_get((p11_hash)i);
        const unsigned char *oid;
        size_t oid_len;

        assert_non_null(h);
        assert_int_equal(h->id, i);
        assert_int_equal((size_t)EVP_MD_get_size(h->md()), h->len);
        /* The MSSP's name for it (libmssclient's, from the length) is OpenSSL's. */
        assert_non_null(p11_hash_mss_name(h));
        assert_true(EVP_MD_is_a(h->md(), p11_hash_mss_name(h)));
        /* The prefix ends in the OCTET STRING header for a value of this length, and
         * its outer SEQUENCE covers prefix and value. */
        assert_int_equal(h->prefix[h->prefix_len - 1], h->len);
        assert_int_equal(h->prefix[1] + 2u, h->prefix_len + h->len);
        oid = p11_hash_oid(h, &oid_len);
        assert_ptr_equal(p11_hash_by_oid(oid, oid_len), h);
        assert_ptr_equal(p11_hash_by_len(h->len), h);
        assert_ptr_equal(p11_hash_by_mech(h->mech), h);
    }
    assert_null(p11_hash_get((p11_hash)P11_HASH_COUNT));
    assert_null(p11_hash_by_len(16));
    assert_null(p11_hash_by_mech(CKM_MD5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_slot_per_configured_user, setup_instance,
                                        teardown_instance),
        cmocka_unit_test_setup_teardown(test_three_objects_per_key_with_one_id,
                                        setup_instance, teardown_instance),
        cmocka_unit_test_setup_teardown(test_sessions_are_reference_counted, setup_instance,
                                        teardown_instance),
        cmocka_unit_test_setup_teardown(
            test_a_signature_from_an_abandoned_instance_is_not_uncounted, setup_instance,
            teardown_instance),
        cmocka_unit_test_setup_teardown(test_sign_init_checks_key_and_mechanism,
                                        setup_instance, teardown_instance),
        cmocka_unit_test_setup_teardown(test_sign_init_refuses_a_key_outside_its_validity,
                                        setup_expired_instance, teardown_instance),
        cmocka_unit_test_setup_teardown(test_sign_checks_validity_again_before_the_request,
                                        setup_instance, teardown_instance),
        cmocka_unit_test_setup_teardown(test_verify_runs_through_the_shared_engine,
                                        setup_instance, teardown_instance),
        cmocka_unit_test_setup_teardown(test_an_instance_fetches_its_digests_once,
                                        setup_instance, teardown_instance),
        cmocka_unit_test_setup_teardown(test_a_key_parses_its_public_key_once,
                                        setup_instance, teardown_instance),
        cmocka_unit_test(test_hash_facts_agree_with_each_other),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
