/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The module's core: the types of a module instance and the interfaces between the
 * core's files. The core is libp11core.la; the unit tests link it directly. Every
 * function reaches the instance through what it is given (the instance, or a slot or
 * session that points to it), never through a global: only the boundary
 * (p11_entry.h) owns the process's one instance.
 *
 *   module.c      the instance's lock, signatures in flight (calls nothing else)
 *   module_load.c an instance's tables: load from a configuration, unload
 *   info.c        C_GetInfo's answer, padded text fields
 *   slot.c        slots, tokens, mechanism lists
 *   session.c     sessions (reference counted), login state
 *   key.c         a key's public facts, decoded from its cached certificate
 *   object.c      objects built from the keys; attribute tables; find
 *   op.c          the operation engine C_Sign* and C_Verify* share; sign.c and
 *                 verify.c are its two kinds (remote signature, local check)
 *   mech.h        mechanisms: mech_registry.c, mech_op.c, mech_<family>.c
 *   hash.h        every fact about each hash, in one table (hash_table.c)
 *   rv_map.c      mss_error / MSS status → CK_RV, in one table
 *   mlog.h        the module log
 *
 * Locking: an instance's lock guards its tables (sessions, login state, counters)
 * and is only held briefly, never across network I/O. Each slot has a sign_lock that
 * serialises signatures for its MSISDN and guards the slot's mss_client; each session
 * has an op_lock guarding its operation state. Order: session op_lock → slot
 * sign_lock → instance lock.
 */
#ifndef MSS_P11_MODULE_H
#define MSS_P11_MODULE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <p11-kit/pkcs11.h>

#include <mss/client.h>
#include <mss/verify.h>
#include "hash.h"
#include "mss_conf.h"
#include "pkcs11_v3.h"

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
    time_t not_before, not_after; /* the certificate's validity: no signature outside it */
    /* The public key parsed for checking signatures (p11_key_verifier): made at the
     * first check, not at C_Initialize, and freed by p11_key_clear. */
    _Atomic(mss_verify_key *) verifier;
} p11_key;

/* Bytes of a signature made with this key: the modulus length, or 2 × field length. */
size_t p11_key_sig_len(const p11_key *key);

struct p11_module;

typedef struct p11_slot {
    struct p11_module *module;   /* the instance the slot belongs to */
    CK_SLOT_ID id;
    const mss_conf_user *user;   /* points into the configuration */
    char serial[17];             /* first 16 hex digits of SHA-256(MSISDN) */
    p11_key keys[MSS_KEY_ROLES];
    int logged_in;               /* under the instance lock */
    CK_ULONG n_sessions, n_rw_sessions; /* under the instance lock */
    pthread_mutex_t sign_lock;   /* one signature at a time per MSISDN; guards client */
    mss_client *client;          /* created at the first real C_Sign */
    /* Until when the phone may still show a request the person cancelled on the desktop
     * prompt (the protocol cannot withdraw it); under sign_lock. */
    time_t phone_busy_until;
} p11_slot;

typedef struct p11_object {
    CK_OBJECT_HANDLE handle;
    CK_OBJECT_CLASS klass;       /* CKO_CERTIFICATE, CKO_PUBLIC_KEY or CKO_PRIVATE_KEY */
    const p11_slot *slot;
    const p11_key *key;
} p11_object;

struct p11_mech;
struct p11_mech_op;

/* A running sign or verify operation (op.c): the same shape for both. */
typedef struct p11_op {
    int active;
    const struct p11_mech *mech;
    const p11_object *key;
    struct p11_mech_op *state;   /* parameter, collected or hashed input (mech_op.c) */
    int multipart;               /* *Update was called: only *Final may end it */
} p11_op;

typedef struct p11_find_op {
    int active;
    CK_OBJECT_HANDLE *handles;
    size_t n, pos;
} p11_find_op;

typedef struct p11_session {
    CK_SESSION_HANDLE handle;
    /* The instance whose lock guards refs: it outlives the slot (C_Finalize frees the
     * slots while a cancelled C_Sign may still hold a reference). */
    struct p11_module *module;
    p11_slot *slot;
    CK_FLAGS flags;
    unsigned refs;               /* under the instance lock; the table holds one */
    atomic_int closing;          /* set by C_CloseSession*, C_Finalize: cancels a C_Sign */
    atomic_int cancel_sign;      /* set by C_SessionCancel(CKF_SIGN): cancels a C_Sign */
    pthread_mutex_t op_lock;     /* guards sign, verify and find */
    p11_op sign;
    p11_op verify;
    p11_find_op find;
} p11_session;

/* One instance: everything C_Initialize builds and C_Finalize frees. The lock and
 * the condition belong to the storage, not to one load: they stay valid across
 * p11_module_unload, because sessions a caller still holds are released under them. */
typedef struct p11_module {
    pthread_mutex_t lock;
    pthread_cond_t cond;         /* signalled when inflight drops */
    mss_conf *conf;              /* NULL when the configuration is missing or broken */
    p11_slot *slots;
    size_t n_slots;
    p11_object *objects;
    size_t n_objects;
    p11_session **sessions;      /* open sessions, in handle order */
    size_t n_sessions, cap_sessions;
    CK_SESSION_HANDLE last_handle; /* handles grow and are never reused */
    unsigned inflight;           /* remote signatures in progress (C_Finalize drains) */
    /* Bumped each time the instance is emptied. A signature counts itself in flight
     * under the generation it began in, so one that outlives an abandoned instance
     * (C_Finalize gave up waiting for it) cannot uncount a signature of the next. */
    unsigned long generation;
    /* Fetched at first use, freed at unload. An operation's digest context holds its
     * own reference, so a session outliving the load is safe. */
    p11_hash_set digests;
} p11_module;

/* For an instance in static storage; p11_module_init does the same at run time. */
#define P11_MODULE_INIT {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER}

/* ------------------------------------------------------------ module.c */
/* An empty instance with a fresh lock (an instance not made with P11_MODULE_INIT). */
void p11_module_init(p11_module *m);
/* Empty the instance without freeing anything: what it held now belongs to whoever
 * kept a copy (a fork child must not free its parent's handles). */
void p11_module_forget(p11_module *m);
void p11_module_lock(p11_module *m);
void p11_module_unlock(p11_module *m);
/* Around a remote signature: counted so that C_Finalize can wait for it. Begin with
 * the lock held (checked together with the session's state) and keep what it
 * returns; end without the lock, handing it back: the count changes only if the
 * instance is still the one the signature began in. */
unsigned long p11_inflight_begin_locked(p11_module *m);
void p11_inflight_end(p11_module *m, unsigned long generation);
/* Wait up to seconds for the signatures in flight to end; 0 when none is left.
 * Caller holds the lock. */
int p11_inflight_drain_locked(p11_module *m, int seconds);

/* ------------------------------------------------------------ module_load.c */
/* Build the slots and objects of conf (NULL: no slots); the instance owns conf from
 * then on, even on failure. 0, or -1 (no memory; the instance is left empty). */
int p11_module_load(p11_module *m, mss_conf *conf);
/* Free what p11_module_load built and every session still in the table; the lock
 * stays usable. Caller holds the lock when other threads may use the instance. */
void p11_module_unload(p11_module *m);

/* ------------------------------------------------------------ info.c */
/* C_GetInfo's answer for a caller of the table with this cryptoki version. */
CK_RV p11_get_info(CK_INFO_PTR info, CK_BYTE version_major, CK_BYTE version_minor);
/* Copy s into a fixed-width PKCS#11 text field, space padded, never NUL. */
void p11_pad(unsigned char *field, size_t width, const char *s);

/* ------------------------------------------------------------ slot.c */
/* Build one slot per configured user (keys from the cache). 0, or -1 (no memory). */
int p11_slots_build(p11_module *m);
void p11_slots_free(p11_module *m);
/* The slot for an id, or NULL. */
p11_slot *p11_slot_get(p11_module *m, CK_SLOT_ID id);
CK_RV p11_slot_list(p11_module *m, CK_BBOOL token_present, CK_SLOT_ID_PTR list,
                    CK_ULONG_PTR count);
CK_RV p11_slot_info(p11_slot *slot, CK_SLOT_INFO_PTR info);
CK_RV p11_token_info(p11_slot *slot, CK_TOKEN_INFO_PTR info);
CK_RV p11_mechanism_list(p11_slot *slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count);
CK_RV p11_mechanism_info(p11_slot *slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info);

/* ------------------------------------------------------------ session.c */
CK_RV p11_session_open(p11_slot *slot, CK_FLAGS flags, CK_SESSION_HANDLE_PTR out);
CK_RV p11_session_close(p11_module *m, CK_SESSION_HANDLE h);
CK_RV p11_session_close_all(p11_slot *slot);
/* Take a reference to an open session; release it with p11_session_release. */
CK_RV p11_session_acquire(p11_module *m, CK_SESSION_HANDLE h, p11_session **out);
/* Accepts NULL (what a failed acquire leaves). */
void p11_session_release(p11_session *s);
/* Close every session (C_Finalize): marks them closing, drops the table's references. */
void p11_sessions_close_all_locked(p11_module *m);
CK_RV p11_session_info(p11_session *s, CK_SESSION_INFO_PTR info);
CK_RV p11_login(p11_session *s, CK_USER_TYPE user);
/* C_SessionCancel: end the operations named by flags (CKF_SIGN, CKF_VERIFY,
 * CKF_FIND_OBJECTS); a C_Sign waiting on the phone returns CKR_FUNCTION_CANCELED. */
CK_RV p11_session_cancel(p11_session *s, CK_FLAGS flags);
CK_RV p11_logout(p11_session *s);

/* ------------------------------------------------------------ key.c */
/* Decode a cached certificate into key facts. 0, or -1 (with a log line) if unusable. */
int p11_key_load(p11_key *key, const unsigned char *der, size_t der_len);
/* The same from a certificate already parsed (the cache reader's), DER its encoding. */
int p11_key_load_cert(p11_key *key, struct x509_st *cert, const unsigned char *der,
                      size_t der_len);
void p11_key_clear(p11_key *key);
/* The key's parsed public key, made at the first call and reused until p11_key_clear;
 * safe from any number of threads. NULL (detail says why) if it cannot be made. */
const mss_verify_key *p11_key_verifier(const p11_key *key, mss_detail *detail);
/* 1 when the key's certificate is valid at now; else 0, after one log line saying why
 * the key may not sign. */
int p11_key_valid_at(const p11_key *key, time_t now);

/* ------------------------------------------------------------ object.c */
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

/* ------------------------------------------------------------ op.c */
/* What sets one kind of operation apart; the engine does everything else. */
typedef struct p11_op_kind {
    CK_OBJECT_CLASS key_class;   /* the key it needs: private to sign, public to verify */
    size_t offset;               /* where its p11_op is in p11_session */
    int remote;                  /* ends in a remote call C_SessionCancel interrupts */
    int needs_valid_cert;        /* refuses a key outside its certificate's validity */
    /* A short answer that keeps the operation active and makes no request (sign's
     * length queries): 1 when *rv is the answer. NULL: none. */
    int (*early)(const p11_op *op, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len, CK_RV *rv);
    /* Sign or check tbs, the bytes the MSSP signs. sig/sig_len are the caller's:
     * filled by sign, read by verify. Caller holds s->op_lock. */
    CK_RV (*finish)(p11_session *s, const p11_op *op, const unsigned char *tbs,
                    size_t tbs_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len);
} p11_op_kind;

extern const p11_op_kind p11_op_sign;   /* sign.c */
extern const p11_op_kind p11_op_verify; /* verify.c */

/* C_SignInit / C_VerifyInit: start with mech on key handle h. A NULL mech ends the
 * active operation instead (PKCS#11 3.0). */
CK_RV p11_op_init(p11_session *s, const p11_op_kind *k, CK_MECHANISM_PTR mech,
                  CK_OBJECT_HANDLE h);
/* C_Sign / C_Verify: the whole input at once. */
CK_RV p11_op_run(p11_session *s, const p11_op_kind *k, CK_BYTE_PTR data, CK_ULONG len,
                 CK_BYTE_PTR sig, CK_ULONG_PTR sig_len);
/* C_SignUpdate / C_VerifyUpdate. */
CK_RV p11_op_update(p11_session *s, const p11_op_kind *k, CK_BYTE_PTR data, CK_ULONG len);
/* C_SignFinal / C_VerifyFinal. */
CK_RV p11_op_final(p11_session *s, const p11_op_kind *k, CK_BYTE_PTR sig,
                   CK_ULONG_PTR sig_len);
/* End an operation and free its state (session close, cancel, errors). */
void p11_op_reset(p11_op *op);

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
