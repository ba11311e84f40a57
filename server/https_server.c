/* SPDX-License-Identifier: BSD-3-Clause */
/* The servers' shared HTTPS front on libmicrohttpd; see https_server.h. */
#include "https_server.h"
#include "client_cert.h"
#include "listen.h"
#include "textbuf.h"
#include "timed_wait.h"

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

/* Bodies larger than max_body are read and thrown away up to this much, so that the
 * client gets its 413; beyond it the connection is dropped. */
#define SRV_DISCARD_LIMIT (16u * 1024 * 1024)
#define SRV_DEFAULT_POOL 4u
#define SRV_DEFAULT_CONNECTIONS 256u
#define SRV_DEFAULT_IDLE_S 30u
#define SRV_DEFAULT_MAX_BODY (256u * 1024)

struct srv_server {
    struct MHD_Daemon *daemon;
    srv_handler handler;
    size_t max_body;
    srv_threads threads;
    int handshake_refuses_bad_certs;
    int loopback;
    char url[160];
    void (*log_error)(const char *line);
    pthread_mutex_t lock;          /* guards in_flight */
    pthread_cond_t drained;        /* signalled when in_flight reaches 0 */
    unsigned in_flight;            /* requests begun and not yet ended */
};

struct srv_request {
    srv_server *server;
    struct MHD_Connection *conn;
    const char *method;
    char *path;
    textbuf body;                  /* capped at max_body */
    size_t discarded;              /* thrown away once the body is too large */
    int answered;                  /* a reply is queued; ignore the rest of the body */
    int held;                      /* suspended until srv_resume */
    uint64_t start_us;
    char peer[64];
    void *slot;                    /* the handler's */
};

int srv_reply_text(srv_reply *reply, int http_status, const char *content_type,
                   const char *text)
{
    memset(reply, 0, sizeof *reply);
    reply->http_status = http_status;
    reply->content_type = content_type;
    reply->body = strdup(text);
    reply->body_len = reply->body != NULL ? strlen(text) : 0;
    return reply->body != NULL ? 0 : -1;
}

void srv_hold(srv_request *req)
{
    req->held = 1;
    req->answered = 1;   /* the body is complete; only the resumed call answers */
    MHD_suspend_connection(req->conn);
}

static void peer_address(struct MHD_Connection *conn, char *buf, size_t len)
{
    snprintf(buf, len, "-");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL)
        return;
    const struct sockaddr *sa = info->client_addr;
    socklen_t sa_len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                 : sizeof(struct sockaddr_in);
    if (getnameinfo(sa, sa_len, buf, (socklen_t)len, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(buf, len, "-");
}

/* Hand a reply to libmicrohttpd, which takes its body. */
static enum MHD_Result queue_reply(srv_request *req, srv_reply *reply)
{
    req->answered = 1;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        reply->body_len, reply->body != NULL ? reply->body : (char *)"", reply->body != NULL
                                                                  ? MHD_RESPMEM_MUST_FREE
                                                                  : MHD_RESPMEM_PERSISTENT);
    if (resp == NULL) {
        free(reply->body);
        return MHD_NO;
    }
    reply->body = NULL;
    if (reply->content_type != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
    if (reply->allow != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, reply->allow);
    if (reply->page) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; script-src 'unsafe-inline'; "
                                "style-src 'unsafe-inline'");
    }
    enum MHD_Result r = MHD_queue_response(req->conn, (unsigned)reply->http_status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Send what the handler decided; a hold suspends the connection (thread pool only: a
 * thread per connection has nothing to come back to it, so there it is a drop). */
static enum MHD_Result act(srv_request *req, srv_verdict verdict, srv_reply *reply)
{
    switch (verdict) {
    case SRV_REPLY:
        return queue_reply(req, reply);
    case SRV_READ_BODY:
        return MHD_YES;
    case SRV_HOLD:
        free(reply->body);
        if (req->server->threads != SRV_THREAD_POOL)
            return MHD_NO;
        if (!req->held)
            srv_hold(req);
        return MHD_YES;
    case SRV_DROP:
    default:
        free(reply->body);
        return MHD_NO;
    }
}

/* A body declared over max_body: answered at the headers only when the client waits for
 * that answer (Expect: 100-continue) or the body is over the discard limit anyway. Any
 * other client is still sending when an early answer closes the connection, and the reset
 * of its unread bytes can reach it before the 413 does; its body is read, thrown away and
 * then answered. */
static int refuse_at_headers(struct MHD_Connection *conn, size_t max_body)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl == NULL)
        return 0;
    char *end = NULL;
    unsigned long long n = strtoull(cl, &end, 10);
    if (end == cl || n <= max_body)
        return 0;
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
    return n > SRV_DISCARD_LIMIT || (expect != NULL && strcasecmp(expect, "100-continue") == 0);
}

static srv_request *request_new(srv_server *server, struct MHD_Connection *conn,
                                const char *url, const char *method)
{
    srv_request *req = calloc(1, sizeof *req);
    if (req == NULL)
        return NULL;
    req->path = strdup(url);
    if (req->path == NULL) {
        free(req);
        return NULL;
    }
    req->server = server;
    req->conn = conn;
    req->method = method;   /* libmicrohttpd keeps it for the request's life */
    req->start_us = monotonic_us();
    textbuf_init(&req->body, server->max_body);
    peer_address(conn, req->peer, sizeof req->peer);
    pthread_mutex_lock(&server->lock);
    server->in_flight++;
    pthread_mutex_unlock(&server->lock);
    return req;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    srv_server *server = cls;
    srv_request *req = *con_cls;
    srv_reply reply;
    memset(&reply, 0, sizeof reply);
    if (req == NULL) {
        req = request_new(server, conn, url, method);
        if (req == NULL)
            return MHD_NO;
        *con_cls = req;
        srv_verdict v = server->handler.on_headers(server->handler.ctx, req, &reply);
        if (v == SRV_READ_BODY && refuse_at_headers(conn, server->max_body)) {
            server->handler.on_too_large(server->handler.ctx, req, &reply);
            v = SRV_REPLY;
        }
        return act(req, v == SRV_HOLD ? SRV_DROP : v, &reply);
    }
    if (req->held) {
        req->held = 0;
        server->handler.on_resumed(server->handler.ctx, req, textbuf_str(&req->body),
                                   req->body.len, &reply);
        return queue_reply(req, &reply);
    }
    if (req->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        textbuf_result r = textbuf_append(&req->body, upload_data, *upload_data_size);
        if (r == TEXTBUF_TOO_LARGE) {
            req->discarded += *upload_data_size;
            if (req->discarded > SRV_DISCARD_LIMIT)
                return MHD_NO;
        } else if (r != TEXTBUF_OK) {
            return MHD_NO;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->body.error == TEXTBUF_TOO_LARGE) {
        server->handler.on_too_large(server->handler.ctx, req, &reply);
        return queue_reply(req, &reply);
    }
    srv_verdict v = server->handler.on_body(server->handler.ctx, req, textbuf_str(&req->body),
                                            req->body.len, &reply);
    return act(req, v == SRV_READ_BODY ? SRV_DROP : v, &reply);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    srv_server *server = cls;
    srv_request *req = *con_cls;
    if (req == NULL)
        return;
    if (server->handler.on_done != NULL)
        server->handler.on_done(server->handler.ctx, req);
    textbuf_clear(&req->body);
    free(req->path);
    free(req);
    *con_cls = NULL;
    pthread_mutex_lock(&server->lock);
    if (--server->in_flight == 0)
        pthread_cond_broadcast(&server->drained);
    pthread_mutex_unlock(&server->lock);
}

/* A connection's state (its checked client certificate) lives as long as it does. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    srv_server *server = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        /* The TLS session exists and its handshake has not begun. */
        const union MHD_ConnectionInfo *tls =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
        if (server->handshake_refuses_bad_certs && tls != NULL && tls->tls_session != NULL)
            srv_cert_verify_in_handshake(tls->tls_session);
        *socket_context = srv_cert_memo_new();
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        srv_cert_memo_free(*socket_context);
        *socket_context = NULL;
    }
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    srv_server *server = cls;
    char line[400];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    if (server->log_error != NULL)
        server->log_error(line);
}

static unsigned or_default(unsigned value, unsigned dflt)
{
    return value != 0 ? value : dflt;
}

static void server_free(srv_server *s)
{
    pthread_cond_destroy(&s->drained);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int srv_start(const srv_options *opts, srv_server **out, char *err, size_t err_len)
{
    *out = NULL;
    const srv_handler *h = &opts->handler;
    if (h->on_headers == NULL || h->on_body == NULL || h->on_too_large == NULL ||
        (opts->threads == SRV_THREAD_POOL && h->on_resumed == NULL)) {
        snprintf(err, err_len, "internal error: a handler callback is missing");
        return -1;
    }
    srv_listen_addr addr;
    if (srv_listen_parse(opts->listen, &addr, err, err_len) != 0)
        return -1;
    srv_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    s->handler = *h;
    s->max_body = opts->max_body != 0 ? opts->max_body : SRV_DEFAULT_MAX_BODY;
    s->threads = opts->threads;
    s->handshake_refuses_bad_certs = opts->handshake_refuses_bad_certs && opts->trust_pem != NULL;
    s->loopback = srv_listen_addr_is_loopback(&addr);
    s->log_error = opts->log_error;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->drained, NULL);
    int fd = srv_listen_open(&addr, err, err_len);
    if (fd < 0) {
        server_free(s);
        return -1;
    }
    const char *path = opts->url_path != NULL ? opts->url_path : "/";
    if (srv_listen_url(fd, path, s->url, sizeof s->url) != 0)
        snprintf(s->url, sizeof s->url, "https://%s%s", opts->listen, path);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS | MHD_USE_ERROR_LOG |
                     MHD_USE_ITC;
    flags |= opts->threads == SRV_THREAD_PER_CONNECTION
                 ? MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL
                 : MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME;
    if (addr.sa.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* Options that only some servers take, as arrays: one whose first item is
     * MHD_OPTION_END adds nothing (a thread pool only in the pool model; a trust CA,
     * which makes GnuTLS ask for client certificates, only when one is given). */
    unsigned pool = or_default(opts->pool_size, SRV_DEFAULT_POOL);
    struct MHD_OptionItem pool_option[] = {
        {opts->threads == SRV_THREAD_POOL ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END,
         (intptr_t)pool, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_OptionItem trust_option[] = {
        {opts->trust_pem != NULL ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, 0,
         (void *)opts->trust_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, s,   /* first, so it sees every message */
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
        MHD_OPTION_CONNECTION_TIMEOUT, or_default(opts->idle_timeout_s, SRV_DEFAULT_IDLE_S),
        MHD_OPTION_CONNECTION_LIMIT,
        or_default(opts->max_connections, SRV_DEFAULT_CONNECTIONS),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->connections_per_ip,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_HTTPS_MEM_CERT, opts->cert_pem,
        MHD_OPTION_HTTPS_MEM_KEY, opts->key_pem,
        MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
        MHD_OPTION_ARRAY, pool_option,
        MHD_OPTION_ARRAY, trust_option,
        MHD_OPTION_END);
    if (s->daemon == NULL) {
        snprintf(err, err_len, "cannot start the HTTPS server (bad server key or certificate?)");
        close(fd);
        server_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

const char *srv_url(const srv_server *server)
{
    return server->url;
}

int srv_is_loopback(const srv_server *server)
{
    return server->loopback;
}

void srv_stop(srv_server *server, unsigned grace_ms)
{
    if (server == NULL)
        return;
    /* No new connections from here on; the listening socket is ours to close. */
    MHD_socket listener = MHD_quiesce_daemon(server->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    pthread_mutex_lock(&server->lock);
    struct timespec until = timespec_after_ms(grace_ms);
    while (server->in_flight > 0) {
        if (pthread_cond_timedwait(&server->drained, &server->lock, &until) != 0)
            break;
    }
    pthread_mutex_unlock(&server->lock);
    MHD_stop_daemon(server->daemon);
    server_free(server);
}

void srv_resume(srv_request *req)
{
    MHD_resume_connection(req->conn);
}

const char *srv_request_method(const srv_request *req)
{
    return req->method;
}

const char *srv_request_path(const srv_request *req)
{
    return req->path;
}

const char *srv_request_header(srv_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *srv_request_query(srv_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *srv_request_peer(const srv_request *req)
{
    return req->peer;
}

double srv_request_elapsed_ms(const srv_request *req)
{
    return (double)(monotonic_us() - req->start_us) / 1000.0;
}

int srv_request_media_type_in(srv_request *req, const char *const *accepted, size_t n)
{
    const char *ct = srv_request_header(req, "Content-Type");
    if (ct == NULL)
        return 0;
    while (*ct == ' ')
        ct++;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(accepted[i]);
        if (strncasecmp(ct, accepted[i], len) == 0 &&
            (ct[len] == '\0' || ct[len] == ';' || ct[len] == ' '))
            return 1;
    }
    return 0;
}

void **srv_request_slot(srv_request *req)
{
    return &req->slot;
}

void srv_request_client_cert(srv_request *req, srv_client_cert *out)
{
    memset(out, 0, sizeof *out);
    const union MHD_ConnectionInfo *ctx =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const union MHD_ConnectionInfo *tls =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (ctx == NULL || tls == NULL || tls->tls_session == NULL)
        return;
    srv_cert_memo_read(ctx->socket_context, tls->tls_session, out);
}

int srv_request_basic(srv_request *req, char **user, char **password)
{
    *password = NULL;
    *user = MHD_basic_auth_get_username_password(req->conn, password);
    if (*user == NULL) {
        srv_basic_free(NULL, *password);
        *password = NULL;
        return 0;
    }
    return 1;
}

void srv_basic_free(char *user, char *password)
{
    if (password != NULL) {
        OPENSSL_cleanse(password, strlen(password));
        MHD_free(password);
    }
    if (user != NULL)
        MHD_free(user);
}
