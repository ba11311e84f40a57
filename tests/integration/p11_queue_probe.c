/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Does a PKCS#11 call from a second thread wait for a signature pending on the phone?
 * test_p11kit_remote.sh runs this against the module itself and against p11-kit-client.so,
 * as a browser would use either: one process, several threads.
 *
 *   p11_queue_probe MODULE SIGN_TOKEN OTHER_TOKEN GO_FILE ANSWER_FILE
 *
 * A thread signs with SIGN_TOKEN's "Signing key" (CKM_SHA256_RSA_PKCS); the program prints
 * "signing", then waits until GO_FILE exists (the script creates it once the phone shows
 * the request), prints "second call issued", calls C_GetTokenInfo on OTHER_TOKEN, prints
 * "second call returned", and once the signature has returned, one line:
 *
 *   result sign_rv=0x.. second_rv=0x.. second_waited_s=S second_after_answer=yes|no
 *
 * second_after_answer tells whether ANSWER_FILE existed when the second call returned: the
 * script creates it just before it answers on the phone, so "no" means the call came back
 * while the signature was still pending, "yes" that it waited at least until the answer.
 * (Comparing the return times of the two threads would not do: through p11-kit both come
 * back within microseconds of each other, in either order.)
 *
 * Exit status 0 when both calls ran (whatever C_Sign answered), 1 otherwise.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

#define MAX_SLOTS 32
#define GO_WAIT_S 300

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The slot whose token label (space padded to 32) is label, or -1. */
static long find_slot(CK_FUNCTION_LIST *p11, const char *label)
{
    CK_SLOT_ID slots[MAX_SLOTS];
    CK_ULONG n = MAX_SLOTS;
    char want[32];
    size_t len = strlen(label);

    if (len > sizeof want || p11->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
        return -1;
    memset(want, ' ', sizeof want);
    memcpy(want, label, len);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        if (p11->C_GetTokenInfo(slots[i], &info) == CKR_OK &&
            memcmp(info.label, want, sizeof want) == 0)
            return (long)slots[i];
    }
    return -1;
}

static int find_signing_key(CK_FUNCTION_LIST *p11, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *key)
{
    CK_OBJECT_CLASS klass = CKO_PRIVATE_KEY;
    static const char label[] = "Signing key";
    CK_ATTRIBUTE tmpl[] = {
        {CKA_CLASS, &klass, sizeof klass},
        {CKA_LABEL, (void *)label, sizeof label - 1},
    };
    CK_ULONG found = 0;

    if (p11->C_FindObjectsInit(s, tmpl, 2) != CKR_OK)
        return -1;
    CK_RV rv = p11->C_FindObjects(s, key, 1, &found);
    p11->C_FindObjectsFinal(s);
    return rv == CKR_OK && found == 1 ? 0 : -1;
}

struct signer {
    CK_FUNCTION_LIST *p11;
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE key;
    CK_RV rv;
};

static void *sign_thread(void *arg)
{
    struct signer *s = arg;
    CK_MECHANISM mech = {CKM_SHA256_RSA_PKCS, NULL, 0};
    static const unsigned char data[] = "a document signed while another call is made";
    unsigned char sig[1024];
    CK_ULONG sig_len = sizeof sig;

    s->rv = s->p11->C_SignInit(s->session, &mech, s->key);
    if (s->rv == CKR_OK)
        s->rv = s->p11->C_Sign(s->session, (CK_BYTE *)data, sizeof data - 1, sig, &sig_len);
    return NULL;
}

static int wait_for_file(const char *path)
{
    double deadline = now_s() + GO_WAIT_S;
    struct timespec tick = {0, 50 * 1000 * 1000};

    while (access(path, F_OK) != 0) {
        if (now_s() > deadline)
            return -1;
        nanosleep(&tick, NULL);
    }
    return 0;
}

static int run(CK_FUNCTION_LIST *p11, char **argv)
{
    struct signer signer = {.p11 = p11};
    long sign_slot = find_slot(p11, argv[2]), other_slot = find_slot(p11, argv[3]);
    pthread_t thread;
    CK_TOKEN_INFO info;

    if (sign_slot < 0 || other_slot < 0) {
        fprintf(stderr, "token '%s' or '%s' not found\n", argv[2], argv[3]);
        return 1;
    }
    if (p11->C_OpenSession((CK_SLOT_ID)sign_slot, CKF_SERIAL_SESSION, NULL, NULL,
                           &signer.session) != CKR_OK ||
        find_signing_key(p11, signer.session, &signer.key) != 0) {
        fprintf(stderr, "no session or no 'Signing key' on '%s'\n", argv[2]);
        return 1;
    }
    if (pthread_create(&thread, NULL, sign_thread, &signer) != 0)
        return 1;
    printf("signing\n");
    fflush(stdout);

    int rc = 0;
    CK_RV second_rv = CKR_GENERAL_ERROR;
    double issued = 0, returned = 0;
    int after_answer = 0;
    if (wait_for_file(argv[4]) != 0) {
        fprintf(stderr, "%s did not appear within %d s\n", argv[4], GO_WAIT_S);
        rc = 1;
    } else {
        printf("second call issued\n");
        fflush(stdout);
        issued = now_s();
        second_rv = p11->C_GetTokenInfo((CK_SLOT_ID)other_slot, &info);
        returned = now_s();
        after_answer = access(argv[5], F_OK) == 0;
        printf("second call returned\n");
        fflush(stdout);
    }
    pthread_join(thread, NULL);
    if (rc == 0)
        printf("result sign_rv=0x%lx second_rv=0x%lx second_waited_s=%.2f second_after_answer=%s\n",
               (unsigned long)signer.rv, (unsigned long)second_rv, returned - issued,
               after_answer ? "yes" : "no");
    p11->C_CloseSession(signer.session);
    return rc != 0 || second_rv != CKR_OK;
}

int main(int argc, char **argv)
{
    CK_C_GetFunctionList get_list;
    CK_FUNCTION_LIST *p11 = NULL;
    /* As NSS asks: the library may use OS locking, since two threads call it. */
    CK_C_INITIALIZE_ARGS init = {.flags = CKF_OS_LOCKING_OK};
    void *lib;

    if (argc != 6) {
        fprintf(stderr, "usage: %s MODULE SIGN_TOKEN OTHER_TOKEN GO_FILE ANSWER_FILE\n", argv[0]);
        return 2;
    }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    get_list = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (get_list == NULL || get_list(&p11) != CKR_OK || p11->C_Initialize(&init) != CKR_OK) {
        fprintf(stderr, "%s: cannot initialise the module\n", argv[1]);
        return 1;
    }
    int rc = run(p11, argv);
    p11->C_Finalize(NULL);
    return rc;
}
