/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one module instance and the internal interfaces between the module's files.
 *
 *   p11_entry.c   exported C_* wrappers (state checks, argument checks, trace)
 *   module.c      the instance: init/finalize, the global lock, fork detection
 *   slot.c        slots, tokens, mechanism lists
 *   session.c     sessions (reference counted), login state
 *   object.c      objects built from the certificate cache; attribute tables; find
 *   p11_entry.c / p11_entry_v3.c  the 2.40 and 3.0 entry points and function lists
 *   sign.c        the sign operation; verify.c the verify operation
 *   mech.h        mechanisms: mech_registry.c, mech_op.c, mech_<family>.c
 *   rv_map.c      mss_error / MSS status → CK_RV, in one table
 *
 * Locking: g_lock (module.c) guards the instance's tables (sessions, login state,
 * counters) and is only held briefly, never across network I/O. Each slot has a
 * sign_lock that serialises signatures for its MSISDN and guards the slot's
 * mss_client; each session has an op_lock guarding its operation state. Order:
 * session op_lock → slot sign_lock → g_lock.
 */
#ifndef MSS_P11_MODULE_H
#define MSS_P11_MODULE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#include <p11-kit/pkcs11.h>

#include <mss/client.h>
#include "mss_conf.h"
#include "pkcs11_v3.h"

#define P11_EXPORT __attribute__((visibility("default")))

#define P11_MANUFACTURER "mss-pkcs11"
#define P11_MODEL "Mobile SIM"
#define P11_LIBRARY_DESCRIPTION "Mobile signature (TS 102 204)" /* <= 32 chars */
#define P11_VERSION_MAJOR 0
#define P11_VERSION_MINOR 1

/* SHA-1 of the public key's BIT STRING contents: the CKA_ID all three objects share. */
#define P11_KEY_ID_LEN 20

/* The public facts of one configured key, decoded from its cached certificate. */
typedef struct p11_key {
    int present;                 /* 0: not configured, or no usable cached certificate */
    mss_key_role role;
    const char *label;           /* CKA_LABEL (points into the configuration) */
    const char *profile;         /* signature profile URI (points into the configuration) */
    unsigned char *cert;         /* the certificate, DER */
    size_t cert_len;
    CK_KEY_TYPE key_type;        /* CKK_RSA or CKK_EC */
    int pss;                     /* RSA: the MSSP can sign RSA-PSS with it (config) */
    unsigned char *subject, *issuer, *serial, *spki;
    size_t subject_len, issuer_len, serial_len, spki_len;
    unsigned char *modulus, *exponent;          /* RSA */
    size_t modulus_len, exponent_len;
    unsigned char *ec_params, *ec_point;        /* EC: DER OID; DER OCTET STRING(04||X||Y) */
    size_t ec_params_len, ec_point_len;
    unsigned char id[P11_KEY_ID_LEN];
    CK_ULONG bits;               /* RSA modulus bits, EC field bits */
} p11_key;

/* Bytes of a signature made with this key: the modulus length, or 2 × field length. */
size_t p11_key_sig_len(const p11_key *key);

typedef struct p11_slot {
    CK_SLOT_ID id;
    const mss_conf_user *user;   /* points into the configuration */
    char serial[17];             /* first 16 hex digits of SHA-256(MSISDN) */
    p11_key keys[MSS_KEY_ROLES];
    int logged_in;               /* under g_lock */
    CK_ULONG n_sessions, n_rw_sessions; /* under g_lock */
    pthread_mutex_t sign_lock;   /* one signature at a time per MSISDN; guards client */
    mss_client *client;          /* created at the first real C_Sign */
} p11_slot;

typedef struct p11_object {
    CK_OBJECT_HANDLE handle;
    CK_OBJECT_CLASS klass;       /* CKO_CERTIFICATE, CKO_PUBLIC_KEY or CKO_PRIVATE_KEY */
    const p11_slot *slot;
    const p11_key *key;
} p11_object;

struct p11_mech;
struct p11_mech_op;

/* A sign or verify operation (the same shape for both). */
typedef struct p11_sign_op {
    int active;
    const struct p11_mech *mech;
    const p11_object *key;
    struct p11_mech_op *state;   /* parameter, collected or hashed input (mech_op.c) */
    int multipart;               /* *Update was called: only *Final may end it */
} p11_sign_op;

typedef struct p11_find_op {
    int active;
    CK_OBJECT_HANDLE *handles;
    size_t n, pos;
} p11_find_op;

typedef struct p11_session {
    CK_SESSION_HANDLE handle;
    p11_slot *slot;
    CK_FLAGS flags;
    unsigned refs;               /* under g_lock; the table holds one reference */
    atomic_int closing;          /* set by C_CloseSession*, C_Finalize: cancels a C_Sign */
    atomic_int cancel_sign;      /* set by C_SessionCancel(CKF_SIGN): cancels a C_Sign */
    pthread_mutex_t op_lock;     /* guards sign, verify and find */
    p11_sign_op sign;
    p11_sign_op verify;
    p11_find_op find;
} p11_session;

typedef struct p11_module {
    int initialized;
    pid_t pid;                   /* the process that called C_Initialize */
    mss_conf *conf;              /* NULL when the configuration is missing or broken */
    p11_slot *slots;
    size_t n_slots;
    p11_object *objects;
    size_t n_objects;
    p11_session **sessions;      /* open sessions, in handle order */
    size_t n_sessions, cap_sessions;
    CK_SESSION_HANDLE last_handle; /* handles grow and are never reused */
    unsigned inflight;           /* remote signatures in progress (C_Finalize drains) */
} p11_module;

/* ------------------------------------------------------------ module.c */
p11_module *p11_mod(void);
void p11_lock(void);
void p11_unlock(void);
/* CKR_OK when initialised in this process, else CKR_CRYPTOKI_NOT_INITIALIZED. */
CK_RV p11_ready(void);
CK_RV p11_initialize(CK_VOID_PTR args);
CK_RV p11_finalize(void);
/* C_GetInfo's answer for a caller of the table with this cryptoki version. */
CK_RV p11_get_info(CK_INFO_PTR info, CK_BYTE version_major, CK_BYTE version_minor);
/* Around a remote signature: counted so that C_Finalize waits for it. */
void p11_inflight_begin(void);
void p11_inflight_end(void);

/* Copy s into a fixed-width PKCS#11 text field, space padded, never NUL. */
void p11_pad(unsigned char *field, size_t width, const char *s);

/* ------------------------------------------------------------ slot.c */
/* Build one slot per configured user (keys from the cache). 0, or -1 (no memory). */
int p11_slots_build(p11_module *m);
void p11_slots_free(p11_module *m);
/* The slot for an id, or NULL. */
p11_slot *p11_slot_get(CK_SLOT_ID id);
CK_RV p11_slot_list(CK_BBOOL token_present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count);
CK_RV p11_slot_info(CK_SLOT_ID id, CK_SLOT_INFO_PTR info);
CK_RV p11_token_info(CK_SLOT_ID id, CK_TOKEN_INFO_PTR info);
CK_RV p11_mechanism_list(CK_SLOT_ID id, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count);
CK_RV p11_mechanism_info(CK_SLOT_ID id, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info);

/* ------------------------------------------------------------ session.c */
CK_RV p11_session_open(CK_SLOT_ID id, CK_FLAGS flags, CK_SESSION_HANDLE_PTR out);
CK_RV p11_session_close(CK_SESSION_HANDLE h);
CK_RV p11_session_close_all(CK_SLOT_ID id);
/* Take a reference to an open session; release it with p11_session_release. */
CK_RV p11_session_acquire(CK_SESSION_HANDLE h, p11_session **out);
void p11_session_release(p11_session *s);
/* Close every session (C_Finalize): marks them closing, drops the table's references. */
void p11_sessions_close_all_locked(p11_module *m);
CK_RV p11_session_info(p11_session *s, CK_SESSION_INFO_PTR info);
CK_RV p11_login(p11_session *s, CK_USER_TYPE user);
/* C_SessionCancel: end the operations named by flags (CKF_SIGN, CKF_VERIFY,
 * CKF_FIND_OBJECTS); a C_Sign waiting on the phone returns CKR_FUNCTION_CANCELED. */
CK_RV p11_session_cancel(p11_session *s, CK_FLAGS flags);
CK_RV p11_logout(p11_session *s);

/* ------------------------------------------------------------ object.c */
/* Decode a cached certificate into key facts. 0, or -1 (with a log line) if unusable. */
int p11_key_load(p11_key *key, const unsigned char *der, size_t der_len);
void p11_key_clear(p11_key *key);
/* Build the object table from the slots' keys. 0, or -1 (no memory). */
int p11_objects_build(p11_module *m);
void p11_objects_free(p11_module *m);
/* The object with this handle visible in this slot, or NULL. */
const p11_object *p11_object_get(const p11_slot *slot, CK_OBJECT_HANDLE h);
CK_RV p11_get_attributes(p11_session *s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_PTR tmpl,
                         CK_ULONG count);
CK_RV p11_find_init(p11_session *s, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count);
CK_RV p11_find(p11_session *s, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG_PTR n);
CK_RV p11_find_final(p11_session *s);
void p11_find_reset(p11_find_op *op);
CK_RV p11_object_size(p11_session *s, CK_OBJECT_HANDLE h, CK_ULONG_PTR size);

/* ------------------------------------------------------------ sign.c */
CK_RV p11_sign_init(p11_session *s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key);
CK_RV p11_sign(p11_session *s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
               CK_ULONG_PTR sig_len);
CK_RV p11_sign_update(p11_session *s, CK_BYTE_PTR data, CK_ULONG len);
CK_RV p11_sign_final(p11_session *s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len);
/* End a sign or verify operation and free its state (session close, errors). */
void p11_sign_reset(p11_sign_op *op);
/* Start op with mech on key handle h of session s; for_sign picks the key class
 * (private for sign, public for verify). A NULL mech ends op instead (PKCS#11 3.0).
 * Caller holds s->op_lock. */
CK_RV p11_op_start(p11_session *s, p11_sign_op *op, CK_MECHANISM_PTR mech,
                   CK_OBJECT_HANDLE h, int for_sign);
/* Feed input to an active op (C_SignUpdate, C_VerifyUpdate). Caller holds s->op_lock. */
CK_RV p11_op_update(p11_sign_op *op, CK_BYTE_PTR data, CK_ULONG len);

/* ------------------------------------------------------------ verify.c */
CK_RV p11_verify_init(p11_session *s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key);
CK_RV p11_verify(p11_session *s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
                 CK_ULONG sig_len);
CK_RV p11_verify_update(p11_session *s, CK_BYTE_PTR data, CK_ULONG len);
CK_RV p11_verify_final(p11_session *s, CK_BYTE_PTR sig, CK_ULONG sig_len);

/* ------------------------------------------------------------ rv_map.c */
/* One row: a libmssclient error (for MSS_ERR_FAULT / MSS_ERR_STATUS also the MSS
 * status code, 0 = any) and the CK_RV C_Sign returns for it. First match wins. */
typedef struct p11_rv_rule {
    mss_error err;
    int status_code;
    CK_RV rv;
} p11_rv_rule;
/* What anything not in the table maps to. */
#define P11_RV_FALLBACK CKR_FUNCTION_FAILED
/* The CK_RV for a failed mss_client_sign (err != MSS_OK). */
CK_RV p11_rv_from_mss(mss_error err, int status_code);
/* The whole table, in match order. */
const p11_rv_rule *p11_rv_rules(size_t *n);
/* "CKR_OK", "CKR_ARGUMENTS_BAD", … or "CKR_0x…" for the trace. */
const char *p11_rv_name(CK_RV rv, char *buf, size_t len);

#endif
