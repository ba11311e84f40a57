/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTPS POST transport over libcurl. One transport per mss_client: its connection is
 * kept alive across requests, and a mutex lets threads share it one request at a time.
 * Internal.
 */
#ifndef MSS_TRANSPORT_H
#define MSS_TRANSPORT_H

#include <stddef.h>

#include <mss/mss.h>

typedef struct mss_transport mss_transport;

typedef struct mss_transport_config {
    const char *url;
    const char *content_type;     /* of the bodies sent, and the Accept header: the */
    const char *accept;           /*   binding's media types */
    const char *ca_file;          /* NULL: the system trust store */
    const char *client_cert;      /* PEM, NULL: none */
    const char *client_key;       /* PEM, NULL: key is in client_cert or none */
    unsigned connect_timeout_ms;  /* > 0 */
    int allow_plain_http;
    const char *pinned_pubkey;    /* CURLOPT_PINNEDPUBLICKEY value, NULL: none */
    const char *key_password;     /* decrypts client_key (secret), NULL: none */
    const char *http_user;        /* HTTP Basic credentials, NULL: none */
    const char *http_password;    /* secret */
    const char *proxy;            /* NULL: the environment's; "": none; else its URL */
    const char *bearer_token;     /* "Authorization: Bearer …" (secret), NULL: none */
    const char *api_key;          /* HMAC API key (secret, mss/rest.h): every request gets
                                   * its own Date and Authorization headers; NULL: none */
    const char *api_key_id;       /*   the AP_ID it stands for */
} mss_transport_config;

typedef struct mss_http_reply {
    long status;                  /* HTTP status code */
    char *body;                   /* malloc'd, NUL-terminated, at most MSS_MAX_BODY bytes */
    size_t body_len;
    char content_type[128];       /* "" when absent */
    int reused_connection;        /* 1 when no new connection was opened (keep-alive) */
} mss_http_reply;

/* Make a transport (no network). err receives a reason on failure. */
mss_error mss_transport_new(const mss_transport_config *cfg, mss_transport **out,
                            char *err, size_t err_len);
void mss_transport_free(mss_transport *t);

/*
 * POST body to url (NULL: the configured URL) and collect the reply. The connection
 * is reused when the next URL names the same host and port. Waits for the transport's lock
 * and for the answer at most timeout_ms in total; asks cancel() at least every 50 ms.
 * Returns MSS_OK with *reply filled for any HTTP status; MSS_ERR_TRANSPORT, MSS_ERR_TLS,
 * MSS_ERR_TIMEOUT, MSS_ERR_CANCELED or MSS_ERR_TOO_LARGE (with err) otherwise.
 *
 * *unreached is 1 after a failure that happened before any byte of the request was
 * written toward the server: the name did not resolve, the connection was refused or
 * did not open in time, the TLS handshake failed, or a proxy refused the tunnel. Only
 * then may the same request go to another server. 0 in every other case, including a
 * cancel and any doubt.
 */
mss_error mss_transport_post(mss_transport *t, const char *url, const char *body, size_t body_len,
                             unsigned timeout_ms, mss_cancel_fn cancel, void *cancel_ctx,
                             mss_http_reply *reply, int *unreached, char *err, size_t err_len);

void mss_http_reply_clear(mss_http_reply *reply);

#endif
