/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_client: option validation, defaults (see mss/client.h), the log callback
 * and the detail of a refusal. Network work lives in transport.c / exchange.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <mss/rest.h>

#include "binding_internal.h"
#include "client_internal.h"
#include "ids.h"
#include "rest_hmac.h"
#include "url_list.h"
#include "secret.h"

/* Defaults from the field (mss-protocol.md §1.10, docs/mssclient.md): TimeOut between
 * Swisscom's 80 s and Laverca's 180 s; the 2 s / 2 s polling of Laverca and MUSAP, which
 * MSSPs tolerate and which notices a quick answer without hammering the MSSP. */
#define DEFAULT_POLL_FIRST_MS 2000u
#define DEFAULT_POLL_INTERVAL_MS 2000u
#define DEFAULT_CONNECT_TIMEOUT_MS 10000u
/* An asynch request or a status query is answered at once (Swisscom: 10 s for a
 * status query); 30 s leaves room for a slow MSSP without hanging on a dead one. */
#define DEFAULT_STATUS_TIMEOUT_MS 30000u
#define MAX_PASSWORD_LEN 1024u
/* Upper bounds that catch unit mix-ups (ms given as s) without limiting real use. */
#define MAX_TIMEOUT_S 3600u
#define MAX_WAIT_MS 600000u
#define MAX_AP_ID_LEN 1024u
#define DEFAULT_AP_PWD "not-used"

void mss_client_log(const mss_client *client, int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (client == NULL || client->log == NULL)
        return;
    if (client->log_level != 0 && level >= client->log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    client->log(level, line, client->log_ctx);
}

/* A string a header or URL may carry: no control characters, no spaces. */
static int is_printable_token(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* Say why options were refused, in the detail and in the log. */
static mss_error refuse(const mss_client_options *opts, mss_detail *detail, const char *why,
                        const char *what)
{
    mss_detail_printf(detail, "%s%s%s", why, what ? ": " : "", what ? what : "");
    if (opts->log != NULL) {
        char line[512];
        snprintf(line, sizeof line, "mss_client_new: %s%s%s", why, what ? ": " : "",
                 what ? what : "");
        opts->log(MSS_LOG_ERROR, line, opts->log_ctx);
    }
    return MSS_ERR_CONFIG;
}

static mss_error check_readable(const mss_client_options *opts, mss_detail *detail,
                                const char *path, const char *name)
{
    if (path == NULL)
        return MSS_OK;
    if (path[0] == '\0' || access(path, R_OK) != 0) {
        char why[64];
        snprintf(why, sizeof why, "%s is not a readable file", name);
        return refuse(opts, detail, why, path);
    }
    return MSS_OK;
}

/* A libcurl public-key pin: "sha256//<base64 of 32 bytes>" entries joined by ';',
 * or the path of a PEM/DER public key file. */
/* A proxy URL libcurl understands, with a scheme named: without one libcurl would
 * guess http, and a typo would send the requests somewhere unintended in the clear. */
static int proxy_ok(const char *proxy)
{
    static const char *const schemes[] = {"http://", "https://", "socks4://", "socks4a://",
                                          "socks5://", "socks5h://"};
    size_t len = strlen(proxy);

    if (len > URL_MAX_LEN || !is_printable_token(proxy))
        return 0;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncmp(proxy, schemes[i], n) == 0 && len > n)
            return 1;
    }
    return 0;
}

static int pin_ok(const char *pin)
{
    if (strncmp(pin, "sha256//", 8) != 0)
        return pin[0] != '\0' && access(pin, R_OK) == 0;
    if (strlen(pin) > URL_MAX_LEN)
        return 0;
    const char *p = pin;
    while (*p) {
        if (strncmp(p, "sha256//", 8) != 0)
            return 0;
        p += 8;
        size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
        if (n != 44) /* base64 of a SHA-256 digest */
            return 0;
        p += n;
        if (*p == ';' && p[1] != '\0')
            p++;
        else if (*p != '\0')
            return 0; /* anything else, or a trailing ';' */
    }
    return 1;
}

/* The first line of a password file (without its line break), malloc'd; NULL with
 * why set on failure. The buffer is wiped before it is freed on every path. */
static char *read_password_file(const char *path, const char **why)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        *why = "client_key_password_file cannot be opened";
        return NULL;
    }
    char *buf = calloc(1, MAX_PASSWORD_LEN + 2);
    if (buf == NULL) {
        fclose(f);
        *why = "out of memory";
        return NULL;
    }
    if (fgets(buf, MAX_PASSWORD_LEN + 2, f) == NULL)
        buf[0] = '\0';
    fclose(f);
    size_t len = strcspn(buf, "\r\n");
    if (len > MAX_PASSWORD_LEN || (buf[len] == '\0' && strlen(buf) > MAX_PASSWORD_LEN)) {
        explicit_bzero(buf, MAX_PASSWORD_LEN + 2);
        free(buf);
        *why = "client_key_password_file: first line longer than 1024 bytes";
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}


/* HMAC authentication is the Kiuru REST API's (mss/rest.h): no SOAP MSSP, nor Swisscom's
 * REST API (mutual TLS), is known to accept it, so asking for it with another binding is a
 * mistake to report, not to ignore. */
static mss_error validate_api_key(const mss_client_options *opts, mss_detail *detail)
{
    if (opts->binding != mss_binding_rest())
        return refuse(opts, detail, "api_key (HMAC authentication) needs the REST binding of "
                      "Kiuru (mss_binding_rest); the other bindings have no such scheme", NULL);
    if (opts->http_user != NULL || opts->bearer_token != NULL)
        return refuse(opts, detail, "api_key excludes http_user and bearer_token (each is the "
                      "Authorization header)", NULL);
    size_t len = strlen(opts->api_key);
    if (len == 0 || len > MSS_REST_HMAC_MAX_KEY || strpbrk(opts->api_key, "\r\n") != NULL)
        return refuse(opts, detail, "api_key is empty, longer than 1024 bytes, or has line "
                      "breaks", NULL);
    return MSS_OK;
}

/* With an API key, every URL must be one the MAC can cover, so that a bad one is refused
 * here rather than at its first request. */
static mss_error validate_hmac_urls(const mss_client_options *opts, const mss_url_lists *urls,
                                    mss_detail *detail)
{
    const mss_endpoints *lists[] = {&urls->servers, &urls->status, &urls->profile,
                                    &urls->receipt};
    char host[MSS_REST_HMAC_HOST_SIZE], path[MSS_REST_HMAC_PATH_SIZE];
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; i < lists[l]->n; i++)
            if (mss_rest_hmac_url_target(lists[l]->at[i].url, host, sizeof host, path,
                                         sizeof path) != 0)
                return refuse(opts, detail, "api_key: the host or path of this URL is too "
                              "long to sign", lists[l]->at[i].log_url);
    return MSS_OK;
}

/* Everything but the URL lists, which mss_url_lists_parse checks as it reads them. */
static mss_error validate(const mss_client_options *opts, mss_detail *detail)
{
    if (opts->ap_id == NULL || opts->ap_id[0] == '\0')
        return refuse(opts, detail, "ap_id is required", NULL);
    if (strlen(opts->ap_id) > MAX_AP_ID_LEN || !is_printable_token(opts->ap_id))
        return refuse(opts, detail, "ap_id is too long or contains spaces or control characters", NULL);
    if (opts->ap_pwd != NULL && strlen(opts->ap_pwd) > MAX_AP_ID_LEN)
        return refuse(opts, detail, "ap_pwd is too long", NULL);

    if (opts->mode != MSS_MODE_SYNCH && opts->mode != MSS_MODE_ASYNCH_CLIENT_SERVER)
        return refuse(opts, detail, "mode must be synch or asynchClientServer", NULL);
    if (opts->timeout_s > MAX_TIMEOUT_S)
        return refuse(opts, detail, "timeout_s is larger than 3600", NULL);
    if (opts->poll_first_ms > MAX_WAIT_MS || opts->poll_interval_ms > MAX_WAIT_MS ||
        opts->connect_timeout_ms > MAX_WAIT_MS)
        return refuse(opts, detail, "poll or connect timings are larger than 600000 ms", NULL);

    if (opts->client_key != NULL && opts->client_cert == NULL)
        return refuse(opts, detail, "client_key is set without client_cert", NULL);
    if (opts->client_key_password_file != NULL && opts->client_key == NULL &&
        opts->client_cert == NULL)
        return refuse(opts, detail, "client_key_password_file is set without a client key", NULL);
    if (opts->http_password != NULL && opts->http_user == NULL)
        return refuse(opts, detail, "http_password is set without http_user", NULL);
    if (opts->http_user != NULL &&
        (opts->http_user[0] == '\0' || strchr(opts->http_user, ':') != NULL ||
         strlen(opts->http_user) > MAX_AP_ID_LEN || !is_printable_token(opts->http_user)))
        return refuse(opts, detail, "http_user is empty, too long, or has ':', spaces or control characters",
                      NULL);
    if (opts->http_password != NULL && (strlen(opts->http_password) > MAX_PASSWORD_LEN ||
                                        strpbrk(opts->http_password, "\r\n") != NULL))
        return refuse(opts, detail, "http_password is too long or has line breaks", NULL);
    if (opts->bearer_token != NULL && opts->http_user != NULL)
        return refuse(opts, detail, "bearer_token and http_user exclude each other (both are "
                      "the Authorization header)", NULL);
    if (opts->bearer_token != NULL &&
        (opts->bearer_token[0] == '\0' || strlen(opts->bearer_token) > MAX_PASSWORD_LEN ||
         !is_printable_token(opts->bearer_token)))
        return refuse(opts, detail, "bearer_token is empty, too long, or has spaces or control "
                      "characters", NULL);
    if (opts->api_key != NULL) {
        mss_error rc = validate_api_key(opts, detail);
        if (rc != MSS_OK)
            return rc;
    }
    if (opts->pinned_pubkey != NULL && !pin_ok(opts->pinned_pubkey))
        return refuse(opts, detail, "pinned_pubkey must be sha256//<base64>[;sha256//<base64>...] or a "
                      "readable key file", NULL);
    if (opts->proxy != NULL && opts->proxy[0] != '\0' && !proxy_ok(opts->proxy))
        return refuse(opts, detail, "proxy must be an http://, https://, socks4://, socks4a://, "
                      "socks5:// or socks5h:// URL of at most 2048 printable characters", NULL);
    if (opts->log_level < 0 || opts->log_level > MSS_LOG_UPTO(MSS_LOG_DEBUG))
        return refuse(opts, detail, "log_level must be 0 or MSS_LOG_UPTO(MSS_LOG_ERROR..MSS_LOG_DEBUG)",
                      NULL);
    if (opts->status_timeout_ms > MAX_WAIT_MS)
        return refuse(opts, detail, "status_timeout_ms is larger than 600000 ms", NULL);
    mss_error rc;
    if ((rc = check_readable(opts, detail, opts->ca_file, "ca_file")) != MSS_OK ||
        (rc = check_readable(opts, detail, opts->client_cert, "client_cert")) != MSS_OK ||
        (rc = check_readable(opts, detail, opts->client_key, "client_key")) != MSS_OK ||
        (rc = check_readable(opts, detail, opts->client_key_password_file,
                             "client_key_password_file")) != MSS_OK)
        return rc;
    return MSS_OK;
}

static unsigned or_default(unsigned value, unsigned dflt)
{
    return value ? value : dflt;
}

mss_error mss_client_new(const mss_client_options *opts, mss_client **out, mss_detail *detail)
{
    mss_detail_reset(detail);
    if (opts == NULL || out == NULL)
        return MSS_ERR_ARGS;
    char url_why[256];
    mss_url_lists urls;
    const mss_binding *binding = opts->binding != NULL ? opts->binding : mss_binding_soap();
    mss_error rc = mss_url_lists_parse(opts, binding->request_path, &urls, url_why,
                                       sizeof url_why);
    if (rc != MSS_OK)
        return rc == MSS_ERR_CONFIG ? refuse(opts, detail, url_why, NULL) : rc;
    rc = validate(opts, detail);
    if (rc == MSS_OK && opts->api_key != NULL)
        rc = validate_hmac_urls(opts, &urls, detail);
    mss_client *c = rc == MSS_OK ? calloc(1, sizeof *c) : NULL;
    if (c == NULL) {
        mss_url_lists_clear(&urls);
        return rc != MSS_OK ? rc : MSS_ERR_NOMEM;
    }
    c->urls = urls;
    c->ap_id = strdup(opts->ap_id);
    c->ap_pwd = strdup(opts->ap_pwd ? opts->ap_pwd : DEFAULT_AP_PWD);
    c->mode = opts->mode;
    c->timeout_s = or_default(opts->timeout_s, MSS_CLIENT_DEFAULT_TIMEOUT_S);
    c->poll_first_ms = or_default(opts->poll_first_ms, DEFAULT_POLL_FIRST_MS);
    c->poll_interval_ms = or_default(opts->poll_interval_ms, DEFAULT_POLL_INTERVAL_MS);
    c->connect_timeout_ms = or_default(opts->connect_timeout_ms, DEFAULT_CONNECT_TIMEOUT_MS);
    c->status_timeout_ms = or_default(opts->status_timeout_ms, DEFAULT_STATUS_TIMEOUT_MS);
    c->log_level = opts->log_level;
    c->log = opts->log;
    c->log_ctx = opts->log_ctx;
    c->binding = binding;
    if (c->ap_id == NULL || c->ap_pwd == NULL) {
        mss_client_free(c);
        return MSS_ERR_NOMEM;
    }

    char *key_password = NULL;
    if (opts->client_key_password_file != NULL) {
        const char *why = NULL;
        key_password = read_password_file(opts->client_key_password_file, &why);
        if (key_password == NULL) {
            refuse(opts, detail, why, NULL);
            mss_client_free(c);
            return MSS_ERR_CONFIG;
        }
    }
    mss_transport_config tc = {
        .url = c->urls.servers.at[0].url,
        .content_type = mss_binding_content_type(c->binding),
        .accept = c->binding->accept,
        .ca_file = opts->ca_file,
        .client_cert = opts->client_cert,
        .client_key = opts->client_key,
        .connect_timeout_ms = c->connect_timeout_ms,
        .allow_plain_http = opts->allow_plain_http,
        .pinned_pubkey = opts->pinned_pubkey,
        .key_password = key_password,
        .http_user = opts->http_user,
        .http_password = opts->http_password,
        .proxy = opts->proxy,
        .bearer_token = opts->bearer_token,
        .api_key = opts->api_key,
        .api_key_id = opts->ap_id,
    };
    char err[256] = "";
    rc = mss_transport_new(&tc, &c->transport, err, sizeof err);
    secret_free(key_password); /* libcurl holds its own copy */
    if (rc != MSS_OK) {
        refuse(opts, detail, "transport set-up failed", err);
        mss_client_free(c);
        return rc;
    }
    mss_client_log(c, MSS_LOG_DEBUG, "client for %s (URL 1 of %zu): AP_ID %s, mode %s, TimeOut "
                   "%u s, first poll %u ms, interval %u ms%s%s%s%s%s", c->urls.servers.at[0].log_url,
                   c->urls.servers.n, c->ap_id, mss_mode_name(c->mode),
                   c->timeout_s, c->poll_first_ms, c->poll_interval_ms,
                   opts->pinned_pubkey ? ", public key pinned" : "",
                   opts->http_user ? ", HTTP Basic" : "",
                   opts->bearer_token ? ", bearer token" : "",
                   opts->api_key ? ", HMAC API key" : "",
                   opts->proxy == NULL ? "" : opts->proxy[0] ? ", through a proxy" : ", no proxy");
    *out = c;
    return MSS_OK;
}

void mss_client_free(mss_client *client)
{
    if (client == NULL)
        return;
    mss_transport_free(client->transport);
    mss_url_lists_clear(&client->urls);
    free(client->ap_id);
    if (client->ap_pwd != NULL) {
        /* Do not leave the password behind in freed heap memory. */
        volatile char *p = client->ap_pwd;
        while (*p)
            *p++ = '\0';
        free(client->ap_pwd);
    }
    free(client);
}

mss_error mss_client_fill_header(mss_client *client, mss_header *hdr, char *trans_id_buf,
                                 char *instant_buf, mss_detail *detail)
{
    mss_error rc = mss_new_trans_id(trans_id_buf);
    if (rc == MSS_OK)
        rc = mss_now_instant(instant_buf);
    if (rc != MSS_OK) {
        mss_detail_printf(detail, "could not make an AP_TransID or Instant");
        return rc;
    }
    memset(hdr, 0, sizeof *hdr);
    hdr->major_version = 1;
    hdr->minor_version = 1;
    hdr->ap_id = client->ap_id;
    hdr->ap_pwd = client->ap_pwd;
    hdr->ap_trans_id = trans_id_buf;
    hdr->ap_instant = instant_buf;
    return MSS_OK;
}

const char *mss_client_url_for(const mss_client *client, mss_message_type type, int url_index,
                               int for_log)
{
    const mss_endpoint *e = mss_endpoint_at(mss_url_list_for(&client->urls, type), url_index);
    return for_log ? e->log_url : e->url;
}

size_t mss_client_url_count(const mss_client *client)
{
    return client != NULL ? client->urls.servers.n : 0;
}

int mss_client_url_index_valid(const mss_client *client, int url_index)
{
    return url_index == MSS_URL_FIRST_REACHABLE ||
           (url_index >= 0 && (size_t)url_index < client->urls.servers.n);
}
