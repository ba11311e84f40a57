/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool test: each outcome in a person's words, and the fix: the setting to check
 * (named as it is written in the configuration, with its value) or the command to run.
 * The MSS status stays in brackets for whoever reads it to a helpdesk.
 */
#include "config.h"

#include "selftest.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void say(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* The certificate's dates forbid the key: nothing was sent. */
static void local_refusal(const selftest_outcome *o, char *what, size_t wl, char *fix,
                          size_t fl)
{
    const key_facts *k = o->key;
    char when[40];
    if (k->state == KEY_EXPIRED) {
        mss_cert_time_text(k->not_after, when, sizeof when);
        say(what, wl, "the enrolled certificate expired on %s, so the module will not sign "
                      "with this key (nothing was sent to the MSSP)", when);
        say(fix, fl, "get the certificate renewed, then run mss-tool enroll --renew %s",
            o->user->name);
    } else if (k->state == KEY_NOT_YET_VALID) {
        mss_cert_time_text(k->not_before, when, sizeof when);
        say(what, wl, "the enrolled certificate is not valid before %s (nothing was sent to "
                      "the MSSP)", when);
        say(fix, fl, "check this computer's date and time; if they are right, wait until then");
    } else {
        say(what, wl, "the dates of the enrolled certificate cannot be read (nothing was "
                      "sent to the MSSP)");
        say(fix, fl, "run mss-tool enroll --renew %s", o->user->name);
    }
}

/* What each MSS refusal means and what fixes it. {msisdn}, {user}, {role}, {profile}
 * and {conf} stand for the user's number and section, the key's role and profile, and
 * the configuration file; "(CODE NAME)" follows WHAT. The last row is for any other
 * code. */
static const struct refusal_words {
    int codes[4]; /* 0 ends the list */
    const char *what;
    const char *fix;
} refusals[] = {
    {{105}, "the MSSP does not know the phone number {msisdn}",
     "check msisdn in [user {user}] of {conf}; the number must be registered for mobile "
     "signatures with this MSSP"},
    {{104}, "the MSSP refused this application",
     "check ap_id, ap_pwd (or ap_pwd_file) and client_cert/client_key in [mssp] of {conf} "
     "(through mss-relay: your client_cert or token_file, and that the number is yours)"},
    {{109, 404}, "the MSSP has no key for the signature profile {profile}",
     "check {role}_profile in [user {user}]; the account may not be active yet"},
    {{208}, "the phone did not answer in time",
     "make sure the phone is on and has a signal, then run the test again and answer the "
     "request"},
    {{209}, "the phone could not be reached",
     "make sure the phone is on and has a signal, then run the test again"},
    {{401}, "the request was cancelled on the phone",
     "run the test again and enter your PIN instead of cancelling"},
    {{402}, "the signing PIN is blocked after too many wrong tries",
     "unblock it with your PUK or your operator's service, then test again"},
    {{403}, "the SIM card or the account is blocked", "contact your mobile operator"},
    {{406}, "another signature for this phone was in progress (through mss-relay: or "
            "a rate limit was reached)",
     "answer or cancel it on the phone, then run the test again (after a rate limit: "
     "in a minute)"},
    {{501}, "the MSSP says the certificate is revoked",
     "get a new certificate from your operator, then run mss-tool enroll --renew {user}"},
    {{422, 425, 503, 505}, "the MSSP rejected the signature or its certificate",
     "if the certificate was renewed, run mss-tool enroll --renew {user}; else tell your "
     "operator"},
    {{0}, "the MSSP refused the request",
     "run the test again later; if it stays, tell the MSSP's operator (-v shows the "
     "transaction)"},
};

/* TEMPLATE with its {names} filled in from the outcome, into BUF. */
static void fill(const char *template, const tool_ctx *ctx, const selftest_outcome *o,
                 char *buf, size_t len)
{
    const struct {
        const char *name, *value;
    } values[] = {
        {"{msisdn}", o->user->msisdn},
        {"{user}", o->user->name},
        {"{role}", mss_key_role_name(o->key->role)},
        {"{profile}", o->key->key->profile},
        {"{conf}", ctx->conf_path},
    };
    size_t at = 0;
    buf[0] = '\0';
    for (const char *p = template; *p != '\0' && at + 1 < len;) {
        /* A {name} becomes its value; any other character stays itself. */
        const char *piece = p;
        size_t piece_len = 1, skip = 1;
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
            size_t name_len = strlen(values[i].name);
            if (strncmp(p, values[i].name, name_len) == 0) {
                piece = values[i].value;
                piece_len = strlen(piece);
                skip = name_len;
                break;
            }
        }
        if (piece_len > len - 1 - at)
            piece_len = len - 1 - at; /* cut at the end of the buffer */
        memcpy(buf + at, piece, piece_len);
        at += piece_len;
        buf[at] = '\0';
        p += skip;
    }
}

/* The MSSP answered with a refusal: a fault or a final status. */
static void refusal(const tool_ctx *ctx, const selftest_outcome *o, char *what, size_t wl,
                    char *fix, size_t fl)
{
    int code = o->detail.status;
    const mss_status_info *info = mss_status_lookup(code);
    const struct refusal_words *row = refusals;
    for (; row->codes[0] != 0; row++) {
        size_t i = 0;
        while (i < 4 && row->codes[i] != 0 && row->codes[i] != code)
            i++;
        if (i < 4 && row->codes[i] == code)
            break;
    }
    char text[256];
    fill(row->what, ctx, o, text, sizeof text);
    /* An unknown code says what the status table knows of it. */
    say(what, wl, "%s (%d %s%s%s)", text, code, info != NULL ? info->name : "unknown status",
        row->codes[0] == 0 && info != NULL ? ": " : "",
        row->codes[0] == 0 && info != NULL ? info->meaning : "");
    fill(row->fix, ctx, o, fix, fl);
}

/* The TLS handshake failed: our trust in the MSSP, or its trust in us. */
/* HTTP 401: the MSSP did not accept the application's login at the HTTP level; which
 * setting to check depends on the scheme of auth =. */
static void http_login_refused(const tool_ctx *ctx, char *what, size_t wl, char *fix,
                               size_t fl)
{
    const mss_conf *c = ctx->conf;
    const char *file = c->path != NULL ? c->path : "the configuration";
    say(what, wl, "the MSSP refused this application's HTTP login (HTTP 401, auth = %s)",
        mss_conf_auth_name(c->auth));
    switch (c->auth) {
    case MSS_CONF_AUTH_HMAC:
        say(fix, fl, "check api_key_file and ap_id in [mssp] of %s, and this computer's date "
                     "and time (the MSSP refuses a request whose Date is minutes off)", file);
        break;
    case MSS_CONF_AUTH_BASIC:
        say(fix, fl, "check http_user and http_password_file in [mssp] of %s", file);
        break;
    default:
        say(fix, fl, "the MSSP wants a login: set auth = basic or auth = hmac in [mssp] of %s, "
                     "as the MSSP's operator says", file);
        break;
    }
}

static void tls_failure(const tool_ctx *ctx, const selftest_outcome *o, char *what, size_t wl,
                        char *fix, size_t fl)
{
    const mss_conf *c = ctx->conf;
    /* libcurl with OpenSSL: "SSL certificate problem: …", "SSL peer certificate …". */
    if (strstr(o->detail.text, "certificate problem") != NULL ||
        strstr(o->detail.text, "peer certificate") != NULL) {
        say(what, wl, "the MSSP's TLS certificate is not trusted (%s)", o->detail.text);
        say(fix, fl, "check ca_file in [mssp] (%s): it must hold the CA that issued the "
                     "certificate of %s", c->ca_file ? c->ca_file : "not set", c->url);
        return;
    }
    say(what, wl, "the TLS connection to the MSSP failed (%s)", o->detail.text);
    say(fix, fl, "check ca_file (%s) and client_cert/client_key (%s) in [mssp]",
        c->ca_file ? c->ca_file : "not set", c->client_cert ? c->client_cert : "not set");
}

/* No connection, or none that answered. */
static void unreachable(const tool_ctx *ctx, const selftest_outcome *o, char *what, size_t wl,
                        char *fix, size_t fl)
{
    const mss_conf *c = ctx->conf;
    say(what, wl, "cannot reach the MSSP at %s (%s)", c->url, o->detail.text);
    say(fix, fl, "check url in [mssp], the network, and the proxy (%s%s)",
        c->proxy ? "proxy = " : "from the environment: https_proxy, no_proxy",
        c->proxy ? c->proxy : "");
}

void selftest_words(const tool_ctx *ctx, const selftest_outcome *o, char *what,
                    size_t what_len, char *fix, size_t fix_len)
{
    what[0] = fix[0] = '\0';
    if (o->refused_locally) {
        local_refusal(o, what, what_len, fix, fix_len);
        return;
    }
    switch (o->err) {
    case MSS_OK:
        say(what, what_len, "signed on the phone and verified with the enrolled certificate");
        return;
    case MSS_ERR_FAULT:
    case MSS_ERR_STATUS:
        refusal(ctx, o, what, what_len, fix, fix_len);
        return;
    case MSS_ERR_TLS:
        tls_failure(ctx, o, what, what_len, fix, fix_len);
        return;
    case MSS_ERR_TRANSPORT:
        unreachable(ctx, o, what, what_len, fix, fix_len);
        return;
    case MSS_ERR_TIMEOUT:
        /* Before the MSSP took the request it is the network; after, the phone. */
        if (!o->transaction_started) {
            unreachable(ctx, o, what, what_len, fix, fix_len);
            return;
        }
        say(what, what_len, "no final answer from the MSSP before the deadline (%s)",
            o->detail.text);
        say(fix, fix_len, "make sure the phone is on and has a signal, then run the test again");
        return;
    case MSS_ERR_HTTP:
        if (o->detail.http_status == 401) {
            http_login_refused(ctx, what, what_len, fix, fix_len);
            return;
        }
        say(what, what_len, "the MSSP answered HTTP %ld, not a TS 102 204 message",
            o->detail.http_status);
        say(fix, fix_len, "check url in [mssp] (%s): the MSSP's signature endpoint",
            ctx->conf->url);
        return;
    case MSS_ERR_XML_MALFORMED:
    case MSS_ERR_XML_UNEXPECTED:
    case MSS_ERR_TOO_LARGE:
        say(what, what_len, "the MSSP's answer could not be read (%s)", o->detail.text);
        say(fix, fix_len, "check url in [mssp] (%s): the MSSP's signature endpoint",
            ctx->conf->url);
        return;
    case MSS_ERR_SIGNATURE_INVALID:
        say(what, what_len, "the signature does not verify with the enrolled certificate (%s)",
            o->detail.text);
        say(fix, fix_len, "the key on the SIM is not the enrolled one: if the SIM or the "
                          "certificate was renewed, run mss-tool enroll --renew %s",
            o->user->name);
        return;
    case MSS_ERR_FORMAT:
        say(what, what_len, "the signature cannot be used (%s)", o->detail.text);
        if (o->key->key->pss)
            say(fix, fix_len, "does the MSSP sign RSA-PSS with this key? If not, remove "
                              "%s_pss from [user %s]", mss_key_role_name(o->key->role),
                o->user->name);
        return;
    default:
        break;
    }
    say(what, what_len, "%s (%s)", mss_error_string(o->err), o->detail.text);
}
