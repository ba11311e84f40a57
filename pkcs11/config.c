/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Parser for mss-pkcs11.conf (format in mss_config.h and docs/mss-pkcs11.conf.5).
 *
 * The module runs inside other people's processes (Firefox, sshd, a display manager),
 * so the parser is strict and bounded: a file larger than MSS_CONF_MAX_SIZE, an unknown
 * key, a duplicate key, a bad number or an impossible value is an error naming the file
 * and line, never a guess.
 */
#include "config.h"

#include "mss_config.h"

#include <openssl/crypto.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

#define CONF_NAME "mss-pkcs11.conf"

typedef struct parse_state {
    mss_conf *conf;
    const char *path;
    char *dir;                 /* folder of the file, for relative paths */
    unsigned line;
    mss_conf_user *user;       /* current [user …] section, NULL in [mssp] */
    int in_mssp;
    char *ap_pwd_file;
    /* Keys given in the current section: every key may appear once per section,
     * whatever its type. */
    char seen[32][32];
    unsigned n_seen;
    char *err;
    size_t err_len;
} parse_state;

const char *mss_key_role_name(mss_key_role role)
{
    return role == MSS_KEY_SIGN ? "sign" : "authn";
}

static int fail(parse_state *st, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (st->err && st->err_len)
        snprintf(st->err, st->err_len, "%s:%u: %s", st->path, st->line, msg);
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
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
    static const char *const names[] = { "error", "warning", "info", "debug" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(value, names[i])) {
            st->conf->log_level = i;
            return 0;
        }
    return fail(st, "log_level must be error, warning, info or debug");
}

static int mssp_key(parse_state *st, const char *key, const char *value)
{
    mss_conf *c = st->conf;
    if (!strcmp(key, "url"))
        return set_string(st, &c->url, key, value);
    if (!strcmp(key, "ca_file"))
        return set_path(st, &c->ca_file, key, value);
    if (!strcmp(key, "client_cert"))
        return set_path(st, &c->client_cert, key, value);
    if (!strcmp(key, "client_key"))
        return set_path(st, &c->client_key, key, value);
    if (!strcmp(key, "ap_id"))
        return set_string(st, &c->ap_id, key, value);
    if (!strcmp(key, "ap_pwd"))
        return set_string(st, &c->ap_pwd, key, value);
    if (!strcmp(key, "ap_pwd_file"))
        return set_path(st, &st->ap_pwd_file, key, value);
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

/* "+" followed by 3 to 15 digits (E.164). */
static int valid_msisdn(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > 16 || s[0] != '+')
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int user_key(parse_state *st, const char *key, const char *value)
{
    mss_conf_user *u = st->user;
    if (!strcmp(key, "msisdn")) {
        if (!valid_msisdn(value))
            return fail(st, "msisdn must be '+' and 3 to 15 digits");
        return set_string(st, &u->msisdn, key, value);
    }
    if (!strcmp(key, "label")) {
        if (strlen(value) > 32)
            return fail(st, "label is longer than 32 bytes (the token label field)");
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

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !strcmp(s, ".") || !strcmp(s, ".."))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return 0;
    return 1;
}

static int section(parse_state *st, char *name)
{
    st->n_seen = 0;
    if (!strcmp(name, "mssp")) {
        st->in_mssp = 1;
        st->user = NULL;
        return 0;
    }
    if (strncmp(name, "user", 4) != 0 || !isspace((unsigned char)name[4]))
        return fail(st, "unknown section [%s] (expected [mssp] or [user NAME])", name);
    char *uname = trim(name + 4);
    if (!valid_name(uname))
        return fail(st, "user name '%s' must be 1 to 64 of A-Z a-z 0-9 _ . -", uname);
    mss_conf *c = st->conf;
    for (size_t i = 0; i < c->n_users; i++)
        if (!strcmp(c->users[i].name, uname))
            return fail(st, "[user %s] appears twice", uname);
    if (c->n_users >= MSS_CONF_MAX_USERS)
        return fail(st, "more than %d users", MSS_CONF_MAX_USERS);
    mss_conf_user *users = realloc(c->users, (c->n_users + 1) * sizeof *users);
    if (!users)
        return fail(st, "out of memory");
    c->users = users;
    st->user = &users[c->n_users++];
    memset(st->user, 0, sizeof *st->user);
    st->user->name = strdup(uname);
    st->in_mssp = 0;
    return st->user->name ? 0 : fail(st, "out of memory");
}

static int parse_line(parse_state *st, char *raw)
{
    char *line = trim(raw);
    if (!*line || *line == '#' || *line == ';')
        return 0;
    if (*line == '[') {
        char *close = strchr(line, ']');
        if (!close || close[1] != '\0')
            return fail(st, "section header must end with ']'");
        *close = '\0';
        return section(st, trim(line + 1));
    }
    char *eq = strchr(line, '=');
    if (!eq)
        return fail(st, "expected 'key = value'");
    *eq = '\0';
    char *key = trim(line), *value = trim(eq + 1);
    if (!*key)
        return fail(st, "missing key before '='");
    if (!*value)
        return fail(st, "'%s' has no value", key);
    for (unsigned i = 0; i < st->n_seen; i++)
        if (!strcmp(st->seen[i], key))
            return fail(st, "'%s' is given twice", key);
    if (strlen(key) < sizeof st->seen[0] && st->n_seen < sizeof st->seen / sizeof st->seen[0])
        strcpy(st->seen[st->n_seen++], key);
    if (st->user)
        return user_key(st, key, value);
    if (st->in_mssp)
        return mssp_key(st, key, value);
    return fail(st, "'%s' appears before any [mssp] or [user NAME] section", key);
}

/* Read the whole file, bounded, and refuse anything that is not a plain file. */
static char *read_bounded(parse_state *st)
{
    FILE *f = fopen(st->path, "re");
    if (!f) {
        fail(st, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        fail(st, "not a regular file");
        return NULL;
    }
    if (sb.st_size > MSS_CONF_MAX_SIZE) {
        fclose(f);
        fail(st, "larger than %d bytes", MSS_CONF_MAX_SIZE);
        return NULL;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    size_t n = buf ? fread(buf, 1, (size_t)sb.st_size, f) : 0;
    fclose(f);
    if (!buf) {
        fail(st, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        fail(st, "contains a NUL byte");
        return NULL;
    }
    return buf;
}

/* The password file holds the secret on its first line; the file may not be world-readable. */
static int load_ap_pwd(parse_state *st)
{
    if (!st->ap_pwd_file)
        return 0;
    st->line = 0;
    if (st->conf->ap_pwd)
        return fail(st, "give ap_pwd or ap_pwd_file, not both");
    FILE *f = fopen(st->ap_pwd_file, "re");
    if (!f)
        return fail(st, "cannot open ap_pwd_file %s: %s", st->ap_pwd_file, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & S_IROTH)) {
        fclose(f);
        return fail(st, "ap_pwd_file %s is readable by others; chmod 600 it", st->ap_pwd_file);
    }
    char buf[512];
    char *got = fgets(buf, sizeof buf, f);
    fclose(f);
    if (!got)
        return fail(st, "ap_pwd_file %s is empty", st->ap_pwd_file);
    buf[strcspn(buf, "\r\n")] = '\0';
    st->conf->ap_pwd = strdup(buf);
    OPENSSL_cleanse(buf, sizeof buf);
    return st->conf->ap_pwd ? 0 : fail(st, "out of memory");
}

static int check_complete(parse_state *st)
{
    mss_conf *c = st->conf;
    st->line = 0;
    if (!c->url)
        return fail(st, "[mssp] url is required");
    if (!c->ap_id)
        return fail(st, "[mssp] ap_id is required");
    if (strncmp(c->url, "https://", 8) != 0 &&
        !(c->allow_plain_http && strncmp(c->url, "http://", 7) == 0))
        return fail(st, "url must start with https:// (plain http needs allow_plain_http = yes)");
    if (strncmp(c->url, "https://", 8) == 0 && !c->ca_file)
        return fail(st, "[mssp] ca_file is required for an https url");
    if (!!c->client_cert != !!c->client_key)
        return fail(st, "client_cert and client_key go together");
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

/* Fill in what the file may leave out. */
static int apply_defaults(parse_state *st)
{
    mss_conf *c = st->conf;
    static const char *const key_labels[MSS_KEY_ROLES] = { "Authentication key", "Signing key" };
    for (size_t i = 0; i < c->n_users; i++) {
        mss_conf_user *u = &c->users[i];
        if (!u->label) {
            char buf[40];
            snprintf(buf, sizeof buf, "MSS %s", u->msisdn);
            if (!(u->label = strdup(buf)))
                return fail(st, "out of memory");
        }
        for (int r = 0; r < MSS_KEY_ROLES; r++)
            if (u->keys[r].present && !u->keys[r].label &&
                !(u->keys[r].label = strdup(key_labels[r])))
                return fail(st, "out of memory");
    }
    if (!c->cache_dir) {
        char buf[PATH_MAX];
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            snprintf(buf, sizeof buf, "%s/mss-pkcs11", xdg);
        else if (home && home[0] == '/')
            snprintf(buf, sizeof buf, "%s/.cache/mss-pkcs11", home);
        else
            snprintf(buf, sizeof buf, "%s/cache/mss-pkcs11", LOCALSTATEDIR);
        if (!(c->cache_dir = strdup(buf)))
            return fail(st, "out of memory");
    }
    return 0;
}

int mss_conf_load(const char *path, mss_conf **out, char *err, size_t err_len)
{
    *out = NULL;
    parse_state st = { .path = path, .err = err, .err_len = err_len };
    if (err && err_len)
        err[0] = '\0';
    mss_conf *c = calloc(1, sizeof *c);
    if (!c)
        return fail(&st, "out of memory");
    st.conf = c;
    c->mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    c->log_level = MSS_LOG_WARNING;
    c->path = strdup(path);
    const char *slash = strrchr(path, '/');
    st.dir = slash ? strndup(path, (size_t)(slash - path == 0 ? 1 : slash - path)) : NULL;

    char *text = c->path ? read_bounded(&st) : NULL;
    int rc = text ? 0 : -1;
    for (char *line = text, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        st.line++;
        rc = parse_line(&st, line);
    }
    if (rc == 0)
        rc = load_ap_pwd(&st);
    if (rc == 0)
        rc = check_complete(&st);
    if (rc == 0)
        rc = apply_defaults(&st);
    free(text);
    free(st.dir);
    free(st.ap_pwd_file);
    if (rc != 0) {
        mss_conf_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void mss_conf_free(mss_conf *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_users; i++) {
        mss_conf_user *u = &c->users[i];
        free(u->name);
        free(u->msisdn);
        free(u->label);
        for (int r = 0; r < MSS_KEY_ROLES; r++) {
            free(u->keys[r].profile);
            free(u->keys[r].label);
        }
    }
    free(c->users);
    if (c->ap_pwd) {
        OPENSSL_cleanse(c->ap_pwd, strlen(c->ap_pwd));
        free(c->ap_pwd);
    }
    free(c->path);
    free(c->url);
    free(c->ca_file);
    free(c->client_cert);
    free(c->client_key);
    free(c->ap_id);
    free(c->cache_dir);
    free(c->log_file);
    free(c);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

int mss_conf_find(char *buf, size_t len)
{
    const char *env = getenv("MSS_PKCS11_CONF");
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (env && *env) {
        n = snprintf(buf, len, "%s", env);
        return n >= 0 && (size_t)n < len ? 0 : -1;
    }
    if (xdg && xdg[0] == '/') {
        n = snprintf(buf, len, "%s/mss-pkcs11/" CONF_NAME, xdg);
        if (n >= 0 && (size_t)n < len && file_exists(buf))
            return 0;
    }
    if (home && home[0] == '/') {
        n = snprintf(buf, len, "%s/.config/mss-pkcs11/" CONF_NAME, home);
        if (n >= 0 && (size_t)n < len && file_exists(buf))
            return 0;
    }
    n = snprintf(buf, len, "%s/" CONF_NAME, SYSCONFDIR);
    return n >= 0 && (size_t)n < len ? 0 : -1;
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
    o->mode = c->mode;
    o->timeout_s = c->timeout_s;
    o->poll_first_ms = c->poll_first_ms;
    o->poll_interval_ms = c->poll_interval_ms;
    o->connect_timeout_ms = c->connect_timeout_ms;
    o->allow_plain_http = c->allow_plain_http;
}
