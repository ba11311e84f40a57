/* SPDX-License-Identifier: BSD-3-Clause */
/* Module loading, slots, sessions and keys; see bench_module.h. */
#include "bench_module.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int bench_fail(const char *what, CK_RV rv)
{
    fprintf(stderr, "p11_sign_bench: %s failed: CK_RV 0x%lx\n", what, (unsigned long)rv);
    return -1;
}

int bench_module_load(const char *path, bench_module *m)
{
    memset(m, 0, sizeof *m);
    m->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (m->lib == NULL) {
        fprintf(stderr, "p11_sign_bench: cannot load the module: %s\n", dlerror());
        return -1;
    }
    CK_C_GetFunctionList get_list = (CK_C_GetFunctionList)dlsym(m->lib, "C_GetFunctionList");
    if (get_list == NULL) {
        fprintf(stderr, "p11_sign_bench: %s has no C_GetFunctionList\n", path);
        dlclose(m->lib);
        return -1;
    }
    CK_RV rv = get_list(&m->f);
    if (rv != CKR_OK) {
        dlclose(m->lib);
        return bench_fail("C_GetFunctionList", rv);
    }
    return 0;
}

int bench_module_init(bench_module *m)
{
    CK_C_INITIALIZE_ARGS args = { .flags = CKF_OS_LOCKING_OK };
    CK_RV rv = m->f->C_Initialize(&args);
    return rv == CKR_OK ? 0 : bench_fail("C_Initialize", rv);
}

void bench_module_close(bench_module *m)
{
    if (m->f != NULL)
        m->f->C_Finalize(NULL);
    if (m->lib != NULL)
        dlclose(m->lib);
    memset(m, 0, sizeof *m);
}

/* Copy a blank-padded PKCS#11 text field into a C string without the padding. */
static void unpad(const unsigned char *field, size_t field_len, char *out, size_t len)
{
    size_t n = field_len;
    while (n > 0 && field[n - 1] == ' ')
        n--;
    if (n >= len)
        n = len - 1;
    memcpy(out, field, n);
    out[n] = '\0';
}

void bench_token_label(bench_module *m, CK_SLOT_ID slot, char *out, size_t len)
{
    CK_TOKEN_INFO info;
    if (m->f->C_GetTokenInfo(slot, &info) != CKR_OK) {
        snprintf(out, len, "?");
        return;
    }
    unpad(info.label, sizeof info.label, out, len);
}

/* An initialised token's label (SoftHSM also lists an empty slot's uninitialised
 * token) into out; 0 for a token the benchmark cannot sign with. */
static int initialised_token_label(bench_module *m, CK_SLOT_ID slot, char *out, size_t len)
{
    CK_TOKEN_INFO info;
    if (m->f->C_GetTokenInfo(slot, &info) != CKR_OK || !(info.flags & CKF_TOKEN_INITIALIZED))
        return 0;
    unpad(info.label, sizeof info.label, out, len);
    return 1;
}

static int label_matches(const char *label, bench_match how, const char *text)
{
    switch (how) {
    case BENCH_MATCH_ANY:
        return 1;
    case BENCH_MATCH_EXACT:
        return strcmp(label, text) == 0;
    case BENCH_MATCH_PREFIX:
        return strncmp(label, text, strlen(text)) == 0;
    }
    return 0;
}

int bench_find_slots(bench_module *m, bench_match how, const char *text, CK_SLOT_ID *out,
                     size_t max, size_t *n)
{
    CK_SLOT_ID all[256];
    CK_ULONG count = sizeof all / sizeof all[0];
    CK_RV rv = m->f->C_GetSlotList(CK_TRUE, all, &count);
    if (rv != CKR_OK)
        return bench_fail("C_GetSlotList", rv);
    *n = 0;
    for (CK_ULONG i = 0; i < count && *n < max; i++) {
        char label[33];
        if (initialised_token_label(m, all[i], label, sizeof label) &&
            label_matches(label, how, text))
            out[(*n)++] = all[i];
    }
    if (*n == 0) {
        fprintf(stderr, "p11_sign_bench: no token %s '%s' among %lu slots\n",
                how == BENCH_MATCH_PREFIX ? "whose label starts with" : "labelled",
                text ? text : "", (unsigned long)count);
        return -1;
    }
    return 0;
}

int bench_open_signer(bench_module *m, CK_SLOT_ID slot, const char *pin, const char *key_label,
                      CK_SESSION_HANDLE *session, CK_OBJECT_HANDLE *key)
{
    CK_RV rv = m->f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, session);
    if (rv != CKR_OK)
        return bench_fail("C_OpenSession", rv);
    if (pin != NULL) {
        rv = m->f->C_Login(*session, CKU_USER, (CK_UTF8CHAR *)pin, strlen(pin));
        if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
            return bench_fail("C_Login", rv);
    }
    CK_OBJECT_CLASS klass = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = {
        { CKA_CLASS, &klass, sizeof klass },
        { CKA_LABEL, (void *)key_label, strlen(key_label) },
    };
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0;
    rv = m->f->C_FindObjectsInit(*session, tmpl, 2);
    if (rv == CKR_OK) {
        rv = m->f->C_FindObjects(*session, found, 2, &n);
        m->f->C_FindObjectsFinal(*session);
    }
    if (rv != CKR_OK)
        return bench_fail("C_FindObjects", rv);
    if (n != 1) {
        char label[33];
        bench_token_label(m, slot, label, sizeof label);
        fprintf(stderr, "p11_sign_bench: token '%s' has %lu private keys labelled '%s', not one\n",
                label, (unsigned long)n, key_label);
        return -1;
    }
    *key = found[0];
    return 0;
}
