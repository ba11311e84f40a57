/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The upstream MSSP as the relay speaks to it, as the AP: a pool of libmssclient
 * clients made from the same options. A client has one connection, and a synch
 * MSS_Signature holds it until the phone answers, so each request in flight takes a
 * client of its own. Clients are made when first needed (one, at start, checks the
 * options), up to SIZE; when all are busy a request waits for one within its own
 * deadline, then fails (MSS_ERR_TIMEOUT, "all upstream connections are busy").
 */
#ifndef RELAY_UPSTREAM_H
#define RELAY_UPSTREAM_H

#include <stddef.h>

#include <mss/mss.h>

typedef struct relay_upstream relay_upstream;

/* Up to SIZE clients (1..100000, as max_connections) with OPTS, whose strings must outlive the pool. NULL
 * with the reason in ERR (a bad option among them). */
relay_upstream *relay_upstream_new(const mss_client_options *opts, unsigned size, char *err,
                                   size_t err_len);
void relay_upstream_free(relay_upstream *up);

/* The URLs in the upstream list. */
size_t relay_upstream_url_count(const relay_upstream *up);

/* relay_upstream_fn (forward.h) over the pool: CTX is the relay_upstream. */
mss_error relay_upstream_call(void *ctx, const mss_message *req, int url_index,
                              unsigned timeout_ms, mss_message *resp, int *url_used,
                              mss_detail *detail);

#endif /* RELAY_UPSTREAM_H */
