/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parser for mss-pkcs11.conf text (format in mss_conf.h and docs/mss-pkcs11.conf.5).
 * Both the reader (mss_conf_load) and the writer (which checks what it is about to
 * write) go through it, so there is one set of rules for what a valid file is.
 *
 * The module runs inside other people's processes (Firefox, sshd, a display manager),
 * so the parser is strict and bounded: a file larger than MSS_CONF_MAX_SIZE, an unknown
 * key, a duplicate key, a bad number or an impossible value is an error naming the file
 * and line, never a guess.
 */
#include "config.h"

#include "conf_internal.h"
#include "mss_conf_lines.h"

#include <openssl/crypto.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "url_list.h"

#include <mss/rest.h>

typedef struct parse_state {
    mss_conf *conf;
    const char *path;
    char *dir;                 /* folder of the file, for relative paths */
    unsigned line;             /* of the key being read; 0 in the checks of the whole */
    unsigned url_line;         /* where url was given: its list is checked at the end,
                                * when allow_plain_http is known */
    unsigned auth_line;        /* where auth was given; 0: not given */
    mss_conf_user *user;       /* current [user …] section, NULL in [mssp] */
    int in_mssp;
    unsigned flags;            /* CONF_PARSE_* */
    /* Inside a line callback: the reader's buffer for the reason (it adds the file and
     * line). NULL in the checks after the last line, which name the file and LINE. */
    char *why;
    size_t why_len;
    char *err;
    size_t err_len;
} parse_state;

static int fail(parse_state *st, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (st->why != NULL)
        snprintf(st->why, st->why_len, "%s", msg);
    else if (st->err && st->err_len)
        snprintf(st->err, st->err_len, "%s:%u: %s", st->path, st->line, msg);
    return -1;
}

/* Store a copy of value into *slot; a key given twice is an error. */
static int set_string(parse_state *st, char **slot, const char *key, const char *value)
{
    if (*slot)
        return fail(st, "'%s' is given twice", key);
    *slot = strdup(value);
    return *slot ? 0 : fail(st, "out of memory");
}

/* Relative paths are taken from the configuration file's folder, not the cwd. */
static int set_path(parse_state *st, char **slot, const char *key, const char *value)
{
    if (value[0] == '/' || !st->dir)
        return set_string(st, slot, key, value);
    char buf[PATH_MAX];
    if ((size_t)snprintf(buf, sizeof buf, "%s/%s", st->dir, value) >= sizeof buf)
        return fail(st, "path for '%s' is too long", key);
    return set_string(st, slot, key, buf);
}

static int set_uint(parse_state *st, unsigned *slot, const char *key, const char *value,
                    unsigned min, unsigned max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(value, &end, 10);
    if (errno || end == value || *end || value[0] == '-' || v < min || v > max)
        return fail(st, "'%s' must be a whole number from %u to %u", key, min, max);
    *slot = (unsigned)v;
    return 0;
}

static int parse_bool(parse_state *st, int *slot, const char *key, const char *value)
{
    if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "1"))
        *slot = 1;
    else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "0"))
        *slot = 0;
    else
        return fail(st, "'%s' must be yes or no", key);
    return 0;
}

static int parse_log_level(parse_state *st, const char *value)
{
    if (mss_conf_log_level_parse(value, &st->conf->log_level) == 0)
        return 0;
    return fail(st, "log_level must be error, warning, info or debug");
}

static int mssp_key(parse_state *st, const char *key, const char *value)
{
    mss_conf *c = st->conf;
    if (!strcmp(key, "url")) {
        st->url_line = st->line;
        return set_string(st, &c->url, key, value);
    }
    if (!strcmp(key, "ca_file"))
        return set_path(st, &c->ca_file, key, value);
    if (!strcmp(key, "user_ca_file"))
        return set_path(st, &c->user_ca_file, key, value);
    if (!strcmp(key, "trust_on_first_use"))
        return parse_bool(st, &c->trust_on_first_use, key, value);
    if (!strcmp(key, "client_cert"))
        return set_path(st, &c->client_cert, key, value);
    if (!strcmp(key, "client_key"))
        return set_path(st, &c->client_key, key, value);
    if (!strcmp(key, "ap_id"))
        return set_string(st, &c->ap_id, key, value);
    if (!strcmp(key, "ap_pwd"))
        return set_string(st, &c->ap_pwd, key, value);
    if (!strcmp(key, "ap_pwd_file"))
        return set_path(st, &c->ap_pwd_file, key, value);
    if (!strcmp(key, "token_file"))
        return set_path(st, &c->token_file, key, value);
    if (!strcmp(key, "http_user"))
        return set_string(st, &c->http_user, key, value);
    if (!strcmp(key, "http_password_file"))
        return set_path(st, &c->http_password_file, key, value);
    if (!strcmp(key, "auth")) {
        if (st->auth_line != 0)
            return fail(st, "'auth' is given twice");
        if (mss_conf_auth_parse(value, &c->auth) != 0)
            return fail(st, "auth must be tls, basic or hmac");
        st->auth_line = st->line;
        return 0;
    }
    if (!strcmp(key, "api_key_file"))
        return set_path(st, &c->api_key_file, key, value);
    if (!strcmp(key, "binding")) {
        if (mss_conf_binding_parse(value, &c->binding) != 0)
            return fail(st, "binding must be soap, rest or rest-swisscom");
        return 0;
    }
    if (!strcmp(key, "messaging_mode")) {
        if (mss_mode_parse(value, &c->mode) != MSS_OK || c->mode == MSS_MODE_ASYNCH_SERVER_SERVER)
            return fail(st, "messaging_mode must be synch or asynchClientServer");
        return 0;
    }
    if (!strcmp(key, "timeout"))
        return set_uint(st, &c->timeout_s, key, value, 1, 3600);
    if (!strcmp(key, "poll_first_ms"))
        return set_uint(st, &c->poll_first_ms, key, value, 10, 600000);
    if (!strcmp(key, "poll_interval_ms"))
        return set_uint(st, &c->poll_interval_ms, key, value, 10, 600000);
    if (!strcmp(key, "connect_timeout_ms"))
        return set_uint(st, &c->connect_timeout_ms, key, value, 100, 600000);
    if (!strcmp(key, "prompt")) {
        if (mss_conf_prompt_parse(value, &c->prompt) != 0)
            return fail(st, "prompt must be auto, notify, tty, command or none");
        return 0;
    }
    if (!strcmp(key, "prompt_command"))
        return set_path(st, &c->prompt_command, key, value);
    if (!strcmp(key, "proxy"))
        return set_string(st, &c->proxy, key, value);
    if (!strcmp(key, "allow_plain_http"))
        return parse_bool(st, &c->allow_plain_http, key, value);
    if (!strcmp(key, "cache_dir"))
        return set_path(st, &c->cache_dir, key, value);
    if (!strcmp(key, "log_level"))
        return parse_log_level(st, value);
    if (!strcmp(key, "log_file"))
        return set_path(st, &c->log_file, key, value);
    return fail(st, "unknown key '%s' in [mssp]", key);
}

static int user_key(parse_state *st, const char *key, const char *value)
{
    mss_conf_user *u = st->user;
    if (!strcmp(key, "msisdn")) {
        if (!mss_conf_msisdn_valid(value))
            return fail(st, "msisdn must be '+' and 3 to 15 digits");
        return set_string(st, &u->msisdn, key, value);
    }
    if (!strcmp(key, "label")) {
        if (strlen(value) > MSS_CONF_MAX_TOKEN_LABEL)
            return fail(st, "label is longer than %d bytes (the token label field)",
                        MSS_CONF_MAX_TOKEN_LABEL);
        return set_string(st, &u->label, key, value);
    }
    for (int r = 0; r < MSS_KEY_ROLES; r++) {
        const char *role = mss_key_role_name((mss_key_role)r);
        size_t rl = strlen(role);
        if (strncmp(key, role, rl) != 0 || key[rl] != '_')
            continue;
        mss_conf_key *k = &u->keys[r];
        if (!strcmp(key + rl + 1, "profile")) {
            k->present = 1;
            return set_string(st, &k->profile, key, value);
        }
        if (!strcmp(key + rl + 1, "label"))
            return set_string(st, &k->label, key, value);
        if (!strcmp(key + rl + 1, "pss"))
            return parse_bool(st, &k->pss, key, value);
    }
    return fail(st, "unknown key '%s' in [user %s]", key, u->name);
}

static int on_section(void *ctx, unsigned line, char *name, char *why, size_t why_len)
{
    parse_state *st = ctx;
    st->line = line;
    st->why = why;
    st->why_len = why_len;
    if (!strcmp(name, "mssp")) {
        st->in_mssp = 1;
        st->user = NULL;
        return 0;
    }
    if (strncmp(name, "user", 4) != 0 || !isspace((unsigned char)name[4]))
        return fail(st, "unknown section [%s] (expected [mssp] or [user NAME])", name);
    char reason[160];
    st->user = mss_conf_add_user(st->conf, mss_conf_trim(name + 4), reason, sizeof reason);
    if (!st->user)
        return fail(st, "%s", reason);
    st->in_mssp = 0;
    return 0;
}

static int on_entry(void *ctx, unsigned line, const char *key, char *value, char *why,
                    size_t why_len)
{
    parse_state *st = ctx;
    st->line = line;
    st->why = why;
    st->why_len = why_len;
    if (st->user)
        return user_key(st, key, value);
    if (st->in_mssp)
        return mssp_key(st, key, value);
    return fail(st, "'%s' appears before any [mssp] or [user NAME] section", key);
}

/* The secret is the first line of FILE (KEY names it in errors), opened with CHECKS
 * (mss_conf_read_secret_line: the same rules for every secret file of the project). */
static int read_secret_line(parse_state *st, const char *key, const char *file,
                            unsigned checks, char **out)
{
    char why[160];
    if (mss_conf_read_secret_line(file, checks, out, why, sizeof why) != 0)
        return fail(st, "%s %s: %s", key, file, why);
    return 0;
}

/* The password file is a secret file (mss_conf_open: no symlink, a regular file, not
 * writable by or readable by others). */
static int load_ap_pwd(parse_state *st)
{
    const char *file = st->conf->ap_pwd_file;
    if (!file)
        return 0;
    if (st->conf->ap_pwd)
        return fail(st, "give ap_pwd or ap_pwd_file, not both");
    if (st->flags & CONF_PARSE_SKIP_SECRET_FILE)
        return 0;
    return read_secret_line(st, "ap_pwd_file", file,
                            MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET,
                            &st->conf->ap_pwd);
}

/* A header value cannot hold blanks or control characters; a token is printable ASCII. */
static int token_valid(const char *t)
{
    for (; *t; t++)
        if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
            return 0;
    return 1;
}

/* The bearer token is the person's own credential toward mss-relay: the file must be
 * theirs and closed to everyone else (MSS_CONF_FILE_PERSONAL). */
static int load_bearer_token(parse_state *st)
{
    const char *file = st->conf->token_file;
    if (!file || (st->flags & CONF_PARSE_SKIP_SECRET_FILE))
        return 0;
    if (read_secret_line(st, "token_file", file,
                         MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET |
                             MSS_CONF_FILE_PERSONAL,
                         &st->conf->bearer_token) != 0)
        return -1;
    if (!token_valid(st->conf->bearer_token))
        return fail(st, "token_file %s: the token must be one word of printable ASCII", file);
    return 0;
}

/* auth = tls|basic|hmac against the keys each scheme takes. Without auth, http_user means
 * basic (the files written before auth existed); every other key of a scheme not chosen
 * is refused, naming it, rather than ignored. */
static int check_auth_keys(parse_state *st)
{
    mss_conf *c = st->conf;
    if (st->auth_line == 0 && (c->http_user || c->http_password_file))
        c->auth = MSS_CONF_AUTH_BASIC;
    if (c->auth != MSS_CONF_AUTH_BASIC && (c->http_user || c->http_password_file))
        return fail(st, "%s is for auth = basic (auth is %s)",
                    c->http_user ? "http_user" : "http_password_file", mss_conf_auth_name(c->auth));
    if (c->auth != MSS_CONF_AUTH_HMAC && c->api_key_file)
        return fail(st, "api_key_file is for auth = hmac (auth is %s)", mss_conf_auth_name(c->auth));
    if (c->auth == MSS_CONF_AUTH_BASIC && !c->http_user && !c->http_password_file)
        return fail(st, "auth = basic needs http_user and http_password_file");
    if (c->auth != MSS_CONF_AUTH_HMAC)
        return 0;
    if (!c->api_key_file)
        return fail(st, "auth = hmac needs api_key_file");
    if (c->binding != MSS_CONF_BINDING_REST)
        return fail(st, "auth = hmac needs binding = rest (the API key signs Kiuru's REST "
                    "requests only)");
    if (c->token_file)
        return fail(st, "give auth = hmac or token_file, not both (one Authorization header)");
    return 0;
}

/* Its errors name auth's line (0, "the whole file", when auth was not given). */
static int check_auth(parse_state *st)
{
    st->line = st->auth_line;
    int rc = check_auth_keys(st);
    st->line = 0;
    return rc;
}

/* The REST API key (auth = hmac): the first line of a secret file, kept like the HTTP
 * Basic password (not writable by others, not readable by others). */
static int load_api_key(parse_state *st)
{
    mss_conf *c = st->conf;
    if (c->auth != MSS_CONF_AUTH_HMAC || (st->flags & CONF_PARSE_SKIP_SECRET_FILE))
        return 0;
    if (read_secret_line(st, "api_key_file", c->api_key_file,
                         MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET, &c->api_key) != 0)
        return -1;
    if (strlen(c->api_key) > MSS_REST_HMAC_MAX_KEY)
        return fail(st, "api_key_file %s: the key is longer than %d bytes", c->api_key_file,
                    MSS_REST_HMAC_MAX_KEY);
    return 0;
}

/* HTTP Basic toward the MSSP: a user and a password from a secret file (like
 * ap_pwd_file), both or neither, and not beside a bearer token (one Authorization
 * header). A colon cannot be in a Basic user name. */
static int load_http_basic(parse_state *st)
{
    mss_conf *c = st->conf;
    if (!c->http_user && !c->http_password_file)
        return 0;
    if (!c->http_user || !c->http_password_file)
        return fail(st, "give http_user and http_password_file together");
    if (strchr(c->http_user, ':') != NULL)
        return fail(st, "http_user cannot contain ':' (HTTP Basic separates the password with it)");
    if (c->token_file)
        return fail(st, "give http_user or token_file, not both (one Authorization header)");
    if (st->flags & CONF_PARSE_SKIP_SECRET_FILE)
        return 0;
    return read_secret_line(st, "http_password_file", c->http_password_file,
                            MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET, &c->http_password);
}

/* libcurl opens client_key later, by path, and follows whatever is there; the reader
 * checks the file now so that a key others can read or swap is refused with a reason
 * instead of being used. Skipped with the secret file, for the same reason. */
static int check_client_key(parse_state *st)
{
    const char *file = st->conf->client_key;
    char why[160];
    int fd;
    if (!file || (st->flags & CONF_PARSE_SKIP_SECRET_FILE))
        return 0;
    if (mss_conf_open(file, O_RDONLY, MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET, &fd, why,
                      sizeof why) != 0)
        return fail(st, "client_key %s: %s", file, why);
    close(fd);
    return 0;
}

static int check_complete(parse_state *st)
{
    mss_conf *c = st->conf;
    if (!c->url)
        return fail(st, "[mssp] url is required");
    if (!c->ap_id)
        return fail(st, "[mssp] ap_id is required");
    /* One URL or a failover list: the client's own reading of it (url_list.h). */
    url_list urls;
    char why[200];
    st->line = st->url_line;
    if (url_list_parse("url", c->url, c->allow_plain_http, &urls, why, sizeof why) != 0)
        return fail(st, "%s", why);
    int any_https = 0;
    for (size_t i = 0; i < urls.n; i++)
        any_https |= strncasecmp(urls.url[i], "https://", 8) == 0;
    url_list_clear(&urls);
    st->line = 0;
    if (any_https && !c->ca_file)
        return fail(st, "[mssp] ca_file is required for an https url");
    if (!!c->client_cert != !!c->client_key)
        return fail(st, "client_cert and client_key go together");
    /* Two answers to "whom do the users' certificates come from": which one is meant? */
    if (c->user_ca_file && c->trust_on_first_use)
        return fail(st, "give user_ca_file or trust_on_first_use = yes, not both");
    if ((c->prompt == MSS_PROMPT_COMMAND) != (c->prompt_command != NULL))
        return fail(st, "prompt = command and prompt_command go together");
    for (size_t i = 0; i < c->n_users; i++) {
        mss_conf_user *u = &c->users[i];
        if (!u->msisdn)
            return fail(st, "[user %s] has no msisdn", u->name);
        if (!u->keys[MSS_KEY_AUTHN].present && !u->keys[MSS_KEY_SIGN].present)
            return fail(st, "[user %s] has neither authn_profile nor sign_profile", u->name);
        for (int r = 0; r < MSS_KEY_ROLES; r++) {
            mss_conf_key *k = &u->keys[r];
            if ((k->label || k->pss) && !k->present)
                return fail(st, "[user %s] has %s_label or %s_pss but no %s_profile", u->name,
                            mss_key_role_name((mss_key_role)r),
                            mss_key_role_name((mss_key_role)r), mss_key_role_name((mss_key_role)r));
        }
    }
    return 0;
}

int conf_parse_text(mss_conf *c, const char *path, char *text, unsigned flags, char *err,
                    size_t err_len)
{
    parse_state st = { .conf = c, .path = path, .flags = flags, .err = err, .err_len = err_len };
    const char *slash = strrchr(path, '/');
    if (slash) {
        st.dir = strndup(path, (size_t)(slash - path == 0 ? 1 : slash - path));
        if (!st.dir)
            return fail(&st, "out of memory");
    }
    static const mss_conf_lines_handler handler = {on_section, on_entry};
    int rc = mss_conf_lines_parse(text, path, &handler, &st, err, err_len);
    st.why = NULL;
    st.line = 0;
    if (rc == 0)
        rc = load_ap_pwd(&st);
    if (rc == 0)
        rc = check_auth(&st);
    if (rc == 0)
        rc = load_http_basic(&st);   /* before the token: its refusal of both comes first */
    if (rc == 0)
        rc = load_api_key(&st);
    if (rc == 0)
        rc = load_bearer_token(&st);
    if (rc == 0)
        rc = check_client_key(&st);
    if (rc == 0)
        rc = check_complete(&st);
    free(st.dir);
    return rc;
}
