/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writing mss-pkcs11.conf: the text for a configuration built in memory, a whole new
 * file, or one [user NAME] section put into an existing file. Whatever is about to be
 * written is first read back by the parser the module uses, so no program can write
 * a file the module would refuse; then it replaces the file atomically.
 */
#include "config.h"

#include "conf_internal.h"

#include <openssl/crypto.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Text under construction; the first error stops all further output. */
typedef struct text_buf {
    char *s;
    size_t len, cap;
    int failed;
    char *err;
    size_t err_len;
} text_buf;

static void tb_fail(text_buf *tb, const char *key, const char *why)
{
    if (!tb->failed)
        snprintf(tb->err, tb->err_len, "'%s' %s", key, why);
    tb->failed = 1;
}

static void tb_put(text_buf *tb, const char *s)
{
    size_t n = strlen(s);
    if (tb->failed)
        return;
    if (tb->len + n + 1 > tb->cap) {
        size_t cap = (tb->len + n + 1) * 2;
        char *grown = malloc(cap);
        if (!grown) {
            tb_fail(tb, "text", "cannot be built: out of memory");
            return;
        }
        /* Copy and wipe rather than realloc: the old block may hold ap_pwd. */
        if (tb->s) {
            memcpy(grown, tb->s, tb->len);
            OPENSSL_cleanse(tb->s, tb->cap);
            free(tb->s);
        }
        tb->s = grown;
        tb->cap = cap;
    }
    memcpy(tb->s + tb->len, s, n + 1);
    tb->len += n;
}

static void tb_free(text_buf *tb)
{
    if (tb->s)
        OPENSSL_cleanse(tb->s, tb->cap);
    free(tb->s);
    tb->s = NULL;
}

/* The reader trims blanks, cuts at line ends and takes an empty value as an error:
 * a value it would not read back exactly is refused here. */
static const char *value_problem(const char *v)
{
    size_t n = strlen(v);
    if (n == 0)
        return "has no value";
    if (isspace((unsigned char)v[0]) || isspace((unsigned char)v[n - 1]))
        return "must not start or end with a blank";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return "must be one line without control characters";
    return NULL;
}

/* "key = value"; a NULL value is an option not given and is left out. */
static void put_kv(text_buf *tb, const char *key, const char *value)
{
    const char *why = value ? value_problem(value) : NULL;
    if (!value)
        return;
    if (why) {
        tb_fail(tb, key, why); /* the value itself may be a secret: never echoed */
        return;
    }
    tb_put(tb, key);
    tb_put(tb, " = ");
    tb_put(tb, value);
    tb_put(tb, "\n");
}

/* 0 means "not given" for the numeric options (the client's default applies). */
static void put_uint(text_buf *tb, const char *key, unsigned v)
{
    char num[16];
    if (v == 0)
        return;
    snprintf(num, sizeof num, "%u", v);
    put_kv(tb, key, num);
}

static void put_mssp(text_buf *tb, const mss_conf *c)
{
    tb_put(tb, "[mssp]\n");
    put_kv(tb, "url", c->url);
    put_kv(tb, "ca_file", c->ca_file);
    put_kv(tb, "user_ca_file", c->user_ca_file);
    put_kv(tb, "trust_on_first_use", c->trust_on_first_use ? "yes" : NULL);
    put_kv(tb, "client_cert", c->client_cert);
    put_kv(tb, "client_key", c->client_key);
    put_kv(tb, "ap_id", c->ap_id);
    if (c->ap_pwd_file)
        put_kv(tb, "ap_pwd_file", c->ap_pwd_file);
    else
        put_kv(tb, "ap_pwd", c->ap_pwd);
    put_kv(tb, "token_file", c->token_file);
    put_kv(tb, "auth", c->auth != MSS_CONF_AUTH_TLS ? mss_conf_auth_name(c->auth) : NULL);
    put_kv(tb, "http_user", c->http_user);
    put_kv(tb, "http_password_file", c->http_password_file);
    put_kv(tb, "api_key_file", c->api_key_file);
    /* Always written, like messaging_mode: the file shows the choice to whoever edits it. */
    put_kv(tb, "binding", mss_conf_binding_name(c->binding));
    put_kv(tb, "messaging_mode", mss_mode_name(c->mode));
    put_uint(tb, "timeout", c->timeout_s);
    put_uint(tb, "poll_first_ms", c->poll_first_ms);
    put_uint(tb, "poll_interval_ms", c->poll_interval_ms);
    put_uint(tb, "connect_timeout_ms", c->connect_timeout_ms);
    put_kv(tb, "proxy", c->proxy);
    put_kv(tb, "prompt", c->prompt != MSS_PROMPT_AUTO ? mss_conf_prompt_name(c->prompt) : NULL);
    put_kv(tb, "prompt_command", c->prompt_command);
    put_kv(tb, "allow_plain_http", c->allow_plain_http ? "yes" : NULL);
    put_kv(tb, "cache_dir", c->cache_dir);
    /* The reader's default level is not written, so the file says only what was chosen. */
    if (c->log_level != MSS_LOG_WARNING) {
        const char *level = mss_conf_log_level_name(c->log_level);
        if (level)
            put_kv(tb, "log_level", level);
        else
            tb_fail(tb, "log_level", "must be error, warning, info or debug");
    }
    put_kv(tb, "log_file", c->log_file);
}

static void put_user(text_buf *tb, const mss_conf_user *u)
{
    if (!mss_conf_user_name_valid(u->name)) {
        tb_fail(tb, "user name", "must be 1 to 64 of A-Z a-z 0-9 _ . -");
        return;
    }
    tb_put(tb, "[user ");
    tb_put(tb, u->name);
    tb_put(tb, "]\n");
    put_kv(tb, "msisdn", u->msisdn);
    put_kv(tb, "label", u->label);
    for (int r = 0; r < MSS_KEY_ROLES; r++) {
        const mss_conf_key *k = &u->keys[r];
        const char *role = mss_key_role_name((mss_key_role)r);
        char key[32];
        if (!k->present)
            continue;
        snprintf(key, sizeof key, "%s_profile", role);
        put_kv(tb, key, k->profile);
        snprintf(key, sizeof key, "%s_label", role);
        put_kv(tb, key, k->label);
        snprintf(key, sizeof key, "%s_pss", role);
        put_kv(tb, key, k->pss ? "yes" : NULL);
    }
}

int mss_conf_format(const mss_conf *c, char **text, char *err, size_t err_len)
{
    text_buf tb = { .err = err, .err_len = err_len };
    *text = NULL;
    put_mssp(&tb, c);
    for (size_t i = 0; i < c->n_users; i++) {
        tb_put(&tb, "\n");
        put_user(&tb, &c->users[i]);
    }
    if (tb.failed) {
        tb_free(&tb);
        return -1;
    }
    *text = tb.s;
    return 0;
}

/*
 * Read TEXT back as the module would (without opening ap_pwd_file). On success sets
 * *secret when the text holds the AP password itself. The reason names PATH and the
 * line of TEXT, and says that nothing was written.
 */
static int check_text(const char *path, const char *text, int *secret, char *err, size_t err_len)
{
    char why[512];
    char *copy = strdup(text);
    mss_conf *c = mss_conf_new();
    int rc = -1;
    if (!copy || !c)
        snprintf(why, sizeof why, "%s: out of memory", path);
    else
        rc = conf_parse_text(c, path, copy, CONF_PARSE_SKIP_SECRET_FILE, why, sizeof why);
    if (rc == 0)
        *secret = c->ap_pwd != NULL;
    else
        snprintf(err, err_len, "%s; nothing was written", why);
    if (copy)
        OPENSSL_cleanse(copy, strlen(copy));
    free(copy);
    mss_conf_free(c);
    return rc;
}

/* Write through a symbolic link to the file it names, as an in-place edit would. */
static const char *target_of(const char *path, char *buf)
{
    return realpath(path, buf) ? buf : path;
}

static int check_and_write(const char *path, const char *text, mode_t keep, char *err,
                           size_t err_len)
{
    int secret = 0;
    if (check_text(path, text, &secret, err, err_len) != 0)
        return -1;
    mode_t mode = keep & (secret ? 0600 : 0644);
    return mss_conf_write_atomic(path, text, strlen(text), mode, err, err_len);
}

int mss_conf_write(const mss_conf *c, const char *path, char *err, size_t err_len)
{
    char *text = NULL, real[PATH_MAX];
    char why[256];
    if (mss_conf_format(c, &text, why, sizeof why) != 0) {
        snprintf(err, err_len, "%s: %s; nothing was written", path, why);
        return -1;
    }
    int rc = check_and_write(target_of(path, real), text, 0644, err, err_len);
    OPENSSL_cleanse(text, strlen(text));
    free(text);
    return rc;
}

/* 1 when LINE is the header of [user NAME], spelled as loosely as the parser allows
 * ("[ user  NAME ]"). */
static int is_user_header(const char *line, size_t len, const char *name)
{
    while (len > 0 && isspace((unsigned char)*line))
        line++, len--;
    while (len > 0 && isspace((unsigned char)line[len - 1]))
        len--;
    if (len < 2 || line[0] != '[' || line[len - 1] != ']')
        return 0;
    line++, len -= 2;
    while (len > 0 && isspace((unsigned char)*line))
        line++, len--;
    if (len < 5 || strncmp(line, "user", 4) != 0 || !isspace((unsigned char)line[4]))
        return 0;
    line += 4, len -= 4;
    while (len > 0 && isspace((unsigned char)*line))
        line++, len--;
    while (len > 0 && isspace((unsigned char)line[len - 1]))
        len--;
    return len == strlen(name) && strncmp(line, name, len) == 0;
}

static int is_any_header(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == '[';
}

/* Where the section of NAME starts and ends in TEXT (end: the next section's header
 * line, or the end of the text). 0 when found, -1 when TEXT has no such section. */
static int find_user_section(const char *text, const char *name, size_t *start, size_t *end)
{
    int found = 0;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (found && is_any_header(line)) {
            *end = (size_t)(line - text);
            return 0;
        }
        if (!found && is_user_header(line, len, name)) {
            found = 1;
            *start = (size_t)(line - text);
        }
        line += len + (nl ? 1 : 0);
    }
    *end = strlen(text);
    return found ? 0 : -1;
}

/* OLD with SECTION put in at [start, end) (a replacement) or appended, a blank line
 * between sections as the writer lays them out. */
static void splice(text_buf *tb, const char *old, size_t start, size_t end, int found,
                   const char *section)
{
    size_t n = strlen(old);
    if (!found) {
        tb_put(tb, old);
        if (n > 0 && old[n - 1] != '\n')
            tb_put(tb, "\n");
        if (n > 0)
            tb_put(tb, "\n");
        tb_put(tb, section);
        return;
    }
    char *head = strndup(old, start);
    if (!head) {
        tb_fail(tb, "text", "cannot be built: out of memory");
        return;
    }
    tb_put(tb, head);
    free(head);
    tb_put(tb, section);
    if (end < n) {
        tb_put(tb, "\n");
        tb_put(tb, old + end);
    }
}

static int put_user_text(const char *path, const char *old, const mss_conf_user *u,
                         unsigned flags, text_buf *out)
{
    text_buf sect = { .err = out->err, .err_len = out->err_len };
    size_t start = 0, end = 0;
    int found = find_user_section(old, u->name ? u->name : "", &start, &end) == 0;
    if (found && !(flags & MSS_CONF_PUT_REPLACE)) {
        snprintf(out->err, out->err_len, "%s already has a [user %s] section", path, u->name);
        return -1;
    }
    put_user(&sect, u);
    if (sect.failed) {
        char why[256];
        snprintf(why, sizeof why, "%s", out->err);
        snprintf(out->err, out->err_len, "%s: %s; nothing was written", path, why);
        tb_free(&sect);
        return -1;
    }
    splice(out, old, start, end, found, sect.s);
    tb_free(&sect);
    return out->failed ? -1 : 0;
}

int mss_conf_put_user(const char *path, const mss_conf_user *u, unsigned flags, char *err,
                      size_t err_len)
{
    char real[PATH_MAX], why[256];
    char *old = NULL;
    mode_t mode = 0;
    path = target_of(path, real);
    /* No permission rules here: the file is rewritten with its mode narrowed to what
     * the reader accepts (check_and_write), whoever made it too open. */
    if (mss_conf_read_file(path, MSS_CONF_MAX_SIZE, 0, &old, &mode, why, sizeof why) != 0) {
        snprintf(err, err_len, "%s: %s", path, why);
        return -1;
    }
    text_buf tb = { .err = err, .err_len = err_len };
    int rc = put_user_text(path, old, u, flags, &tb);
    if (rc == 0)
        rc = check_and_write(path, tb.s, mode, err, err_len);
    OPENSSL_cleanse(old, strlen(old));
    free(old);
    tb_free(&tb);
    return rc;
}
