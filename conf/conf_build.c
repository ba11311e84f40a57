/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A configuration in memory: what the reader fills and the writer's callers build.
 * Every string is owned by the struct, so mss_conf_free releases all of it.
 */
#include "config.h"

#include "conf_internal.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mss_conf_set_str(char **field, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

mss_conf_user *mss_conf_add_user(mss_conf *c, const char *name, char *err, size_t err_len)
{
    if (!mss_conf_user_name_valid(name)) {
        snprintf(err, err_len, "user name '%s' must be 1 to 64 of A-Z a-z 0-9 _ . -",
                 name ? name : "");
        return NULL;
    }
    for (size_t i = 0; i < c->n_users; i++)
        if (!strcmp(c->users[i].name, name)) {
            snprintf(err, err_len, "[user %s] appears twice", name);
            return NULL;
        }
    if (c->n_users >= MSS_CONF_MAX_USERS) {
        snprintf(err, err_len, "more than %d users", MSS_CONF_MAX_USERS);
        return NULL;
    }
    mss_conf_user *users = realloc(c->users, (c->n_users + 1) * sizeof *users);
    if (!users) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    c->users = users;
    mss_conf_user *u = &users[c->n_users];
    memset(u, 0, sizeof *u);
    if (!(u->name = strdup(name))) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    c->n_users++;
    return u;
}

int mss_conf_user_set_key(mss_conf_user *u, mss_key_role role, const char *profile,
                          const char *label, int pss)
{
    mss_conf_key *k = &u->keys[role];
    if (mss_conf_set_str(&k->profile, profile) != 0 || mss_conf_set_str(&k->label, label) != 0)
        return -1;
    k->present = profile != NULL;
    k->pss = pss;
    return 0;
}

void conf_user_clear(mss_conf_user *u)
{
    free(u->name);
    free(u->msisdn);
    free(u->label);
    for (int r = 0; r < MSS_KEY_ROLES; r++) {
        free(u->keys[r].profile);
        free(u->keys[r].label);
    }
    memset(u, 0, sizeof *u);
}

void mss_conf_free(mss_conf *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_users; i++)
        conf_user_clear(&c->users[i]);
    free(c->users);
    secret_free(c->ap_pwd);
    free(c->path);
    free(c->url);
    free(c->ca_file);
    free(c->user_ca_file);
    free(c->client_cert);
    free(c->client_key);
    free(c->ap_id);
    free(c->ap_pwd_file);
    secret_free(c->bearer_token);
    free(c->token_file);
    secret_free(c->http_password);
    free(c->http_user);
    free(c->http_password_file);
    secret_free(c->api_key);
    free(c->api_key_file);
    free(c->proxy);
    free(c->prompt_command);
    free(c->cache_dir);
    free(c->log_file);
    free(c);
}
