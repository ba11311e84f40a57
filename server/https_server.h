/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTTPS serving both servers share (refmssp, mss-relay): libmicrohttpd over GnuTLS,
 * a listening socket of server/listen.h, request bodies read up to a cap, client
 * certificates verified against a trust CA once per connection, requests held and
 * resumed later, and a stop that lets requests in flight be answered.
 *
 * The server knows HTTP and TLS only. What a request means is the handler's: it sees
 * the headers first (to answer at once, or read the body), then the whole body (to
 * answer, or hold the request until srv_resume). A handler writes its own access line
 * before it returns a reply, so whoever gets the answer can rely on finding the line.
 */
#ifndef MSS_SERVER_HTTPS_SERVER_H
#define MSS_SERVER_HTTPS_SERVER_H

#include <stddef.h>

typedef struct srv_server srv_server;
typedef struct srv_request srv_request;

/* One answer. The server takes BODY (malloc'd) in every case. */
typedef struct srv_reply {
    int http_status;
    const char *content_type;
    char *body;
    size_t body_len;
    const char *allow;       /* an Allow header (with 405); NULL: none */
    int page;                /* a browser page: no-store, nosniff and a strict CSP */
} srv_reply;

/* Fill REPLY with a copy of TEXT. 0, or -1 when out of memory. */
int srv_reply_text(srv_reply *reply, int http_status, const char *content_type,
                   const char *text);

/* What a handler callback decides. */
typedef enum srv_verdict {
    SRV_REPLY = 0,   /* send the reply filled in */
    SRV_READ_BODY,   /* (on_headers) read the body, then on_body */
    SRV_HOLD,        /* (on_body) keep the request open until srv_resume, then on_resumed */
    SRV_DROP         /* close the connection without an answer (out of memory) */
} srv_verdict;

typedef struct srv_handler {
    void *ctx;
    /* Headers are in: answer at once (SRV_REPLY) or read the body (SRV_READ_BODY). */
    srv_verdict (*on_headers)(void *ctx, srv_request *req, srv_reply *reply);
    /* The whole body (NUL-terminated, at most max_body bytes): SRV_REPLY or SRV_HOLD. */
    srv_verdict (*on_body)(void *ctx, srv_request *req, const char *body, size_t len,
                           srv_reply *reply);
    /* A held request was resumed: the reply (the body is given again). */
    void (*on_resumed)(void *ctx, srv_request *req, const char *body, size_t len,
                       srv_reply *reply);
    /* The body is, or is declared, larger than max_body: the reply (413). */
    void (*on_too_large)(void *ctx, srv_request *req, srv_reply *reply);
    /* The request has ended, answered or not: free what *srv_request_slot holds.
     * May be NULL. */
    void (*on_done)(void *ctx, srv_request *req);
} srv_handler;

/* The serving models. */
typedef enum srv_threads {
    /* A fixed pool of threads; handlers must not block (hold instead). */
    SRV_THREAD_POOL = 0,
    /* A thread per connection (at most max_connections): handlers may block, for as
     * long as request_timeout_s allows; no holding. */
    SRV_THREAD_PER_CONNECTION
} srv_threads;

typedef struct srv_options {
    const char *listen;         /* "ADDR:PORT" or "[IPv6]:PORT"; port 0 picks a free one */
    const char *url_path;       /* the path srv_url ends with, e.g. "/mss" */
    const char *cert_pem;       /* the server's certificate (PEM text) */
    const char *key_pem;        /* its key (PEM text; secret) */
    const char *trust_pem;      /* CA for client certificates; NULL: none asked for */
    int handshake_refuses_bad_certs; /* 1: a client certificate that does not verify
                                 * against trust_pem (or may not authenticate a client)
                                 * fails the TLS handshake; a client without one still
                                 * connects. 0: the request sees it as not valid. */
    srv_threads threads;
    unsigned pool_size;         /* SRV_THREAD_POOL: threads; 0: 4 */
    unsigned max_connections;   /* 0: 256 */
    unsigned connections_per_ip;/* 0: no limit */
    unsigned idle_timeout_s;    /* an idle or slow connection is closed; 0: 30 */
    size_t max_body;            /* 0: 256 KiB */
    srv_handler handler;
    void (*log_error)(const char *line);   /* libmicrohttpd's own messages; may be NULL */
} srv_options;

/* Bind, listen and start serving. 0, or -1 with a one-line reason in err. */
int srv_start(const srv_options *opts, srv_server **out, char *err, size_t err_len);

/* "https://127.0.0.1:9443/mss": the address actually bound and url_path. */
const char *srv_url(const srv_server *server);

/* 1 when the server listens on a loopback address only. */
int srv_is_loopback(const srv_server *server);

/*
 * Stop: no new connection is accepted; requests in flight (held ones included, which
 * the caller resumes first) get up to GRACE_MS to be answered; then every thread is
 * joined and the server freed.
 */
void srv_stop(srv_server *server, unsigned grace_ms);

/*
 * Hold the request (from on_body, which then returns SRV_HOLD): it stays open with no
 * answer until srv_resume. Call it while holding whatever lock the resuming thread
 * takes, so that a resume can never come before the hold. Only in SRV_THREAD_POOL.
 */
void srv_hold(srv_request *req);
/* Answer a held request now (any thread): its on_resumed runs in a server thread. */
void srv_resume(srv_request *req);

/* About a request; valid inside the callbacks (and for a held one until it is answered). */
const char *srv_request_method(const srv_request *req);
const char *srv_request_path(const srv_request *req);
const char *srv_request_header(srv_request *req, const char *name);   /* NULL: absent */
const char *srv_request_query(srv_request *req, const char *name);    /* NULL: absent */
const char *srv_request_peer(const srv_request *req);   /* numeric address, or "-" */
double srv_request_elapsed_ms(const srv_request *req);  /* since its headers arrived */
/* 1 when the Content-Type's media type (parameters aside, any case) is one of the N
 * in ACCEPTED. */
int srv_request_media_type_in(srv_request *req, const char *const *accepted, size_t n);
/* The handler's own state for this request: one pointer, NULL at first, freed by
 * the handler's on_done. */
void **srv_request_slot(srv_request *req);

/*
 * The TLS client certificate of the request's connection. Verified against trust_pem
 * for TLS client authentication the first time a connection presents it and then
 * kept (the same certificate on the same connection is not verified again before
 * SRV_CERT_RECHECK_S have passed, so a long-lived connection still sees it expire).
 */
#define SRV_CERT_RECHECK_S 60
typedef struct srv_client_cert {
    int present;                /* a certificate was sent */
    int valid;                  /* it chains to trust_pem and may authenticate a client */
    char fingerprint[65];       /* SHA-256 of its DER, lower-case hex (valid ones) */
    const char *subject;        /* RFC 4514 DN (valid ones); NULL: none */
} srv_client_cert;
void srv_request_client_cert(srv_request *req, srv_client_cert *out);

/*
 * HTTP Basic credentials of the request, or 0 when it has none. Free both with
 * srv_basic_free, which wipes the password.
 */
int srv_request_basic(srv_request *req, char **user, char **password);
void srv_basic_free(char *user, char *password);

#endif /* MSS_SERVER_HTTPS_SERVER_H */
