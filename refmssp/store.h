/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's persistent state in SQLite (WAL mode): users, their keys and
 * certificates, PIN counters, signature transactions and an audit log. One
 * connection per process shared by its threads behind a mutex; every statement
 * prepared once at open. Several processes (the server and the admin CLI) may use
 * the database at once: state changes of a transaction are conditional updates, so
 * exactly one of them ends a pending transaction.
 */
#ifndef REFMSSP_STORE_H
#define REFMSSP_STORE_H

#include <stddef.h>

#define RM_DB_FILE "refmssp.db"
/* How long a statement waits for a lock held by another process (ms). */
#define STORE_BUSY_TIMEOUT_MS 5000
/* Wrong PINs in a row that block a key. */
#define STORE_PIN_TRIES 3

typedef struct rm_store rm_store;

/*
 * Open PATH. CREATE=1 makes a new database (and fails if the file exists);
 * CREATE=0 opens an existing one read-write and checks its schema version.
 * 0, or -1 with a one-line reason in err.
 */
int store_open(const char *path, int create, rm_store **out, char *err, size_t err_len);
void store_close(rm_store *store);

/*
 * Checkpoints off the request path. By default SQLite copies the write-ahead log into the
 * database inside the commit that makes the log reach 1000 pages: that request waits for
 * the copy and two fsyncs (7-30 ms on this kind of machine, the tail of every signature
 * benchmark, and all the threads behind it wait too). After this call the store's commits
 * only note the log's size, and store_checkpoint, run by the server's ticker, copies the
 * log on a connection of its own, in SQLite's passive mode: it never waits for, nor
 * blocks, a request. 0, or -1 with the reason in ERR (the store then keeps SQLite's way).
 */
int store_checkpoint_in_background(rm_store *store, char *err, size_t err_len);
/* Copy the log into the database if it has grown past the threshold. Cheap otherwise. */
void store_checkpoint(rm_store *store);

/* Group writes (used by init and the admin CLI). 0 or -1. */
int store_begin(rm_store *store);
int store_commit(rm_store *store);
void store_rollback(rm_store *store);

/* ------------------------------------------------------------------ users */

typedef struct store_user {
    long long id;
    char *msisdn;
    char *name;
    char *policy;            /* "approve", "delay:MS" or "manual" */
    int blocked;             /* 1: blocked by an admin (requests get 403) */
    int ecdsa_raw;           /* 1: ECDSA signatures as raw r||s instead of DER */
    char *pin_hash;          /* PBKDF2 record of the PIN (flow_pin_hash); secret-ish */
    char *phone_token;       /* the phone page's token (hex); a secret; NULL: none */
} store_user;

/* 0, or -1 (duplicate MSISDN or name, database error). Policy "approve", PIN unset. */
int store_add_user(rm_store *store, const char *msisdn, const char *name, long long *user_id);
/* Set the SIM emulator's behaviour for a user. 0, or -1. */
int store_set_user_options(rm_store *store, long long user_id, const char *policy, int ecdsa_raw,
                           const char *pin_hash);

/* Give a user its phone page token and the token's SHA-256 (hex, what pages are
 * looked up by). 0, or -1. */
int store_set_phone_token(rm_store *store, long long user_id, const char *token,
                          const char *token_sha256);
/* The user whose token has this SHA-256 (hex). 1 found (release with
 * store_user_clear), 0 none, -1 error. */
int store_user_by_phone_token(rm_store *store, const char *token_sha256, store_user *out);

/* 1 found (user_id written), 0 unknown, -1 database error. */
int store_find_user(rm_store *store, const char *msisdn, long long *user_id);
/* By MSISDN or by name. 1 found (release with store_user_clear), 0 unknown, -1 error. */
int store_get_user(rm_store *store, const char *msisdn_or_name, store_user *out);
/* The user who lends its keys to the scenario numbers: "demo", else the first. */
int store_get_scenario_user(rm_store *store, store_user *out);
/* All users by id. 0 (n may be 0) or -1. */
int store_list_users(rm_store *store, store_user **users, size_t *n);
void store_user_clear(store_user *user);
void store_users_free(store_user *users, size_t n);

/* Block (1) or unblock (0) a user; unblocking also clears the keys' PIN counters. */
int store_set_user_blocked(rm_store *store, long long user_id, int blocked);
/* Remove a user and its keys (its transactions stay in the log). 1, 0 unknown, -1. */
int store_remove_user(rm_store *store, long long user_id);

/* ------------------------------------------------------------------ keys */

typedef struct store_key {
    long long id;
    char *role;              /* "authn" or "sign" */
    char *profile;           /* signature profile URI */
    char *key_type;          /* "rsa2048", "rsa3072", "ecp256", "ecp384" */
    int pss;                 /* 1: the key may sign RSA-PSS */
    int pin_failures;        /* wrong PINs in a row; STORE_PIN_TRIES: blocked */
    char *state;             /* "ACTIVE" */
    char *key_pem;           /* private key (secret) */
    unsigned char *cert_der;
    size_t cert_len;
} store_key;

/* 0, or -1 (bad role, unknown user, profile already bound for the user, error). */
int store_add_key(rm_store *store, long long user_id, const char *role, const char *profile,
                  const char *key_type, int pss, const char *key_pem,
                  const unsigned char *cert_der, size_t cert_len);

/* All keys of a user, ordered authn first. 0 (n may be 0) or -1. */
int store_user_keys(rm_store *store, long long user_id, store_key **keys, size_t *n);
/* One key. 1 found, 0 unknown, -1 error. Release with store_keys_free(key, 1)
 * semantics: store_key_clear. */
int store_key_by_id(rm_store *store, long long key_id, store_key *out);
void store_key_clear(store_key *key);
/* Frees the array, wiping the private keys. */
void store_keys_free(store_key *keys, size_t n);

/* A wrong PIN: count it; *failures gets the new count. 0 or -1. */
int store_key_pin_failed(rm_store *store, long long key_id, int *failures);
/* A right PIN: the counter starts again. 0 or -1. */
int store_key_pin_ok(rm_store *store, long long key_id);

/* ------------------------------------------------------------------ transactions */

typedef enum store_tx_state { STORE_TX_PENDING = 0, STORE_TX_DONE, STORE_TX_FAILED } store_tx_state;

typedef struct store_tx {
    char *mssp_trans_id;
    char *ap_id;
    char *ap_trans_id;
    char *msisdn;
    char *mode;              /* "synch" / "asynchClientServer" */
    char *profile;           /* the profile of the key used */
    char *mss_format;        /* the MSS_Format asked for, NULL: default */
    store_tx_state state;
    int status_code;         /* 500 (or 503) when done; the final code when failed */
    int specifier;           /* fault specifier of a failure, 0: none */
    unsigned char *signature;
    size_t signature_len;
    unsigned char *cert_der; /* the signing key's certificate */
    size_t cert_len;
    long long created;       /* Unix time */
    /* What a pending transaction needs to be signed later. */
    long long key_id;
    int alg;                 /* sim_alg */
    int ecdsa_raw;
    unsigned char *dtbs;
    size_t dtbs_len;
    char *dtbd;              /* DataToBeDisplayed, NULL: none */
    char *event_id;          /* FiCom eventId, NULL: none */
    long long approve_at_ms; /* Unix ms when the SIM approves by itself; 0: a person must */
    long long deadline_ms;   /* Unix ms when a pending transaction expires (208) */
} store_tx;

/* One line of the audit log (never a secret in it). */
typedef struct store_audit_line {
    const char *event;
    const char *msisdn;      /* may be NULL */
    const char *detail;      /* may be NULL */
} store_audit_line;

int store_tx_insert(rm_store *store, const store_tx *tx);
/* Insert TX and append AUDIT (N_AUDIT lines, may be 0) as one SQLite transaction, so
 * that a request costs one commit. 0, or -1 and nothing written. */
int store_tx_record(rm_store *store, const store_tx *tx, const store_audit_line *audit,
                    size_t n_audit);
/* 1 found (out filled; release with store_tx_clear), 0 unknown, -1 error. */
int store_tx_find(rm_store *store, const char *mssp_trans_id, store_tx *out);
void store_tx_clear(store_tx *tx);

/*
 * End a pending transaction: STATE done (with SIG) or failed (CODE, SPECIFIER).
 * 1 when this call ended it, 0 when it was no longer pending, -1 on error.
 */
int store_tx_finish(rm_store *store, const char *mssp_trans_id, store_tx_state state, int code,
                    int specifier, const unsigned char *sig, size_t sig_len);
/* The same, and when this call ended it, AUDIT (may be NULL) in the same commit. */
int store_tx_finish_audited(rm_store *store, const char *mssp_trans_id, store_tx_state state,
                            int code, int specifier, const unsigned char *sig, size_t sig_len,
                            const store_audit_line *audit);

/* The MSSP_TransIDs of pending transactions (all, or MSISDN's), oldest first. 0 or -1.
 * Free with store_ids_free. */
int store_tx_pending_ids(rm_store *store, const char *msisdn, char ***ids, size_t *n);
/* The pending transactions whose time has come at NOW_MS (Unix ms): past their
 * deadline, or past the time their SIM approves by itself. Only these, found on
 * indexes of pending transactions, so the ticker's cost does not grow with the
 * transactions waiting for a person. 0 or -1. Free with store_ids_free. */
int store_tx_due_ids(rm_store *store, long long now_ms, char ***ids, size_t *n);
void store_ids_free(char **ids, size_t n);

/* Expire every pending transaction (208 / 2081); *count gets how many. 0 or -1. */
int store_tx_expire_all(rm_store *store, int *count);

/* Append to the audit log; never pass secrets. Failures are ignored (logged by caller). */
int store_audit(rm_store *store, const char *event, const char *msisdn, const char *detail);

#endif /* REFMSSP_STORE_H */
