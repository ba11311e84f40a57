/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DIR/mss-relay.conf: the relay's own settings, edited by the operator ('mss-relay init'
 * writes the first one). The syntax is that of every configuration file of the project
 * (conf/mss_conf_lines.h); relative paths are taken from DIR. Every key is documented in
 * mss-relay(8):
 *
 *   [relay]
 *   listen = 127.0.0.1:9444            (ADDR:PORT, [ADDR]:PORT for IPv6)
 *   server_cert = server.pem           (PEM: the relay's TLS identity toward desktops)
 *   server_key = server.key            (secret file)
 *   user_ca = ca.pem                   (the relay's CA: a desktop's client certificate
 *                                       must chain to it and be listed in users.conf)
 *   user_ca_key = ca.key               (secret file; only 'mss-relay user add' reads it)
 *   token_keys = token_keys            (relay/token_keys.h; secret file)
 *   audit_log = audit.log              (JSON lines, relay/audit.h)
 *   text_prefix = ACME:                (optional: put before every phone text)
 *   max_text_chars = 110               (the upstream MSSP's DataToBeDisplayed limit)
 *   user_requests_per_minute = 10
 *   msisdn_requests_per_minute = 6
 *   max_pending_per_msisdn = 1
 *   max_connections = 256
 *
 *   [upstream]
 *   url = https://mssp.example/soap https://mssp2.example/soap   (tried in order)
 *   status_url = …                     (optional, as profile_url and receipt_url: an
 *                                       operation's own endpoints, e.g. Swisscom's REST
 *                                       paths; one URL, or one per url entry)
 *   ap_id = http://ap.example.org
 *   ap_pwd_file = upstream-ap_pwd      (secret file; optional)
 *   binding = soap                     (or rest: the JSON binding; default soap)
 *   http_user = ap                     (HTTP Basic toward the MSSP, with the first line
 *   http_password_file = upstream-http_pwd   of this secret file; optional as a pair)
 *   client_cert = upstream-ap.pem      (with client_key, optional as a pair)
 *   client_key = upstream-ap.key       (secret file)
 *   ca_file = upstream-ca.pem          (required for https)
 *   proxy = none                       (or a proxy URL; default: https_proxy etc.)
 *   connect_timeout_ms = 10000
 *   request_timeout_ms = 30000
 *
 *   [desktop]                          (what 'mss-relay user add' writes for desktops)
 *   url = https://relay.example.org:9444/mss   (default: from listen)
 *   module_ap_id = http://mss-relay.invalid    (the AP_ID the module sends; ignored)
 *   authn_profile = URI                (default profiles of the users' keys)
 *   sign_profile = URI
 *   user_ca_file = mssp-user-ca.pem    (the CA of the users' signing certificates at the
 *                                       MSSP: the desktops' user_ca_file, for enrolment)
 *
 * Secret files follow conf/'s rules (mss_conf_open, mss_conf_read_secret_line): no
 * symlink, a regular file, not writable by group or others, not readable by others. The
 * AP password and the HTTP Basic password are read into memory at load and wiped at
 * relay_conf_clear; they never reach a log.
 *
 * The desktops may speak either binding whatever the upstream's is (relay/forward.h).
 */
#ifndef RELAY_RELAY_CONF_H
#define RELAY_RELAY_CONF_H

#include <stddef.h>

#include <mss/client.h>

#include "mss_conf.h"

#define RELAY_CONF_FILE "mss-relay.conf"
#define RELAY_DEFAULT_LISTEN "127.0.0.1:9444"
#define RELAY_DEFAULT_MODULE_AP_ID "http://mss-relay.invalid"
/* Upstream URLs: a token records which one holds a transaction in a byte. */
#define RELAY_MAX_UPSTREAM_URLS 8      /* = URL_LIST_MAX, MSS_CLIENT_MAX_URLS */

typedef struct relay_conf {
    char *dir;                     /* DIR, as given */
    char *path;                    /* DIR/mss-relay.conf */

    /* [relay] */
    char *listen;
    char *server_cert;
    char *server_key;
    char *user_ca;
    char *user_ca_key;             /* NULL: not configured (user add refuses) */
    char *token_keys;
    char *audit_log;
    char *text_prefix;             /* NULL: none. The relay puts it, and a space, before
                                    * the text a desktop asks the phone to show, unless the
                                    * text starts with it already; the whole must then fit
                                    * max_text_chars or the request is refused. */
    unsigned max_text_chars;       /* characters (UTF-8 code points) */
    unsigned user_requests_per_minute;
    unsigned msisdn_requests_per_minute;
    unsigned max_pending_per_msisdn;
    unsigned max_connections;

    /* [upstream] */
    char *upstream_url_list;       /* the list as written: mss_client_options.url */
    char *upstream_urls[RELAY_MAX_UPSTREAM_URLS]; /* its entries, in the order tried (a
                                    * transaction token's upstream index points here) */
    size_t n_upstream_urls;
    char *ap_id;
    char *ap_pwd;                  /* secret, from ap_pwd_file; NULL without one */
    char *ap_pwd_file;
    mss_conf_binding binding;      /* the upstream's wire format (default SOAP) */
    char *status_url;              /* an operation's endpoints as written; NULL: url's */
    char *profile_url;
    char *receipt_url;
    char *http_user;               /* HTTP Basic toward the upstream; NULL: none */
    char *http_password;           /* secret, from http_password_file */
    char *http_password_file;
    char *client_cert;
    char *client_key;
    char *ca_file;
    char *proxy;                   /* NULL: the environment's; "none"; or a URL */
    unsigned connect_timeout_ms;
    unsigned request_timeout_ms;

    /* [desktop] */
    char *desktop_url;
    char *module_ap_id;
    char *authn_profile;           /* NULL: none (user add needs --authn-profile) */
    char *sign_profile;
    char *user_ca_file;            /* NULL: none (the desktops then trust no user CA) */
} relay_conf;

/*
 * Load DIR/mss-relay.conf into *CONF (cleared first; every default filled in): the
 * syntax, every value, the keys that must be there, the secret files' permissions (and
 * the AP password read). 0, or -1 with a one-line reason ("FILE:LINE: reason" or
 * "FILE: reason") in ERR and *CONF empty.
 */
int relay_conf_load(const char *dir, relay_conf *conf, char *err, size_t err_len);

/* Free and wipe what *CONF holds; it is then empty. Safe on an empty one. */
void relay_conf_clear(relay_conf *conf);

/* The options of the client toward the upstream MSSP (url: the whole failover list; a
 * status query names its URL by index with mss_client_call): pointers into CONF, valid
 * while it is. Logging and the messaging mode are the caller's. */
void relay_conf_upstream_options(const relay_conf *conf, mss_client_options *opts);

#endif /* RELAY_RELAY_CONF_H */
