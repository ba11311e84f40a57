/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PKCS#11 module against a real refmssp, through the function list: every
 * mechanism every key offers (signature checked by C_Verify and, independently, by
 * OpenSSL with the certificate's key), 16 threads signing at once, C_SessionCancel,
 * C_CloseSession and C_Finalize during a pending signature, fork, and the error
 * paths (unknown user, unreachable MSSP).
 *
 * Run by tests/integration/test_p11_module.sh, which starts refmssp, enrolls the
 * users and sets MSS_PKCS11_CONF and top_builddir. Derived configurations (a slow
 * poll so that a signature stays pending, an unreachable URL, an unknown user) are
 * written next to a copy of that file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <p11-kit/pkcs11.h>

#include "p11_test_util.h"
#include "pkcs11_v3.h"

#define N_THREADS 16



static struct {
    void *lib;
    CK_FUNCTION_LIST *p11;
    CK_FUNCTION_LIST_3_0 *f3;
    char base_conf[512];
    char slow_conf[600], unreachable_conf[600], ghost_conf[600], expiring_conf[600];
    char dir[256];
} t;

/* ------------------------------------------------------------ configuration files */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = calloc(1, (size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return buf;
}

/* The text with the line starting "key = " replaced by "key = value". */
static char *with_setting(const char *text, const char *key, const char *value)
{
    char prefix[64];
    const char *line = NULL, *p = text, *end;
    char *out;
    size_t n;

    snprintf(prefix, sizeof prefix, "%s = ", key);
    while (p != NULL && *p != '\0') {
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            line = p;
            break;
        }
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : NULL;
    }
    assert_non_null(line);
    end = strchr(line, '\n');
    if (end == NULL)
        end = line + strlen(line);
    n = strlen(text) + strlen(value) + strlen(prefix) + 2;
    out = calloc(1, n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s%s", (int)(line - text), text, prefix, value, end);
    return out;
}

/* The value of "key = value" in text (first occurrence), into buf. */
static void setting_of(const char *text, const char *key, char *buf, size_t len)
{
    char prefix[64];
    const char *p;
    size_t n;

    snprintf(prefix, sizeof prefix, "\n%s = ", key);
    p = strstr(text, prefix);
    assert_non_null(p);
    p += strlen(prefix);
    n = strcspn(p, "\n");
    assert_true(n < len);
    memcpy(buf, p, n);
    buf[n] = '\0';
}

static void copy_file(const char *from, const char *to)
{
    char *text = read_text(from);

    p11t_write_file(to, text);
    free(text);
}

static void write_derived_configurations(void)
{
    char *base = read_text(t.base_conf), *slow, *unreachable, *ghost, *expiring, cache[300];
    char from[400], to[400];
    size_t n;

    snprintf(t.slow_conf, sizeof t.slow_conf, "%s/slow.conf", t.dir);
    snprintf(t.unreachable_conf, sizeof t.unreachable_conf, "%s/unreachable.conf", t.dir);
    snprintf(t.ghost_conf, sizeof t.ghost_conf, "%s/ghost.conf", t.dir);
    snprintf(t.expiring_conf, sizeof t.expiring_conf, "%s/expiring.conf", t.dir);

    /* The first status query only after 5 s: the signature stays pending. */
    slow = with_setting(base, "poll_first_ms", "5000");
    p11t_write_file(t.slow_conf, slow);
    /* Port 1 on loopback: connection refused at once. */
    /* (The connect deadline is not in refmssp's file: it rides on the url line.) */
    unreachable = with_setting(base, "url", "https://127.0.0.1:1/mss\nconnect_timeout_ms = 600000");
    p11t_write_file(t.unreachable_conf, unreachable);
    /* An MSS TimeOut of 2 s: a request nobody answers expires. */
    expiring = with_setting(base, "timeout", "2");
    p11t_write_file(t.expiring_conf, expiring);

    /* A user the MSSP does not know, with a cached certificate (demo's sign key). */
    n = strlen(base) + 512;
    ghost = calloc(1, n);
    assert_non_null(ghost);
    /* And "swapped": demo's phone, but the cache holds demo's authn certificate for
     * the sign key, so what the MSSP returns cannot verify (as if tampered with). */
    snprintf(ghost, n, "%s\n[user ghost]\nmsisdn = +99912345678\nlabel = Ghost\n"
                       "sign_profile = mss:refmssp:sign:loa4:sim\n"
                       "\n[user swapped]\nmsisdn = +99900000001\nlabel = Swapped\n"
                       "sign_profile = mss:refmssp:sign:loa4:sim\n",
             base);
    p11t_write_file(t.ghost_conf, ghost);
    setting_of(base, "cache_dir", cache, sizeof cache);
    snprintf(to, sizeof to, "%s/ghost", cache);
    mkdir(to, 0700);
    snprintf(from, sizeof from, "%s/demo/sign.pem", cache);
    snprintf(to, sizeof to, "%s/ghost/sign.pem", cache);
    copy_file(from, to);
    snprintf(to, sizeof to, "%s/swapped", cache);
    mkdir(to, 0700);
    snprintf(from, sizeof from, "%s/demo/authn.pem", cache);
    snprintf(to, sizeof to, "%s/swapped/sign.pem", cache);
    copy_file(from, to);
    free(base);
    free(slow);
    free(unreachable);
    free(expiring);
    free(ghost);
}

/* ------------------------------------------------------------ fixtures */

static int group_setup(void **state)
{
    const char *conf = getenv("MSS_PKCS11_CONF");
    CK_C_GetInterface get_interface;
    CK_INTERFACE *iface = NULL;

    (void)state;
    if (conf == NULL) {
        fprintf(stderr, "MSS_PKCS11_CONF is not set: run through test_p11_module.sh\n");
        return -1;
    }
    snprintf(t.base_conf, sizeof t.base_conf, "%s", conf);
    snprintf(t.dir, sizeof t.dir, "/tmp/p11_module_test.XXXXXX");
    if (mkdtemp(t.dir) == NULL)
        return -1;
    write_derived_configurations();
    t.lib = p11t_load_module(&t.p11);
    if (t.lib == NULL)
        return -1;
    get_interface = (CK_C_GetInterface)dlsym(t.lib, "C_GetInterface");
    if (get_interface == NULL || get_interface(NULL, NULL, &iface, 0) != CKR_OK)
        return -1;
    t.f3 = iface->pFunctionList;
    return 0;
}

static int group_teardown(void **state)
{
    char cmd[400];

    (void)state;
    if (t.lib != NULL)
        dlclose(t.lib);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t.dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int init_with(const char *conf)
{
    setenv("MSS_PKCS11_CONF", conf, 1);
    return t.p11->C_Initialize(NULL) == CKR_OK ? 0 : -1;
}

static int setup_base(void **state)
{
    (void)state;
    return init_with(t.base_conf);
}

static int setup_slow(void **state)
{
    (void)state;
    return init_with(t.slow_conf);
}

static int teardown_module(void **state)
{
    (void)state;
    t.p11->C_Finalize(NULL); /* some tests finalise themselves */
    return 0;
}

/* Up to max private keys of the session's token. */
static CK_ULONG private_keys(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *out, CK_ULONG max)
{
    CK_OBJECT_CLASS c = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl = {CKA_CLASS, &c, sizeof c};

    return p11t_find(t.p11, s, &tmpl, 1, out, max);
}

/* The object of a class sharing key's CKA_ID. */
static CK_OBJECT_HANDLE partner(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key,
                                CK_OBJECT_CLASS klass)
{
    unsigned char id[64];
    CK_ATTRIBUTE a = {CKA_ID, id, sizeof id};
    CK_ATTRIBUTE tmpl[2] = {{CKA_CLASS, &klass, sizeof klass}, {CKA_ID, id, 0}};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(t.p11->C_GetAttributeValue(s, key, &a, 1), CKR_OK);
    tmpl[1].ulValueLen = a.ulValueLen;
    assert_int_equal(p11t_find(t.p11, s, tmpl, 2, &h, 1), 1);
    return h;
}

/* The public key of the certificate that goes with key, for OpenSSL's checks. */
static EVP_PKEY *certificate_key(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key)
{
    unsigned char der[4096];
    CK_ATTRIBUTE a = {CKA_VALUE, der, sizeof der};
    const unsigned char *p = der;
    X509 *x;
    EVP_PKEY *pk;

    assert_int_equal(t.p11->C_GetAttributeValue(s, partner(s, key, CKO_CERTIFICATE), &a, 1),
                     CKR_OK);
    x = d2i_X509(NULL, &p, (long)a.ulValueLen);
    assert_non_null(x);
    pk = X509_get_pubkey(x);
    X509_free(x);
    assert_non_null(pk);
    return pk;
}

/* ------------------------------------------------------------ mechanisms */

typedef enum { K_PKCS1, K_PSS, K_ECDSA } sig_kind;

typedef struct mech_case {
    CK_MECHANISM_TYPE mech;
    const char *name;
    sig_kind kind;
    const char *md;     /* the mechanism's own hash, NULL for the raw mechanisms */
} mech_case;

static const mech_case mech_cases[] = {
    {CKM_RSA_PKCS, "RSA_PKCS", K_PKCS1, NULL},
    {CKM_SHA1_RSA_PKCS, "SHA1_RSA_PKCS", K_PKCS1, "SHA1"},
    {CKM_SHA224_RSA_PKCS, "SHA224_RSA_PKCS", K_PKCS1, "SHA224"},
    {CKM_SHA256_RSA_PKCS, "SHA256_RSA_PKCS", K_PKCS1, "SHA256"},
    {CKM_SHA384_RSA_PKCS, "SHA384_RSA_PKCS", K_PKCS1, "SHA384"},
    {CKM_SHA512_RSA_PKCS, "SHA512_RSA_PKCS", K_PKCS1, "SHA512"},
    {CKM_RSA_PKCS_PSS, "RSA_PKCS_PSS", K_PSS, NULL},
    {CKM_SHA1_RSA_PKCS_PSS, "SHA1_RSA_PKCS_PSS", K_PSS, "SHA1"},
    {CKM_SHA224_RSA_PKCS_PSS, "SHA224_RSA_PKCS_PSS", K_PSS, "SHA224"},
    {CKM_SHA256_RSA_PKCS_PSS, "SHA256_RSA_PKCS_PSS", K_PSS, "SHA256"},
    {CKM_SHA384_RSA_PKCS_PSS, "SHA384_RSA_PKCS_PSS", K_PSS, "SHA384"},
    {CKM_SHA512_RSA_PKCS_PSS, "SHA512_RSA_PKCS_PSS", K_PSS, "SHA512"},
    {CKM_ECDSA, "ECDSA", K_ECDSA, NULL},
    {CKM_ECDSA_SHA1, "ECDSA_SHA1", K_ECDSA, "SHA1"},
    {CKM_ECDSA_SHA224, "ECDSA_SHA224", K_ECDSA, "SHA224"},
    {CKM_ECDSA_SHA256, "ECDSA_SHA256", K_ECDSA, "SHA256"},
    {CKM_ECDSA_SHA384, "ECDSA_SHA384", K_ECDSA, "SHA384"},
    {CKM_ECDSA_SHA512, "ECDSA_SHA512", K_ECDSA, "SHA512"},
};

static const mech_case *mech_case_for(CK_MECHANISM_TYPE m)
{
    size_t i;

    for (i = 0; i < sizeof mech_cases / sizeof mech_cases[0]; i++)
        if (mech_cases[i].mech == m)
            return &mech_cases[i];
    return NULL;
}

/* What the raw mechanisms are given: a SHA-256 DigestInfo (PKCS#1), or a hash whose
 * size follows the key (ECDSA: SHA-256 for P-256, SHA-384 for P-384; PSS: SHA-256). */
static const char *raw_hash_for(const mech_case *c, EVP_PKEY *pk)
{
    if (c->kind == K_ECDSA && EVP_PKEY_get_bits(pk) > 256)
        return "SHA384";
    return "SHA256";
}

static const unsigned char sha256_di_prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                                 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                 0x01, 0x05, 0x00, 0x04, 0x20};

/* OpenSSL's independent check of a PKCS#11 signature over data. */
static int openssl_verifies(const mech_case *c, EVP_PKEY *pk, const unsigned char *data,
                            size_t data_len, const unsigned char *input, size_t input_len,
                            const unsigned char *sig, size_t sig_len)
{
    const char *md_name = c->md != NULL ? c->md : raw_hash_for(c, pk);
    EVP_MD *md = EVP_MD_fetch(NULL, md_name, NULL);
    unsigned char der[300];
    const unsigned char *check = sig;
    size_t check_len = sig_len;
    EVP_PKEY_CTX *pctx = NULL;
    int ok;

    if (c->kind == K_ECDSA) { /* r||s → DER for OpenSSL */
        ECDSA_SIG *es = ECDSA_SIG_new();
        unsigned char *p = der;

        ECDSA_SIG_set0(es, BN_bin2bn(sig, (int)sig_len / 2, NULL),
                       BN_bin2bn(sig + sig_len / 2, (int)sig_len / 2, NULL));
        check_len = (size_t)i2d_ECDSA_SIG(es, &p);
        check = der;
        ECDSA_SIG_free(es);
    }
    if (c->md != NULL) {
        EVP_MD_CTX *mctx = EVP_MD_CTX_new();

        EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pk);
        if (c->kind == K_PSS) {
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
        }
        ok = EVP_DigestVerify(mctx, check, check_len, data, data_len) == 1;
        EVP_MD_CTX_free(mctx);
    } else {
        pctx = EVP_PKEY_CTX_new(pk, NULL);
        EVP_PKEY_verify_init(pctx);
        if (c->kind == K_PKCS1) {
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING);
        } else {
            EVP_PKEY_CTX_set_signature_md(pctx, md);
            if (c->kind == K_PSS) {
                EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
                EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
            }
        }
        ok = EVP_PKEY_verify(pctx, check, check_len, input, input_len) == 1;
        EVP_PKEY_CTX_free(pctx);
    }
    EVP_MD_free(md);
    return ok;
}

/* Sign data with one mechanism (single-part or in three parts), then check the
 * signature with C_Verify and with OpenSSL. */
static void sign_and_check(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, const mech_case *c,
                           int multipart)
{
    EVP_PKEY *pk = certificate_key(s, key);
    const char *raw_md = raw_hash_for(c, pk);
    CK_RSA_PKCS_PSS_PARAMS pp;
    CK_MECHANISM m = {c->mech, NULL, 0};
    unsigned char data[1000], input[200], sig[1024];
    size_t input_len = 0, i;
    CK_ULONG sig_len = 0;
    unsigned int hl = 0;

    for (i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i ^ 0x5a);
    if (c->md != NULL) { /* the module hashes */
        memcpy(input, data, 0);
    } else if (c->kind == K_PKCS1) {
        memcpy(input, sha256_di_prefix, sizeof sha256_di_prefix);
        EVP_Digest(data, sizeof data, input + sizeof sha256_di_prefix, &hl, EVP_sha256(), NULL);
        input_len = sizeof sha256_di_prefix + hl;
    } else {
        EVP_Digest(data, sizeof data, input, &hl, EVP_get_digestbyname(raw_md), NULL);
        input_len = hl;
    }
    if (c->kind == K_PSS) {
        const char *md = c->md != NULL ? c->md : raw_md;

        p11t_pss_params(md, &pp);
        m.pParameter = &pp;
        m.ulParameterLen = sizeof pp;
    }
    {
        const unsigned char *in = c->md != NULL ? data : input;
        size_t in_len = c->md != NULL ? sizeof data : input_len;

        assert_int_equal(t.p11->C_SignInit(s, &m, key), CKR_OK);
        if (multipart) {
            assert_int_equal(t.p11->C_SignUpdate(s, (CK_BYTE_PTR)in, 5), CKR_OK);
            assert_int_equal(t.p11->C_SignUpdate(s, (CK_BYTE_PTR)in + 5, in_len - 10), CKR_OK);
            assert_int_equal(t.p11->C_SignUpdate(s, (CK_BYTE_PTR)in + in_len - 5, 5), CKR_OK);
            assert_int_equal(t.p11->C_SignFinal(s, NULL, &sig_len), CKR_OK);
            assert_int_equal(t.p11->C_SignFinal(s, sig, &sig_len), CKR_OK);
        } else {
            assert_int_equal(t.p11->C_Sign(s, (CK_BYTE_PTR)in, in_len, NULL, &sig_len), CKR_OK);
            assert_int_equal(t.p11->C_Sign(s, (CK_BYTE_PTR)in, in_len, sig, &sig_len), CKR_OK);
        }
        if (c->kind == K_ECDSA)
            assert_int_equal(sig_len, 2 * ((EVP_PKEY_get_bits(pk) + 7) / 8));
        else
            assert_int_equal(sig_len, EVP_PKEY_get_size(pk));

        assert_int_equal(t.p11->C_VerifyInit(s, &m, partner(s, key, CKO_PUBLIC_KEY)), CKR_OK);
        assert_int_equal(t.p11->C_Verify(s, (CK_BYTE_PTR)in, in_len, sig, sig_len), CKR_OK);
        assert_true(openssl_verifies(c, pk, data, sizeof data, input, input_len, sig, sig_len));
    }
    EVP_PKEY_free(pk);
}

static void test_every_offered_mechanism_signs_verifiably(void **state)
{
    CK_SLOT_ID slots[32];
    CK_ULONG n_slots = 32, si, ki, mi;
    unsigned n_signed = 0, kinds[3] = {0, 0, 0};

    (void)state;
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n_slots), CKR_OK);
    assert_true(n_slots >= 1);
    for (si = 0; si < n_slots; si++) {
        CK_SESSION_HANDLE s;
        CK_OBJECT_HANDLE keys[4];
        CK_ULONG n_keys;
        CK_TOKEN_INFO ti;

        /* The users that never sign by themselves have their own tests. */
        assert_int_equal(t.p11->C_GetTokenInfo(slots[si], &ti), CKR_OK);
        if (memcmp(ti.label, "Manual User ", 12) == 0 || memcmp(ti.label, "Blocked User ", 13) == 0)
            continue;
        s = p11t_open_session(t.p11, slots[si]);
        n_keys = private_keys(s, keys, 4);

        for (ki = 0; ki < n_keys; ki++) {
            CK_MECHANISM_TYPE mechs[32];
            CK_ATTRIBUTE a = {CKA_ALLOWED_MECHANISMS, mechs, sizeof mechs};

            assert_int_equal(t.p11->C_GetAttributeValue(s, keys[ki], &a, 1), CKR_OK);
            for (mi = 0; mi < a.ulValueLen / sizeof mechs[0]; mi++) {
                const mech_case *c = mech_case_for(mechs[mi]);

                assert_non_null(c);
                sign_and_check(s, keys[ki], c, 0);
                if (c->md != NULL && mi % 2 == 1) /* multi-part for half of them */
                    sign_and_check(s, keys[ki], c, 1);
                n_signed++;
                kinds[c->kind]++;
            }
        }
        assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
    }
    print_message("signed and verified: %u key/mechanism pairs (PKCS#1 %u, PSS %u, "
                  "ECDSA %u)\n", n_signed, kinds[K_PKCS1], kinds[K_PSS], kinds[K_ECDSA]);
    assert_true(kinds[K_PKCS1] >= 12); /* the demo user's two RSA keys */
}

/* ------------------------------------------------------------ concurrency */

/* One signer thread: object handles are looked up beforehand (cmocka's asserts are
 * for the main thread only); handles stay valid across sessions of the token. */
typedef struct signer {
    CK_SLOT_ID slot;
    CK_OBJECT_HANDLE key, pub;
    CK_RV rv;
    CK_RV verify_rv;
} signer;

static void signer_prepare(signer *sg, CK_SLOT_ID slot)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, slot);
    CK_OBJECT_HANDLE keys[4];

    assert_true(private_keys(s, keys, 4) > 0);
    sg->slot = slot;
    sg->key = keys[0];
    sg->pub = partner(s, keys[0], CKO_PUBLIC_KEY);
    sg->rv = sg->verify_rv = CKR_GENERAL_ERROR;
    assert_int_equal(t.p11->C_CloseSession(s), CKR_OK);
}

static void *sign_once(void *arg)
{
    signer *sg = arg;
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_ULONG sig_len = 512;
    CK_BYTE data[64], sig[512];

    memset(data, (int)sg->slot + 1, sizeof data);
    sg->rv = t.p11->C_OpenSession(sg->slot, CKF_SERIAL_SESSION, NULL, NULL, &s);
    if (sg->rv != CKR_OK)
        return NULL;
    sg->rv = t.p11->C_SignInit(s, &m, sg->key);
    if (sg->rv == CKR_OK)
        sg->rv = t.p11->C_Sign(s, data, sizeof data, sig, &sig_len);
    if (sg->rv == CKR_OK) {
        sg->verify_rv = t.p11->C_VerifyInit(s, &m, sg->pub);
        if (sg->verify_rv == CKR_OK)
            sg->verify_rv = t.p11->C_Verify(s, data, sizeof data, sig, sig_len);
    }
    t.p11->C_CloseSession(s);
    return NULL;
}

static void test_sixteen_threads_sign_at_once(void **state)
{
    pthread_t threads[N_THREADS];
    signer signers[N_THREADS];
    double started = p11t_now_s();
    int i;

    (void)state;
    for (i = 0; i < N_THREADS; i++)
        signer_prepare(&signers[i], 0);
    for (i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_create(&threads[i], NULL, sign_once, &signers[i]), 0);
    }
    for (i = 0; i < N_THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (i = 0; i < N_THREADS; i++) {
        assert_int_equal(signers[i].rv, CKR_OK);
        assert_int_equal(signers[i].verify_rv, CKR_OK);
    }
    print_message("%d concurrent signatures for one phone number in %.1f s\n", N_THREADS,
                  p11t_now_s() - started);
}

/* ------------------------------------------------------------ cancel, close, finalize */

/* The slot whose token has this label (the wrapper adds users with known labels). */
static CK_SLOT_ID slot_labelled(const char *label)
{
    CK_SLOT_ID slots[32];
    CK_ULONG n = 32, i;
    CK_TOKEN_INFO ti;

    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    for (i = 0; i < n; i++) {
        assert_int_equal(t.p11->C_GetTokenInfo(slots[i], &ti), CKR_OK);
        if (strncmp((const char *)ti.label, label, strlen(label)) == 0 &&
            ti.label[strlen(label)] == ' ')
            return slots[i];
    }
    fail_msg("no token labelled %s", label);
    return 0;
}

/* "refmssp phone cancel" on the wrapper's state folder: 0 when a request was
 * pending and is now cancelled, 1 when nothing was pending yet. */
static int phone_cancel(const char *msisdn)
{
    const char *refmssp = getenv("REFMSSP"), *dir = getenv("REFMSSP_DIR");
    char cmd[1024];
    int st;

    assert_non_null(refmssp);
    assert_non_null(dir);
    snprintf(cmd, sizeof cmd, "'%s' phone cancel '%s' '%s' >/dev/null 2>&1", refmssp, dir,
             msisdn);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#define MANUAL_MSISDN "+99900000021"

/* Does refmssp's phone page for msisdn show a request waiting for the person? */
static int phone_shows_request(const char *msisdn)
{
    const char *refmssp = getenv("REFMSSP"), *dir = getenv("REFMSSP_DIR");
    char cmd[1024];

    assert_non_null(refmssp);
    assert_non_null(dir);
    snprintf(cmd, sizeof cmd, "'%s' phone list '%s' '%s' 2>/dev/null | grep -q '^%s '", refmssp,
             dir, msisdn, msisdn);
    return system(cmd) == 0;
}

/* A pending signature of the manual user ends by itself only at its MSS TimeOut (120 s
 * and our margin): returning within half of that is the cancel's doing, however loaded
 * the machine. The time it took is printed; docs/testing.md says where to read it. */
#define ENDED_BY_THE_CANCEL_S 60.0

/* A C_Sign in another thread for the manual user, whose phone waits for a person: once
 * the phone shows the request, refmssp has accepted it and the module is waiting (its
 * first status query comes only after 5 s, slow.conf). */
static void start_pending(p11t_pending_sign *p, pthread_t *th)
{
    CK_SESSION_HANDLE s = p11t_open_session(t.p11, slot_labelled("Manual User"));
    CK_OBJECT_HANDLE keys[4];
    int i;

    assert_true(private_keys(s, keys, 4) > 0);
    p11t_start_pending_sign(p, th, t.p11, s, keys[0]);
    for (i = 0; i < 600 && !phone_shows_request(MANUAL_MSISDN); i++)
        usleep(100 * 1000); /* a guard against a hang, not a wait for time */
    assert_true(phone_shows_request(MANUAL_MSISDN));
}

/* The module gave up the request it had sent; the person's phone still shows it until
 * it is answered. Clear it for the next test (it must still be there: the module ended
 * its wait by itself, not because the phone answered). */
static void clear_phone(void)
{
    assert_int_equal(phone_cancel(MANUAL_MSISDN), 0);
}

static void test_session_cancel_stops_a_real_signature(void **state)
{
    p11t_pending_sign p;
    pthread_t th;
    double asked;
    CK_ULONG n = 0;

    (void)state;
    start_pending(&p, &th);
    asked = p11t_now_s();
    assert_int_equal(t.f3->C_SessionCancel(p.session, CKF_SIGN), CKR_OK);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(p.rv, CKR_FUNCTION_CANCELED);
    print_message("C_Sign returned %.0f ms after C_SessionCancel\n",
                  (p.returned - asked) * 1000);
    assert_true(p.returned - asked < ENDED_BY_THE_CANCEL_S);
    clear_phone();
    assert_int_equal(t.p11->C_Sign(p.session, NULL, 0, NULL, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(t.p11->C_CloseSession(p.session), CKR_OK);
}

static void test_close_session_during_a_real_signature(void **state)
{
    p11t_pending_sign p;
    pthread_t th;
    double asked;

    (void)state;
    start_pending(&p, &th);
    asked = p11t_now_s();
    assert_int_equal(t.p11->C_CloseSession(p.session), CKR_OK);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(p.rv, CKR_SESSION_CLOSED);
    print_message("C_Sign returned %.0f ms after C_CloseSession\n", (p.returned - asked) * 1000);
    assert_true(p.returned - asked < ENDED_BY_THE_CANCEL_S);
    clear_phone();
}

static void test_finalize_during_a_real_signature(void **state)
{
    p11t_pending_sign p;
    pthread_t th;
    double asked;
    CK_ULONG n = 0;

    (void)state;
    start_pending(&p, &th);
    asked = p11t_now_s();
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(p.rv, CKR_SESSION_CLOSED);
    print_message("C_Finalize and the pending C_Sign returned %.0f ms after the call\n",
                  (p11t_now_s() - asked) * 1000);
    assert_true(p11t_now_s() - asked < ENDED_BY_THE_CANCEL_S);
    clear_phone();
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
}

/* ------------------------------------------------------------ fork */

/* One SHA256_RSA_PKCS signature with the key prepared in sg, verified by the module:
 * CKR_OK or why not. */
static CK_RV one_signature(signer *sg)
{
    sign_once(sg);
    return sg->rv != CKR_OK ? sg->rv : sg->verify_rv;
}

static void test_fork_child_starts_clean(void **state)
{
    CK_ULONG n = 0;
    pid_t pid;
    int status = 0;
    signer sg;

    (void)state;
    signer_prepare(&sg, 0);
    assert_int_equal(one_signature(&sg), CKR_OK); /* the parent has a live connection */
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Nothing inherited counts; a fresh C_Initialize works and can sign. */
        int code = 0;

        if (t.p11->C_GetSlotList(CK_TRUE, NULL, &n) != CKR_CRYPTOKI_NOT_INITIALIZED)
            code = 2;
        else if (t.p11->C_Initialize(NULL) != CKR_OK)
            code = 3;
        else if (one_signature(&sg) != CKR_OK) /* same configuration: same handles */
            code = 4;
        else if (t.p11->C_Finalize(NULL) != CKR_OK)
            code = 5;
        _exit(code);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The parent's state is untouched. */
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, NULL, &n), CKR_OK);
    assert_int_equal(one_signature(&sg), CKR_OK);
}

/* ------------------------------------------------------------ error paths */

static void test_unknown_user_is_a_device_error(void **state)
{
    CK_SLOT_ID slots[32];
    CK_ULONG n = 32;
    signer sg;

    (void)state;
    assert_int_equal(init_with(t.ghost_conf), 0);
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    assert_true(n >= 2);
    signer_prepare(&sg, slots[n - 2]); /* ghost, then swapped: the last two users */
    sign_once(&sg);
    assert_int_equal(sg.rv, CKR_DEVICE_ERROR);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}



/* The user presses Cancel on the phone: 401 USER_CANCEL → CKR_FUNCTION_CANCELED. */
static void test_user_cancel_on_the_phone(void **state)
{
    signer sg;
    pthread_t th;
    int i, done = 0;

    (void)state;
    signer_prepare(&sg, slot_labelled("Manual User"));
    assert_int_equal(pthread_create(&th, NULL, sign_once, &sg), 0);
    /* "phone cancel" fails while nothing is pending yet. */
    for (i = 0; i < 100 && !done; i++) {
        done = phone_cancel("+99900000021") == 0;
        if (!done)
            usleep(100 * 1000);
    }
    assert_true(done);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(sg.rv, CKR_FUNCTION_CANCELED);
}

/* Nobody answers the phone: the request expires (208, or our own deadline), which
 * the caller hears as CKR_FUNCTION_CANCELED, promptly and with no signature. */
static void test_expired_request_is_function_canceled(void **state)
{
    signer sg;
    double started;

    (void)state;
    assert_int_equal(init_with(t.expiring_conf), 0);
    signer_prepare(&sg, slot_labelled("Manual User"));
    started = p11t_now_s();
    sign_once(&sg);
    assert_int_equal(sg.rv, CKR_FUNCTION_CANCELED);
    print_message("unanswered request ended after %.1f s\n", p11t_now_s() - started);
    assert_true(p11t_now_s() - started < 90);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}

/* A blocked card: 403 CARD_BLOCKED → CKR_PIN_LOCKED, no signature. */
static void test_blocked_card_is_pin_locked(void **state)
{
    signer sg;

    (void)state;
    signer_prepare(&sg, slot_labelled("Blocked User"));
    sign_once(&sg);
    assert_int_equal(sg.rv, CKR_PIN_LOCKED);
}

/* A signature that does not verify with the certificate never reaches the caller. */
static void test_signature_not_matching_the_certificate_is_refused(void **state)
{
    CK_SLOT_ID slots[32];
    CK_ULONG n = 32, sig_len = 512, i;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE key;
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS, NULL, 0};
    CK_BYTE data[] = "tampered", sig[512];

    (void)state;
    assert_int_equal(init_with(t.ghost_conf), 0);
    assert_int_equal(t.p11->C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    s = p11t_open_session(t.p11, slots[n - 1]);
    assert_int_equal(private_keys(s, &key, 1), 1);
    memset(sig, 0xAA, sizeof sig);
    assert_int_equal(t.p11->C_SignInit(s, &m, key), CKR_OK);
    assert_int_equal(t.p11->C_Sign(s, data, sizeof data, sig, &sig_len), CKR_DEVICE_ERROR);
    for (i = 0; i < sizeof sig; i++)
        assert_int_equal(sig[i], 0xAA);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}

static void test_unreachable_mssp_is_a_device_error(void **state)
{
    double started;
    signer sg;

    (void)state;
    assert_int_equal(init_with(t.unreachable_conf), 0);
    signer_prepare(&sg, 0);
    started = p11t_now_s();
    assert_int_equal(one_signature(&sg), CKR_DEVICE_ERROR);
    /* Refused at once, where a silent address would take the whole connect deadline
     * (600 s in unreachable.conf). */
    assert_true(p11t_now_s() - started < 60.0);
    assert_int_equal(t.p11->C_Finalize(NULL), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_offered_mechanism_signs_verifiably,
                                        setup_base, teardown_module),
        cmocka_unit_test_setup_teardown(test_sixteen_threads_sign_at_once, setup_base,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_session_cancel_stops_a_real_signature,
                                        setup_slow, teardown_module),
        cmocka_unit_test_setup_teardown(test_close_session_during_a_real_signature,
                                        setup_slow, teardown_module),
        cmocka_unit_test_setup_teardown(test_finalize_during_a_real_signature, setup_slow,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_fork_child_starts_clean, setup_base,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_user_cancel_on_the_phone, setup_base,
                                        teardown_module),
        cmocka_unit_test_setup_teardown(test_blocked_card_is_pin_locked, setup_base,
                                        teardown_module),
        cmocka_unit_test_teardown(test_expired_request_is_function_canceled, teardown_module),
        cmocka_unit_test_teardown(test_unknown_user_is_a_device_error, teardown_module),
        cmocka_unit_test_teardown(test_signature_not_matching_the_certificate_is_refused,
                                  teardown_module),
        cmocka_unit_test_teardown(test_unreachable_mssp_is_a_device_error, teardown_module),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
