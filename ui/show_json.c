/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool show --json: the facts of show as one JSON document for scripts. Dates are
 * ISO 8601 in UTC; a key without a cached certificate has "certificate": null; every
 * warning show prints is in the key's "warnings". Secrets (ap_pwd) are never written:
 * only whether one is configured, and the file it comes from.
 */
#include "config.h"

#include "show.h"

#include <stdio.h>
#include <time.h>

#include "json.h"
#include "textbuf.h"

/* "2026-11-27T10:00:00Z" */
static void member_time(jw_writer *w, const char *key, time_t t)
{
    char text[32];
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        jw_member_string(w, key, NULL);
    else
        jw_member_string(w, key, text);
}

static void write_mssp(jw_writer *w, const mss_conf *c)
{
    /* The [mssp] settings by their names in the file; null when not set. */
    const struct {
        const char *key, *value;
    } settings[] = {
        {"url", c->url},
        {"ap_id", c->ap_id},
        {"ap_pwd_file", c->ap_pwd_file},
        {"binding", mss_conf_binding_name(c->binding)},
        {"messaging_mode", mss_mode_name(c->mode)},
        {"ca_file", c->ca_file},
        {"user_ca_file", c->user_ca_file},
        {"client_cert", c->client_cert},
        {"client_key", c->client_key},
        {"token_file", c->token_file},
        {"auth", mss_conf_auth_name(c->auth)},
        {"http_user", c->http_user},
        {"http_password_file", c->http_password_file},
        {"api_key_file", c->api_key_file},
        {"proxy", c->proxy},
        {"cache_dir", c->cache_dir},
    };
    jw_key(w, "mssp");
    jw_object_begin(w);
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        jw_member_string(w, settings[i].key, settings[i].value);
    /* Whether there is a password, never the password. */
    jw_member_bool(w, "ap_pwd_set", c->ap_pwd != NULL);
    jw_member_bool(w, "trust_on_first_use", c->trust_on_first_use);
    jw_object_end(w);
}

static void write_certificate(jw_writer *w, const key_facts *k)
{
    jw_key(w, "certificate");
    if (k->state == KEY_NOT_ENROLLED) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    jw_member_string(w, "subject", k->subject);
    jw_member_string(w, "serial", k->serial[0] ? k->serial : NULL);
    jw_member_string(w, "sha256_fingerprint", k->fingerprint);
    if (k->state == KEY_UNREADABLE) {
        jw_member_string(w, "not_before", NULL);
        jw_member_string(w, "not_after", NULL);
        jw_key(w, "days_left");
        jw_null(w);
    } else {
        member_time(w, "not_before", k->not_before);
        member_time(w, "not_after", k->not_after);
        jw_member_int(w, "days_left", k->days_left);
    }
    jw_object_end(w);
}

static void write_key(jw_writer *w, const key_facts *k)
{
    jw_object_begin(w);
    jw_member_string(w, "role", mss_key_role_name(k->role));
    jw_member_string(w, "label", k->key->label);
    jw_member_string(w, "profile", k->key->profile);
    jw_member_bool(w, "pss", k->key->pss);
    jw_member_string(w, "cache_file", k->path);
    jw_member_string(w, "state", key_state_name(k->state));
    jw_member_bool(w, "usable", key_state_usable(k->state));
    write_certificate(w, k);
    jw_key(w, "warnings");
    jw_array_begin(w);
    if (k->warning[0])
        jw_string(w, k->warning);
    jw_array_end(w);
    jw_object_end(w);
}

static void write_user(jw_writer *w, const user_facts *uf)
{
    jw_object_begin(w);
    jw_member_string(w, "name", uf->user->name);
    jw_member_string(w, "msisdn", uf->user->msisdn);
    jw_member_string(w, "label", uf->user->label);
    jw_key(w, "keys");
    jw_array_begin(w);
    for (int r = 0; r < MSS_KEY_ROLES; r++)
        if (uf->keys[r].present)
            write_key(w, &uf->keys[r]);
    jw_array_end(w);
    jw_object_end(w);
}

int show_json(const tool_facts *f)
{
    textbuf out;
    jw_writer w;
    textbuf_init(&out, 0);
    jw_writer_init(&w, &out, 1);
    jw_object_begin(&w);
    jw_member_string(&w, "configuration", f->conf->path);
    member_time(&w, "now", f->now);
    jw_member_int(&w, "warn_days", MSS_CERT_WARN_DAYS);
    /* What the exit status says: every configured key enrolled and usable now. */
    jw_member_bool(&w, "ok", f->n_missing == 0 && f->n_unusable == 0);
    write_mssp(&w, f->conf);
    jw_key(&w, "users");
    jw_array_begin(&w);
    for (size_t i = 0; i < f->n_users; i++)
        write_user(&w, &f->users[i]);
    jw_array_end(&w);
    jw_object_end(&w);
    int rc = jw_finish(&w);
    if (rc == 0)
        fputs(textbuf_str(&out), stdout);
    else
        fprintf(stderr, "mss-tool: could not build the JSON document (out of memory)\n");
    textbuf_clear(&out);
    return rc;
}
