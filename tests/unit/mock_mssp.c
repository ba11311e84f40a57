/* SPDX-License-Identifier: BSD-3-Clause */
/* The stand-in MSSP of the client tests (see mock_mssp.h). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include <cmocka.h>

#include "body_dump.h"
#include "mock_mssp.h"

const unsigned char MOCK_SIG[8] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};
const unsigned char MOCK_CERT[5] = {0x30, 0x03, 0x02, 0x01, 0x07};

typedef struct upload {
    char *buf;
    size_t len;
} upload;

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "(null)");
}

static void record(server *s, const mss_message *m)
{
    const mss_header *h = NULL;
    if (m->type == MSS_MSG_SIGNATURE_REQ) {
        const mss_signature_req *r = &m->u.signature_req;
        h = &r->hdr;
        s->n_sig++;
        copy(s->sig_ap_pwd, sizeof s->sig_ap_pwd, h->ap_pwd);
        copy(s->sig_dtbs, sizeof s->sig_dtbs, r->dtbs.text);
        copy(s->sig_mime, sizeof s->sig_mime, r->dtbs.mime_type);
        copy(s->sig_encoding, sizeof s->sig_encoding, r->dtbs.encoding);
        copy(s->sig_format, sizeof s->sig_format, r->mss_format);
        copy(s->sig_dtbd, sizeof s->sig_dtbd, r->dtbd.text);
        copy(s->sig_msisdn, sizeof s->sig_msisdn, r->msisdn);
        copy(s->sig_trans_id, sizeof s->sig_trans_id, h->ap_trans_id);
        copy(s->sig_instant, sizeof s->sig_instant, h->ap_instant);
        s->sig_mode = (int)r->mode;
        s->sig_timeout = (int)r->timeout_s;
        s->sig_major = h->major_version;
        s->sig_minor = h->minor_version;
        s->sig_services[0] = '\0';
        for (size_t i = 0; i < r->n_services; i++) {
            size_t used = strlen(s->sig_services);
            snprintf(s->sig_services + used, sizeof s->sig_services - used, "%s=%s%s;",
                     r->services[i].uri, r->services[i].value ? r->services[i].value : "",
                     r->services[i].no_spam_no_verify ? "(no-verify)" : "");
        }
    } else if (m->type == MSS_MSG_STATUS_REQ) {
        const mss_status_req *r = &m->u.status_req;
        h = &r->hdr;
        s->n_status++;
        copy(s->status_mssp_trans_id, sizeof s->status_mssp_trans_id, r->mssp_trans_id);
        copy(s->status_mssp_id, sizeof s->status_mssp_id, h->mssp_id_uri);
        copy(s->status_ap_pwd, sizeof s->status_ap_pwd, h->ap_pwd);
        copy(s->status_trans_id, sizeof s->status_trans_id, h->ap_trans_id);
    } else if (m->type == MSS_MSG_RECEIPT_REQ) {
        const mss_receipt_req *r = &m->u.receipt_req;
        h = &r->hdr;
        s->n_receipt++;
        copy(s->receipt_mssp_trans_id, sizeof s->receipt_mssp_trans_id, r->mssp_trans_id);
        copy(s->receipt_message, sizeof s->receipt_message, r->message.text);
        s->receipt_status = r->status.code;
    } else if (m->type == MSS_MSG_PROFILE_REQ) {
        h = &m->u.profile_req.hdr;
        s->n_profile++;
        s->profile_get_certs = m->u.profile_req.get_certificates;
    }
    if (h != NULL && s->n_trans_ids < 64)
        copy(s->trans_ids[s->n_trans_ids++], 40, h->ap_trans_id);
    if (h != NULL) {
        copy(s->last_ap_id, sizeof s->last_ap_id, h->ap_id);
        copy(s->last_ap_pwd, sizeof s->last_ap_pwd, h->ap_pwd);
        copy(s->last_mssp_id, sizeof s->last_mssp_id, h->mssp_id_uri);
    }
}

static ssize_t chunk_filler(void *cls, uint64_t pos, char *buf, size_t max)
{
    size_t total = *(size_t *)cls;
    if (pos >= total)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = total - (size_t)pos < max ? total - (size_t)pos : max;
    memset(buf, ' ', n);
    return (ssize_t)n;
}

static void free_size(void *cls)
{
    free(cls);
}

/* The binding of a request: REST when it says it is JSON, as refmssp picks it by
 * Content-Type; the answer goes back in the same binding. */
static const mss_binding *request_binding(struct MHD_Connection *conn)
{
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    return type != NULL && strncmp(type, "application/json", 16) == 0 ? mss_binding_rest()
                                                                       : mss_binding_soap();
}

static enum MHD_Result send_reply(server *s, struct MHD_Connection *conn,
                                  const mss_binding *binding, reply *r)
{
    struct MHD_Response *resp = NULL;
    char *body = NULL;
    size_t body_len = 0;

    for (unsigned waited = 0; waited < r->delay_ms && !s->stopping; waited += 10) {
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    switch (r->kind) {
    case REPLY_DROP:
        return MHD_NO;
    case REPLY_MESSAGE:
        if (mss_binding_encode(binding, &r->msg, &body, &body_len) != MSS_OK)
            return MHD_NO;
        if (binding == mss_binding_rest())
            body_dump(body, body_len, mss_message_type_name(r->msg.type));
        resp = MHD_create_response_from_buffer(body_len, body, MHD_RESPMEM_MUST_FREE);
        break;
    case REPLY_RAW:
        resp = MHD_create_response_from_buffer(r->len, (void *)r->raw, MHD_RESPMEM_MUST_COPY);
        break;
    case REPLY_CHUNKED: {
        size_t *total = malloc(sizeof *total);
        if (total == NULL)
            return MHD_NO;
        *total = r->len;
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, chunk_filler, total,
                                                 free_size);
        break;
    }
    }
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type ? r->content_type
                                            : mss_binding_content_type(binding));
    enum MHD_Result ret = MHD_queue_response(conn, r->http, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* Did the TLS client present a certificate that verifies against the trust list? */
static int client_cert_ok(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (ci == NULL || ci->tls_session == NULL)
        return 0;
    unsigned status = 0;
    return gnutls_certificate_verify_peers2((gnutls_session_t)ci->tls_session, &status) == 0 &&
           status == 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls)
{
    server *s = cls;
    upload *up = *con_cls;
    (void)version;

    if (up == NULL) {
        if ((up = calloc(1, sizeof *up)) == NULL)
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*data_size > 0) {
        if (up->len + *data_size > 2 * MSS_MAX_BODY)
            return MHD_NO;
        char *grown = realloc(up->buf, up->len + *data_size + 1);
        if (grown == NULL)
            return MHD_NO;
        memcpy(grown + up->len, data, *data_size);
        up->buf = grown;
        up->len += *data_size;
        up->buf[up->len] = '\0';
        *data_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "POST") != 0 || up->buf == NULL)
        return MHD_NO;

    if (s->require_client_cert && !client_cert_ok(conn)) {
        pthread_mutex_lock(&s->lock);
        s->n_rejected++;
        pthread_mutex_unlock(&s->lock);
        static char forbidden[] = "client certificate required";
        reply no = {.kind = REPLY_RAW, .http = 403, .raw = forbidden, .len = sizeof forbidden - 1};
        return send_reply(s, conn, mss_binding_soap(), &no);
    }
    const mss_binding *binding = request_binding(conn);
    mss_message req;
    mss_detail derr;
    if (mss_binding_decode(binding, up->buf, up->len, &req, &derr) != MSS_OK) {
        reply bad = {.kind = REPLY_RAW, .http = 400, .raw = derr.text, .len = strlen(derr.text)};
        return send_reply(s, conn, binding, &bad);
    }
    if (binding == mss_binding_rest())
        body_dump(up->buf, up->len, mss_message_type_name(req.type));
    reply r = {.kind = REPLY_MESSAGE, .http = 200};
    pthread_mutex_lock(&s->lock);
    const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    copy(s->authorization, sizeof s->authorization, auth ? auth : "");
    if (req.type > 0 && (size_t)req.type < sizeof s->path / sizeof s->path[0])
        copy(s->path[req.type], sizeof s->path[0], url);
    record(s, &req);
    s->responder(s, &req, &r);
    pthread_mutex_unlock(&s->lock);
    enum MHD_Result ret = send_reply(s, conn, binding, &r);
    mss_message_clear(&req);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    upload *up = *con_cls;
    (void)cls, (void)conn, (void)toe;
    if (up != NULL) {
        free(up->buf);
        free(up);
        *con_cls = NULL;
    }
}

static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
                             enum MHD_ConnectionNotificationCode toe)
{
    server *s = cls;
    (void)conn, (void)socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        pthread_mutex_lock(&s->lock);
        s->n_connections++;
        pthread_mutex_unlock(&s->lock);
    }
}

static server *start(responder_fn responder, const char *key_pem, const char *cert_pem,
                     const char *trust_pem, unsigned port)
{
    server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    pthread_mutex_init(&s->lock, NULL);
    s->responder = responder;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
    if (key_pem != NULL)
        s->daemon = MHD_start_daemon(
            flags | MHD_USE_TLS, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED, completed, s,
            MHD_OPTION_NOTIFY_CONNECTION, connection_event, s, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)30, MHD_OPTION_HTTPS_MEM_KEY, key_pem, MHD_OPTION_HTTPS_MEM_CERT, cert_pem,
            trust_pem ? MHD_OPTION_HTTPS_MEM_TRUST : MHD_OPTION_END, trust_pem, MHD_OPTION_END);
    else
        s->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
            MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_NOTIFY_CONNECTION,
            connection_event, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    assert_non_null(s->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    s->port = info->port;
    assert_true(s->port > 0);
    snprintf(s->url, sizeof s->url, "%s://127.0.0.1:%u/mss", key_pem ? "https" : "http", s->port);
    return s;
}

server *server_start(responder_fn responder, const char *key_pem, const char *cert_pem)
{
    return start(responder, key_pem, cert_pem, NULL, 0);
}

server *server_start_on_port(responder_fn responder, unsigned port)
{
    return start(responder, NULL, NULL, NULL, port);
}

server *server_start_client_auth(responder_fn responder, const char *key_pem, const char *cert_pem,
                                 const char *trust_pem)
{
    server *s = start(responder, key_pem, cert_pem, trust_pem, 0);
    s->require_client_cert = 1;
    return s;
}

void server_stop(server *s)
{
    s->stopping = 1;
    MHD_stop_daemon(s->daemon);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* ------------------------------------------------------------- canned answers */

mss_header answer_header(const mss_header *req)
{
    mss_header h = {.major_version = 1, .minor_version = 1};
    h.ap_id = req->ap_id;
    h.ap_trans_id = req->ap_trans_id;
    h.ap_pwd = (char *)"unused";
    h.ap_instant = req->ap_instant;
    h.mssp_id_uri = (char *)MOCK_MSSP_ID;
    h.mssp_instant = (char *)"2024-01-01T00:00:00Z";
    return h;
}

void answer_signature_resp(const mss_message *req, int code, reply *out)
{
    out->msg.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &out->msg.u.signature_resp;
    r->hdr = answer_header(&req->u.signature_req.hdr);
    r->mssp_trans_id = (char *)MOCK_MSSP_TRANS_ID;
    r->msisdn = req->u.signature_req.msisdn;
    r->status.code = code;
}

void answer_status_resp(const mss_message *req, int code, reply *out)
{
    out->msg.type = MSS_MSG_STATUS_RESP;
    mss_status_resp *r = &out->msg.u.status_resp;
    r->hdr = answer_header(&req->u.status_req.hdr);
    r->msisdn = (char *)MOCK_MSISDN;
    r->status.code = code;
    if (code == 500) {
        r->signature.kind = MSS_SIG_BASE64;
        r->signature.value = (unsigned char *)MOCK_SIG;
        r->signature.value_len = sizeof MOCK_SIG;
    }
}

void answer_fault(int code, int specifier, const char *reason, reply *out)
{
    out->http = 500;
    out->msg.type = MSS_MSG_FAULT;
    out->msg.u.fault.sender = 0;
    out->msg.u.fault.code = code;
    out->msg.u.fault.specifier = specifier;
    out->msg.u.fault.reason = (char *)reason;
    out->msg.u.fault.detail = (char *)"test detail";
}

void respond_immediate(server *s, const mss_message *req, reply *out)
{
    (void)s;
    if (req->type == MSS_MSG_SIGNATURE_REQ)
        answer_signature_resp(req, 100, out);
    else
        answer_status_resp(req, 500, out);
}

void respond_404(server *s, const mss_message *req, reply *out)
{
    (void)s, (void)req;
    out->kind = REPLY_RAW;
    out->http = 404;
    out->raw = "not here";
    out->len = 8;
}

void respond_unknown_client(server *s, const mss_message *req, reply *out)
{
    (void)s, (void)req;
    answer_fault(105, 1052, "UNKNOWN_CLIENT", out);
}

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_text[65536];

void mock_log(int level, const char *line, void *ctx)
{
    (void)ctx;
    if (getenv("MSS_TEST_VERBOSE") != NULL) /* to watch the client's log lines */
        fprintf(stderr, "log[%d] %s\n", level, line);
    pthread_mutex_lock(&log_lock);
    size_t used = strlen(log_text);
    snprintf(log_text + used, sizeof log_text - used, "%s\n", line);
    pthread_mutex_unlock(&log_lock);
}

void mock_log_clear(void)
{
    pthread_mutex_lock(&log_lock);
    log_text[0] = '\0';
    pthread_mutex_unlock(&log_lock);
}

int mock_log_has(const char *text)
{
    pthread_mutex_lock(&log_lock);
    int found = strstr(log_text, text) != NULL;
    pthread_mutex_unlock(&log_lock);
    return found;
}

mss_client *new_client(const mss_client_options *o)
{
    mss_detail detail;
    mss_client *c = NULL;
    assert_int_equal(mss_client_new(o, &c, &detail), MSS_OK);
    assert_non_null(c);
    assert_string_equal(detail.text, "");
    return c;
}
