/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading a PKCS#11 module and finding what the benchmark signs with: the slots by token
 * label, a session (logged in when a PIN is given) and the private key by label. Works
 * with any module (mss-pkcs11, SoftHSM). Each function prints what failed on stderr.
 */
#ifndef MSS_BENCH_MODULE_H
#define MSS_BENCH_MODULE_H

#include <stddef.h>

#include <p11-kit/pkcs11.h>

typedef struct bench_module {
    void *lib;
    CK_FUNCTION_LIST *f;
} bench_module;

/* Report a failed call (what, and the CK_RV in hex) on stderr; returns -1. */
int bench_fail(const char *what, CK_RV rv);

/* dlopen path and fetch its function list; nothing is initialised yet. 0 or -1. */
int bench_module_load(const char *path, bench_module *m);
/* C_Initialize with CKF_OS_LOCKING_OK (the benchmark signs from several threads). */
int bench_module_init(bench_module *m);
/* C_Finalize and dlclose. */
void bench_module_close(bench_module *m);

/* How bench_find_slots matches a token label (blank padding aside). */
typedef enum { BENCH_MATCH_ANY, BENCH_MATCH_EXACT, BENCH_MATCH_PREFIX } bench_match;

/* The slots with a token whose label matches text, in the module's order; at most max.
 * *n is how many were found; 0 found is an error (-1) that names the text. */
int bench_find_slots(bench_module *m, bench_match how, const char *text, CK_SLOT_ID *out,
                     size_t max, size_t *n);

/* The label of the token in slot, without the padding, into out. */
void bench_token_label(bench_module *m, CK_SLOT_ID slot, char *out, size_t len);

/* A serial session on slot, logged in as the user when pin is not NULL (a token already
 * logged in through another session is fine), and the one private key labelled
 * key_label. 0 or -1. */
int bench_open_signer(bench_module *m, CK_SLOT_ID slot, const char *pin, const char *key_label,
                      CK_SESSION_HANDLE *session, CK_OBJECT_HANDLE *key);

#endif
