/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A stand-in MSSP for client tests: libmicrohttpd on 127.0.0.1 (an ephemeral port,
 * plain http or TLS) that decodes each request with the codec, records what it saw and
 * answers what the test's responder says. A request with Content-Type application/json
 * is read and answered with the REST binding, any other with SOAP; with
 * MSS_REST_DUMP_DIR set, every JSON body it receives or sends is saved there
 * (body_dump.h). Test code only.
 */
#ifndef MOCK_MSSP_H
#define MOCK_MSSP_H

#include <pthread.h>
#include <stddef.h>

#include <mss/mss.h>

#define MOCK_MSSP_TRANS_ID "mssp1"
#define MOCK_MSSP_ID "http://mssp.test/"
#define MOCK_MSISDN "+35840000001"

/* The signature and "certificate" bytes the canned answers carry. */
extern const unsigned char MOCK_SIG[8];
extern const unsigned char MOCK_CERT[5];

typedef enum { REPLY_MESSAGE, REPLY_RAW, REPLY_CHUNKED, REPLY_DROP } reply_kind;

typedef struct reply {
    reply_kind kind;
    unsigned http;
    unsigned delay_ms;        /* wait before answering (the test's "slow phone") */
    mss_message msg;          /* REPLY_MESSAGE: borrowed strings, never cleared */
    const char *raw;          /* REPLY_RAW */
    size_t len;               /* REPLY_RAW / REPLY_CHUNKED: bytes to send */
    const char *content_type; /* NULL: the request's binding's (SOAP: application/soap+xml) */
} reply;

typedef struct server server;
/* Called under s->lock with the decoded request; fills *out (preset: 200, MESSAGE). */
typedef void (*responder_fn)(server *s, const mss_message *req, reply *out);

struct server {
    struct MHD_Daemon *daemon;
    unsigned port;
    char url[64];
    pthread_mutex_t lock;
    volatile int stopping;
    responder_fn responder;
    /* What the server saw (under lock). */
    unsigned n_sig, n_status, n_profile, n_connections;
    char sig_ap_pwd[64], sig_dtbs[128], sig_mime[64], sig_encoding[32], sig_format[128];
    char sig_dtbd[128], sig_msisdn[32], sig_trans_id[40], sig_instant[40];
    int sig_mode, sig_timeout, sig_major, sig_minor;
    char status_mssp_trans_id[40], status_mssp_id[64], status_ap_pwd[64], status_trans_id[40];
    int profile_get_certs;
    char trans_ids[64][40];
    unsigned n_trans_ids;
    /* Receipts, services and HTTP credentials the server saw (under lock). */
    unsigned n_receipt;
    char receipt_mssp_trans_id[40], receipt_message[128];
    int receipt_status;
    char sig_services[512];   /* "uri=value;" for each service of the last request */
    char authorization[256];  /* the last Authorization header, "" when none */
    char path[16][64];        /* the URL path of the last request, by mss_message_type */
    char last_ap_id[64], last_ap_pwd[64], last_mssp_id[64]; /* of the last request */
    int require_client_cert;  /* TLS: answer 403 unless a client certificate verifies */
    unsigned n_rejected;      /* requests refused for want of a valid client certificate */
};

/* Start on 127.0.0.1; with key_pem/cert_pem (PEM strings) it speaks TLS and url is https. */
server *server_start(responder_fn responder, const char *key_pem, const char *cert_pem);
/* Plain http on 127.0.0.1:port, a port the test chose (one that refused connections
 * until now, say). */
server *server_start_on_port(responder_fn responder, unsigned port);
/* The same with TLS client authentication: only clients whose certificate chains to
 * trust_pem get an answer; the others get HTTP 403 (after the handshake, as MSSPs that
 * check the AP certificate in the application do). */
server *server_start_client_auth(responder_fn responder, const char *key_pem, const char *cert_pem,
                                 const char *trust_pem);
void server_stop(server *s);

/* Canned answers that echo the request's AP_Info. */
mss_header answer_header(const mss_header *req);
void answer_signature_resp(const mss_message *req, int code, reply *out);
void answer_status_resp(const mss_message *req, int code, reply *out);
void answer_fault(int code, int specifier, const char *reason, reply *out);

/* A responder: 100 to a signature request, then a signature (500) to every status
 * query at once. */
void respond_immediate(server *s, const mss_message *req, reply *out);
/* Responders: HTTP 404 with a text body; fault 105 (specifier 1052) to everything. */
void respond_404(server *s, const mss_message *req, reply *out);
void respond_unknown_client(server *s, const mss_message *req, reply *out);

/* The client's log lines, kept for the checks (any thread may log). mock_log is an
 * mss_log_fn for mss_client_options.log; MSS_TEST_VERBOSE=1 also prints each line. */
void mock_log(int level, const char *line, void *ctx);
void mock_log_clear(void);
/* 1 when a line logged since the last clear contains text. */
int mock_log_has(const char *text);

/* mss_client_new(o) that fails the test unless it succeeds with an empty last error. */
mss_client *new_client(const mss_client_options *o);

#endif
