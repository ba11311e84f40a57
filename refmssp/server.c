/* SPDX-License-Identifier: BSD-3-Clause */
/* libmicrohttpd front of refmssp; see server.h. */
#include "server.h"
#include "listen.h"
#include "flow.h"
#include "log.h"
#include "phone_page.h"
#include "store.h"
#include "hex.h"
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
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <openssl/crypto.h>

/* Bodies larger than this are not even read to the end: the connection is dropped. */
#define RM_DISCARD_LIMIT (16u * 1024 * 1024)

/* How often the ticker ends due transactions and wakes held synch requests. */
#define RM_TICK_MS 50
/* Synch requests held at once; more get 900 at once rather than tie up memory. */
#define RM_MAX_WAITERS 128

/* A synch MSS_Signature held (suspended) until its transaction ends. */
typedef struct waiter {
    struct MHD_Connection *conn;
    char trans_id[40];
} waiter;

struct rm_server {
    struct MHD_Daemon *daemon;
    int listen_fd;
    ops_ctx ops;
    char url[128];
    int phone_page;             /* serve /phone (see rm_conf_phone_page, allow_remote) */
    pthread_t ticker;
    int ticker_started;
    pthread_mutex_t lock;       /* guards what follows */
    pthread_cond_t wake;
    int stopping;
    int kicked;                 /* run the ticker again without waiting (kick_ticker) */
    waiter waiters[RM_MAX_WAITERS];
    size_t n_waiters;
};

/* What one request has sent so far. */
typedef struct request_state {
    textbuf body;            /* capped at RM_MAX_REQUEST_BODY */
    size_t discarded;        /* bytes thrown away once the body is too large */
    int answered;            /* a response was queued at the first call */
    int held;                /* suspended until wait_trans_id ends */
    int phone;               /* a POST to the phone page: answered by phone_handle */
    char phone_url[32];
    unsigned long long ap_mask;  /* the APs its certificate / HTTP Basic stand for */
    char wait_trans_id[40];
    char ap_id[128];         /* the AP a held request speaks for (for its access line) */
    uint64_t start_us;       /* monotonic_us() when the request came in */
    char peer[64];
} request_state;

static double elapsed_ms(const request_state *rs)
{
    return (double)(monotonic_us() - rs->start_us) / 1000.0;
}

static int body_too_large(const request_state *rs)
{
    return rs->body.error == TEXTBUF_TOO_LARGE;
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

/*
 * What a connection's client certificate stands for, worked out at its first request
 * and kept for the next ones on the same connection: verifying the chain, hashing the
 * certificate and reading its DN cost more than the rest of a status query (callgrind:
 * ~2 M instructions a request). The certificate of a TLS connection does not change
 * (refmssp's GnuTLS does not renegotiate), and each request still compares the peer's
 * certificate with the one checked; the check is redone after RM_CERT_RECHECK_S so a
 * long-lived connection sees its certificate expire.
 */
#define RM_CERT_RECHECK_S 60
typedef struct conn_state {
    int checked;
    uint64_t checked_us;         /* monotonic_us() of the check */
    gnutls_datum_t cert;         /* the DER checked (malloc'd copy) */
    int cert_valid;
    char cert_fingerprint[65];
    char *cert_subject;          /* malloc'd; NULL: none */
} conn_state;

static void conn_state_clear(conn_state *cs)
{
    free(cs->cert.data);
    free(cs->cert_subject);
    memset(cs, 0, sizeof *cs);
}

/*
 * The AP's certificate must chain to the test CA and be usable for TLS client
 * authentication (the handshake only requests it; the decision is here). When it is,
 * its SHA-256 fingerprint and subject go into CS so the AP it is bound to can be found.
 */
static void check_client_cert(gnutls_session_t session, const gnutls_datum_t *certs,
                              conn_state *cs)
{
    gnutls_typed_vdata_st purpose;
    memset(&purpose, 0, sizeof purpose);
    purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
    purpose.data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT;
    unsigned status = 0;
    if (gnutls_certificate_verify_peers(session, &purpose, 1, &status) != GNUTLS_E_SUCCESS ||
        status != 0)
        return;
    unsigned char digest[32];
    size_t digest_len = sizeof digest;
    if (gnutls_fingerprint(GNUTLS_DIG_SHA256, &certs[0], digest, &digest_len) != GNUTLS_E_SUCCESS ||
        digest_len != sizeof digest)
        return;
    hex_encode(digest, sizeof digest, cs->cert_fingerprint);
    gnutls_x509_crt_t crt;
    gnutls_datum_t subject = {NULL, 0};
    if (gnutls_x509_crt_init(&crt) == GNUTLS_E_SUCCESS) {
        if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS &&
            gnutls_x509_crt_get_dn3(crt, &subject, 0) == GNUTLS_E_SUCCESS)
            cs->cert_subject = strdup((const char *)subject.data);
        gnutls_x509_crt_deinit(crt);
    }
    gnutls_free(subject.data);
    cs->cert_valid = 1;
}

/* The connection's client certificate into PEER: as checked before on this connection
 * when it is the same certificate and the check is recent, else checked now. */
static void read_client_cert(struct MHD_Connection *conn, conn_state *cs, rm_ap_peer *peer)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (cs == NULL || info == NULL || info->tls_session == NULL)
        return;
    gnutls_session_t session = (gnutls_session_t)info->tls_session;
    unsigned n_certs = 0;
    const gnutls_datum_t *certs = gnutls_certificate_get_peers(session, &n_certs);
    if (certs == NULL || n_certs == 0)
        return;
    uint64_t now = monotonic_us();
    int same = cs->checked && cs->cert.size == certs[0].size &&
               memcmp(cs->cert.data, certs[0].data, certs[0].size) == 0 &&
               now - cs->checked_us < (uint64_t)RM_CERT_RECHECK_S * 1000000u;
    if (!same) {
        conn_state_clear(cs);
        cs->cert.data = malloc(certs[0].size);
        if (cs->cert.data == NULL)
            return;
        memcpy(cs->cert.data, certs[0].data, certs[0].size);
        cs->cert.size = certs[0].size;
        check_client_cert(session, certs, cs);
        cs->checked = 1;
        cs->checked_us = now;
    }
    peer->cert_valid = cs->cert_valid;
    memcpy(peer->cert_fingerprint, cs->cert_fingerprint, sizeof peer->cert_fingerprint);
    peer->cert_subject = cs->cert_subject;
}

/*
 * The APs this request's transport authentication stands for (a bit per
 * conf->aps[i]; 0: none): its client certificate and/or HTTP Basic credentials.
 * Which one of them the request speaks for is decided once its AP_ID is read.
 */
static unsigned long long transport_aps(struct MHD_Connection *conn, const rm_conf *conf)
{
    rm_ap_peer peer;
    memset(&peer, 0, sizeof peer);
    if (rm_conf_any_cert(conf)) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        read_client_cert(conn, info != NULL ? info->socket_context : NULL, &peer);
    }
    char *password = NULL;
    char *user = NULL;
    if (rm_conf_any_basic(conf)) {
        user = MHD_basic_auth_get_username_password(conn, &password);
        peer.basic_user = user;
        peer.basic_pwd = password;
    }
    unsigned long long mask = rm_ap_transport_match(conf, &peer);
    if (password != NULL) {
        OPENSSL_cleanse(password, strlen(password));
        MHD_free(password);
    }
    if (user != NULL)
        MHD_free(user);
    return mask;
}

/* Hand a reply to MHD (which takes the body) and write the access line. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, request_state *rs,
                                  ops_reply *reply, int http_status, const char *content_type)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(reply->body_len, reply->body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        ops_reply_clear(reply);
        return MHD_NO;
    }
    reply->body = NULL;   /* now MHD's */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (http_status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
    /* The access line is written before the response is queued, so whoever has the
     * answer can rely on finding its line (the tests count them). */
    rm_access line = {
        .peer = rs->peer,
        .operation = reply->operation,
        .ap_id = reply->ap_id[0] != '\0' ? reply->ap_id : rs->ap_id,
        .msisdn = reply->msisdn,
        .ap_trans_id = reply->ap_trans_id,
        .mss_status = reply->mss_status,
        .http_status = http_status,
        .elapsed_ms = elapsed_ms(rs),
    };
    rm_log_access(&line);
    enum MHD_Result r = MHD_queue_response(conn, (unsigned)http_status, resp);
    MHD_destroy_response(resp);
    ops_reply_clear(reply);
    return r;
}

/* A phone page reply (page, JSON list, answer), with its access line. */
static enum MHD_Result send_phone(struct MHD_Connection *conn, request_state *rs,
                                  phone_reply *reply)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(reply->body_len, reply->body,
                                                                MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(reply->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'unsafe-inline'; "
                            "style-src 'unsafe-inline'");
    rm_access line = {
        .peer = rs->peer, .operation = "phone", .http_status = reply->http_status,
        .elapsed_ms = elapsed_ms(rs),
    };
    rm_log_access(&line); /* before the response, as in send_ops */
    enum MHD_Result r = MHD_queue_response(conn, (unsigned)reply->http_status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* The phone page's paths: GET answered at once, POST once its body is in. */
static enum MHD_Result start_phone(rm_server *server, struct MHD_Connection *conn,
                                   request_state *rs, const char *url, const char *method)
{
    phone_reply reply;
    memset(&reply, 0, sizeof reply);
    if (!server->phone_page) {
        rs->answered = 1;
        reply.http_status = MHD_HTTP_NOT_FOUND;
        reply.content_type = "text/plain";
        reply.body = strdup("the phone page is off (phone_page = no, or a non-loopback address "
                            "without phone_page = yes)\n");
        reply.body_len = reply.body ? strlen(reply.body) : 0;
        return reply.body ? send_phone(conn, rs, &reply) : MHD_NO;
    }
    if (strcmp(method, MHD_HTTP_METHOD_POST) == 0) {
        const char *mark = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, PHONE_ANSWER_HEADER);
        if (mark == NULL || strcmp(mark, "1") != 0) {
            rs->answered = 1;
            reply.http_status = MHD_HTTP_FORBIDDEN;
            reply.content_type = "application/json";
            reply.body = strdup("{\"error\":\"answers come from the phone page (header "
                                PHONE_ANSWER_HEADER ": 1)\"}\n");
            reply.body_len = reply.body ? strlen(reply.body) : 0;
            return reply.body ? send_phone(conn, rs, &reply) : MHD_NO;
        }
        rs->phone = 1;
        snprintf(rs->phone_url, sizeof rs->phone_url, "%s", url);
        return MHD_YES;
    }
    const char *token = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
    rs->answered = 1;
    phone_handle(server->ops.store, method, url, token, NULL, 0, &reply);
    return send_phone(conn, rs, &reply);
}

static enum MHD_Result send_fault(struct MHD_Connection *conn, request_state *rs, int http_status,
                                  int code, const char *detail)
{
    ops_reply reply;
    memset(&reply, 0, sizeof reply);
    snprintf(reply.operation, sizeof reply.operation, "-");
    ops_fault_reply(code, 0, detail, &reply);
    return send_reply(conn, rs, &reply, http_status, "application/soap+xml; charset=utf-8");
}

static int content_type_ok(struct MHD_Connection *conn)
{
    const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    if (ct == NULL)
        return 0;
    while (*ct == ' ')
        ct++;
    static const char *const accepted[] = {"application/soap+xml", "text/xml"};
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        size_t n = strlen(accepted[i]);
        if (strncasecmp(ct, accepted[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return 1;
    }
    return 0;
}

static int declared_too_large(struct MHD_Connection *conn)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (cl == NULL)
        return 0;
    char *end = NULL;
    unsigned long long n = strtoull(cl, &end, 10);
    return end != cl && n > RM_MAX_REQUEST_BODY;
}

/* First call for a request: everything that can be decided from the headers alone. */
static enum MHD_Result check_headers(rm_server *server, struct MHD_Connection *conn,
                                     request_state *rs, const char *url, const char *method)
{
    if (phone_is_path(url))
        return start_phone(server, conn, rs, url, method);
    if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
        ops_reply reply;
        memset(&reply, 0, sizeof reply);
        snprintf(reply.operation, sizeof reply.operation, "-");
        reply.body = strdup("refmssp: send TS 102 204 SOAP requests with POST\n");
        if (reply.body == NULL)
            return MHD_NO;
        reply.body_len = strlen(reply.body);
        rs->answered = 1;
        return send_reply(conn, rs, &reply, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain");
    }
    rs->ap_mask = transport_aps(conn, server->ops.conf);
    if (rs->ap_mask == 0) {
        rs->answered = 1;
        return send_fault(conn, rs, MHD_HTTP_INTERNAL_SERVER_ERROR, 104,
                          rm_conf_any_basic(server->ops.conf)
                              ? (rm_conf_any_cert(server->ops.conf)
                                     ? "a valid AP client certificate or HTTP Basic is required"
                                     : "valid HTTP Basic credentials are required")
                              : "a valid AP client certificate is required");
    }
    if (!content_type_ok(conn)) {
        rs->answered = 1;
        return send_fault(conn, rs, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, 101,
                          "Content-Type must be application/soap+xml or text/xml");
    }
    if (declared_too_large(conn)) {
        rs->answered = 1;
        return send_fault(conn, rs, MHD_HTTP_CONTENT_TOO_LARGE, 101, "request body too large");
    }
    return MHD_YES;
}

/* 0 to read on; -1 to drop the connection (no memory, or far too much sent). */
static int append_body(request_state *rs, const char *data, size_t len)
{
    textbuf_result r = textbuf_append(&rs->body, data, len);
    if (r == TEXTBUF_TOO_LARGE) {
        /* Read (and throw away) the rest up to a limit, so the client gets its 413. */
        rs->discarded += len;
        return rs->discarded <= RM_DISCARD_LIMIT ? 0 : -1;
    }
    return r == TEXTBUF_OK ? 0 : -1;
}

/* Suspend a synch request until its transaction ends. 0, or -1 when full/stopping. */
static int hold_request(rm_server *server, struct MHD_Connection *conn, request_state *rs,
                        const char *trans_id)
{
    pthread_mutex_lock(&server->lock);
    int rc = -1;
    if (!server->stopping && server->n_waiters < RM_MAX_WAITERS) {
        waiter *w = &server->waiters[server->n_waiters++];
        w->conn = conn;
        snprintf(w->trans_id, sizeof w->trans_id, "%s", trans_id);
        snprintf(rs->wait_trans_id, sizeof rs->wait_trans_id, "%s", trans_id);
        rs->held = 1;
        rs->answered = 1;   /* the body is complete; only the resume call answers */
        MHD_suspend_connection(conn);
        rc = 0;
    }
    pthread_mutex_unlock(&server->lock);
    return rc;
}

/* 1 when the transaction is no longer pending (or cannot be read). */
static int trans_ended(rm_store *store, const char *trans_id)
{
    store_tx tx;
    int found = store_tx_find(store, trans_id, &tx);
    if (found != 1)
        return 1;
    int ended = tx.state != STORE_TX_PENDING;
    store_tx_clear(&tx);
    return ended;
}

/* Resume the held requests whose transactions have ended (all when ALL is set). */
static void wake_waiters(rm_server *server, int all)
{
    pthread_mutex_lock(&server->lock);
    size_t kept = 0;
    for (size_t i = 0; i < server->n_waiters; i++) {
        waiter *w = &server->waiters[i];
        if (all || trans_ended(server->ops.store, w->trans_id))
            MHD_resume_connection(w->conn);
        else
            server->waiters[kept++] = *w;
    }
    server->n_waiters = kept;
    pthread_mutex_unlock(&server->lock);
}

/* Run the ticker now rather than at its next tick: a person answered on the phone page,
 * and the synch request held for that transaction can be answered at once. */
static void kick_ticker(rm_server *server)
{
    pthread_mutex_lock(&server->lock);
    server->kicked = 1;
    pthread_cond_signal(&server->wake);
    pthread_mutex_unlock(&server->lock);
}

/* The ticker: ends due transactions (delays, deadlines) and answers held requests. */
static void *ticker_main(void *arg)
{
    rm_server *server = arg;
    pthread_mutex_lock(&server->lock);
    while (!server->stopping) {
        pthread_mutex_unlock(&server->lock);
        flow_settle_all(server->ops.store);
        wake_waiters(server, 0);
        store_checkpoint(server->ops.store);
        pthread_mutex_lock(&server->lock);
        struct timespec until = timespec_after_ms(RM_TICK_MS);
        if (!server->stopping && !server->kicked)
            pthread_cond_timedwait(&server->wake, &server->lock, &until);
        server->kicked = 0;
    }
    pthread_mutex_unlock(&server->lock);
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    rm_server *server = cls;
    request_state *rs = *con_cls;
    if (rs == NULL) {
        rs = calloc(1, sizeof *rs);
        if (rs == NULL)
            return MHD_NO;
        rs->start_us = monotonic_us();
        textbuf_init(&rs->body, RM_MAX_REQUEST_BODY);
        peer_address(conn, rs->peer, sizeof rs->peer);
        *con_cls = rs;
        return check_headers(server, conn, rs, url, method);
    }
    if (rs->held) {
        /* resumed: the transaction has ended (or the server stops) */
        rs->held = 0;
        rs->answered = 1;
        ops_reply reply;
        ops_handle_resumed(&server->ops, textbuf_str(&rs->body), rs->body.len,
                           rs->wait_trans_id, &reply);
        return send_reply(conn, rs, &reply, reply.http_status,
                          "application/soap+xml; charset=utf-8");
    }
    if (rs->answered) {
        *upload_data_size = 0;   /* the answer is out; ignore the rest of the body */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (append_body(rs, upload_data, *upload_data_size) != 0)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    rs->answered = 1;
    if (body_too_large(rs))
        return send_fault(conn, rs, MHD_HTTP_CONTENT_TOO_LARGE, 101, "request body too large");
    if (rs->phone) {
        phone_reply phone;
        phone_handle(server->ops.store, method, rs->phone_url, NULL, textbuf_str(&rs->body),
                     rs->body.len, &phone);
        kick_ticker(server);
        return send_phone(conn, rs, &phone);
    }
    ops_reply reply;
    ops_ctx ctx = server->ops;
    ctx.transport_aps = rs->ap_mask;
    ops_handle_request(&ctx, textbuf_str(&rs->body), rs->body.len, &reply);
    if (reply.wait_trans_id[0] != '\0') {
        snprintf(rs->ap_id, sizeof rs->ap_id, "%s", reply.ap_id);
        if (hold_request(server, conn, rs, reply.wait_trans_id) == 0) {
            ops_reply_clear(&reply);
            return MHD_YES;
        }
        ops_fault_reply(900, 9002, "too many requests waiting for phones", &reply);
    }
    return send_reply(conn, rs, &reply, reply.http_status, "application/soap+xml; charset=utf-8");
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    request_state *rs = *con_cls;
    if (rs == NULL)
        return;
    textbuf_clear(&rs->body);
    free(rs);
    *con_cls = NULL;
}

/* A connection's state (its checked certificate) lives as long as the connection. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)conn;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(conn_state));
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context != NULL) {
        conn_state_clear(*socket_context);
        free(*socket_context);
        *socket_context = NULL;
    }
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
    char line[400];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    rm_log_error("http: %s", line);
}

int rm_server_start(const rm_server_options *opts, rm_server **out, char *err, size_t err_len)
{
    *out = NULL;
    srv_listen_addr addr;
    if (srv_listen_parse(opts->listen, &addr, err, err_len) != 0)
        return -1;
    if (!opts->allow_remote && !srv_listen_addr_is_loopback(&addr)) {
        snprintf(err, err_len,
                 "'%s' is not a loopback address; refmssp is a test server (use --allow-remote "
                 "to serve other hosts anyway)", opts->listen);
        return -1;
    }
    rm_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    s->ops = opts->ops;
    /* The page has no login: on a non-loopback address only when asked for explicitly. */
    s->phone_page = rm_conf_phone_page(opts->ops.conf) &&
                    (!opts->allow_remote || srv_listen_addr_is_loopback(&addr) ||
                     opts->ops.conf->phone_page != NULL);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    s->listen_fd = srv_listen_open(&addr, err, err_len);
    if (s->listen_fd < 0) {
        free(s);
        return -1;
    }
    if (srv_listen_url(s->listen_fd, s->url, sizeof s->url) != 0)
        snprintf(s->url, sizeof s->url, "https://%s/mss", opts->listen);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_TLS |
                     MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (addr.sa.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,   /* first, so it sees every message */
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)s->listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)RM_THREAD_POOL_SIZE,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)RM_CONNECTION_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)RM_MAX_CONNECTIONS,
        /* one client cannot take all of them */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, rm_conf_connections_per_ip(opts->ops.conf),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_HTTPS_MEM_CERT, opts->cert_pem,
        MHD_OPTION_HTTPS_MEM_KEY, opts->key_pem,
        MHD_OPTION_HTTPS_MEM_TRUST, opts->ca_pem,
        MHD_OPTION_HTTPS_PRIORITIES, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2",
        MHD_OPTION_END);
    if (s->daemon == NULL) {
        snprintf(err, err_len, "cannot start the HTTPS server (bad server key or certificate?)");
        close(s->listen_fd);
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return -1;
    }
    if (pthread_create(&s->ticker, NULL, ticker_main, s) != 0) {
        snprintf(err, err_len, "cannot start the transaction ticker thread");
        MHD_stop_daemon(s->daemon);
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return -1;
    }
    s->ticker_started = 1;
    *out = s;
    return 0;
}

const char *rm_server_url(const rm_server *server)
{
    return server->url;
}

void rm_server_stop(rm_server *server)
{
    if (server == NULL)
        return;
    pthread_mutex_lock(&server->lock);
    server->stopping = 1;
    pthread_cond_signal(&server->wake);
    pthread_mutex_unlock(&server->lock);
    if (server->ticker_started)
        pthread_join(server->ticker, NULL);
    /* Pending transactions end now (208), and held synch requests get that answer. */
    int expired = 0;
    store_tx_expire_all(server->ops.store, &expired);
    if (expired > 0)
        store_audit(server->ops.store, "expired", NULL, "pending transactions at shutdown");
    wake_waiters(server, 1);
    /* Give the resumed requests a moment to be answered before the daemon stops. */
    struct timespec pause = {0, 100 * 1000000L};
    nanosleep(&pause, NULL);
    /* MHD closes the listening socket it was given. */
    MHD_stop_daemon(server->daemon);
    pthread_cond_destroy(&server->wake);
    pthread_mutex_destroy(&server->lock);
    free(server);
}
