/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in for a privileged program that loads the module (su with pam_p11, sudo):
 * test_privileged.sh installs a copy setuid (or setgid) root and runs it as an
 * unprivileged user with an environment that user chose. It loads the module named on
 * its command line, initialises it and prints "slots N" (C_GetSlotList, tokens or not)
 * and each token's label, so the script can tell whose configuration was read.
 * Test code only: a setuid program that dlopens a path from argv is not for installing.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

#define MAX_SLOTS 16

static int list_tokens(CK_FUNCTION_LIST *p11)
{
    CK_SLOT_ID slots[MAX_SLOTS];
    CK_ULONG n = MAX_SLOTS;
    CK_RV rv = p11->C_GetSlotList(CK_FALSE, slots, &n);

    if (rv != CKR_OK) {
        fprintf(stderr, "C_GetSlotList: 0x%lx\n", (unsigned long)rv);
        return 1;
    }
    printf("slots %lu\n", (unsigned long)n);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        if (p11->C_GetTokenInfo(slots[i], &info) == CKR_OK)
            printf("token %.32s\n", (const char *)info.label);
    }
    return 0;
}

int main(int argc, char **argv)
{
    CK_C_GetFunctionList get_list;
    CK_FUNCTION_LIST *p11 = NULL;
    void *lib;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s MODULE\n", argv[0]);
        return 2;
    }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    get_list = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (get_list == NULL || get_list(&p11) != CKR_OK || p11->C_Initialize(NULL) != CKR_OK) {
        fprintf(stderr, "%s: cannot initialise the module\n", argv[1]);
        return 1;
    }
    rc = list_tokens(p11);
    p11->C_Finalize(NULL);
    return rc;
}
