/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTPS transport over libcurl's multi interface. The multi handle owns the connection
 * cache, so keeping one multi + one easy handle per client gives keep-alive across
 * requests; driving the transfer ourselves (poll slices of 50 ms) is what lets a cancel
 * or our own deadline stop a transfer that is just waiting for the server.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "config.h"
#include "deadline.h"
#include "rest_hmac.h"
#include "secret.h"
#include "textbuf.h"
#include "timed_wait.h"
#include "transport.h"

#define POLL_SLICE_MS 50

struct mss_transport {
    pthread_mutex_t lock;     /* one request at a time on this handle */
    char *url;                /* the configured URL */
    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    char *api_key;            /* secret: signs each request (mss/rest.h); NULL: none */
    char *api_key_id;
    char errbuf[CURL_ERROR_SIZE];
};

/* State of one transfer, shared with the libcurl callbacks. */
typedef struct transfer {
    textbuf body;           /* capped at MSS_MAX_BODY */
    int too_large;
    int canceled;
    mss_cancel_fn cancel;
    void *cancel_ctx;
} transfer;

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_result = CURLE_FAILED_INIT;

/* curl_global_init is not thread-safe: run it exactly once, whoever comes first. */
static void global_init(void)
{
    global_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    transfer *tr = userdata;
    size_t n = size * nmemb;

    if (tr == NULL)
        return 0; /* no transfer of ours is running */
    textbuf_result rc = textbuf_append(&tr->body, data, n);
    if (rc != TEXTBUF_OK) {
        tr->too_large = rc == TEXTBUF_TOO_LARGE;
        return 0; /* makes libcurl abort with CURLE_WRITE_ERROR */
    }
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    transfer *tr = userdata;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    if (tr == NULL)
        return 0;
    if (tr->cancel != NULL && tr->cancel(tr->cancel_ctx)) {
        tr->canceled = 1;
        return 1; /* CURLE_ABORTED_BY_CALLBACK */
    }
    return 0;
}

/* Options that stay the same for every request of this transport. */
static CURLcode set_fixed_options(mss_transport *t, const mss_transport_config *cfg)
{
    CURL *e = t->easy;
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                                      \
    do {                                                   \
        if ((rc = curl_easy_setopt(e, opt, val)) != CURLE_OK) \
            return rc;                                     \
    } while (0)

    SET(CURLOPT_URL, cfg->url);
    /* An HMAC signature covers the path as written in the URL: libcurl must send it so,
     * without removing "." and ".." segments. */
    if (cfg->api_key != NULL)
        SET(CURLOPT_PATH_AS_IS, 1L);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_PROTOCOLS_STR, cfg->allow_plain_http ? "http,https" : "https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->ca_file != NULL) {
        SET(CURLOPT_CAINFO, cfg->ca_file);
        /* Trust only the configured bundle, not the system directory as well. */
        SET(CURLOPT_CAPATH, NULL);
    }
    if (cfg->client_cert != NULL) {
        SET(CURLOPT_SSLCERT, cfg->client_cert);
        SET(CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (cfg->client_key != NULL) {
        SET(CURLOPT_SSLKEY, cfg->client_key);
        SET(CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (cfg->key_password != NULL)
        SET(CURLOPT_KEYPASSWD, cfg->key_password); /* libcurl keeps its own copy */
    if (cfg->pinned_pubkey != NULL)
        SET(CURLOPT_PINNEDPUBLICKEY, cfg->pinned_pubkey); /* on top of CA verification */
    if (cfg->http_user != NULL) {
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        SET(CURLOPT_USERNAME, cfg->http_user);
        SET(CURLOPT_PASSWORD, cfg->http_password ? cfg->http_password : "");
    }
    /* Unset, libcurl reads the proxy from the environment; "" turns that off. */
    if (cfg->proxy != NULL)
        SET(CURLOPT_PROXY, cfg->proxy);
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->connect_timeout_ms);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_HTTPHEADER, t->headers);
    SET(CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION " libmssclient");
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_NOPROGRESS, 0L);
    /* Refuses a declared Content-Length over the cap before any byte is read. */
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MSS_MAX_BODY);
#undef SET
    return rc;
}

#define BEARER_PREFIX "Authorization: Bearer "

/* LINE appended to *LIST (libcurl copies it): 0, or -1 with *LIST as it was. */
static int append_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *next = curl_slist_append(*list, line);
    if (next == NULL)
        return -1;
    *list = next;
    return 0;
}

/* The token goes into the header list as its own line; the copy on the heap is wiped. */
static int add_bearer_header(mss_transport *t, const char *token)
{
    size_t len = sizeof BEARER_PREFIX + strlen(token);
    char *line = malloc(len);
    if (line == NULL)
        return -1;
    snprintf(line, len, "%s%s", BEARER_PREFIX, token);
    int rc = append_header(&t->headers, line);
    OPENSSL_cleanse(line, len);
    free(line);
    return rc;
}

/* Wipe the header lines (one may hold the bearer token) before libcurl frees them. */
static void free_headers(struct curl_slist *headers)
{
    for (struct curl_slist *h = headers; h != NULL; h = h->next)
        OPENSSL_cleanse(h->data, strlen(h->data));
    curl_slist_free_all(headers);
}

mss_error mss_transport_new(const mss_transport_config *cfg, mss_transport **out, char *err,
                            size_t err_len)
{
    if (cfg == NULL || out == NULL || cfg->url == NULL || cfg->content_type == NULL ||
        cfg->accept == NULL) {
        snprintf(err, err_len, "transport: missing configuration");
        return MSS_ERR_ARGS;
    }
    pthread_once(&global_once, global_init);
    if (global_result != CURLE_OK) {
        snprintf(err, err_len, "curl_global_init failed: %s", curl_easy_strerror(global_result));
        return MSS_ERR_TRANSPORT;
    }

    mss_transport *t = calloc(1, sizeof *t);
    if (t == NULL)
        return MSS_ERR_NOMEM;
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        free(t);
        return MSS_ERR_NOMEM;
    }
    t->multi = curl_multi_init();
    t->easy = curl_easy_init();
    /* The binding's media types. An empty "Expect:" stops libcurl from waiting for
     * 100-continue before large bodies. */
    char content_type[160], accept[160];
    snprintf(content_type, sizeof content_type, "Content-Type: %s", cfg->content_type);
    snprintf(accept, sizeof accept, "Accept: %s", cfg->accept);
    const char *headers[] = {content_type, accept, "Expect:"};
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (append_header(&t->headers, headers[i]) != 0) {
            mss_transport_free(t);
            return MSS_ERR_NOMEM;
        }
    if (cfg->bearer_token != NULL && add_bearer_header(t, cfg->bearer_token) != 0) {
        mss_transport_free(t);
        return MSS_ERR_NOMEM;
    }
    t->url = strdup(cfg->url);
    if (cfg->api_key != NULL) {
        t->api_key = strdup(cfg->api_key);
        t->api_key_id = cfg->api_key_id != NULL ? strdup(cfg->api_key_id) : NULL;
    }
    if (t->multi == NULL || t->easy == NULL || t->url == NULL ||
        (cfg->api_key != NULL && (t->api_key == NULL || t->api_key_id == NULL))) {
        mss_transport_free(t);
        return MSS_ERR_NOMEM;
    }
    CURLcode rc = set_fixed_options(t, cfg);
    if (rc != CURLE_OK) {
        snprintf(err, err_len, "libcurl refused an option: %s", curl_easy_strerror(rc));
        mss_transport_free(t);
        return rc == CURLE_OUT_OF_MEMORY ? MSS_ERR_NOMEM : MSS_ERR_CONFIG;
    }
    *out = t;
    return MSS_OK;
}

void mss_transport_free(mss_transport *t)
{
    if (t == NULL)
        return;
    if (t->easy != NULL)
        curl_easy_cleanup(t->easy);
    if (t->multi != NULL)
        curl_multi_cleanup(t->multi);
    free_headers(t->headers);
    secret_free(t->api_key);
    free(t->api_key_id);
    free(t->url);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

void mss_http_reply_clear(mss_http_reply *reply)
{
    if (reply == NULL)
        return;
    free(reply->body);
    memset(reply, 0, sizeof *reply);
}

/* Take the transport's lock, but give up at the deadline or on a cancel. */
static mss_error lock_until(mss_transport *t, uint64_t deadline_ms, mss_cancel_fn cancel,
                            void *cancel_ctx)
{
    for (;;) {
        if (cancel != NULL && cancel(cancel_ctx))
            return MSS_ERR_CANCELED;
        uint64_t left = mss_ms_left(deadline_ms);
        if (left == 0)
            return MSS_ERR_TIMEOUT;
        uint64_t wait = left < POLL_SLICE_MS ? left : POLL_SLICE_MS;
        struct timespec until = timespec_after_ms(wait); /* pthread_mutex_timedlock's clock */
        int rc = pthread_mutex_timedlock(&t->lock, &until);
        if (rc == 0)
            return MSS_OK;
        if (rc != ETIMEDOUT)
            return MSS_ERR_TRANSPORT;
    }
}

static mss_error map_curl_result(CURLcode rc)
{
    switch (rc) {
    case CURLE_OK:
        return MSS_OK;
    case CURLE_OUT_OF_MEMORY:
        return MSS_ERR_NOMEM;
    case CURLE_OPERATION_TIMEDOUT:
        return MSS_ERR_TIMEOUT;
    case CURLE_FILESIZE_EXCEEDED:
        return MSS_ERR_TOO_LARGE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return MSS_ERR_TLS;
    default:
        return MSS_ERR_TRANSPORT;
    }
}

/*
 * Did the transfer that just failed with result (or our own deadline) end before the
 * request left? libcurl counts the request's header bytes in CURLINFO_REQUEST_SIZE as it
 * writes them, so 0 there with a failure of the connect phase means the server cannot
 * have seen the request. A proxy that answered CONNECT with an error never opened the
 * tunnel. Anything else is "maybe sent", and a signature request is never sent twice.
 */
static int request_never_left(CURL *e, CURLcode result, int own_timeout)
{
    long request_size = -1, proxy_code = 0;
    if (curl_easy_getinfo(e, CURLINFO_HTTP_CONNECTCODE, &proxy_code) == CURLE_OK &&
        proxy_code >= 300)
        return 1;
    if (curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &request_size) != CURLE_OK ||
        request_size != 0)
        return 0;
    if (own_timeout)
        return 1;
    switch (result) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:  /* connect or handshake: nothing was written */
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return 1;
    default:
        return 0;
    }
}

/* Drive one transfer to its end, a cancel, or the deadline. */
static mss_error run_transfer(mss_transport *t, transfer *tr, uint64_t deadline_ms,
                              int *unreached, char *err, size_t err_len)
{
    CURLMcode mc = curl_multi_add_handle(t->multi, t->easy);
    if (mc != CURLM_OK) {
        snprintf(err, err_len, "curl_multi_add_handle: %s", curl_multi_strerror(mc));
        return MSS_ERR_TRANSPORT;
    }
    int running = 1, own_timeout = 0;
    for (;;) {
        mc = curl_multi_perform(t->multi, &running);
        if (mc != CURLM_OK || running == 0)
            break;
        if (tr->cancel != NULL && tr->cancel(tr->cancel_ctx)) {
            tr->canceled = 1;
            break;
        }
        if (mss_ms_left(deadline_ms) == 0) {
            own_timeout = 1;
            break;
        }
        mc = curl_multi_poll(t->multi, NULL, 0, POLL_SLICE_MS, NULL);
        if (mc != CURLM_OK)
            break;
    }

    CURLcode result = CURLE_OK;
    int done = 0, queued;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(t->multi, &queued)) != NULL) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == t->easy) {
            result = msg->data.result;
            done = 1;
        }
    }
    /* Removing an unfinished transfer closes its connection; a finished one stays cached. */
    curl_multi_remove_handle(t->multi, t->easy);
    *unreached = !tr->canceled && mc == CURLM_OK && (done ? result != CURLE_OK : own_timeout) &&
                 request_never_left(t->easy, result, own_timeout && !done);

    if (tr->canceled) {
        snprintf(err, err_len, "request canceled");
        return MSS_ERR_CANCELED;
    }
    if (tr->too_large || result == CURLE_FILESIZE_EXCEEDED) {
        snprintf(err, err_len, "response body larger than %d bytes", MSS_MAX_BODY);
        return MSS_ERR_TOO_LARGE;
    }
    if (own_timeout) {
        snprintf(err, err_len, "no complete answer within the deadline");
        return MSS_ERR_TIMEOUT;
    }
    if (mc != CURLM_OK) {
        snprintf(err, err_len, "libcurl multi error: %s", curl_multi_strerror(mc));
        return MSS_ERR_TRANSPORT;
    }
    if (!done) {
        snprintf(err, err_len, "transfer ended without a result");
        return MSS_ERR_TRANSPORT;
    }
    if (result != CURLE_OK) {
        snprintf(err, err_len, "%s%s%s", curl_easy_strerror(result), t->errbuf[0] ? ": " : "",
                 t->errbuf);
        return map_curl_result(result);
    }
    return MSS_OK;
}

/*
 * The header list of one request: the fixed one, or with an API key a copy of it plus the
 * Date and Authorization lines signed over this URL and body (mss/rest.h), so that the
 * MAC covers exactly the bytes sent. *OWN is the list to free afterwards (NULL: none).
 */
static mss_error request_headers(mss_transport *t, const char *url, const char *body,
                                 size_t body_len, struct curl_slist **own, char *err,
                                 size_t err_len)
{
    *own = NULL;
    if (t->api_key == NULL)
        return MSS_OK;
    char *date_line = NULL, *auth_line = NULL;
    mss_error rc = mss_rest_hmac_header_lines(t->api_key_id, t->api_key, url, body, body_len,
                                              time(NULL), &date_line, &auth_line);
    if (rc != MSS_OK) {
        snprintf(err, err_len, rc == MSS_ERR_NOMEM ? "out of memory signing the request"
                                                   : "cannot sign a request to this URL");
        return rc;
    }
    struct curl_slist *list = NULL;
    for (struct curl_slist *h = t->headers; h != NULL && rc == MSS_OK; h = h->next)
        if (append_header(&list, h->data) != 0)
            rc = MSS_ERR_NOMEM;
    if (rc == MSS_OK && (append_header(&list, date_line) != 0 ||
                         append_header(&list, auth_line) != 0))
        rc = MSS_ERR_NOMEM;
    free(date_line);
    secret_free(auth_line);
    if (rc != MSS_OK) {
        free_headers(list);
        snprintf(err, err_len, "out of memory signing the request");
        return rc;
    }
    *own = list;
    return MSS_OK;
}

mss_error mss_transport_post(mss_transport *t, const char *url, const char *body, size_t body_len,
                             unsigned timeout_ms, mss_cancel_fn cancel, void *cancel_ctx,
                             mss_http_reply *reply, int *unreached, char *err, size_t err_len)
{
    *unreached = 0;
    if (t == NULL || body == NULL || reply == NULL || timeout_ms == 0) {
        snprintf(err, err_len, "transport: bad arguments");
        return MSS_ERR_ARGS;
    }
    memset(reply, 0, sizeof *reply);
    uint64_t deadline_ms = mss_now_ms() + timeout_ms;

    mss_error rc = lock_until(t, deadline_ms, cancel, cancel_ctx);
    if (rc != MSS_OK) {
        snprintf(err, err_len, rc == MSS_ERR_CANCELED ? "request canceled"
                               : rc == MSS_ERR_TIMEOUT ? "timed out waiting for the connection"
                                                       : "transport lock failed");
        return rc;
    }

    transfer tr = {.cancel = cancel, .cancel_ctx = cancel_ctx};
    textbuf_init(&tr.body, MSS_MAX_BODY);
    uint64_t left = mss_ms_left(deadline_ms);
    t->errbuf[0] = '\0';
    if (curl_easy_setopt(t->easy, CURLOPT_URL, url ? url : t->url) != CURLE_OK) {
        pthread_mutex_unlock(&t->lock);
        snprintf(err, err_len, "out of memory setting the URL");
        return MSS_ERR_NOMEM;
    }
    struct curl_slist *signed_headers = NULL;
    rc = request_headers(t, url ? url : t->url, body, body_len, &signed_headers, err, err_len);
    if (rc != MSS_OK) {
        pthread_mutex_unlock(&t->lock);
        return rc;
    }
    if (signed_headers != NULL)
        curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, signed_headers);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, (long)(left ? left : 1));
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, &tr);
    curl_easy_setopt(t->easy, CURLOPT_XFERINFODATA, &tr);

    rc = run_transfer(t, &tr, deadline_ms, unreached, err, err_len);
    if (rc == MSS_OK) {
        long status = 0, connects = 0;
        char *ctype = NULL;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
        curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &connects);
        size_t answer_len = 0;
        char *answer = textbuf_take(&tr.body, &answer_len);
        if (answer == NULL) {
            rc = MSS_ERR_NOMEM;
        } else {
            reply->status = status;
            reply->body = answer;
            reply->body_len = answer_len;
            reply->reused_connection = connects == 0;
            snprintf(reply->content_type, sizeof reply->content_type, "%s",
                     ctype ? ctype : "");
        }
    }
    /* The body belongs to the caller: leave no pointer to it behind in the handle. */
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(t->easy, CURLOPT_XFERINFODATA, NULL);
    if (signed_headers != NULL) {
        curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
        free_headers(signed_headers);   /* wiped: one held the Authorization line */
    }
    pthread_mutex_unlock(&t->lock);
    textbuf_clear(&tr.body);
    return rc;
}
