/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp's HTTP handling on the servers' shared HTTPS front (server/https_server.h):
 * which AP a request's transport stands for, the phone page, TS 102 204 requests in
 * either binding (binding_route.h) handed to mss_ops, synch requests held until their transaction ends, and the ticker
 * that ends due transactions. See server.h.
 */
#include "server.h"
#include "ap_hmac.h"
#include "hmac_replay.h"
#include "binding_route.h"
#include "fault_answer.h"
#include "https_server.h"
#include "listen.h"
#include "flow.h"
#include "log.h"
#include "phone_page.h"
#include "store.h"
#include "timed_wait.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

/* How often the ticker ends due transactions and wakes held synch requests. */
#define RM_TICK_MS 50
/* Synch requests held at once; more get 900 at once rather than tie up memory. */
#define RM_MAX_WAITERS 128
/* How long a stop waits for the requests in flight (held ones are answered first). */
#define RM_STOP_GRACE_MS 2000

/* A synch MSS_Signature held until its transaction ends. */
typedef struct waiter {
    srv_request *req;
    char trans_id[40];
} waiter;

struct rm_server {
    srv_server *http;
    ops_ctx ops;
    int phone_page;             /* serve /phone (see rm_conf_phone_page, allow_remote) */
    rm_hmac_replay *hmac_seen;  /* the accepted HMAC signatures; NULL without HMAC APs */
    pthread_t ticker;
    int ticker_started;
    pthread_mutex_t lock;       /* guards what follows */
    pthread_cond_t wake;
    int stopping;
    int kicked;                 /* run the ticker again without waiting (kick_ticker) */
    waiter waiters[RM_MAX_WAITERS];
    size_t n_waiters;
};

/* What refmssp keeps about one request (its slot in the shared server). */
typedef struct request_state {
    int phone;               /* a POST to the phone page: answered by phone_handle */
    srv_route route;         /* SOAP or REST, from the path and Content-Type */
    unsigned long long ap_mask;  /* the APs its certificate / HTTP Basic stand for */
    rm_hmac_claim hmac;      /* an HMAC AP's claim, checked against the body (ap_hmac.h) */
    char wait_trans_id[40];  /* held until this transaction ends */
    char ap_id[128];         /* the AP a held request speaks for (for its access line) */
} request_state;

static request_state *state_of(srv_request *req)
{
    return *srv_request_slot(req);
}

/*
 * The APs this request's transport authentication stands for (a bit per
 * conf->aps[i]; 0: none): its client certificate and/or HTTP Basic credentials.
 * Which one of them the request speaks for is decided once its AP_ID is read.
 */
static unsigned long long transport_aps(srv_request *req, const rm_conf *conf)
{
    rm_ap_peer peer;
    memset(&peer, 0, sizeof peer);
    srv_client_cert cert;
    if (rm_conf_any_cert(conf)) {
        srv_request_client_cert(req, &cert);
        peer.cert_valid = cert.valid;
        memcpy(peer.cert_fingerprint, cert.fingerprint, sizeof peer.cert_fingerprint);
        peer.cert_subject = cert.subject;
    }
    char *user = NULL, *password = NULL;
    if (rm_conf_any_basic(conf) && srv_request_basic(req, &user, &password)) {
        peer.basic_user = user;
        peer.basic_pwd = password;
    }
    unsigned long long mask = rm_ap_transport_match(conf, &peer);
    srv_basic_free(user, password);
    return mask;
}

/* An operations reply as the server's, with its access line written first (whoever
 * has the answer can rely on finding its line: the tests count them). */
static srv_verdict ops_to_reply(srv_request *req, ops_reply *ops, int http_status,
                                const char *content_type, srv_reply *reply)
{
    request_state *rs = state_of(req);
    rm_access line = {
        .peer = srv_request_peer(req),
        .operation = ops->operation,
        .ap_id = ops->ap_id[0] != '\0' ? ops->ap_id : (rs != NULL ? rs->ap_id : NULL),
        .msisdn = ops->msisdn,
        .ap_trans_id = ops->ap_trans_id,
        .mss_status = ops->mss_status,
        .http_status = http_status,
        .elapsed_ms = srv_request_elapsed_ms(req),
    };
    rm_log_access(&line);
    memset(reply, 0, sizeof *reply);
    reply->http_status = http_status;
    reply->content_type = content_type;
    reply->body = ops->body;
    reply->body_len = ops->body_len;
    ops->body = NULL;   /* now the server's */
    if (http_status == MHD_HTTP_METHOD_NOT_ALLOWED)
        reply->allow = "POST";
    ops_reply_clear(ops);
    return SRV_REPLY;
}

/* A phone page reply (page, JSON list, answer), with its access line. */
static srv_verdict phone_to_reply(srv_request *req, phone_reply *phone, srv_reply *reply)
{
    rm_access line = {
        .peer = srv_request_peer(req), .operation = "phone", .http_status = phone->http_status,
        .elapsed_ms = srv_request_elapsed_ms(req),
    };
    rm_log_access(&line);
    memset(reply, 0, sizeof *reply);
    reply->http_status = phone->http_status;
    reply->content_type = phone->content_type;
    reply->body = phone->body;
    reply->body_len = phone->body_len;
    reply->page = 1;
    return phone->body != NULL ? SRV_REPLY : SRV_DROP;
}

static srv_verdict phone_text(srv_request *req, int http_status, const char *content_type,
                              const char *text, srv_reply *reply)
{
    phone_reply phone = {.http_status = http_status, .content_type = content_type,
                         .body = strdup(text)};
    phone.body_len = phone.body != NULL ? strlen(phone.body) : 0;
    return phone_to_reply(req, &phone, reply);
}

/* The Content-Type of an answer in the binding of OPS. */
static const char *ops_content_type(const ops_reply *ops)
{
    return mss_binding_content_type(srv_binding_or_soap(ops->binding));
}

/* A fault in the request's binding, before or without its body. */
static srv_verdict fault(srv_request *req, int http_status, int code, const char *detail,
                         srv_reply *reply)
{
    ops_reply ops;
    memset(&ops, 0, sizeof ops);
    request_state *rs = state_of(req);
    ops.binding = rs != NULL ? rs->route.binding : NULL;
    snprintf(ops.operation, sizeof ops.operation, "-");
    ops_fault_reply(code, 0, detail, &ops);
    return ops_to_reply(req, &ops, http_status, ops_content_type(&ops), reply);
}

/* The phone page's paths: GET answered at once, POST once its body is in. */
static srv_verdict start_phone(rm_server *server, srv_request *req, srv_reply *reply)
{
    if (!server->phone_page)
        return phone_text(req, MHD_HTTP_NOT_FOUND, "text/plain",
                          "the phone page is off (phone_page = no, or a non-loopback address "
                          "without phone_page = yes)\n", reply);
    const char *method = srv_request_method(req);
    if (strcmp(method, MHD_HTTP_METHOD_POST) == 0) {
        const char *mark = srv_request_header(req, PHONE_ANSWER_HEADER);
        if (mark == NULL || strcmp(mark, "1") != 0)
            return phone_text(req, MHD_HTTP_FORBIDDEN, "application/json",
                              "{\"error\":\"answers come from the phone page (header "
                              PHONE_ANSWER_HEADER ": 1)\"}\n", reply);
        state_of(req)->phone = 1;
        return SRV_READ_BODY;
    }
    phone_reply phone;
    phone_handle(server->ops.store, method, srv_request_path(req),
                 srv_request_query(req, "token"), NULL, 0, &phone);
    return phone_to_reply(req, &phone, reply);
}

/* A REST request that no certificate or Basic password let in, to an MSSP with HMAC APs:
 * its Authorization header may be an HMAC AP's claim with a fresh Date. As
 * rm_hmac_claim_read: 0 a claim, 1 none, -1 a bad one (the reason for the 401 in *why). */
static int read_hmac_claim(srv_request *req, const rm_conf *conf, rm_hmac_claim *claim,
                           const char **why)
{
    char *user = NULL, *password = NULL;
    srv_request_basic(req, &user, &password);
    int rc = rm_hmac_claim_read(conf, user, password, srv_request_header(req, "Date"),
                                srv_request_header(req, "Host"), time(NULL), claim, why);
    srv_basic_free(user, password);
    return rc;
}

/* What a request that no AP credential let in is told it needs: the schemes this
 * refmssp's APs use (an API key only over REST). */
static const char *credentials_rule(const rm_conf *conf, int hmac_offered)
{
    static const char *const rules[8] = {
        "no AP is configured",
        "a valid AP client certificate is required",
        "valid HTTP Basic credentials are required",
        "a valid AP client certificate or HTTP Basic is required",
        "an API key signature is required (Authorization: Basic base64(AP_ID):MAC, and Date)",
        "a valid AP client certificate or an API key signature is required",
        "valid HTTP Basic credentials or an API key signature are required",
        "a valid AP client certificate, HTTP Basic or an API key signature is required",
    };
    unsigned i = (rm_conf_any_cert(conf) ? 1u : 0u) | (rm_conf_any_basic(conf) ? 2u : 0u) |
                 (hmac_offered ? 4u : 0u);
    return rules[i];
}

/* Everything that can be decided from the headers alone. */
static srv_verdict on_headers(void *ctx, srv_request *req, srv_reply *reply)
{
    rm_server *server = ctx;
    request_state *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        return SRV_DROP;
    *srv_request_slot(req) = rs;
    rs->hmac.ap = -1;
    if (phone_is_path(srv_request_path(req)))
        return start_phone(server, req, reply);
    if (strcmp(srv_request_method(req), MHD_HTTP_METHOD_POST) != 0) {
        ops_reply ops;
        memset(&ops, 0, sizeof ops);
        snprintf(ops.operation, sizeof ops.operation, "-");
        ops.body = strdup("refmssp: send TS 102 204 requests (SOAP or REST) with POST\n");
        if (ops.body == NULL)
            return SRV_DROP;
        ops.body_len = strlen(ops.body);
        return ops_to_reply(req, &ops, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", reply);
    }
    srv_route_of_request(req, &rs->route);
    const rm_conf *conf = server->ops.conf;
    rs->ap_mask = transport_aps(req, conf);
    int hmac_offered = rm_conf_any_hmac(conf) && srv_route_is_rest(&rs->route);
    if (rs->ap_mask == 0 && hmac_offered) {
        const char *why = NULL;
        if (read_hmac_claim(req, conf, &rs->hmac, &why) < 0)
            return fault(req, MHD_HTTP_UNAUTHORIZED, 104, why, reply);
    }
    if (rs->ap_mask == 0 && rs->hmac.ap < 0)
        return fault(req, hmac_offered ? MHD_HTTP_UNAUTHORIZED : MHD_HTTP_INTERNAL_SERVER_ERROR,
                     104, credentials_rule(conf, hmac_offered), reply);
    if (!srv_route_content_type_ok(req, &rs->route))
        return fault(req, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, 101,
                     srv_route_content_type_rule(&rs->route), reply);
    return SRV_READ_BODY;
}

static void on_too_large(void *ctx, srv_request *req, srv_reply *reply)
{
    (void)ctx;
    fault(req, MHD_HTTP_CONTENT_TOO_LARGE, 101, "request body too large", reply);
}

/* Hold a synch request until its transaction ends. 0, or -1 when full/stopping. */
static int hold_request(rm_server *server, srv_request *req, const char *trans_id)
{
    pthread_mutex_lock(&server->lock);
    int rc = -1;
    if (!server->stopping && server->n_waiters < RM_MAX_WAITERS) {
        waiter *w = &server->waiters[server->n_waiters++];
        w->req = req;
        snprintf(w->trans_id, sizeof w->trans_id, "%s", trans_id);
        snprintf(state_of(req)->wait_trans_id, sizeof state_of(req)->wait_trans_id, "%s",
                 trans_id);
        srv_hold(req);   /* under the lock: the ticker cannot resume it before this */
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
            srv_resume(w->req);
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

/* The whole body is in: a phone page answer, or a TS 102 204 request. */
static srv_verdict on_body(void *ctx, srv_request *req, const char *body, size_t len,
                           srv_reply *reply)
{
    rm_server *server = ctx;
    request_state *rs = state_of(req);
    if (rs->phone) {
        phone_reply phone;
        phone_handle(server->ops.store, srv_request_method(req), srv_request_path(req), NULL,
                     body, len, &phone);
        kick_ticker(server);
        return phone_to_reply(req, &phone, reply);
    }
    ops_reply ops;
    ops_ctx ctx_copy = server->ops;
    ctx_copy.transport_aps = rs->ap_mask;
    if (rs->hmac.ap >= 0) {
        /* The MAC covers the body: only now can the claim be checked. */
        int ok = rm_hmac_claim_verify(server->ops.conf, &rs->hmac, srv_request_method(req),
                                      srv_request_path(req), body, len);
        int ap = rs->hmac.ap;
        rm_hmac_use use = ok ? rm_hmac_replay_record(server->hmac_seen, ap, rs->hmac.mac,
                                                     rs->hmac.sent + RM_HMAC_SKEW_S, time(NULL))
                             : RM_HMAC_FIRST_USE;
        rm_hmac_claim_clear(&rs->hmac);
        if (!ok)
            return fault(req, MHD_HTTP_UNAUTHORIZED, 104,
                         "HMAC authentication: the MAC does not match the request", reply);
        if (use == RM_HMAC_REPLAYED)
            return fault(req, MHD_HTTP_UNAUTHORIZED, 104,
                         "HMAC authentication: this signed request was already received once",
                         reply);
        if (use == RM_HMAC_TABLE_FULL)
            return fault(req, MHD_HTTP_SERVICE_UNAVAILABLE, 900,
                         "too many signed requests within the Date window: try again", reply);
        ctx_copy.transport_aps = 1ULL << ap;
    }
    ops_request request = {.body = body, .body_len = len, .binding = rs->route.binding,
                           .expect = rs->route.expect};
    ops_handle_request(&ctx_copy, &request, &ops);
    if (ops.wait_trans_id[0] != '\0') {
        snprintf(rs->ap_id, sizeof rs->ap_id, "%s", ops.ap_id);
        if (hold_request(server, req, ops.wait_trans_id) == 0) {
            ops_reply_clear(&ops);
            return SRV_HOLD;
        }
        ops_fault_reply(900, 9002, "too many requests waiting for phones", &ops);
    }
    return ops_to_reply(req, &ops, ops.http_status, ops_content_type(&ops), reply);
}

/* A held request's transaction has ended (or the server stops): its answer. */
static void on_resumed(void *ctx, srv_request *req, const char *body, size_t len,
                       srv_reply *reply)
{
    rm_server *server = ctx;
    request_state *rs = state_of(req);
    ops_reply ops;
    ops_request request = {.body = body, .body_len = len, .binding = rs->route.binding};
    ops_handle_resumed(&server->ops, &request, rs->wait_trans_id, &ops);
    ops_to_reply(req, &ops, ops.http_status, ops_content_type(&ops), reply);
}

static void on_done(void *ctx, srv_request *req)
{
    (void)ctx;
    if (state_of(req) != NULL)
        rm_hmac_claim_clear(&state_of(req)->hmac);
    free(state_of(req));
    *srv_request_slot(req) = NULL;
}

static void log_http_error(const char *line)
{
    rm_log_error("http: %s", line);
}

int rm_server_start(const rm_server_options *opts, rm_server **out, char *err, size_t err_len)
{
    *out = NULL;
    srv_listen_addr addr;
    if (srv_listen_parse(opts->listen, &addr, err, err_len) != 0)
        return -1;
    int loopback = srv_listen_addr_is_loopback(&addr);
    if (!opts->allow_remote && !loopback) {
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
                    (!opts->allow_remote || loopback || opts->ops.conf->phone_page != NULL);
    if (rm_conf_any_hmac(opts->ops.conf) &&
        (s->hmac_seen = rm_hmac_replay_new(RM_HMAC_REPLAY_CAPACITY)) == NULL) {
        snprintf(err, err_len, "out of memory");
        free(s);
        return -1;
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    srv_options http = {
        .listen = opts->listen,
        .url_path = "/mss",
        .cert_pem = opts->cert_pem,
        .key_pem = opts->key_pem,
        .trust_pem = opts->ca_pem,
        .threads = SRV_THREAD_POOL,
        .pool_size = RM_THREAD_POOL_SIZE,
        .max_connections = RM_MAX_CONNECTIONS,
        /* one client cannot take all of them */
        .connections_per_ip = rm_conf_connections_per_ip(opts->ops.conf),
        .idle_timeout_s = RM_CONNECTION_TIMEOUT_S,
        .max_body = RM_MAX_REQUEST_BODY,
        .handler = {
            .ctx = s,
            .on_headers = on_headers,
            .on_body = on_body,
            .on_resumed = on_resumed,
            .on_too_large = on_too_large,
            .on_done = on_done,
        },
        .log_error = log_http_error,
    };
    if (srv_start(&http, &s->http, err, err_len) != 0) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        rm_hmac_replay_free(s->hmac_seen);
        free(s);
        return -1;
    }
    if (pthread_create(&s->ticker, NULL, ticker_main, s) != 0) {
        snprintf(err, err_len, "cannot start the transaction ticker thread");
        srv_stop(s->http, 0);
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        rm_hmac_replay_free(s->hmac_seen);
        free(s);
        return -1;
    }
    s->ticker_started = 1;
    *out = s;
    return 0;
}

const char *rm_server_url(const rm_server *server)
{
    return srv_url(server->http);
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
    /* Pending transactions end now (208), and held synch requests get that answer
     * before the server stops (srv_stop waits for the requests in flight). */
    int expired = 0;
    store_tx_expire_all(server->ops.store, &expired);
    if (expired > 0)
        store_audit(server->ops.store, "expired", NULL, "pending transactions at shutdown");
    wake_waiters(server, 1);
    srv_stop(server->http, RM_STOP_GRACE_MS);
    pthread_cond_destroy(&server->wake);
    pthread_mutex_destroy(&server->lock);
    rm_hmac_replay_free(server->hmac_seen);
    free(server);
}
