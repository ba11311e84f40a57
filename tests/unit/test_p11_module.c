/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PKCS#11 module as a program sees it: the built mss-pkcs11.so is dlopen'ed and
 * driven through C_GetFunctionList, with a configuration and a certificate cache this
 * test writes into a temporary folder. No MSSP is needed: the configured URL is
 * 127.0.0.1:1, where any network attempt fails at once with CKR_DEVICE_ERROR, so a
 * test that gets a length back knows no request was made.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <p11-kit/pkcs11.h>

#include "p11_test_util.h"

#define N_KEYS 2 /* the demo user's authn and sign keys */

static struct {
    void *lib;
    CK_FUNCTION_LIST *p11;
    char dir[256];
    char good_conf[512], broken_conf[512], missing_conf[512], silent_conf[512];
    int silent_fd; /* a listening socket that never answers: an MSSP that keeps us waiting */
    unsigned char key_id[N_KEYS][SHA_DIGEST_LENGTH]; /* expected CKA_IDs */
    unsigned char modulus[N_KEYS][256];
    int linked_network_libs; /* libcurl was mapped as soon as the module was loaded */
} t;

static const char *const key_labels[N_KEYS] = {"Authentication key", "Signing key"};
static const char *const roles[N_KEYS] = {"authn", "sign"};
#define DEMO_MSISDN "+99900000001"

/* ------------------------------------------------------------ fixtures */

/* A self-signed RSA-2048 certificate in the cache, and the facts the module must
 * derive from it, computed here independently. */
static void make_cached_cert(int k)
{
    char path[600];
    EVP_PKEY *pkey = EVP_RSA_gen(2048);
    X509_PUBKEY *pub = NULL;
    const unsigned char *bits;
    int bits_len;
    BIGNUM *n = NULL;

    assert_non_null(pkey);
    snprintf(path, sizeof path, "%s/cache/demo/%s.pem", t.dir, roles[k]);
    p11t_write_self_signed_cert(path, pkey, 1000 + k, roles[k]);

    /* CKA_ID: SHA-1 of the subjectPublicKey bits, as in the certificate. */
    assert_true(X509_PUBKEY_set(&pub, pkey));
    assert_true(X509_PUBKEY_get0_param(NULL, &bits, &bits_len, NULL, pub));
    SHA1(bits, (size_t)bits_len, t.key_id[k]);
    X509_PUBKEY_free(pub);
    assert_true(EVP_PKEY_get_bn_param(pkey, "n", &n));
    assert_int_equal(BN_bn2binpad(n, t.modulus[k], 256), 256);
    BN_free(n);
    EVP_PKEY_free(pkey);
}

/* Whether a library whose file name starts with prefix is mapped into this process. */
static int library_mapped(const char *prefix)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int found = 0;

    assert_non_null(f);
    while (!found && fgets(line, sizeof line, f) != NULL) {
        const char *name = strrchr(line, '/');

        found = name != NULL && strncmp(name + 1, prefix, strlen(prefix)) == 0;
    }
    fclose(f);
    return found;
}

static int group_setup(void **state)
{
    char path[600], conf[2048];
    int k;

    (void)state;
    snprintf(t.dir, sizeof t.dir, "/tmp/test_p11_module.XXXXXX");
    if (mkdtemp(t.dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/cache", t.dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/cache/demo", t.dir);
    mkdir(path, 0700);
    for (k = 0; k < N_KEYS; k++)
        make_cached_cert(k);

    /* Two users: "demo" enrolled (both keys cached), "other" not enrolled. */
    snprintf(conf, sizeof conf,
             "[mssp]\nurl = http://127.0.0.1:1/mss\nallow_plain_http = yes\n"
             "ap_id = http://ap.example\ncache_dir = %s/cache\nlog_level = debug\n"
             "trust_on_first_use = yes\n\n"
             "[user demo]\nmsisdn = " DEMO_MSISDN "\nlabel = Demo User\n"
             "authn_profile = mss:refmssp:authn:loa3:sim\nauthn_label = %s\n"
             "sign_profile = mss:refmssp:sign:loa4:sim\nsign_label = %s\n\n"
             "[user other]\nmsisdn = +99900000002\nlabel = Other User\n"
             "authn_profile = mss:refmssp:authn:loa3:sim\n",
             t.dir, key_labels[0], key_labels[1]);
    snprintf(t.good_conf, sizeof t.good_conf, "%s/good.conf", t.dir);
    p11t_write_file(t.good_conf, conf);
    snprintf(t.missing_conf, sizeof t.missing_conf, "%s/does-not-exist.conf", t.dir);

    /* The same users against an MSSP that never answers. */
    {
        unsigned port;
        char *url = strstr(conf, "127.0.0.1:1/");

        t.silent_fd = p11t_silent_listen(&port);
        if (t.silent_fd < 0 || url == NULL)
            return -1;
        char rest[sizeof conf];

        snprintf(rest, sizeof rest, "%s", url + strlen("127.0.0.1:1"));
        snprintf(url, sizeof conf - (size_t)(url - conf), "127.0.0.1:%u%s", port, rest);
        snprintf(t.silent_conf, sizeof t.silent_conf, "%s/silent.conf", t.dir);
        p11t_write_file(t.silent_conf, conf);
    }
    snprintf(t.broken_conf, sizeof t.broken_conf, "%s/broken.conf", t.dir);
    /* The good file plus one bad line: a parser that skipped it would give 2 slots. */
    strncat(conf, "this line is not a setting\n", sizeof conf - strlen(conf) - 1);
    p11t_write_file(t.broken_conf, conf);

    /* The module's log goes to a file so the test output stays the cmocka summary. */
    snprintf(path, sizeof path, "%s/module.log", t.dir);
    setenv("MSS_PKCS11_LOG", path, 1);
    unsetenv("MSS_PKCS11_DEBUG");

    t.lib = p11t_load_module(&t.p11);
    t.linked_network_libs = library_mapped("libcurl");
    return t.lib != NULL ? 0 : -1;
}

static int group_teardown(void **state)
{
    char cmd[400];

    (void)state;
    if (t.lib != NULL)
        dlclose(t.lib);
    if (t.silent_fd > 0)
        close(t.silent_fd);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t.dir);
    if (getenv("TEST_P11_KEEP") != NULL)
        return 0;
    return system(cmd) == 0 ? 0 : -1;
}

static int init_with(const char *conf)
{
    setenv("MSS_PKCS11_CONF", conf, 1);
    return t.p11->C_Initialize(NULL) == CKR_OK ? 0 : -1;
}

static int setup_good(void **state)
{
    (void)state;
    return init_with(t.good_conf);
}

static int teardown_module(void **state)
{
    (void)state;
    return t.p11->C_Finalize(NULL) == CKR_OK ? 0 : -1;
}

static int setup_silent(void **state)
{
    (void)state;
    return init_with(t.silent_conf);
}

/* For tests that finalise themselves: only clean up after a failure. */
static int teardown_if_needed(void **state)
{
    (void)state;
    t.p11->C_Finalize(NULL);
    return 0;
}

/* All handles matching one class (or every object when klass is -1). */
static CK_ULONG find(CK_SESSION_HANDLE s, long klass, CK_OBJECT_HANDLE *out, CK_ULONG max)
{
    CK_OBJECT_CLASS c = (CK_OBJECT_CLASS)klass;
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &c, sizeof c}};

    return p11t_find(t.p11, s, tmpl, klass < 0 ? 0 : 1, out, max);
}

static CK_OBJECT_HANDLE private_key(CK_SESSION_HANDLE s, int k)
{
    return p11t_find_labelled(t.p11, s, CKO_PRIVATE_KEY, key_labels[k]);
}

static void assert_padded(const unsigned char *field, size_t width, const char *text)
{
    size_t n = strlen(text), i;

    assert_memory_equal(field, text, n);
    for (i = n; i < width; i++)
        assert_int_equal(field[i], ' ');
}

/* ------------------------------------------------------------ general */

/* Loading the module, listing its tokens and reading its objects loads neither libcurl
 * nor libxml2 (nor their dependencies): a host that never signs does not pay for them.
 * The first request loads them. Runs first: once loaded they stay. */
static void test_network_libraries_load_at_the_first_request(void **state)
{
    CK_SLOT_ID slots[4];
    CK_ULONG n = 4;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE key;
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE data[] = "data to sign", sig[512];
    CK_ULONG len = sizeof sig;

    (void)state;
    if (t.linked_network_libs) {
        /* The module names them in its NEEDED: a link without --as-needed (GCC leaves
         * it out with -fsanitize, and where it is not the toolchain's default). */
        print_message("libcurl came with the module: this build links it directly\n");
        skip();
    }
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    s = p11t_open_session(t.p11, 0);
    key = private_key(s, 0);
    assert_false(library_mapped("libcurl"));
    assert_false(library_mapped("libxml2"));
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    /* The (unreachable) MSSP: the request was built and sent, so both are in now. */
    assert_int_equal(t.p11->C_Sign(s, data, sizeof data, sig, &len), CKR_DEVICE_ERROR);
    assert_true(library_mapped("libcurl"));
    assert_true(library_mapped("libxml2"));
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_calls_before_initialize_are_refused(void **state)
{
    CK_ULONG n = 0;
    CK_INFO info;
    CK_SESSION_HANDLE h;

    (void)state;
    assert_int_equal(t.p11->C_GetSlotList(CK_FALSE, NULL, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &h),
                     CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_Sign(1, NULL, 0, NULL, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void test_initialize_twice_is_already_initialized(void **state)
{
    (void)state;
    assert_int_equal(t.p11->C_Initialize(NULL), CKR_CRYPTOKI_ALREADY_INITIALIZED);
}

static void test_initialize_args_are_validated(void **state)
{
    CK_C_INITIALIZE_ARGS args;

    (void)state;
    setenv("MSS_PKCS11_CONF", t.good_conf, 1);
    memset(&args, 0, sizeof args);
    args.pReserved = &args;
    assert_int_equal(t.p11->C_Initialize(&args), CKR_ARGUMENTS_BAD);
    memset(&args, 0, sizeof args);
    args.CreateMutex = (CK_CREATEMUTEX)1; /* one callback without the other three */
    assert_int_equal(t.p11->C_Initialize(&args), CKR_ARGUMENTS_BAD);
    /* Rejected arguments change nothing: the module is still not initialised. */
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_CRYPTOKI_NOT_INITIALIZED);

    memset(&args, 0, sizeof args);
    args.flags = CKF_OS_LOCKING_OK | CKF_LIBRARY_CANT_CREATE_OS_THREADS; /* what NSS says */
    assert_int_equal(t.p11->C_Initialize(&args), CKR_OK);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}

static void test_get_info_is_padded(void **state)
{
    CK_INFO info;

    (void)state;
    assert_int_equal(t.p11->C_GetInfo(&info), CKR_OK);
    assert_int_equal(info.cryptokiVersion.major, 2);
    assert_int_equal(info.cryptokiVersion.minor, 40);
    assert_padded(info.manufacturerID, sizeof info.manufacturerID, "mss-pkcs11");
    assert_null(memchr(info.libraryDescription, 0, sizeof info.libraryDescription));
}

/* ------------------------------------------------------------ slots and tokens */

static void test_one_slot_per_configured_user(void **state)
{
    CK_SLOT_ID slots[4];
    CK_ULONG n = 0;

    (void)state;
    assert_int_equal(t.p11->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    assert_int_equal(n, 2);
    n = 1;
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 2);
    n = 4;
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(slots[0], 0);
    assert_int_equal(slots[1], 1);
}

static void test_slot_is_fixed_hardware_with_token_present(void **state)
{
    CK_SLOT_INFO info;

    (void)state;
    assert_int_equal(t.p11->C_GetSlotInfo(0, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_HW_SLOT | CKF_TOKEN_PRESENT);
    assert_padded(info.manufacturerID, sizeof info.manufacturerID, "mss-pkcs11");
    assert_int_equal(t.p11->C_GetSlotInfo(2, &info), CKR_SLOT_ID_INVALID);
}

static void test_token_info_flags_and_padded_strings(void **state)
{
    CK_TOKEN_INFO info;
    unsigned char h[SHA256_DIGEST_LENGTH];
    char serial[17];
    int i;

    (void)state;
    assert_int_equal(t.p11->C_GetTokenInfo(0, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_TOKEN_INITIALIZED | CKF_WRITE_PROTECTED |
                                     CKF_USER_PIN_INITIALIZED |
                                     CKF_PROTECTED_AUTHENTICATION_PATH);
    assert_padded(info.label, sizeof info.label, "Demo User");
    assert_padded(info.manufacturerID, sizeof info.manufacturerID, "mss-pkcs11");
    assert_padded(info.model, sizeof info.model, "Mobile SIM");
    SHA256((const unsigned char *)DEMO_MSISDN, strlen(DEMO_MSISDN), h);
    for (i = 0; i < 8; i++)
        snprintf(serial + 2 * i, 3, "%02X", h[i]);
    assert_padded(info.serialNumber, sizeof info.serialNumber, serial);

    assert_int_equal(t.p11->C_GetTokenInfo(1, &info), CKR_OK);
    assert_padded(info.label, sizeof info.label, "Other User");
    assert_int_equal(t.p11->C_GetTokenInfo(7, &info), CKR_SLOT_ID_INVALID);
}

static void test_mechanisms_sign_with_key_sizes(void **state)
{
    static const CK_MECHANISM_TYPE expected[] = {
        CKM_RSA_PKCS, CKM_SHA1_RSA_PKCS, CKM_SHA224_RSA_PKCS, CKM_SHA256_RSA_PKCS,
        CKM_SHA384_RSA_PKCS, CKM_SHA512_RSA_PKCS};
    CK_MECHANISM_TYPE mechs[32];
    CK_MECHANISM_INFO info;
    CK_ULONG n = 32, i;

    (void)state;
    /* RSA keys without PSS: the PKCS#1 v1.5 mechanisms only, nothing PSS or EC. */
    assert_int_equal(t.p11->C_GetMechanismList(0, mechs, &n), CKR_OK);
    assert_int_equal(n, sizeof expected / sizeof expected[0]);
    for (i = 0; i < n; i++)
        assert_int_equal(mechs[i], expected[i]);
    n = 2;
    assert_int_equal(t.p11->C_GetMechanismList(0, mechs, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, sizeof expected / sizeof expected[0]);
    assert_int_equal(t.p11->C_GetMechanismInfo(0, CKM_SHA256_RSA_PKCS, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_SIGN | CKF_VERIFY | CKF_HW);
    assert_int_equal(info.ulMinKeySize, 2048);
    assert_int_equal(info.ulMaxKeySize, 2048);
    assert_int_equal(t.p11->C_GetMechanismInfo(0, CKM_RSA_PKCS_PSS, &info),
                     CKR_MECHANISM_INVALID);
    assert_int_equal(t.p11->C_GetMechanismInfo(0, CKM_ECDSA, &info), CKR_MECHANISM_INVALID);
    assert_int_equal(t.p11->C_GetMechanismInfo(0, CKM_MD5_RSA_PKCS, &info),
                     CKR_MECHANISM_INVALID);
    assert_int_equal(t.p11->C_WaitForSlotEvent(0, NULL, NULL), CKR_FUNCTION_NOT_SUPPORTED);
}

/* ------------------------------------------------------------ sessions */

static void test_sessions_are_serial_and_never_reuse_handles(void **state)
{
    CK_SESSION_HANDLE a, b, c;
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(t.p11->C_OpenSession(0, 0, NULL, NULL, &a),
                     CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    a = p11t_open_session(t.p11, 0);
    assert_int_equal(t.p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL,
                                          &b),
                     CKR_OK);
    assert_int_equal(t.p11->C_GetSessionInfo(b, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_PUBLIC_SESSION);
    assert_int_equal(t.p11->C_CloseSession(a), CKR_OK);
    assert_int_equal(t.p11->C_CloseSession(a), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(t.p11->C_GetSessionInfo(a, &info), CKR_SESSION_HANDLE_INVALID);
    c = p11t_open_session(t.p11, 0);
    assert_true(c != a && c != b);
    assert_int_equal(t.p11->C_CloseAllSessions(0), CKR_OK);
    assert_int_equal(t.p11->C_GetSessionInfo(b, &info), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(t.p11->C_GetSessionInfo(c, &info), CKR_SESSION_HANDLE_INVALID);
}

static void test_login_accepts_any_pin(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_SESSION_INFO info;

    (void)state;
    assert_int_equal(t.p11->C_Login(s, CKU_SO, NULL, 0), CKR_USER_TYPE_INVALID);
    assert_int_equal(t.p11->C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR) "whatever", 8), CKR_OK);
    assert_int_equal(t.p11->C_GetSessionInfo(s, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_USER_FUNCTIONS);
    assert_int_equal(t.p11->C_Login(s, CKU_USER, NULL, 0), CKR_USER_ALREADY_LOGGED_IN);
    assert_int_equal(t.p11->C_Logout(s), CKR_OK);
    assert_int_equal(t.p11->C_Logout(s), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(t.p11->C_Login(s, CKU_USER, NULL, 0), CKR_OK);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_read_only_token_refuses_changes_and_has_no_rng(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE h = private_key(s, 0);
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE tmpl[] = {{CKA_TOKEN, &yes, sizeof yes}};
    CK_BYTE buf[16];

    (void)state;
    assert_int_equal(t.p11->C_CreateObject(s, tmpl, 1, &h), CKR_TOKEN_WRITE_PROTECTED);
    assert_int_equal(t.p11->C_DestroyObject(s, h), CKR_TOKEN_WRITE_PROTECTED);
    assert_int_equal(t.p11->C_SetAttributeValue(s, h, tmpl, 1), CKR_TOKEN_WRITE_PROTECTED);
    assert_int_equal(t.p11->C_GenerateRandom(s, buf, sizeof buf), CKR_RANDOM_NO_RNG);
    assert_int_equal(t.p11->C_SeedRandom(s, buf, sizeof buf), CKR_RANDOM_NO_RNG);
    assert_int_equal(t.p11->C_SeedRandom(s, NULL, 4), CKR_ARGUMENTS_BAD);
    assert_int_equal(t.p11->C_GenerateRandom(s, NULL, 16), CKR_ARGUMENTS_BAD);
    assert_int_equal(t.p11->C_GenerateRandom(s + 1000, buf, 16), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(t.p11->C_DigestInit(s, NULL), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(t.p11->C_CancelFunction(s), CKR_FUNCTION_NOT_PARALLEL);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

/* ------------------------------------------------------------ objects */

static void test_three_objects_per_key_share_the_key_id(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE all[16];
    CK_ULONG n, i;
    int seen[N_KEYS] = {0, 0};

    (void)state;
    assert_int_equal(find(s, -1, all, 16), 3 * N_KEYS);
    assert_int_equal(find(s, CKO_CERTIFICATE, all, 16), N_KEYS);
    assert_int_equal(find(s, CKO_PUBLIC_KEY, all, 16), N_KEYS);
    n = find(s, -1, all, 16);
    for (i = 0; i < n; i++) {
        unsigned char id[64];
        char label[64];
        CK_ATTRIBUTE a[] = {{CKA_ID, id, sizeof id}, {CKA_LABEL, label, sizeof label}};
        int k;

        assert_int_equal(t.p11->C_GetAttributeValue(s, all[i], a, 2), CKR_OK);
        assert_int_equal(a[0].ulValueLen, SHA_DIGEST_LENGTH);
        for (k = 0; k < N_KEYS; k++) {
            if (a[1].ulValueLen == strlen(key_labels[k]) &&
                memcmp(label, key_labels[k], a[1].ulValueLen) == 0) {
                assert_memory_equal(id, t.key_id[k], SHA_DIGEST_LENGTH);
                seen[k]++;
            }
        }
    }
    assert_int_equal(seen[0], 3);
    assert_int_equal(seen[1], 3);
    /* The second user has not enrolled: a token with no objects. */
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
    s = p11t_open_session(t.p11, 1);
    assert_int_equal(find(s, -1, all, 16), 0);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_find_by_id_pairs_key_and_certificate(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_ATTRIBUTE tmpl[] = {{CKA_ID, t.key_id[1], SHA_DIGEST_LENGTH}};
    CK_OBJECT_HANDLE found[8];
    CK_ULONG n = 0;

    (void)state;
    assert_int_equal(t.p11->C_FindObjectsInit(s, tmpl, 1), CKR_OK);
    assert_int_equal(t.p11->C_FindObjectsInit(s, tmpl, 1), CKR_OPERATION_ACTIVE);
    assert_int_equal(t.p11->C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 2); /* at most what was asked for ... */
    assert_int_equal(t.p11->C_FindObjects(s, found + 2, 6, &n), CKR_OK);
    assert_int_equal(n, 1); /* ... and the rest on the next call */
    assert_int_equal(t.p11->C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(t.p11->C_FindObjects(s, found, 8, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_private_key_attributes_follow_the_spec(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE h = private_key(s, 0);
    CK_BBOOL sign = 0, decrypt = 1, sensitive = 0, extractable = 1, priv = 1, always = 1;
    CK_ULONG bits = 0;
    unsigned char modulus[300], small[8], secret[300];
    CK_ATTRIBUTE a[] = {
        {CKA_SIGN, &sign, sizeof sign},
        {CKA_DECRYPT, &decrypt, sizeof decrypt},
        {CKA_SENSITIVE, &sensitive, sizeof sensitive},
        {CKA_EXTRACTABLE, &extractable, sizeof extractable},
        {CKA_PRIVATE, &priv, sizeof priv},
        {CKA_ALWAYS_AUTHENTICATE, &always, sizeof always},
        {CKA_MODULUS_BITS, &bits, sizeof bits},
        {CKA_MODULUS, modulus, sizeof modulus},
    };
    CK_ATTRIBUTE query = {CKA_MODULUS, NULL, 0};
    CK_ATTRIBUTE too_small = {CKA_MODULUS, small, sizeof small};
    CK_ATTRIBUTE mixed[] = {
        {CKA_PRIVATE_EXPONENT, secret, sizeof secret},
        {CKA_VALUE, secret, sizeof secret}, /* not an attribute of an RSA private key */
        {CKA_SIGN, &sign, sizeof sign},
    };
    CK_RV rv;

    (void)state;
    assert_int_equal(t.p11->C_GetAttributeValue(s, h, a, 8), CKR_OK);
    assert_true(sign);
    assert_false(decrypt);
    assert_true(sensitive);
    assert_false(extractable);
    assert_false(priv);
    assert_false(always);
    assert_int_equal(bits, 2048);
    assert_int_equal(a[7].ulValueLen, 256);
    assert_memory_equal(modulus, t.modulus[0], 256);

    assert_int_equal(t.p11->C_GetAttributeValue(s, h, &query, 1), CKR_OK);
    assert_int_equal(query.ulValueLen, 256);
    assert_int_equal(t.p11->C_GetAttributeValue(s, h, &too_small, 1), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(too_small.ulValueLen, CK_UNAVAILABLE_INFORMATION);

    sign = 0;
    rv = t.p11->C_GetAttributeValue(s, h, mixed, 3);
    assert_true(rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID);
    assert_int_equal(mixed[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    assert_int_equal(mixed[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    /* ... and the attribute after the failures is still answered. */
    assert_int_equal(mixed[2].ulValueLen, sizeof sign);
    assert_true(sign);

    assert_int_equal(t.p11->C_GetAttributeValue(s, 9999, a, 1), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_certificate_value_is_the_cached_certificate(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE certs[4];
    CK_ULONG n = find(s, CKO_CERTIFICATE, certs, 4), cat = 9, ctype = 9;
    unsigned char der[4096];
    CK_ATTRIBUTE a[] = {{CKA_VALUE, der, sizeof der},
                        {CKA_CERTIFICATE_CATEGORY, &cat, sizeof cat},
                        {CKA_CERTIFICATE_TYPE, &ctype, sizeof ctype}};
    const unsigned char *p = der;
    X509 *x;

    (void)state;
    assert_int_equal(n, N_KEYS);
    assert_int_equal(t.p11->C_GetAttributeValue(s, certs[0], a, 3), CKR_OK);
    assert_int_equal(cat, 1);
    assert_int_equal(ctype, CKC_X_509);
    x = d2i_X509(NULL, &p, (long)a[0].ulValueLen);
    assert_non_null(x);
    X509_free(x);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

/* ------------------------------------------------------------ signing */

static void test_sign_length_queries_make_no_request(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE key = private_key(s, 0);
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE data[] = "data to sign", sig[512];
    CK_ULONG len = 0;

    (void)state;
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    assert_int_equal(t.p11->C_Sign(s, data, sizeof data, NULL, &len), CKR_OK);
    assert_int_equal(len, 256);
    len = 10;
    assert_int_equal(t.p11->C_Sign(s, data, sizeof data, sig, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 256);
    /* The operation is still active after both answers. */
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OPERATION_ACTIVE);
    /* The real call reaches the (unreachable) MSSP, and the operation ends. */
    len = sizeof sig;
    assert_int_equal(t.p11->C_Sign(s, data, sizeof data, sig, &len), CKR_DEVICE_ERROR);
    assert_int_equal(t.p11->C_Sign(s, data, sizeof data, sig, &len),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_multipart_sign_answers_length_before_final(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE key = private_key(s, 1);
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE part[] = "part", sig[256];
    CK_ULONG len = 0;

    (void)state;
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    assert_int_equal(t.p11->C_SignUpdate(s, part, sizeof part), CKR_OK);
    assert_int_equal(t.p11->C_SignUpdate(s, part, sizeof part), CKR_OK);
    assert_int_equal(t.p11->C_SignFinal(s, NULL, &len), CKR_OK);
    assert_int_equal(len, 256);
    assert_int_equal(t.p11->C_SignFinal(s, sig, &len), CKR_DEVICE_ERROR);
    assert_int_equal(t.p11->C_SignFinal(s, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_rsa_pkcs_accepts_only_a_digest_info(void **state)
{
    static const CK_BYTE sha256_prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                            0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                            0x01, 0x05, 0x00, 0x04, 0x20};
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE key = private_key(s, 0);
    CK_MECHANISM mech = {CKM_RSA_PKCS, NULL, 0};
    CK_BYTE raw[] = "not a DigestInfo", di[sizeof sha256_prefix + 32], sig[256];
    CK_ULONG len;

    (void)state;
    memcpy(di, sha256_prefix, sizeof sha256_prefix);
    memset(di + sizeof sha256_prefix, 0xab, 32);

    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    len = sizeof sig;
    assert_int_equal(t.p11->C_Sign(s, raw, sizeof raw, sig, &len), CKR_DATA_INVALID);

    /* A bare 32-byte hash is not a DigestInfo either. */
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    len = sizeof sig;
    assert_int_equal(t.p11->C_Sign(s, di + sizeof sha256_prefix, 32, sig, &len),
                     CKR_DATA_INVALID);

    /* A SHA-256 DigestInfo one byte short of its hash. */
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    len = sizeof sig;
    assert_int_equal(t.p11->C_Sign(s, di, sizeof di - 1, sig, &len), CKR_DATA_INVALID);

    /* The well-formed DigestInfo passes validation and reaches the network. */
    assert_int_equal(t.p11->C_SignInit(s, &mech, key), CKR_OK);
    len = sizeof sig;
    assert_int_equal(t.p11->C_Sign(s, di, sizeof di, sig, &len), CKR_DEVICE_ERROR);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void test_sign_init_checks_key_and_mechanism(void **state)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_OBJECT_HANDLE certs[4], pubs[4];
    CK_MECHANISM mech = {CKM_RSA_PKCS, NULL, 0};
    CK_MECHANISM bad = {CKM_MD5_RSA_PKCS, NULL, 0};
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM no_pss = {CKM_RSA_PKCS_PSS, &pss, sizeof pss};
    CK_MECHANISM ec = {CKM_ECDSA, NULL, 0};
    CK_MECHANISM with_param = {CKM_RSA_PKCS, certs, sizeof certs[0]};

    (void)state;
    find(s, CKO_CERTIFICATE, certs, 4);
    find(s, CKO_PUBLIC_KEY, pubs, 4);
    assert_int_equal(t.p11->C_SignInit(s, &mech, certs[0]), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(t.p11->C_SignInit(s, &mech, pubs[0]), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(t.p11->C_SignInit(s, &mech, 9999), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(t.p11->C_SignInit(s, &bad, private_key(s, 0)), CKR_MECHANISM_INVALID);
    /* PSS on a key not configured for it; ECDSA on an RSA key. */
    assert_int_equal(t.p11->C_SignInit(s, &no_pss, private_key(s, 0)), CKR_MECHANISM_INVALID);
    assert_int_equal(t.p11->C_SignInit(s, &ec, private_key(s, 0)), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(t.p11->C_SignInit(s, &with_param, private_key(s, 0)),
                     CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

/* ------------------------------------------------------------ cancellation */

/* Start a C_Sign against the silent MSSP in another thread; return once it waits (its
 * connection has arrived), with that connection. */
static int start_pending_sign(p11t_pending_sign *p, pthread_t *thread)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, 0);
    CK_SESSION_INFO info;
    int conn;

    p11t_start_pending_sign(p, thread, t.p11, s, private_key(s, 0));
    conn = p11t_silent_accept(t.silent_fd);
    /* Cheap calls stay answerable while the signature waits on the network. */
    assert_int_equal(t.p11->C_GetSessionInfo(p->session, &info), CKR_OK);
    return conn;
}

static void test_close_session_cancels_a_pending_sign(void **state)
{
    p11t_pending_sign p;
    pthread_t thread;
    CK_TOKEN_INFO info;
    double started;
    int conn;

    (void)state;
    conn = start_pending_sign(&p, &thread);
    assert_int_equal(t.p11->C_GetTokenInfo(0, &info), CKR_OK);
    started = p11t_now_s();
    assert_int_equal(t.p11->C_CloseSession(p.session), CKR_OK);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(p.rv, CKR_SESSION_CLOSED);
    print_message("C_Sign returned %.0f ms after C_CloseSession\n", (p.returned - started) * 1000);
    assert_true(p.returned - started < P11T_ENDED_BY_THE_CANCEL_S);
    close(conn);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}

static void test_finalize_cancels_a_pending_sign(void **state)
{
    p11t_pending_sign p;
    pthread_t thread;
    double started;
    CK_ULONG n = 0;
    int conn;

    (void)state;
    conn = start_pending_sign(&p, &thread);
    started = p11t_now_s();
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
    assert_int_equal(pthread_join(thread, NULL), 0);
    assert_int_equal(p.rv, CKR_SESSION_CLOSED);
    print_message("C_Finalize returned with the pending C_Sign %.0f ms after the call\n",
                  (p11t_now_s() - started) * 1000);
    assert_true(p11t_now_s() - started < P11T_ENDED_BY_THE_CANCEL_S);
    close(conn);
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
}

/* ------------------------------------------------------------ bad configurations */

static void test_broken_config_gives_no_slots(void **state)
{
    CK_ULONG n = 99;

    (void)state;
    assert_int_equal(init_with(t.broken_conf), 0);
    assert_int_equal(t.p11->C_GetSlotList(CK_FALSE, NULL, &n), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);

    n = 99;
    assert_int_equal(init_with(t.missing_conf), 0);
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_network_libraries_load_at_the_first_request,
                                        setup_good, teardown_module),
        cmocka_unit_test(test_calls_before_initialize_are_refused),
        cmocka_unit_test(test_initialize_args_are_validated),
        cmocka_unit_test(test_broken_config_gives_no_slots),
        cmocka_unit_test_setup_teardown(test_close_session_cancels_a_pending_sign,
                                        setup_silent, teardown_if_needed),
        cmocka_unit_test_setup_teardown(test_finalize_cancels_a_pending_sign, setup_silent,
                                        teardown_if_needed),
        cmocka_unit_test_setup_teardown(test_initialize_twice_is_already_initialized,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_get_info_is_padded, setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_one_slot_per_configured_user, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_slot_is_fixed_hardware_with_token_present,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_token_info_flags_and_padded_strings, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_mechanisms_sign_with_key_sizes, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_sessions_are_serial_and_never_reuse_handles,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_login_accepts_any_pin, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_read_only_token_refuses_changes_and_has_no_rng,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_three_objects_per_key_share_the_key_id,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_find_by_id_pairs_key_and_certificate, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_private_key_attributes_follow_the_spec,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_certificate_value_is_the_cached_certificate,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_sign_length_queries_make_no_request, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_multipart_sign_answers_length_before_final,
                                        setup_good, teardown_module),
        cmocka_unit_test_setup_teardown(test_rsa_pkcs_accepts_only_a_digest_info, setup_good,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_sign_init_checks_key_and_mechanism, setup_good,
                                        teardown_module),
    };

    return cmocka_run_group_tests_name("p11_module", tests, group_setup, group_teardown);
}
