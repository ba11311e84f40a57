/*
 * refmssp's persistent state in SQLite (WAL mode): users, their keys and
 * certificates, signature transactions and an audit log. One connection shared by
 * the server's threads behind a mutex; every statement prepared once at open.
 * A restart loses no user and no finished transaction.
 */
#ifndef REFMSSP_STORE_H
#define REFMSSP_STORE_H

#include <stddef.h>

#define RM_DB_FILE "refmssp.db"
/* How long a statement waits for a lock held by another process (ms). */
#define STORE_BUSY_TIMEOUT_MS 5000

typedef struct rm_store rm_store;

/*
 * Open PATH. CREATE=1 makes a new database (and fails if the file exists);
 * CREATE=0 opens an existing one read-write and checks its schema version.
 * 0, or -1 with a one-line reason in err.
 */
int store_open(const char *path, int create, rm_store **out, char *err, size_t err_len);
void store_close(rm_store *store);

/* Group writes (used by init). 0 or -1. */
int store_begin(rm_store *store);
int store_commit(rm_store *store);
void store_rollback(rm_store *store);

/* 0, or -1 (duplicate MSISDN, bad role, database error). */
int store_add_user(rm_store *store, const char *msisdn, const char *name, long long *user_id);
int store_add_key(rm_store *store, long long user_id, const char *role, const char *profile,
                  const char *key_pem, const unsigned char *cert_der, size_t cert_len);

/* 1 found (user_id written), 0 unknown, -1 database error. */
int store_find_user(rm_store *store, const char *msisdn, long long *user_id);

typedef struct store_key {
    char *role;              /* "authn" or "sign" */
    char *profile;           /* signature profile URI */
    char *state;             /* "ACTIVE" */
    char *key_pem;           /* private key (secret) */
    unsigned char *cert_der;
    size_t cert_len;
} store_key;

/* All keys of a user, ordered authn first. 0 (n may be 0) or -1. */
int store_user_keys(rm_store *store, long long user_id, store_key **keys, size_t *n);
/* Frees the array, wiping the private keys. */
void store_keys_free(store_key *keys, size_t n);

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
    int status_code;         /* 500 when done; the final code when failed */
    unsigned char *signature;
    size_t signature_len;
    unsigned char *cert_der; /* the signing key's certificate */
    size_t cert_len;
    long long created;       /* Unix time */
} store_tx;

int store_tx_insert(rm_store *store, const store_tx *tx);
/* 1 found (out filled; release with store_tx_clear), 0 unknown, -1 error. */
int store_tx_find(rm_store *store, const char *mssp_trans_id, store_tx *out);
void store_tx_clear(store_tx *tx);

/* Append to the audit log; never pass secrets. Failures are ignored (logged by caller). */
int store_audit(rm_store *store, const char *event, const char *msisdn, const char *detail);

#endif /* REFMSSP_STORE_H */
