/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-relay's HTTPS side toward the desktops; see serve.h. */
#include "serve.h"
#include "binding_route.h"
#include "https_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

/* A request body larger than this is refused (413); a TS 102 204 request is a few KiB. */
#define RELAY_MAX_REQUEST_BODY (256u * 1024)

struct relay_server {
    srv_server *http;
    relay_rules rules;
    relay_lookup_fn lookup;
    void *lookup_ctx;
};

/* Who sent a request and in which binding, found from its headers (the slot of the
 * shared server). */
typedef struct request_state {
    int known;
    relay_identity who;
    srv_route route;
} request_state;

static const char *bearer_of(srv_request *req)
{
    const char *auth = srv_request_header(req, "Authorization");
    if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
        return NULL;
    auth += 7;
    while (*auth == ' ')
        auth++;
    return *auth != '\0' ? auth : NULL;
}

/* The relay user this request's credentials stand for; 0 when none does. */
static int identify(relay_server *server, srv_request *req, relay_identity *who)
{
    srv_client_cert cert;
    srv_request_client_cert(req, &cert);
    const char *bearer = bearer_of(req);
    if (!cert.valid && bearer == NULL)
        return 0;
    return server->lookup(server->lookup_ctx, cert.valid ? cert.fingerprint : NULL, bearer, who);
}

static srv_verdict to_reply(relay_reply *r, srv_reply *reply)
{
    memset(reply, 0, sizeof *reply);
    reply->http_status = r->http_status;
    reply->content_type = r->content_type;
    reply->body = r->body;
    reply->body_len = r->body_len;
    r->body = NULL;   /* now the server's */
    return reply->body != NULL ? SRV_REPLY : SRV_DROP;
}

/* A refusal before the body is read, in the request's binding and in the audit log like
 * every other answer. */
static srv_verdict refuse_early(relay_server *server, srv_request *req, int http_status,
                                int code, const char *why, const char *user, srv_reply *reply)
{
    const request_state *rs = *srv_request_slot(req);
    const mss_binding *binding = rs != NULL ? rs->route.binding : NULL;
    relay_reply r;
    memset(&r, 0, sizeof r);
    relay_fault_reply(binding, code, why, &r);
    if (server->rules.audit != NULL) {
        relay_audit_event e = {
            .user = user, .peer = srv_request_peer(req), .operation = "-",
            .binding = binding != NULL ? mss_binding_name(binding) : NULL,
            .outcome = "refused", .status = code, .reason = why,
            .latency_ms = (long long)srv_request_elapsed_ms(req),
        };
        relay_audit_write(server->rules.audit, &e, time(NULL));
    }
    r.http_status = http_status;
    return to_reply(&r, reply);
}

static srv_verdict on_headers(void *ctx, srv_request *req, srv_reply *reply)
{
    relay_server *server = ctx;
    request_state *rs = calloc(1, sizeof *rs);
    if (rs == NULL)
        return SRV_DROP;
    *srv_request_slot(req) = rs;
    if (strcmp(srv_request_method(req), MHD_HTTP_METHOD_POST) != 0) {
        if (srv_reply_text(reply, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
                           "mss-relay: send TS 102 204 requests (SOAP or REST) with POST\n") != 0)
            return SRV_DROP;
        reply->allow = "POST";
        return SRV_REPLY;
    }
    /* First the binding, so that even a refusal of the credentials is in the desktop's
     * words (the same choice as refmssp's, from the same code). */
    srv_route_of_request(req, &rs->route);
    rs->known = identify(server, req, &rs->who);
    if (!rs->known)
        return refuse_early(server, req, MHD_HTTP_INTERNAL_SERVER_ERROR, 104,
                            "a client certificate of the relay's CA or a bearer token of a "
                            "relay user is required", NULL, reply);
    if (!srv_route_content_type_ok(req, &rs->route))
        return refuse_early(server, req, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, 101,
                            srv_route_content_type_rule(&rs->route), rs->who.user, reply);
    return SRV_READ_BODY;
}

static srv_verdict on_body(void *ctx, srv_request *req, const char *body, size_t len,
                           srv_reply *reply)
{
    relay_server *server = ctx;
    request_state *rs = *srv_request_slot(req);
    const char *phones[RELAY_IDENTITY_MAX_MSISDNS];
    for (size_t i = 0; i < rs->who.n_msisdns; i++)
        phones[i] = rs->who.msisdns[i];
    relay_caller caller = {
        .user = rs->who.user,
        .msisdns = phones,
        .n_msisdns = rs->who.n_msisdns,
        .peer = srv_request_peer(req),
    };
    relay_reply r;
    relay_forward(&server->rules, &caller, &rs->route, body, len, &r);
    return to_reply(&r, reply);
}

static void on_too_large(void *ctx, srv_request *req, srv_reply *reply)
{
    relay_server *server = ctx;
    request_state *rs = *srv_request_slot(req);
    refuse_early(server, req, MHD_HTTP_CONTENT_TOO_LARGE, 101, "request body too large",
                 rs != NULL && rs->known ? rs->who.user : NULL, reply);
}

static void on_done(void *ctx, srv_request *req)
{
    (void)ctx;
    free(*srv_request_slot(req));
    *srv_request_slot(req) = NULL;
}

static void log_http_error(const char *line)
{
    fprintf(stderr, "mss-relay: http: %s\n", line);
}

int relay_server_start(const relay_server_options *opts, relay_server **out, char *err,
                       size_t err_len)
{
    *out = NULL;
    relay_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    s->rules = opts->rules;
    s->lookup = opts->lookup;
    s->lookup_ctx = opts->lookup_ctx;
    srv_options http = {
        .listen = opts->listen,
        .url_path = "/mss",
        .cert_pem = opts->cert_pem,
        .key_pem = opts->key_pem,
        .trust_pem = opts->user_ca_pem,
        .handshake_refuses_bad_certs = 1,
        .threads = SRV_THREAD_PER_CONNECTION,
        .max_connections = opts->max_connections,
        .connections_per_ip = opts->connections_per_ip,
        .max_body = RELAY_MAX_REQUEST_BODY,
        .handler = {
            .ctx = s,
            .on_headers = on_headers,
            .on_body = on_body,
            .on_too_large = on_too_large,
            .on_done = on_done,
        },
        .log_error = log_http_error,
    };
    if (srv_start(&http, &s->http, err, err_len) != 0) {
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

const char *relay_server_url(const relay_server *server)
{
    return srv_url(server->http);
}

void relay_server_stop(relay_server *server, unsigned grace_ms)
{
    if (server == NULL)
        return;
    srv_stop(server->http, grace_ms);
    free(server);
}
