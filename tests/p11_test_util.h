/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers the module's C tests share (tests/unit/test_p11_module.c,
 * tests/unit/test_p11_mechanisms.c, tests/unit/test_p11_core.c,
 * tests/integration/p11_module_test.c): loading the built module, writing fixture
 * files and certificates, opening sessions and finding objects. They fail the running cmocka test on any unexpected answer.
 */
#ifndef MSS_P11_TEST_UTIL_H
#define MSS_P11_TEST_UTIL_H

#include <pthread.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <p11-kit/pkcs11.h>

/* dlopen $top_builddir/pkcs11/.libs/mss-pkcs11.so and fetch its 2.40 function list
 * into *p11. Returns the library handle (for dlsym of other entry points, dlclose),
 * or NULL after a message on stderr. For group setups: asserts nothing. */
void *p11t_load_module(CK_FUNCTION_LIST **p11);

/* Replace the file at path with text. */
void p11t_write_file(const char *path, const char *text);

/* A self-signed certificate (version 3, valid for a day, subject CN = cn) for pkey,
 * written as PEM to path. */
void p11t_write_self_signed_cert(const char *path, EVP_PKEY *pkey, long serial,
                                 const char *cn);

/* The same with other dates: valid from now + not_before to now + not_after seconds
 * (negative: in the past, so a certificate that has expired can be made). */
void p11t_write_dated_cert(const char *path, EVP_PKEY *pkey, long serial, const char *cn,
                           long not_before, long not_after);

/* The same, where the module's certificate cache keeps a user's key of this role:
 * cache_dir/user/role.pem (the user's folder is made); the subject CN is the role. */
void p11t_write_cached_cert(const char *cache_dir, const char *user, const char *role,
                            EVP_PKEY *pkey, long serial);

/* A DER ECDSA signature as PKCS#11 has it: fixed-width r||s, field bytes each.
 * Returns 2 * field. */
size_t p11t_ecdsa_raw(const unsigned char *der, size_t der_len, size_t field,
                      unsigned char *out);

/* Seconds on the monotonic clock. */
double p11t_now_s(void);

/* The PSS parameters TLS 1.3 uses for a hash named as OpenSSL names it ("SHA256"): that
 * hash, MGF1 with it, a salt as long as it. Fails the test for any other name. */
void p11t_pss_params(const char *md, CK_RSA_PKCS_PSS_PARAMS *out);

/* A serial read-only session on slot: must succeed with a real handle. */
CK_SESSION_HANDLE p11t_open_session(CK_FUNCTION_LIST *p11, CK_SLOT_ID slot);

/* Up to max handles of the objects matching tmpl (n_tmpl 0: every object), through
 * one complete C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal. */
CK_ULONG p11t_find(CK_FUNCTION_LIST *p11, CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl,
                   CK_ULONG n_tmpl, CK_OBJECT_HANDLE *out, CK_ULONG max);

/* The one object of this class with this CKA_LABEL: exactly one must match. */
CK_OBJECT_HANDLE p11t_find_labelled(CK_FUNCTION_LIST *p11, CK_SESSION_HANDLE s,
                                    CK_OBJECT_CLASS klass, const char *label);

/* A C_Sign running in another thread, for the tests that cancel, close or finalise
 * under it. */
typedef struct p11t_pending_sign {
    CK_FUNCTION_LIST *p11;
    CK_SESSION_HANDLE session;
    CK_RV rv;         /* C_Sign's answer; read it after pthread_join */
    double returned;  /* p11t_now_s() when C_Sign returned */
} p11t_pending_sign;

/* C_SignInit(CKM_SHA256_RSA_PKCS, key) on session, then C_Sign in a new thread. Returns
 * at once: the caller waits for the state it needs (p11t_silent_accept, the phone). */
void p11t_start_pending_sign(p11t_pending_sign *p, pthread_t *thread, CK_FUNCTION_LIST *p11,
                             CK_SESSION_HANDLE session, CK_OBJECT_HANDLE key);

/* A silent MSSP: a socket listening on 127.0.0.1 that never answers. The kernel completes
 * connections by itself, so a client connects, sends, and waits for an answer. Returns
 * the socket and its port in *port, or -1. */
int p11t_silent_listen(unsigned *port);
/* Wait (at most 60 s, a guard against a hang) until a client has connected to the
 * silent MSSP, and accept the connection, which the caller keeps open while the request
 * should wait and closes afterwards. */
int p11t_silent_accept(int listen_fd);

/* A signature held by the silent MSSP ends by itself only at the client's deadline for
 * one request (30 s, libmssclient's status_timeout default): a return within half of
 * that is the cancel's doing, however loaded the machine. Tests print the time it took. */
#define P11T_ENDED_BY_THE_CANCEL_S 15.0

#endif
