/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What mss-tool knows about the set-up without the network: the configuration and, per
 * configured key, its cached certificate and what that certificate's dates mean now.
 * Collected once; show prints it as text or JSON, and test reads a key's certificate
 * and state from it, so no two outputs can tell different stories.
 */
#ifndef MSS_TOOL_FACTS_H
#define MSS_TOOL_FACTS_H

#include <limits.h>
#include <stddef.h>
#include <time.h>

#include "mss_conf.h"

typedef enum key_state {
    KEY_NOT_ENROLLED = 0, /* no cached certificate (or one the cache refuses to read) */
    KEY_UNREADABLE,       /* cached, but its dates cannot be read */
    KEY_VALID,
    KEY_EXPIRING,         /* valid, but ends within MSS_CERT_WARN_DAYS */
    KEY_EXPIRED,
    KEY_NOT_YET_VALID
} key_state;

/* The state as one word, for JSON: "not_enrolled", "unreadable", "valid", "expiring",
 * "expired", "not_yet_valid". */
const char *key_state_name(key_state state);

/* 1 when the module signs with a key in this state (valid or expiring). */
int key_state_usable(key_state state);

typedef struct key_facts {
    int present;                 /* 0: the user configures no key of this role */
    mss_key_role role;
    const mss_conf_key *key;     /* profile, label, pss (points into the configuration) */
    char path[PATH_MAX];         /* where the cache keeps its certificate */
    key_state state;
    unsigned char *der;          /* the cached certificate; NULL when not enrolled */
    size_t der_len;
    char *subject;               /* RFC 2253; NULL when unknown */
    char serial[MSS_CERT_SERIAL_SIZE];      /* "" when unknown */
    char fingerprint[MSS_CERT_FP_SIZE];     /* SHA-256, "AB:CD:…"; "" when not enrolled */
    time_t not_before, not_after;           /* valid when state >= KEY_VALID */
    long days_left;              /* whole days until not_after; negative once expired */
    char warning[320];           /* what a person should do about it; "" when nothing */
} key_facts;

typedef struct user_facts {
    const mss_conf_user *user;
    key_facts keys[MSS_KEY_ROLES]; /* by mss_key_role */
} user_facts;

typedef struct tool_facts {
    const mss_conf *conf;
    time_t now;
    user_facts *users;           /* one per [user] section, in the file's order */
    size_t n_users;
    int n_missing;               /* keys without a cached certificate */
    int n_unusable;              /* cached certificates the module will not sign with */
} tool_facts;

/* The facts of one key of U at NOW, into *K (release with key_facts_clear). 0, or -1
 * when out of memory. A key that is not configured gets present = 0. */
int key_facts_collect(const mss_conf *conf, const mss_conf_user *u, mss_key_role role,
                      time_t now, key_facts *k);
void key_facts_clear(key_facts *k);

/* The facts of every user and key of CONF at NOW. 0, or -1 when out of memory. */
int tool_facts_collect(const mss_conf *conf, time_t now, tool_facts *out);
void tool_facts_clear(tool_facts *f);

#endif
