/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-relay run DIR: load the configuration, the users, the token keys and the TLS
 * identity; open the audit log; serve until SIGTERM or SIGINT; then stop accepting and
 * let the requests in flight be answered (up to RELAY_STOP_GRACE_S) before exiting 0.
 * SIGHUP reopens the audit log.
 * Any problem at start is one line on stderr and exit status 1, before anything listens.
 */
#include "commands.h"
#include "forward.h"
#include "pending.h"
#include "rate_limit.h"
#include "relay_conf.h"
#include "serve.h"
#include "stop_signals.h"
#include "token_keys.h"
#include "upstream.h"
#include "user_book.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>
#include <mss_conf.h>
#include <openssl/crypto.h>

/* What a request that gives no TimeOut gets, and the most a desktop may ask for. */
#define RELAY_DEFAULT_TIMEOUT_S 120
#define RELAY_MAX_TIMEOUT_S 300
/* How long a stop waits for the requests in flight: a synch signature waits for a
 * person up to its TimeOut, and the MSSP answers within a few seconds of it, so every
 * request a running relay took is answered (contrib/mss-relay.service's
 * TimeoutStopSec is above this). A stop with nothing in flight is immediate. */
#define RELAY_STOP_GRACE_S (RELAY_MAX_TIMEOUT_S + 15)
/* A token stays good this long after its request's TimeOut: late status queries and
 * the receipt. */
#define RELAY_TOKEN_GRACE_S 600
/* Rate-limit and open-request tables: keys tracked at most (fail closed beyond). */
#define RELAY_LIMIT_KEYS 100000
/* TLS identity files are small; a larger one is a mistake. */
#define RELAY_PEM_MAX (256 * 1024)

/* Everything the relay holds while it serves, freed in one place. */
typedef struct relay_state {
    relay_conf conf;
    relay_user_book *users;
    relay_token_keys *keys;
    relay_audit *audit;
    relay_rate_limit *per_user;
    relay_rate_limit *per_msisdn;
    relay_pending *pending;
    relay_upstream *upstream;
    char *cert_pem, *key_pem, *ca_pem;
} relay_state;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mss-relay: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return -1;
}

static void state_clear(relay_state *st)
{
    relay_upstream_free(st->upstream);
    relay_pending_free(st->pending);
    relay_rate_limit_free(st->per_user);
    relay_rate_limit_free(st->per_msisdn);
    relay_audit_close(st->audit);
    relay_token_keys_free(st->keys);
    relay_user_book_free(st->users);
    relay_conf_clear(&st->conf);
    free(st->cert_pem);
    if (st->key_pem != NULL)
        OPENSSL_cleanse(st->key_pem, strlen(st->key_pem));
    free(st->key_pem);
    free(st->ca_pem);
    memset(st, 0, sizeof *st);
}

/* libmssclient's log lines (never secrets) go to stderr from warnings up. */
static void log_upstream(int level, const char *line, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "mss-relay: upstream: %s%s\n", level == MSS_LOG_ERROR ? "error: " : "",
            line);
}

static int read_pem(const char *path, unsigned checks, char **out)
{
    char why[256];
    if (mss_conf_read_file(path, RELAY_PEM_MAX, checks, out, NULL, why, sizeof why) != 0)
        return fail("%s", why);
    return 0;
}

static int open_parts(const char *dir, relay_state *st)
{
    char why[512];
    if (relay_conf_load(dir, &st->conf, why, sizeof why) != 0 ||
        (st->users = relay_user_book_open(dir, why, sizeof why)) == NULL)
        return fail("%s", why);
    const relay_conf *c = &st->conf;
    st->keys = relay_token_keys_load(c->token_keys, why, sizeof why);
    if (st->keys == NULL)
        return fail("%s", why);
    st->audit = relay_audit_open(c->audit_log, why, sizeof why);
    if (st->audit == NULL)
        return fail("%s", why);
    if (read_pem(c->server_cert, MSS_CONF_FILE_NOT_WRITABLE, &st->cert_pem) != 0 ||
        read_pem(c->server_key, MSS_CONF_FILE_NOT_WRITABLE | MSS_CONF_FILE_SECRET,
                 &st->key_pem) != 0 ||
        read_pem(c->user_ca, MSS_CONF_FILE_NOT_WRITABLE, &st->ca_pem) != 0)
        return -1;
    if (c->user_requests_per_minute != 0 &&
        (st->per_user = relay_rate_limit_new(c->user_requests_per_minute,
                                             RELAY_LIMIT_KEYS)) == NULL)
        return fail("user_requests_per_minute: cannot make the limiter");
    if (c->msisdn_requests_per_minute != 0 &&
        (st->per_msisdn = relay_rate_limit_new(c->msisdn_requests_per_minute,
                                               RELAY_LIMIT_KEYS)) == NULL)
        return fail("msisdn_requests_per_minute: cannot make the limiter");
    st->pending = relay_pending_new(c->max_pending_per_msisdn, RELAY_LIMIT_KEYS);
    if (st->pending == NULL)
        return fail("out of memory");
    mss_client_options opts;
    relay_conf_upstream_options(c, &opts);
    opts.log = log_upstream;
    opts.log_level = MSS_LOG_UPTO(MSS_LOG_WARNING);
    st->upstream = relay_upstream_new(&opts, c->max_connections, why, sizeof why);
    if (st->upstream == NULL)
        return fail("%s", why);
    return 0;
}

static relay_rules rules_of(relay_state *st)
{
    relay_rules r = {
        .text_prefix = st->conf.text_prefix,
        .max_text_chars = st->conf.max_text_chars,
        .default_timeout_s = RELAY_DEFAULT_TIMEOUT_S,
        .max_timeout_s = RELAY_MAX_TIMEOUT_S,
        .token_grace_s = RELAY_TOKEN_GRACE_S,
        .keys = st->keys,
        .per_user = st->per_user,
        .per_msisdn = st->per_msisdn,
        .pending = st->pending,
        .audit = st->audit,
        .upstream = relay_upstream_call,
        .upstream_ctx = st->upstream,
    };
    return r;
}

/* SIGHUP: the audit log is opened again (logrotate has moved it). */
static void reopen_audit(void *ctx)
{
    char why[512];
    if (relay_audit_reopen(ctx, why, sizeof why) != 0)
        fail("SIGHUP: the audit log stays where it was: %s", why);
    else
        fprintf(stderr, "mss-relay: SIGHUP: audit log reopened\n");
}

int relay_cmd_run(const char *dir)
{
    srv_stop_signals_block();   /* before any thread exists */

    relay_state st;
    memset(&st, 0, sizeof st);
    if (open_parts(dir, &st) != 0) {
        state_clear(&st);
        return 1;
    }
    relay_server_options opts = {
        .listen = st.conf.listen,
        .cert_pem = st.cert_pem,
        .key_pem = st.key_pem,
        .user_ca_pem = st.ca_pem,
        .max_connections = st.conf.max_connections,
        .rules = rules_of(&st),
        .lookup = relay_user_book_lookup,
        .lookup_ctx = st.users,
    };
    relay_server *server = NULL;
    char err[512];
    if (relay_server_start(&opts, &server, err, sizeof err) != 0) {
        fail("%s", err);
        state_clear(&st);
        return 1;
    }
    fprintf(stderr, "mss-relay: listening on %s (%zu users, %zu upstream URLs)\n",
            relay_server_url(server), relay_user_book_count(st.users), st.conf.n_upstream_urls);
    fprintf(stderr, "mss-relay: %s received, answering the requests in flight\n",
            srv_stop_signals_wait(reopen_audit, st.audit));
    relay_server_stop(server, RELAY_STOP_GRACE_S * 1000u);
    state_clear(&st);
    fprintf(stderr, "mss-relay: stopped\n");
    return 0;
}
