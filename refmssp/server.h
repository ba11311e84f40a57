/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's HTTPS front, on the servers' shared one (server/https_server.h): a thread
 * pool, TLS from the test PKI, AP client certificates verified against the test CA.
 * Every POST on any path but the phone page's is a TS 102 204 SOAP request.
 */
#ifndef REFMSSP_SERVER_H
#define REFMSSP_SERVER_H

#include <stddef.h>

#include "mss_ops.h"

/* Larger request bodies get HTTP 413 and fault 101. */
#define RM_MAX_REQUEST_BODY (256 * 1024)
/* An idle or slow connection is closed after this many seconds. */
#define RM_CONNECTION_TIMEOUT_S 30
#define RM_THREAD_POOL_SIZE 4

typedef struct rm_server_options {
    const char *listen;      /* "ADDR:PORT" or "[IPv6]:PORT"; port 0 picks a free one */
    int allow_remote;        /* 0: only loopback addresses */
    const char *cert_pem;    /* server certificate (PEM text) */
    const char *key_pem;     /* server key (PEM text; secret) */
    const char *ca_pem;      /* CA that AP client certificates must chain to */
    ops_ctx ops;
} rm_server_options;

typedef struct rm_server rm_server;

/* Bind, listen and start serving. 0, or -1 with a one-line reason in err. */
int rm_server_start(const rm_server_options *opts, rm_server **out, char *err, size_t err_len);

/* "https://127.0.0.1:9443/mss" with the port actually bound. */
const char *rm_server_url(const rm_server *server);

/* Stop serving (waits for the worker threads) and free. */
void rm_server_stop(rm_server *server);

#endif /* REFMSSP_SERVER_H */
