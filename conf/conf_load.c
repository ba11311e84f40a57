/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading the configuration: where the file is, loading it (parse, then defaults), and
 * handing its MSSP settings to libmssclient.
 */
#include "config.h"

#include "conf_internal.h"

#include <mss/rest.h>
#include <mss/soap.h>
#include <openssl/crypto.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* Every reason the reader gives names the file; a reason of the whole file has line 0. */
static int load_fail(const char *path, const char *reason, char *err, size_t err_len)
{
    if (err && err_len)
        snprintf(err, err_len, "%s:0: %s", path, reason);
    return -1;
}

int mss_conf_load(const char *path, mss_conf **out, char *err, size_t err_len)
{
    char reason[256];
    char *text = NULL;
    *out = NULL;
    if (err && err_len)
        err[0] = '\0';
    mss_conf *c = mss_conf_new();
    if (!c || !(c->path = strdup(path))) {
        mss_conf_free(c);
        return load_fail(path, "out of memory", err, err_len);
    }
    mode_t mode = 0;
    if (mss_conf_read_file(path, MSS_CONF_MAX_SIZE, MSS_CONF_FILE_NOT_WRITABLE, &text, &mode,
                           reason, sizeof reason) != 0) {
        mss_conf_free(c);
        return load_fail(path, reason, err, err_len);
    }
    int rc = conf_parse_text(c, path, text, 0, err, err_len);
    OPENSSL_cleanse(text, strlen(text)); /* it may hold ap_pwd */
    free(text);
    /* Only now is it known whether the file holds a secret. */
    if (rc == 0 && c->ap_pwd && !c->ap_pwd_file && (mode & S_IROTH)) {
        snprintf(reason, sizeof reason,
                 "holds ap_pwd and is readable by others (mode %04o); chmod 600 it",
                 (unsigned)mode);
        rc = load_fail(path, reason, err, err_len);
    }
    if (rc == 0)
        rc = conf_apply_defaults(c, err, err_len);
    if (rc != 0) {
        mss_conf_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* In a privileged process mss_conf_getenv gives NULL for all three, so only the system
 * file remains: the caller's home is the caller's, not the program's. */
int mss_conf_find(char *buf, size_t len)
{
    const char *env = mss_conf_getenv("MSS_PKCS11_CONF");
    const char *xdg = mss_conf_getenv("XDG_CONFIG_HOME"), *home = mss_conf_getenv("HOME");
    int n;
    if (env && *env) {
        n = snprintf(buf, len, "%s", env);
        return n >= 0 && (size_t)n < len ? 0 : -1;
    }
    if (xdg && xdg[0] == '/') {
        n = snprintf(buf, len, "%s/mss-pkcs11/" MSS_CONF_FILE_NAME, xdg);
        if (n >= 0 && (size_t)n < len && file_exists(buf))
            return 0;
    }
    if (home && home[0] == '/') {
        n = snprintf(buf, len, "%s/.config/mss-pkcs11/" MSS_CONF_FILE_NAME, home);
        if (n >= 0 && (size_t)n < len && file_exists(buf))
            return 0;
    }
    n = snprintf(buf, len, "%s/" MSS_CONF_FILE_NAME, SYSCONFDIR);
    return n >= 0 && (size_t)n < len ? 0 : -1;
}

void mss_conf_search_text(char *buf, size_t len)
{
    const char *env = mss_conf_getenv("MSS_PKCS11_CONF");
    const char *xdg = mss_conf_getenv("XDG_CONFIG_HOME"), *home = mss_conf_getenv("HOME");
    /* The same places, in the same order, as mss_conf_find above: the variable, when
     * set, is the only one. */
    if (env && *env) {
        snprintf(buf, len, "  $MSS_PKCS11_CONF = %s\n", env);
        return;
    }
    int n = snprintf(buf, len, "  $MSS_PKCS11_CONF (not set)\n");
    if (n >= 0 && (size_t)n < len && xdg && xdg[0] == '/')
        n += snprintf(buf + n, len - (size_t)n, "  %s/mss-pkcs11/" MSS_CONF_FILE_NAME "\n", xdg);
    if (n >= 0 && (size_t)n < len && home && home[0] == '/')
        n += snprintf(buf + n, len - (size_t)n, "  %s/.config/mss-pkcs11/" MSS_CONF_FILE_NAME "\n",
                      home);
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "  %s/" MSS_CONF_FILE_NAME "\n", SYSCONFDIR);
}

void mss_conf_client_options(const mss_conf *c, mss_client_options *o)
{
    memset(o, 0, sizeof *o);
    o->url = c->url;
    o->ca_file = c->ca_file;
    o->client_cert = c->client_cert;
    o->client_key = c->client_key;
    o->ap_id = c->ap_id;
    o->ap_pwd = c->ap_pwd;
    o->bearer_token = c->bearer_token;
    o->http_user = c->http_user;
    o->http_password = c->http_password;
    o->api_key = c->api_key;
    o->binding = mss_conf_binding_of(c->binding);
    o->mode = c->mode;
    o->timeout_s = c->timeout_s;
    o->poll_first_ms = c->poll_first_ms;
    o->poll_interval_ms = c->poll_interval_ms;
    o->connect_timeout_ms = c->connect_timeout_ms;
    o->allow_plain_http = c->allow_plain_http;
    /* The environment's proxy variables are the caller's in a privileged process: a
     * proxy the caller names would see every request (in the clear over http://). */
    if (c->proxy != NULL)
        o->proxy = mss_conf_proxy_option(c->proxy);
    else if (mss_conf_privileged())
        o->proxy = "";
}
