/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared helpers of the module's C tests (see p11_test_util.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ecdsa.h>
#include <openssl/pem.h>

#include "p11_test_util.h"

void *p11t_load_module(CK_FUNCTION_LIST **p11)
{
    const char *top = getenv("top_builddir");
    char path[600];
    CK_C_GetFunctionList get_list;
    void *lib;

    snprintf(path, sizeof path, "%s/pkcs11/.libs/mss-pkcs11.so", top ? top : ".");
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
        return NULL;
    }
    get_list = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (get_list == NULL || get_list(p11) != CKR_OK) {
        fprintf(stderr, "%s: no usable C_GetFunctionList\n", path);
        dlclose(lib);
        return NULL;
    }
    return lib;
}

void p11t_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

void p11t_write_self_signed_cert(const char *path, EVP_PKEY *pkey, long serial,
                                 const char *cn)
{
    p11t_write_dated_cert(path, pkey, serial, cn, 0, 86400);
}

void p11t_write_dated_cert(const char *path, EVP_PKEY *pkey, long serial, const char *cn,
                           long not_before, long not_after)
{
    X509 *x = X509_new();
    X509_NAME *name;
    FILE *f;

    assert_non_null(pkey);
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), not_before);
    X509_gmtime_adj(X509_getm_notAfter(x), not_after);
    X509_set_pubkey(x, pkey);
    name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    assert_true(X509_sign(x, pkey, EVP_sha256()) > 0);
    f = fopen(path, "w");
    assert_non_null(f);
    PEM_write_X509(f, x);
    fclose(f);
    X509_free(x);
}

void p11t_write_cached_cert(const char *cache_dir, const char *user, const char *role,
                            EVP_PKEY *pkey, long serial)
{
    char path[600];

    snprintf(path, sizeof path, "%s/%s", cache_dir, user);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/%s/%s.pem", cache_dir, user, role);
    p11t_write_self_signed_cert(path, pkey, serial, role);
}

size_t p11t_ecdsa_raw(const unsigned char *der, size_t der_len, size_t field,
                      unsigned char *out)
{
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    const BIGNUM *r, *s;

    assert_non_null(es);
    ECDSA_SIG_get0(es, &r, &s);
    assert_int_equal(BN_bn2binpad(r, out, (int)field), field);
    assert_int_equal(BN_bn2binpad(s, out + field, (int)field), field);
    ECDSA_SIG_free(es);
    return 2 * field;
}

double p11t_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

CK_SESSION_HANDLE p11t_open_session(CK_FUNCTION_LIST *p11, CK_SLOT_ID slot)
{
    CK_SESSION_HANDLE h = CK_INVALID_HANDLE;

    assert_int_equal(p11->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &h), CKR_OK);
    assert_int_not_equal(h, CK_INVALID_HANDLE);
    return h;
}

CK_ULONG p11t_find(CK_FUNCTION_LIST *p11, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl,
                   CK_ULONG n_tmpl, CK_OBJECT_HANDLE *out, CK_ULONG max)
{
    CK_ULONG n = 0;

    assert_int_equal(p11->C_FindObjectsInit(s, tmpl, n_tmpl), CKR_OK);
    assert_int_equal(p11->C_FindObjects(s, out, max, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(s), CKR_OK);
    return n;
}

CK_OBJECT_HANDLE p11t_find_labelled(CK_FUNCTION_LIST *p11, CK_SESSION_HANDLE s,
                                    CK_OBJECT_CLASS klass, const char *label)
{
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &klass, sizeof klass},
                           {CKA_LABEL, (void *)label, strlen(label)}};
    CK_OBJECT_HANDLE h[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};

    /* Ask for two so that a second match is seen, not silently left unread. */
    assert_int_equal(p11t_find(p11, s, tmpl, 2, h, 2), 1);
    return h[0];
}

static void *sign_in_thread(void *arg)
{
    p11t_pending_sign *p = arg;
    CK_BYTE data[] = "pending", sig[512];
    CK_ULONG len = sizeof sig;

    p->rv = p->p11->C_Sign(p->session, data, sizeof data, sig, &len);
    p->returned = p11t_now_s();
    return NULL;
}

void p11t_start_pending_sign(p11t_pending_sign *p, pthread_t *thread, CK_FUNCTION_LIST *p11,
                             CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};

    p->p11 = p11;
    p->session = session;
    p->rv = CKR_GENERAL_ERROR;
    p->returned = 0;
    assert_int_equal(p11->C_SignInit(session, &mech, key), CKR_OK);
    assert_int_equal(pthread_create(thread, NULL, sign_in_thread, p), 0);
}

int p11t_silent_listen(unsigned *port)
{
    struct sockaddr_in sa;
    socklen_t sa_len = sizeof sa;
    int fd;

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &sa_len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

int p11t_silent_accept(int listen_fd)
{
    struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
    int conn;

    assert_int_equal(poll(&pfd, 1, 60 * 1000), 1);
    conn = accept(listen_fd, NULL, NULL);
    assert_true(conn >= 0);
    return conn;
}

void p11t_pss_params(const char *md, CK_RSA_PKCS_PSS_PARAMS *out)
{
    static const struct {
        const char *name;
        CK_MECHANISM_TYPE hash;
        CK_RSA_PKCS_MGF_TYPE mgf;
    } rows[] = {{"SHA1", CKM_SHA_1, CKG_MGF1_SHA1},       {"SHA224", CKM_SHA224, CKG_MGF1_SHA224},
                {"SHA256", CKM_SHA256, CKG_MGF1_SHA256}, {"SHA384", CKM_SHA384, CKG_MGF1_SHA384},
                {"SHA512", CKM_SHA512, CKG_MGF1_SHA512}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (strcmp(rows[i].name, md) == 0) {
            out->hashAlg = rows[i].hash;
            out->mgf = rows[i].mgf;
            out->sLen = (CK_ULONG)EVP_MD_get_size(EVP_get_digestbyname(md));
            return;
        }
    }
    fail_msg("no PSS parameters for hash %s", md);
}
