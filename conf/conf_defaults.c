/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The values mss-pkcs11.conf implies when it leaves something out, and the names it
 * spells things with (roles, log levels). The module, mss-tool and refmssp take them
 * from here, so a label or a level name is written down once.
 */
#include "config.h"

#include "conf_internal.h"

#include <mss/rest.h>
#include <mss/soap.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef LOCALSTATEDIR
#define LOCALSTATEDIR "/var"
#endif

/* Indexed by MSS_LOG_* (error 0 … debug 3). */
static const char *const log_level_names[] = { "error", "warning", "info", "debug" };
#define N_LOG_LEVELS (int)(sizeof log_level_names / sizeof log_level_names[0])

/* The index of NAME in the table NAMES of N names, or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

const char *mss_key_role_name(mss_key_role role)
{
    return role == MSS_KEY_SIGN ? "sign" : "authn";
}

const char *mss_conf_default_key_label(mss_key_role role)
{
    return role == MSS_KEY_SIGN ? MSS_CONF_DEFAULT_SIGN_LABEL : MSS_CONF_DEFAULT_AUTHN_LABEL;
}

const char *mss_conf_log_level_name(int level)
{
    return level >= 0 && level < N_LOG_LEVELS ? log_level_names[level] : NULL;
}

int mss_conf_log_level_parse(const char *name, int *level)
{
    int i = name_index(log_level_names, N_LOG_LEVELS, name);
    if (i < 0)
        return -1;
    *level = i;
    return 0;
}

/* Indexed by mss_conf_binding. */
static const char *const binding_names[MSS_CONF_BINDINGS] = {"soap", "rest", "rest-swisscom"};

const char *mss_conf_binding_name(mss_conf_binding binding)
{
    return (unsigned)binding < MSS_CONF_BINDINGS ? binding_names[binding] : NULL;
}

int mss_conf_binding_parse(const char *name, mss_conf_binding *binding)
{
    int i = name_index(binding_names, MSS_CONF_BINDINGS, name);
    if (i < 0)
        return -1;
    *binding = (mss_conf_binding)i;
    return 0;
}

const char *mss_conf_proxy_option(const char *value)
{
    /* libcurl takes "" for "no proxy, whatever the environment says". */
    return value != NULL && strcmp(value, "none") == 0 ? "" : value;
}

const mss_binding *mss_conf_binding_of(mss_conf_binding binding)
{
    switch (binding) {
    case MSS_CONF_BINDING_REST: return mss_binding_rest();
    case MSS_CONF_BINDING_REST_SWISSCOM: return mss_binding_rest_swisscom();
    default: return mss_binding_soap();
    }
}

/* Indexed by mss_conf_auth. */
static const char *const auth_names[MSS_CONF_AUTHS] = {"tls", "basic", "hmac"};

const char *mss_conf_auth_name(mss_conf_auth auth)
{
    return (unsigned)auth < MSS_CONF_AUTHS ? auth_names[auth] : NULL;
}

int mss_conf_auth_parse(const char *name, mss_conf_auth *auth)
{
    int i = name_index(auth_names, MSS_CONF_AUTHS, name);
    if (i < 0)
        return -1;
    *auth = (mss_conf_auth)i;
    return 0;
}

/* Indexed by mss_conf_prompt. */
static const char *const prompt_names[MSS_PROMPT_MODES] = {"auto", "notify", "tty", "command",
                                                           "none"};

const char *mss_conf_prompt_name(mss_conf_prompt mode)
{
    return (unsigned)mode < MSS_PROMPT_MODES ? prompt_names[mode] : NULL;
}

int mss_conf_prompt_parse(const char *name, mss_conf_prompt *mode)
{
    int i = name_index(prompt_names, MSS_PROMPT_MODES, name);
    if (i < 0)
        return -1;
    *mode = (mss_conf_prompt)i;
    return 0;
}

mss_conf *mss_conf_new(void)
{
    mss_conf *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    /* synch: the MSSP holds the request and answers when the phone does, so the person
     * waits for nothing after approving and the MSSP sees one request, not a poll every
     * 2 s. asynchClientServer stays one line away for MSSPs that ask for it (FiCom). */
    c->mode = MSS_MODE_SYNCH;
    c->log_level = MSS_LOG_WARNING;
    return c;
}

static int set_default_labels(mss_conf_user *u)
{
    if (!u->label) {
        char buf[sizeof MSS_CONF_DEFAULT_TOKEN_LABEL_PREFIX + 16];
        snprintf(buf, sizeof buf, MSS_CONF_DEFAULT_TOKEN_LABEL_PREFIX "%s", u->msisdn);
        if (!(u->label = strdup(buf)))
            return -1;
    }
    for (int r = 0; r < MSS_KEY_ROLES; r++)
        if (u->keys[r].present && !u->keys[r].label &&
            !(u->keys[r].label = strdup(mss_conf_default_key_label((mss_key_role)r))))
            return -1;
    return 0;
}

/* $XDG_CACHE_HOME/mss-pkcs11, else ~/.cache/mss-pkcs11, else the system's cache folder:
 * the cache belongs to the user who enrolled, like the certificates in it. A privileged
 * process gets neither variable (mss_conf_getenv) and so the system's folder. */
static int set_default_cache_dir(mss_conf *c)
{
    char buf[PATH_MAX];
    const char *xdg = mss_conf_getenv("XDG_CACHE_HOME"), *home = mss_conf_getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(buf, sizeof buf, "%s/mss-pkcs11", xdg);
    else if (home && home[0] == '/')
        snprintf(buf, sizeof buf, "%s/.cache/mss-pkcs11", home);
    else
        snprintf(buf, sizeof buf, "%s/cache/mss-pkcs11", LOCALSTATEDIR);
    c->cache_dir = strdup(buf);
    return c->cache_dir ? 0 : -1;
}

int conf_apply_defaults(mss_conf *c, char *err, size_t err_len)
{
    for (size_t i = 0; i < c->n_users; i++)
        if (set_default_labels(&c->users[i]) != 0)
            goto oom;
    if (!c->cache_dir && set_default_cache_dir(c) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, err_len, "%s: out of memory", c->path ? c->path : "configuration");
    return -1;
}
