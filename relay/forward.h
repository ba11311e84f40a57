/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What mss-relay does with one TS 102 204 request from a desktop, once the HTTP layer
 * has said who sent it and in which binding: decode it, hold it to the relay's rules
 * (the caller's own phones only, rate limits, one open request per phone, the
 * organisation's text on the phone), send it upstream as the AP, and answer in the
 * upstream's words with the relay's own transaction token in place of the upstream
 * MSSP_TransID. Every request ends in one audit line.
 *
 * The desktop is answered in the binding it asked in (SOAP or REST), whatever the
 * upstream speaks: the rules work on the wire-neutral message, and the upstream function
 * encodes it in the upstream's binding.
 *
 * No HTTP, no sockets: the upstream is a function, so the rules are unit-tested with a
 * fake MSSP and run for real against refmssp.
 */
#ifndef RELAY_FORWARD_H
#define RELAY_FORWARD_H

#include <stddef.h>

#include <mss/mss.h>

#include "audit.h"
#include "binding_route.h"
#include "pending.h"
#include "rate_limit.h"
#include "token_keys.h"

/* Who sent the request (authenticated by the HTTP layer). */
typedef struct relay_caller {
    const char *user;               /* the relay user's name */
    const char *const *msisdns;     /* the phones that user owns */
    size_t n_msisdns;
    const char *peer;               /* client address, for the audit line */
} relay_caller;

/*
 * One round trip to the upstream MSSP as the AP (mss_client_call's contract): the
 * callee puts the AP's own AP_Info into REQ's header, sends it to upstream URL number
 * URL_INDEX (RELAY_ANY_UPSTREAM: the first reachable) within TIMEOUT_MS, decodes the
 * answer into RESP (cleared by the caller in every case) and says in URL_USED which
 * URL answered. MSS_ERR_FAULT with RESP a fault when the MSSP refused.
 */
#define RELAY_ANY_UPSTREAM (-1)
typedef mss_error (*relay_upstream_fn)(void *ctx, const mss_message *req, int url_index,
                                       unsigned timeout_ms, mss_message *resp, int *url_used,
                                       mss_detail *detail);

typedef struct relay_rules {
    const char *text_prefix;        /* the phone text must start with it (the relay puts it
                                     * and a space in front when it does not); NULL or "":
                                     * none */
    unsigned max_text_chars;        /* DataToBeDisplayed limit with the prefix, in
                                     * characters; 0: none */
    unsigned default_timeout_s;     /* TimeOut of a request that gives none */
    unsigned max_timeout_s;         /* a larger TimeOut is lowered to this */
    unsigned token_grace_s;         /* a token outlives its request's TimeOut by this much
                                     * (a late status query, the receipt) */
    const relay_token_keys *keys;   /* seal and open the transaction tokens */
    relay_rate_limit *per_user;     /* signature and profile requests; NULL: no limit */
    relay_rate_limit *per_msisdn;   /* signature requests per phone; NULL: no limit */
    relay_pending *pending;         /* open signature requests per phone */
    relay_audit *audit;             /* NULL: no audit log */
    relay_upstream_fn upstream;
    void *upstream_ctx;
} relay_rules;

/* The answer for the desktop: HTTP status (200, or 500 with a fault) and body, in the
 * binding of the desktop's request. */
typedef struct relay_reply {
    int http_status;
    const char *content_type;       /* the binding's (mss_binding_content_type) */
    char *body;                     /* malloc'd SOAP envelope or JSON object */
    size_t body_len;
    int mss_status;                 /* the status or fault code answered (access log) */
    char operation[24];
} relay_reply;

/* Handle one request body from CALLER, in ROUTE's binding (and, on a path that serves
 * one operation, only that operation's request; server/binding_route.h). OUT always gets
 * an answer, in that binding. */
void relay_forward(const relay_rules *rules, const relay_caller *caller, const srv_route *route,
                   const char *body, size_t body_len, relay_reply *out);

/* A fault answer in BINDING (NULL: SOAP) with no request read (unauthenticated, too
 * large, wrong type…). */
void relay_fault_reply(const mss_binding *binding, int code, const char *detail,
                       relay_reply *out);

void relay_reply_clear(relay_reply *reply);

#endif /* RELAY_FORWARD_H */
