/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-relay.conf; see relay_conf.h. One table holds every key: its section, kind,
 * field and range, so the reader, its checks and the man page's list agree. */
#include "relay_conf.h"

#include "listen.h"
#include "mss_conf.h"
#include "mss_conf_lines.h"
#include "url_list.h"
#include "utf8.h"
#include "why.h"
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <mss/rest.h>
#include <mss/soap.h>

/* A relay configuration is a page of text. */
#define RELAY_CONF_MAX_SIZE (64 * 1024)

typedef enum section_id { SEC_NONE = 0, SEC_RELAY, SEC_UPSTREAM, SEC_DESKTOP } section_id;

static const char *const section_names[] = {
    [SEC_RELAY] = "relay", [SEC_UPSTREAM] = "upstream", [SEC_DESKTOP] = "desktop",
};

typedef enum key_kind {
    KIND_TEXT,   /* one line of printable text */
    KIND_URL,    /* https:// (or http://) and no blanks */
    KIND_PATH,   /* a file, relative to DIR */
    KIND_SECRET, /* a file, relative to DIR, under the secret-file rules */
    KIND_UINT,   /* a whole number MIN..MAX */
    KIND_URLS,   /* 1..RELAY_MAX_UPSTREAM_URLS URLs, separated by blanks */
    KIND_OP_URLS,/* an operation's endpoints: a list as KIND_URLS, kept as written */
    KIND_LISTEN, /* ADDR:PORT */
    KIND_PROXY,  /* "none" or a URL */
    KIND_BINDING /* soap or rest (conf/'s names, as in mss-pkcs11.conf) */
} key_kind;

typedef struct key_rule {
    section_id section;
    const char *key;
    key_kind kind;
    size_t offset;          /* of the char *, unsigned or mss_conf_binding field */
    unsigned min, max;      /* KIND_UINT */
    unsigned def;           /* KIND_UINT: the default */
    int required;
} key_rule;

#define STR(f) offsetof(relay_conf, f)
static const key_rule rules[] = {
    {SEC_RELAY, "listen", KIND_LISTEN, STR(listen), 0, 0, 0, 0},
    {SEC_RELAY, "server_cert", KIND_PATH, STR(server_cert), 0, 0, 0, 1},
    {SEC_RELAY, "server_key", KIND_SECRET, STR(server_key), 0, 0, 0, 1},
    {SEC_RELAY, "user_ca", KIND_PATH, STR(user_ca), 0, 0, 0, 1},
    {SEC_RELAY, "user_ca_key", KIND_SECRET, STR(user_ca_key), 0, 0, 0, 0},
    {SEC_RELAY, "token_keys", KIND_SECRET, STR(token_keys), 0, 0, 0, 1},
    {SEC_RELAY, "audit_log", KIND_PATH, STR(audit_log), 0, 0, 0, 1},
    {SEC_RELAY, "text_prefix", KIND_TEXT, STR(text_prefix), 0, 0, 0, 0},
    {SEC_RELAY, "max_text_chars", KIND_UINT, STR(max_text_chars), 10, 4096, 110, 0},
    {SEC_RELAY, "user_requests_per_minute", KIND_UINT, STR(user_requests_per_minute), 1, 100000,
     10, 0},
    {SEC_RELAY, "msisdn_requests_per_minute", KIND_UINT, STR(msisdn_requests_per_minute), 1,
     100000, 10, 0},
    {SEC_RELAY, "max_pending_per_msisdn", KIND_UINT, STR(max_pending_per_msisdn), 1, 100, 1, 0},
    {SEC_RELAY, "max_connections", KIND_UINT, STR(max_connections), 1, 100000, 256, 0},
    {SEC_UPSTREAM, "url", KIND_URLS, 0, 0, 0, 0, 1},
    {SEC_UPSTREAM, "ap_id", KIND_TEXT, STR(ap_id), 0, 0, 0, 1},
    {SEC_UPSTREAM, "ap_pwd_file", KIND_SECRET, STR(ap_pwd_file), 0, 0, 0, 0},
    {SEC_UPSTREAM, "binding", KIND_BINDING, STR(binding), 0, 0, 0, 0},
    {SEC_UPSTREAM, "status_url", KIND_OP_URLS, STR(status_url), 0, 0, 0, 0},
    {SEC_UPSTREAM, "profile_url", KIND_OP_URLS, STR(profile_url), 0, 0, 0, 0},
    {SEC_UPSTREAM, "receipt_url", KIND_OP_URLS, STR(receipt_url), 0, 0, 0, 0},
    {SEC_UPSTREAM, "http_user", KIND_TEXT, STR(http_user), 0, 0, 0, 0},
    {SEC_UPSTREAM, "http_password_file", KIND_SECRET, STR(http_password_file), 0, 0, 0, 0},
    {SEC_UPSTREAM, "client_cert", KIND_PATH, STR(client_cert), 0, 0, 0, 0},
    {SEC_UPSTREAM, "client_key", KIND_SECRET, STR(client_key), 0, 0, 0, 0},
    {SEC_UPSTREAM, "ca_file", KIND_PATH, STR(ca_file), 0, 0, 0, 0},
    {SEC_UPSTREAM, "proxy", KIND_PROXY, STR(proxy), 0, 0, 0, 0},
    {SEC_UPSTREAM, "connect_timeout_ms", KIND_UINT, STR(connect_timeout_ms), 100, 600000, 10000,
     0},
    {SEC_UPSTREAM, "request_timeout_ms", KIND_UINT, STR(request_timeout_ms), 100, 600000, 30000,
     0},
    {SEC_DESKTOP, "url", KIND_URL, STR(desktop_url), 0, 0, 0, 0},
    {SEC_DESKTOP, "module_ap_id", KIND_TEXT, STR(module_ap_id), 0, 0, 0, 0},
    {SEC_DESKTOP, "authn_profile", KIND_TEXT, STR(authn_profile), 0, 0, 0, 0},
    {SEC_DESKTOP, "sign_profile", KIND_TEXT, STR(sign_profile), 0, 0, 0, 0},
    {SEC_DESKTOP, "user_ca_file", KIND_PATH, STR(user_ca_file), 0, 0, 0, 0},
};
#undef STR
#define N_RULES (sizeof rules / sizeof rules[0])

static char **str_field(relay_conf *c, const key_rule *r)
{
    return (char **)((char *)c + r->offset);
}

static unsigned *uint_field(relay_conf *c, const key_rule *r)
{
    return (unsigned *)((char *)c + r->offset);
}

typedef struct reader {
    relay_conf *conf;
    section_id section;
    unsigned char seen_section[4];
    unsigned char given[N_RULES];
} reader;

static int on_section(void *ctx, unsigned line, char *name, char *why, size_t why_len)
{
    (void)line;
    reader *r = ctx;
    for (int s = SEC_RELAY; s <= SEC_DESKTOP; s++) {
        if (strcmp(name, section_names[s]) != 0)
            continue;
        if (r->seen_section[s])
            return why_set(why, why_len, "[%s] is given twice", name);
        r->seen_section[s] = 1;
        r->section = (section_id)s;
        return 0;
    }
    return why_set(why, why_len, "unknown section [%.64s] (expected [relay], [upstream] or "
                  "[desktop])", name);
}

/* One line of printable text, no control characters (the values go into messages,
 * certificates and the desktops' configuration files). */
static int text_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

static int url_ok(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

static int set_copy(char **slot, const char *value, char *why, size_t why_len)
{
    *slot = strdup(value);
    return *slot != NULL ? 0 : why_set(why, why_len, "out of memory");
}

/* DIR/VALUE unless VALUE is absolute. */
static int set_path(relay_conf *c, char **slot, const char *value, char *why, size_t why_len)
{
    if (value[0] == '/')
        return set_copy(slot, value, why, why_len);
    char buf[PATH_MAX];
    if ((size_t)snprintf(buf, sizeof buf, "%s/%s", c->dir, value) >= sizeof buf)
        return why_set(why, why_len, "the path is too long");
    return set_copy(slot, buf, why, why_len);
}

static int set_uint(unsigned *slot, const key_rule *r, const char *value, char *why,
                    size_t why_len)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (value[0] < '0' || value[0] > '9' || *end != '\0' || errno != 0 || v < r->min ||
        v > r->max)
        return why_set(why, why_len, "'%s' must be a whole number from %u to %u", r->key, r->min,
                      r->max);
    *slot = (unsigned)v;
    return 0;
}

/* The client's own reading of a URL list (common/url_list.h), so that the relay and the
 * module accept the same lists. http:// is refused here, in the relay's words (there is
 * no allow_plain_http): the MSSP is reached over TLS only. 0 with *URLS filled (the
 * caller clears it), or -1 with the reason. */
static int parse_urls(const char *key, const char *value, url_list *urls, char *why,
                      size_t why_len)
{
    if (url_list_parse(key, value, 1, urls, why, why_len) != 0)
        return -1;
    for (size_t i = 0; i < urls->n; i++) {
        const char *problem = NULL;
        if (strncasecmp(urls->url[i], "https://", 8) != 0)
            problem = "must start with https:// (the MSSP is reached over TLS only)";
        for (size_t j = 0; j < i && problem == NULL; j++)
            if (strcmp(urls->url[i], urls->url[j]) == 0)
                problem = "is given twice";
        if (problem != NULL) {
            why_set(why, why_len, "%s: entry %zu of %zu %s", key, i + 1, urls->n, problem);
            url_list_clear(urls);
            return -1;
        }
    }
    return 0;
}

/* An operation's endpoints (Swisscom's REST paths, or Kiuru's SOAP ports), kept as
 * written for the client, which pairs them with url (one, or one per url entry). */
static int set_op_urls(char **slot, const key_rule *r, const char *value, char *why,
                       size_t why_len)
{
    url_list urls;
    if (parse_urls(r->key, value, &urls, why, why_len) != 0)
        return -1;
    url_list_clear(&urls);
    return set_copy(slot, value, why, why_len);
}

static int set_urls(relay_conf *c, const char *value, char *why, size_t why_len)
{
    url_list urls;
    if (parse_urls("url", value, &urls, why, why_len) != 0)
        return -1;
    /* The list as written is what the client is given; the entries, in order, are what
     * a transaction token's upstream index points into. */
    if (set_copy(&c->upstream_url_list, value, why, why_len) != 0) {
        url_list_clear(&urls);
        return -1;
    }
    for (size_t i = 0; i < urls.n; i++) {
        c->upstream_urls[i] = urls.url[i];
        urls.url[i] = NULL;
    }
    c->n_upstream_urls = urls.n;
    urls.n = 0;
    url_list_clear(&urls);
    return 0;
}

static int set_value(relay_conf *c, const key_rule *r, char *value, char *why, size_t why_len)
{
    srv_listen_addr addr;
    char reason[160];
    switch (r->kind) {
    case KIND_TEXT:
        if (!text_ok(value))
            return why_set(why, why_len, "'%s' has a control character", r->key);
        return set_copy(str_field(c, r), value, why, why_len);
    case KIND_URL:
        if (!url_ok(value))
            return why_set(why, why_len, "'%s' must be an https:// URL without blanks", r->key);
        return set_copy(str_field(c, r), value, why, why_len);
    case KIND_PATH:
    case KIND_SECRET:
        return set_path(c, str_field(c, r), value, why, why_len);
    case KIND_UINT:
        return set_uint(uint_field(c, r), r, value, why, why_len);
    case KIND_URLS:
        return set_urls(c, value, why, why_len);
    case KIND_OP_URLS:
        return set_op_urls(str_field(c, r), r, value, why, why_len);
    case KIND_LISTEN:
        if (srv_listen_parse(value, &addr, reason, sizeof reason) != 0)
            return why_set(why, why_len, "listen: %s", reason);
        return set_copy(str_field(c, r), value, why, why_len);
    case KIND_PROXY:
        if (strcmp(value, "none") != 0 && !url_ok(value) && strncmp(value, "socks", 5) != 0)
            return why_set(why, why_len, "proxy must be none or a proxy URL");
        return set_copy(str_field(c, r), value, why, why_len);
    case KIND_BINDING:
        if (mss_conf_binding_parse(value, (mss_conf_binding *)((char *)c + r->offset)) != 0)
            return why_set(why, why_len, "'%s' must be soap, rest or rest-swisscom", r->key);
        return 0;
    }
    return why_set(why, why_len, "internal error");
}

static int on_entry(void *ctx, unsigned line, const char *key, char *value, char *why,
                    size_t why_len)
{
    (void)line;
    reader *r = ctx;
    if (r->section == SEC_NONE)
        return why_set(why, why_len, "'%.64s' appears before any section", key);
    for (size_t i = 0; i < N_RULES; i++) {
        if (rules[i].section == r->section && strcmp(rules[i].key, key) == 0) {
            r->given[i] = 1;
            return set_value(r->conf, &rules[i], value, why, why_len);
        }
    }
    return why_set(why, why_len, "unknown key '%.64s' in [%s]", key, section_names[r->section]);
}

static int fail_file(const relay_conf *c, char *err, size_t err_len, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, err_len, "%s: %s", c->path, msg);
    return -1;
}

/* Required keys present; numbers defaulted; the pairs that go together. */
static int check_complete(relay_conf *c, const reader *r, char *err, size_t err_len)
{
    for (size_t i = 0; i < N_RULES; i++) {
        if (r->given[i])
            continue;
        if (rules[i].required)
            return fail_file(c, err, err_len, "[%s] %s is required",
                             section_names[rules[i].section], rules[i].key);
        if (rules[i].kind == KIND_UINT)
            *uint_field(c, &rules[i]) = rules[i].def;
    }
    if (!!c->client_cert != !!c->client_key)
        return fail_file(c, err, err_len, "[upstream] client_cert and client_key go together");
    if (!!c->http_user != !!c->http_password_file)
        return fail_file(c, err, err_len, "[upstream] http_user and http_password_file go "
                         "together");
    if (c->http_user != NULL && strchr(c->http_user, ':') != NULL)
        return fail_file(c, err, err_len, "[upstream] http_user cannot contain ':' (HTTP Basic "
                         "separates the password with it)");
    if (c->ca_file == NULL)
        return fail_file(c, err, err_len, "[upstream] ca_file is required (the MSSP's "
                         "certificate is always verified)");
    if (c->desktop_url != NULL && strncmp(c->desktop_url, "https://", 8) != 0)
        return fail_file(c, err, err_len, "[desktop] url must be https:// (the module "
                         "refuses plain http)");
    if (c->text_prefix != NULL) {
        /* The phone shows characters: the prefix counts in code points, and must be
         * UTF-8 (DataToBeDisplayed is XML text). */
        size_t chars = 0, len = strlen(c->text_prefix);
        for (size_t i = 0, n; i < len; i += n, chars++)
            if ((n = utf8_sequence((const unsigned char *)c->text_prefix + i, len - i)) == 0)
                return fail_file(c, err, err_len, "[relay] text_prefix is not UTF-8");
        if (chars + 1 >= c->max_text_chars)
            return fail_file(c, err, err_len, "[relay] text_prefix leaves no room in "
                             "max_text_chars = %u", c->max_text_chars);
    }
    return 0;
}

/* The defaults that are strings. */
static int fill_defaults(relay_conf *c, char *err, size_t err_len)
{
    char why[64];
    if (c->listen == NULL && set_copy(&c->listen, RELAY_DEFAULT_LISTEN, why, sizeof why) != 0)
        return fail_file(c, err, err_len, "out of memory");
    if (c->module_ap_id == NULL &&
        set_copy(&c->module_ap_id, RELAY_DEFAULT_MODULE_AP_ID, why, sizeof why) != 0)
        return fail_file(c, err, err_len, "out of memory");
    if (c->desktop_url == NULL) {
        char url[128];
        if (snprintf(url, sizeof url, "https://%s/mss", c->listen) >= (int)sizeof url ||
            set_copy(&c->desktop_url, url, why, sizeof why) != 0)
            return fail_file(c, err, err_len, "cannot make [desktop] url from listen");
    }
    return 0;
}

/* A secret that is the first line of a file of KEY (conf/'s secret-file rules), into
 * *OUT. */
static int read_secret(relay_conf *c, const char *key, const char *file, char **out,
                       char *err, size_t err_len)
{
    char why[200];
    if (file == NULL)
        return 0;
    if (mss_conf_read_secret_line(file, MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET, out,
                                  why, sizeof why) != 0)
        return fail_file(c, err, err_len, "%s %s: %s", key, file, why);
    return 0;
}

/* Each secret file must pass conf/'s rules now, so that a key others can read is
 * refused at start with its reason; the AP password and the HTTP Basic password are
 * read. */
static int check_secrets(relay_conf *c, char *err, size_t err_len)
{
    char why[200];
    for (size_t i = 0; i < N_RULES; i++) {
        const char *file;
        int fd;
        if (rules[i].kind != KIND_SECRET || (file = *str_field(c, &rules[i])) == NULL)
            continue;
        if (mss_conf_open(file, O_RDONLY, MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET, &fd,
                          why, sizeof why) != 0)
            return fail_file(c, err, err_len, "%s %s: %s", rules[i].key, file, why);
        close(fd);
    }
    if (read_secret(c, "ap_pwd_file", c->ap_pwd_file, &c->ap_pwd, err, err_len) != 0)
        return -1;
    return read_secret(c, "http_password_file", c->http_password_file, &c->http_password, err,
                       err_len);
}

int relay_conf_load(const char *dir, relay_conf *conf, char *err, size_t err_len)
{
    memset(conf, 0, sizeof *conf);
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, RELAY_CONF_FILE) >= sizeof path) {
        snprintf(err, err_len, "%s: the path is too long", dir);
        return -1;
    }
    conf->dir = strdup(dir);
    conf->path = strdup(path);
    if (conf->dir == NULL || conf->path == NULL) {
        snprintf(err, err_len, "out of memory");
        relay_conf_clear(conf);
        return -1;
    }
    char *text = NULL, why[200];
    if (mss_conf_read_file(path, RELAY_CONF_MAX_SIZE, MSS_CONF_FILE_NOT_WRITABLE, &text, NULL, why,
                           sizeof why) != 0) {
        snprintf(err, err_len, "%s: %s", path, why);
        relay_conf_clear(conf);
        return -1;
    }
    static const mss_conf_lines_handler handler = {on_section, on_entry};
    reader r = {.conf = conf, .section = SEC_NONE};
    int rc = mss_conf_lines_parse(text, path, &handler, &r, err, err_len);
    free(text);
    if (rc == 0)
        rc = check_complete(conf, &r, err, err_len);
    if (rc == 0)
        rc = fill_defaults(conf, err, err_len);
    if (rc == 0)
        rc = check_secrets(conf, err, err_len);
    if (rc != 0)
        relay_conf_clear(conf);
    return rc;
}


void relay_conf_clear(relay_conf *conf)
{
    secret_free(conf->ap_pwd);
    secret_free(conf->http_password);
    for (size_t i = 0; i < N_RULES; i++)
        if (rules[i].kind != KIND_UINT && rules[i].kind != KIND_URLS &&
            rules[i].kind != KIND_BINDING)
            free(*str_field(conf, &rules[i]));
    for (size_t i = 0; i < conf->n_upstream_urls; i++)
        free(conf->upstream_urls[i]);
    free(conf->upstream_url_list);
    free(conf->dir);
    free(conf->path);
    memset(conf, 0, sizeof *conf);
}

void relay_conf_upstream_options(const relay_conf *conf, mss_client_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->url = conf->upstream_url_list;
    opts->status_url = conf->status_url;
    opts->profile_url = conf->profile_url;
    opts->receipt_url = conf->receipt_url;
    opts->proxy = mss_conf_proxy_option(conf->proxy);
    opts->ca_file = conf->ca_file;
    opts->client_cert = conf->client_cert;
    opts->client_key = conf->client_key;
    opts->ap_id = conf->ap_id;
    opts->ap_pwd = conf->ap_pwd;
    opts->binding = mss_conf_binding_of(conf->binding);
    opts->http_user = conf->http_user;
    opts->http_password = conf->http_password;
    opts->connect_timeout_ms = conf->connect_timeout_ms;
    opts->status_timeout_ms = conf->request_timeout_ms;
}
