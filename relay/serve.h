/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-relay's HTTPS side toward the desktops, on the servers' shared front
 * (server/https_server.h): a thread per connection (a synch request waits for the
 * phone upstream), each request authenticated as a relay user — a client certificate
 * issued by the relay's CA, or a bearer token — before its body is read, then handed
 * to relay_forward.
 */
#ifndef RELAY_SERVE_H
#define RELAY_SERVE_H

#include <stddef.h>

#include "forward.h"

/* A relay user as the request handling needs it: a copy, so the users' list may be
 * reloaded while the request runs. */
#define RELAY_IDENTITY_MAX_MSISDNS 8
typedef struct relay_identity {
    char user[65];
    char msisdns[RELAY_IDENTITY_MAX_MSISDNS][33];
    size_t n_msisdns;
} relay_identity;

/*
 * Who presents this credential: CERT_SHA256 (lower-case hex of a client certificate
 * that chains to the relay's CA; NULL: none) or BEARER (the token of an
 * "Authorization: Bearer" header; NULL: none). 1 with *OUT filled, 0 for nobody.
 */
typedef int (*relay_lookup_fn)(void *ctx, const char *cert_sha256, const char *bearer,
                               relay_identity *out);

typedef struct relay_server_options {
    const char *listen;             /* ADDR:PORT */
    const char *cert_pem;           /* the relay's TLS certificate and key (PEM text) */
    const char *key_pem;
    const char *user_ca_pem;        /* the CA of the users' client certificates */
    unsigned max_connections;       /* 0: the server default */
    unsigned connections_per_ip;    /* 0: no limit */
    relay_rules rules;
    relay_lookup_fn lookup;
    void *lookup_ctx;
} relay_server_options;

typedef struct relay_server relay_server;

int relay_server_start(const relay_server_options *opts, relay_server **out, char *err,
                       size_t err_len);
const char *relay_server_url(const relay_server *server);
/* Stop accepting; requests in flight get up to GRACE_MS to be answered. */
void relay_server_stop(relay_server *server, unsigned grace_ms);

#endif /* RELAY_SERVE_H */
