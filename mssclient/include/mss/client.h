/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — the client: an application provider's (AP's) connection to an MSSP.
 *
 * An mss_client holds the endpoint, the TLS set-up (CA, optional public-key pin, AP
 * client certificate), the AP's identity and the timing rules; it keeps one HTTPS
 * connection alive between calls and is safe to use from several threads at once.
 * Calls block the calling thread (the client starts no threads) and each has a
 * deadline; a cancel callback ends a wait within 100 ms. A signature request is never
 * re-sent; lost status queries are.
 *
 * Endpoints can be a failover list: a request goes to the first URL of the list, and
 * to the next only when a server could not be reached before the request was sent
 * (see mss_client_options.url). The later messages of a transaction go to the URL that
 * took its request: a transaction lives on one MSSP.
 *
 * Every call fills the optional mss_detail (mss/errors.h) with the MSS status, the
 * MSSP's reason, the HTTP status and a one-line explanation; log lines go to the
 * callback of the options. Neither ever carries a secret (AP_PWD, key passwords, API keys).
 * docs/mssclient.md explains the defaults and why they were chosen.
 */
#ifndef MSS_CLIENT_H
#define MSS_CLIENT_H

#include <mss/api.h>
#include <mss/binding.h>
#include <mss/errors.h>
#include <mss/message.h>

MSS_BEGIN_DECLS

typedef struct mss_client mss_client;

enum { MSS_LOG_ERROR = 0, MSS_LOG_WARNING = 1, MSS_LOG_INFO = 2, MSS_LOG_DEBUG = 3 };
/* For mss_client_options.log_level: pass lines up to this level. */
#define MSS_LOG_UPTO(level) ((level) + 1)
/* Where log lines go is the embedding program's choice. */
typedef void (*mss_log_fn)(int level, const char *line, void *ctx);

/* Return non-zero to stop the operation (asked at least every 100 ms). */
typedef int (*mss_cancel_fn)(void *ctx);

/* Options for mss_client_new. Zero means "the default" for every number; the strings
 * are copied. */
/* The MSS TimeOut a signature request gets when timeout_s is 0. */
#define MSS_CLIENT_DEFAULT_TIMEOUT_S 120u
/* At most this many URLs in one URL list. */
#define MSS_CLIENT_MAX_URLS 8

typedef struct mss_client_options {
    /* Where. Each of the four is one URL or a list of up to MSS_CLIENT_MAX_URLS separated
     * by spaces: "https://a.example/mss https://b.example/mss". url is the list that
     * counts: a request goes to its first URL, and to the next only when a server cannot
     * be reached before any byte of the request is sent (its name does not resolve, the
     * connection is refused or times out, the TLS handshake fails); a server that answers,
     * even with an HTTP error or a fault, is never skipped. All attempts share the call's
     * deadline. A status query or receipt goes to the URL that took the transaction's
     * request, never elsewhere. A per-operation list gives that operation's endpoint on
     * each server: one URL (used whichever server holds the transaction), or exactly as
     * many as url, in the same order. */
    const char *url;             /* endpoints for every operation (https://…) */
    const char *status_url;      /* per-operation endpoints (Kiuru/Swisscom SOAP ports); */
    const char *profile_url;     /*   NULL: url */
    const char *receipt_url;
    const mss_binding *binding;  /* wire format; NULL: mss_binding_soap() */
    int allow_plain_http;        /* 1 to allow http:// URLs (tests only) */
    const char *proxy;           /* NULL: libcurl's choice from the environment (https_proxy,
                                  * no_proxy, …); "": no proxy whatever the environment says;
                                  * else the proxy's URL (http://, https://, socks5h://…).
                                  * Applies to every URL of the lists. */

    /* Trust and identity */
    const char *ca_file;         /* PEM CA bundle that verifies the MSSP (always checked) */
    const char *pinned_pubkey;   /* "sha256//<base64>[;…]" or a key file, on top of the CA */
    const char *client_cert;     /* PEM AP client certificate; NULL: none */
    const char *client_key;      /* PEM AP client key */
    const char *client_key_password_file; /* first line decrypts client_key */
    const char *ap_id;           /* AP_ID (required) */
    const char *ap_pwd;          /* AP_PWD (secret); NULL sends "not-used" */
    const char *http_user;       /* HTTP Basic user name; NULL: no Basic authentication */
    const char *http_password;   /* HTTP Basic password (secret) */
    const char *api_key;         /* HMAC API key (secret; REST binding only): every request
                                  * is signed for ap_id as mss/rest.h describes; not with
                                  * http_user or bearer_token (the same Authorization
                                  * header). NULL: none */

    /* Timing */
    mss_messaging_mode mode;     /* synch or asynchClientServer */
    unsigned timeout_s;          /* MSS TimeOut of a signature request; 0:
                                  * MSS_CLIENT_DEFAULT_TIMEOUT_S */
    unsigned poll_first_ms;      /* wait before the first status query; 0: 2000 */
    unsigned poll_interval_ms;   /* wait between status queries; 0: 2000 */
    unsigned connect_timeout_ms; /* TCP+TLS connect deadline; 0: 10000 */
    unsigned status_timeout_ms;  /* deadline of one status query / asynch request; 0: 30000 */

    /* Logging */
    mss_log_fn log;              /* may be NULL */
    void *log_ctx;
    int log_level;               /* 0: every line; MSS_LOG_UPTO(level): that level and the
                                  * more severe ones */

    /* Authentication toward mss-relay with a token instead of (or besides) a client
     * certificate: sent as "Authorization: Bearer <token>" with every request. A secret,
     * never logged; printable ASCII without blanks; not together with http_user (both
     * are the Authorization header). NULL: none. */
    const char *bearer_token;
} mss_client_options;

/* Validate options and make a client; touches no network. MSS_ERR_CONFIG with the
 * reason in detail->text (and a log line) for options that cannot work. */
MSS_API mss_error mss_client_new(const mss_client_options *opts, mss_client **out,
                                 mss_detail *detail);
MSS_API void mss_client_free(mss_client *client);

/* What to sign. The strings are only read. */
typedef struct mss_sign_request {
    const char *msisdn;
    const unsigned char *dtbs;   /* bytes to sign (a DER DigestInfo for PKCS#1 v1.5) */
    size_t dtbs_len;
    const char *mime_type;       /* NULL: "application/octet-stream" */
    const char *dtbd;            /* text for the phone; NULL: none */
    const char *profile;         /* SignatureProfile URI; NULL: none */
    const char *format;          /* MSS_Format URI; NULL: MSS_FORMAT_KIURU_PKCS1 */
    const mss_service *services; /* additional services (eventId, noSpam, userLang, …) */
    size_t n_services;
    mss_cancel_fn cancel;        /* may be NULL */
    void *cancel_ctx;
} mss_sign_request;

/* What came back. Release with mss_sign_result_clear(). */
typedef struct mss_sign_result {
    char *mssp_trans_id;         /* NULL when no transaction was started */
    int url_index;               /* which URL of the url list took the request (0: the
                                  * first); the transaction's receipt goes there */
    mss_signature_kind kind;
    unsigned char *signature;    /* the signature as returned (raw PKCS#1, or a CMS) */
    size_t signature_len;
    unsigned char *cert_der;     /* certificate returned beside it (fi:PKCS1), if any */
    size_t cert_len;
    int is_cms;                  /* 1: signature is a CMS/PKCS#7 SignedData */
    int cms_signed_attrs;        /* 1: that CMS signs signed attributes, so it is no raw
                                  * signature over the DTBS */
    unsigned char *raw_signature;/* the raw signature value (see mss_signature_decode) */
    size_t raw_signature_len;
    mss_blob *certs;             /* every certificate returned, duplicates removed */
    size_t n_certs;
    mss_service_response *service_responses; /* from the final response */
    size_t n_service_responses;
    char *mssp_instant;          /* MSSP_Info/@Instant of the last response that carried
                                  * one (xs:dateTime as sent): the MSSP's clock, for a
                                  * caller that compares it with its own; NULL: none */
} mss_sign_result;

/*
 * Send an MSS_Signature and, in asynchClientServer mode, poll MSS_StatusQuery until a
 * final status, the deadline (TimeOut plus a margin), or a cancel. MSS_OK only with a
 * signature (status 500 or 502). MSS_ERR_FAULT or MSS_ERR_STATUS for a refusal, with
 * detail->status (501, 503 and 505 are refusals too, though a signature came with
 * them); MSS_ERR_FORMAT when a PKCS1 format was asked for and a CMS over signed
 * attributes came back. *result is written in every case; release it afterwards.
 */
MSS_API mss_error mss_client_sign(mss_client *client, const mss_sign_request *req,
                                  mss_sign_result *result, mss_detail *detail);
MSS_API void mss_sign_result_clear(mss_sign_result *result);

/*
 * MSS_ProfileQuery asking for the user's certificates (Methics extension). On MSS_OK
 * *out holds the response (release with mss_profile_resp_clear). A fault gives
 * MSS_ERR_FAULT, a status other than 100 MSS_ERR_STATUS, each with detail->status.
 */
MSS_API mss_error mss_client_profile_query(mss_client *client, const char *msisdn,
                                           mss_profile_resp *out, mss_detail *detail);

/*
 * MSS_Receipt for a finished transaction, sent to URL number url_index of the list (the
 * mss_sign_result's url_index: the server that holds the transaction) or, with
 * MSS_URL_FIRST_REACHABLE, through the list: the final status code (0: none) and an
 * optional text for the phone (sent as text/plain UTF-8). MSS_OK when the MSSP answered
 * status 100 (or left the status out); MSS_ERR_FAULT / MSS_ERR_STATUS with
 * detail->status otherwise. Never retried.
 */
MSS_API mss_error mss_client_receipt(mss_client *client, int url_index, const char *msisdn,
                                     const char *mssp_trans_id, int final_status,
                                     const char *message, mss_detail *detail);

/* ---- Forwarding whole messages (a gateway such as mss-relay) ---- */

/* For url_index: the first URL of the list that can be reached (see
 * mss_client_options.url). A valid index is 0 to mss_client_url_count() - 1. */
#define MSS_URL_FIRST_REACHABLE (-1)

/* How many URLs the client's url list holds: 1 to MSS_CLIENT_MAX_URLS (0 for NULL). */
MSS_API size_t mss_client_url_count(const mss_client *client);

/*
 * One request/response round trip with a request the caller built, e.g. decoded from
 * its own client: req is an MSS_MSG_SIGNATURE_REQ, _STATUS_REQ, _PROFILE_REQ or
 * _RECEIPT_REQ and is only read. The client sends it with its own AP_Info: its AP_ID and
 * AP_PWD, a fresh AP_TransID and the current Instant replace whatever req's header holds
 * (MajorVersion/MinorVersion are the client's too; MSSP_ID is req's). So *resp carries
 * the client's AP_TransID: a gateway puts its own caller's back before answering.
 *
 * Where: the server at index url_index of the url list (its entry of status_url,
 * profile_url or receipt_url when those are set; no failover: for the later messages of
 * a transaction, the index its request was answered from), or MSS_URL_FIRST_REACHABLE. *url_used (may be NULL) says which index the request was
 * last sent to (the one that answered, when one did); -1 when nothing was sent.
 *
 * timeout_ms (> 0, at most 3700000) bounds the whole call, connection attempts included;
 * a synch MSS_Signature is held by the MSSP up to its TimeOut, so the caller chooses. It
 * holds the client's connection that long too: forward parallel synch requests through a
 * client each.
 *
 * *resp is written in every case; clear it with mss_message_clear afterwards. MSS_OK:
 * the response of req's type (its Status is not judged: a status response with 401 is
 * MSS_OK, with detail->status 401). MSS_ERR_FAULT: the MSSP's fault, resp->type ==
 * MSS_MSG_FAULT, with detail->status/subcode/reason. MSS_ERR_ARGS (nothing sent) for a
 * req of another type or a bad url_index or timeout_ms. Otherwise the errors of the
 * other calls (MSS_ERR_TRANSPORT, _TLS, _TIMEOUT, _HTTP, …) with *resp zeroed.
 */
MSS_API mss_error mss_client_call(mss_client *client, const mss_message *req, int url_index,
                                  unsigned timeout_ms, mss_message *resp, int *url_used,
                                  mss_detail *detail);

MSS_END_DECLS

#endif /* MSS_CLIENT_H */
