/* SPDX-License-Identifier: BSD-3-Clause */
/* Collecting the set-up's facts; see facts.h. */
#include "config.h"

#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *key_state_name(key_state state)
{
    switch (state) {
    case KEY_NOT_ENROLLED: return "not_enrolled";
    case KEY_UNREADABLE: return "unreadable";
    case KEY_VALID: return "valid";
    case KEY_EXPIRING: return "expiring";
    case KEY_EXPIRED: return "expired";
    case KEY_NOT_YET_VALID: return "not_yet_valid";
    }
    return "unknown";
}

int key_state_usable(key_state state)
{
    return state == KEY_VALID || state == KEY_EXPIRING;
}

/* The state of a certificate valid from FROM to TO at NOW, and the warning that goes
 * with it: the module refuses to sign outside the dates, and a renewal takes time. */
static void judge_dates(const mss_conf_user *u, key_facts *k, time_t now)
{
    char when[40];
    const char *role = mss_key_role_name(k->role);
    k->days_left = (long)((k->not_after - now) / 86400);
    if (now < k->not_before) {
        k->state = KEY_NOT_YET_VALID;
        mss_cert_time_text(k->not_before, when, sizeof when);
        snprintf(k->warning, sizeof k->warning,
                 "%s: the %s certificate is not valid before %s; the module will not sign "
                 "with this key until then (is this computer's clock right?)",
                 u->name, role, when);
    } else if (now > k->not_after) {
        k->state = KEY_EXPIRED;
        mss_cert_time_text(k->not_after, when, sizeof when);
        snprintf(k->warning, sizeof k->warning,
                 "%s: the %s certificate expired on %s; the module will not sign with this "
                 "key; renew it, then run mss-tool enroll --renew %s",
                 u->name, role, when, u->name);
    } else if (k->days_left < MSS_CERT_WARN_DAYS) {
        k->state = KEY_EXPIRING;
        mss_cert_time_text(k->not_after, when, sizeof when);
        snprintf(k->warning, sizeof k->warning,
                 "%s: the %s certificate expires in %ld day%s (%s); renew it, then run "
                 "mss-tool enroll --renew %s",
                 u->name, role, k->days_left, k->days_left == 1 ? "" : "s", when, u->name);
    } else {
        k->state = KEY_VALID;
    }
}

int key_facts_collect(const mss_conf *conf, const mss_conf_user *u, mss_key_role role,
                      time_t now, key_facts *k)
{
    memset(k, 0, sizeof *k);
    k->role = role;
    k->key = &u->keys[role];
    k->present = k->key->present;
    if (!k->present)
        return 0;
    if (mss_cache_path(conf, u, role, k->path, sizeof k->path) != 0 ||
        mss_cache_read(conf, u, role, &k->der, &k->der_len) != 0) {
        k->state = KEY_NOT_ENROLLED;
        snprintf(k->warning, sizeof k->warning,
                 "%s: the %s key is not enrolled; run mss-tool enroll %s", u->name,
                 mss_key_role_name(role), u->name);
        return 0;
    }
    mss_cert_fingerprint(k->der, k->der_len, k->fingerprint);
    if (mss_cert_serial(k->der, k->der_len, k->serial) != 0)
        k->serial[0] = '\0';
    /* NULL here is only out of memory: mss_cache_read gave one certificate. */
    k->subject = mss_cert_subject(k->der, k->der_len);
    if (k->subject == NULL)
        return -1;
    if (mss_cert_dates(k->der, k->der_len, &k->not_before, &k->not_after) != 0) {
        k->state = KEY_UNREADABLE;
        snprintf(k->warning, sizeof k->warning,
                 "%s: the dates of the cached %s certificate cannot be read; run mss-tool "
                 "enroll --renew %s", u->name, mss_key_role_name(role), u->name);
        return 0;
    }
    judge_dates(u, k, now);
    return 0;
}

void key_facts_clear(key_facts *k)
{
    free(k->der);
    free(k->subject);
    memset(k, 0, sizeof *k);
}

int tool_facts_collect(const mss_conf *conf, time_t now, tool_facts *out)
{
    memset(out, 0, sizeof *out);
    out->conf = conf;
    out->now = now;
    if (conf->n_users == 0)
        return 0;
    out->users = calloc(conf->n_users, sizeof *out->users);
    if (out->users == NULL)
        return -1;
    out->n_users = conf->n_users;
    for (size_t i = 0; i < conf->n_users; i++) {
        user_facts *uf = &out->users[i];
        uf->user = &conf->users[i];
        for (int r = 0; r < MSS_KEY_ROLES; r++) {
            key_facts *k = &uf->keys[r];
            if (key_facts_collect(conf, uf->user, (mss_key_role)r, now, k) != 0) {
                tool_facts_clear(out);
                return -1;
            }
            if (!k->present)
                continue;
            out->n_missing += k->state == KEY_NOT_ENROLLED;
            out->n_unusable += k->state != KEY_NOT_ENROLLED && !key_state_usable(k->state);
        }
    }
    return 0;
}

void tool_facts_clear(tool_facts *f)
{
    for (size_t i = 0; i < f->n_users; i++)
        for (int r = 0; r < MSS_KEY_ROLES; r++)
            key_facts_clear(&f->users[i].keys[r]);
    free(f->users);
    memset(f, 0, sizeof *f);
}
