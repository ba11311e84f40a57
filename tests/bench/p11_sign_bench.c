/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p11_sign_bench: how long one C_Sign takes through mss-pkcs11 against a running MSSP,
 * and what the cheap calls cost. Prints figures; asserts nothing (a benchmark, not a test).
 *
 *   p11_sign_bench MODULE KEY_LABEL COUNT
 *
 * MSS_PKCS11_CONF must name the configuration. Uses CKM_SHA256_RSA_PKCS on the first
 * private key with the given label in slot 0.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <p11-kit/pkcs11.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, int n, double p)
{
    int i = (int)(p * (n - 1) + 0.5);
    return sorted[i < 0 ? 0 : (i >= n ? n - 1 : i)];
}

#define CHECK(call)                                                                       \
    do {                                                                                  \
        CK_RV rv_ = (call);                                                               \
        if (rv_ != CKR_OK) {                                                              \
            fprintf(stderr, "p11_sign_bench: %s failed: 0x%lx\n", #call, (unsigned long)rv_); \
            return 1;                                                                     \
        }                                                                                 \
    } while (0)

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: p11_sign_bench MODULE KEY_LABEL COUNT\n");
        return 2;
    }
    int count = atoi(argv[3]);
    if (count < 1 || count > 100000) {
        fprintf(stderr, "p11_sign_bench: COUNT must be 1..100000\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "p11_sign_bench: %s\n", dlerror());
        return 1;
    }
    CK_C_GetFunctionList get_list = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR f = NULL;
    if (!get_list || get_list(&f) != CKR_OK)
        return 1;

    double t0 = now_ms();
    CHECK(f->C_Initialize(NULL));
    double init_ms = now_ms() - t0;
    CK_SESSION_HANDLE s;
    CHECK(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s));

    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = {
        { CKA_CLASS, &cls, sizeof cls },
        { CKA_LABEL, argv[2], strlen(argv[2]) },
    };
    CK_OBJECT_HANDLE key;
    CK_ULONG found = 0;
    t0 = now_ms();
    int lookups = 1000;
    for (int i = 0; i < lookups; i++) {
        CHECK(f->C_FindObjectsInit(s, tmpl, 2));
        CHECK(f->C_FindObjects(s, &key, 1, &found));
        CHECK(f->C_FindObjectsFinal(s));
    }
    double find_us = (now_ms() - t0) * 1000.0 / lookups;
    if (found != 1) {
        fprintf(stderr, "p11_sign_bench: no private key labelled '%s'\n", argv[2]);
        return 1;
    }

    CK_MECHANISM mech = { CKM_SHA256_RSA_PKCS, NULL, 0 };
    unsigned char data[64], sig[1024];
    memset(data, 'x', sizeof data);
    double *ms = calloc((size_t)count, sizeof *ms);
    if (!ms)
        return 1;
    double total0 = now_ms();
    for (int i = 0; i < count; i++) {
        CK_ULONG len = sizeof sig;
        data[0] = (unsigned char)i;
        double a = now_ms();
        CHECK(f->C_SignInit(s, &mech, key));
        CHECK(f->C_Sign(s, data, sizeof data, sig, &len));
        ms[i] = now_ms() - a;
    }
    double total = now_ms() - total0;
    qsort(ms, (size_t)count, sizeof *ms, cmp_double);
    printf("C_Initialize: %.2f ms; C_FindObjects (init+find+final): %.1f us\n", init_ms, find_us);
    printf("C_Sign (CKM_SHA256_RSA_PKCS, %s): %d signatures in %.0f ms: %.1f/s; "
           "per signature p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
           argv[2], count, total, count / (total / 1000.0), percentile(ms, count, 0.5),
           percentile(ms, count, 0.95), ms[count - 1]);
    free(ms);
    CHECK(f->C_CloseSession(s));
    CHECK(f->C_Finalize(NULL));
    return 0;
}
