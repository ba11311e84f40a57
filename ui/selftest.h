/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool test: one real signature with each enrolled key, as the module would ask
 * for it, verified against the cached certificate, and the outcome in words a user
 * understands with what to do about it.
 *
 *   selftest.c        the command: users, the client, the exit status
 *   selftest_key.c    one key: the local checks, the request, the verification
 *   selftest_words.c  what an outcome means and how to fix it
 */
#ifndef MSS_TOOL_SELFTEST_H
#define MSS_TOOL_SELFTEST_H

#include <mss/mss.h>

#include "facts.h"
#include "tool.h"

/* The MSSP's clock may differ from ours by this much before the test warns. */
#define SELFTEST_MAX_CLOCK_SKEW_S 300

typedef enum selftest_verdict {
    SELFTEST_OK = 0,   /* signed and verified */
    SELFTEST_SKIPPED,  /* no cached certificate: nothing to test */
    SELFTEST_FAILED
} selftest_verdict;

/* What happened to one key's test signature. */
typedef struct selftest_outcome {
    const mss_conf_user *user;
    const key_facts *key;
    int refused_locally;      /* 1: the certificate's dates forbid the key (key->state
                               * says how); nothing was sent, as the module sends nothing */
    int sent;                 /* 1: the request went to the MSSP */
    int transaction_started;  /* 1: the MSSP accepted it (an MSSP_TransID came back) */
    mss_error err;            /* MSS_OK: signed and verified; else what failed */
    mss_detail detail;        /* the client's or the verification's detail */
} selftest_outcome;

/* Test one key of U with CLIENT (signs, verifies, prints its lines). The verdict. */
selftest_verdict selftest_key(tool_ctx *ctx, mss_client *client, const mss_conf_user *u,
                              mss_key_role role);

/*
 * What OUT means to a person, without the protocol: WHAT says what happened ("you
 * cancelled on the phone (401 USER_CANCEL)"), FIX what to do about it, naming the
 * setting or command ("check ca_file (/etc/…)"). FIX is "" when there is nothing to do.
 */
void selftest_words(const tool_ctx *ctx, const selftest_outcome *out, char *what,
                    size_t what_len, char *fix, size_t fix_len);

#endif
