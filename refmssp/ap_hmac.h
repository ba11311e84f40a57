/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Kiuru REST API's HMAC authentication on refmssp's side (mss/rest.h; the scheme and
 * its sources in docs/protocol-profile.md, "Authentication"). A REST request whose
 * Authorization header claims an AP with auth = hmac is checked in two steps: its
 * headers before the body is read (the claim names such an AP, carries a MAC of the
 * right form, and a Date within RM_HMAC_SKEW_S of refmssp's clock), then, once the body
 * is in, the MAC itself, computed with that AP's key and compared in constant time.
 * Any failure refuses the request (HTTP 401, fault 104) and nothing else happens. A MAC
 * accepted once is refused if it comes again (hmac_replay.h).
 */
#ifndef REFMSSP_AP_HMAC_H
#define REFMSSP_AP_HMAC_H

#include <stddef.h>
#include <time.h>

#include <mss/rest.h>

#include "rm_conf.h"

/* How far a request's Date may be from refmssp's clock, either way. The MAC covers the
 * Date, so a captured request could be replayed only within this window, and
 * hmac_replay.h remembers the accepted ones for as long. */
#define RM_HMAC_SKEW_S 300

/* What a request's headers claim. */
typedef struct rm_hmac_claim {
    int ap;                             /* index in conf->aps; -1: no claim */
    char mac[MSS_REST_HMAC_HEX_SIZE];   /* the MAC sent, lower-case hex */
    char date[64];                      /* the Date header, as sent */
    time_t sent;                        /* that Date */
    char host[256];                     /* the Host header, ":80" / ":443" left out */
} rm_hmac_claim;

/*
 * Read the claim of a request from its HTTP Basic credentials (USER, PASSWORD; NULL when
 * it sent none) and its DATE and HOST headers (NULL: absent), at time NOW. 0 with *OUT
 * filled; 1 when the request makes no HMAC claim at all (no credentials, or a user that
 * is no HMAC AP's AP_ID: another scheme's, for the caller's own refusal); -1 when an HMAC
 * AP's claim is malformed or its Date is outside the window. *WHY is set to a reason for
 * the client (never a secret) whenever 0 is not returned.
 */
int rm_hmac_claim_read(const rm_conf *conf, const char *user, const char *password,
                       const char *date, const char *host, time_t now, rm_hmac_claim *out,
                       const char **why);

/* 1 when CLAIM's MAC is the one of a METHOD request to PATH with BODY under its AP's
 * API key; 0 otherwise. */
int rm_hmac_claim_verify(const rm_conf *conf, const rm_hmac_claim *claim, const char *method,
                         const char *path, const char *body, size_t body_len);

/* Wipe a claim (its MAC authenticates one request). */
void rm_hmac_claim_clear(rm_hmac_claim *claim);

#endif /* REFMSSP_AP_HMAC_H */
