/* SPDX-License-Identifier: BSD-3-Clause */
/* refmssp.conf reader; see rm_conf.h. */
#include "rm_conf.h"
#include "files.h"
#include "hex.h"
#include "mss_conf_lines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "secret.h"

#include <mss/rest.h>

static char **field_for(rm_conf *conf, const char *key)
{
    if (strcmp(key, "listen") == 0)
        return &conf->listen;
    if (strcmp(key, "ap_id") == 0)
        return &conf->ap_id;
    if (strcmp(key, "ap_pwd") == 0)
        return &conf->ap_pwd;
    if (strcmp(key, "mssp_id") == 0)
        return &conf->mssp_id;
    if (strcmp(key, "ap_auth") == 0)
        return &conf->ap_auth;
    if (strcmp(key, "ap_profiles") == 0)
        return &conf->ap_profiles;
    if (strcmp(key, "ap_basic_user") == 0)
        return &conf->ap_basic_user;
    if (strcmp(key, "phone_page") == 0)
        return &conf->phone_page;
    if (strcmp(key, "ap_cert_fingerprint") == 0)
        return &conf->ap_cert_fingerprint;
    if (strcmp(key, "ap_cert_subject") == 0)
        return &conf->ap_cert_subject;
    if (strcmp(key, "ap_basic_pwd") == 0)
        return &conf->ap_basic_pwd;
    if (strcmp(key, "ap_api_key") == 0)
        return &conf->ap_api_key;
    if (strcmp(key, "max_connections_per_ip") == 0)
        return &conf->max_connections_per_ip;
    return NULL;
}

/* The keys of an [ap NAME] section. */
static char **ap_field_for(rm_ap *ap, const char *key)
{
    if (strcmp(key, "ap_id") == 0)
        return &ap->ap_id;
    if (strcmp(key, "ap_pwd") == 0)
        return &ap->ap_pwd;
    if (strcmp(key, "auth") == 0)
        return &ap->auth;
    if (strcmp(key, "basic_user") == 0)
        return &ap->basic_user;
    if (strcmp(key, "basic_pwd") == 0)
        return &ap->basic_pwd;
    if (strcmp(key, "api_key") == 0)
        return &ap->api_key;
    if (strcmp(key, "profiles") == 0)
        return &ap->profiles;
    if (strcmp(key, "cert_fingerprint") == 0)
        return &ap->cert_fingerprint;
    if (strcmp(key, "cert_subject") == 0)
        return &ap->cert_subject;
    return NULL;
}

/* "[ap NAME]" (NAME the header's text): start a new AP. 0, or -1 with the reason in
 * why. */
static int open_section(char *inner, rm_conf *conf, char *why, size_t why_len)
{
    if (strncmp(inner, "ap", 2) != 0 || (inner[2] != ' ' && inner[2] != '\t')) {
        snprintf(why, why_len, "unknown section (only [ap NAME])");
        return -1;
    }
    char *name = mss_conf_trim(inner + 3);
    if (!rm_ap_name_valid(name)) {
        snprintf(why, why_len, "an AP name is 1 to %d of A-Z a-z 0-9 _ - (not '%s')",
                 RM_AP_NAME_MAX, RM_DEFAULT_AP_NAME);
        return -1;
    }
    if (conf->n_aps == 0)
        conf->n_aps = 1;   /* aps[0]: the default AP, filled in at the end */
    for (size_t i = 1; i < conf->n_aps; i++) {
        if (strcmp(conf->aps[i].name, name) == 0) {
            snprintf(why, why_len, "[ap %s] given twice", name);
            return -1;
        }
    }
    if (conf->n_aps >= RM_CONF_MAX_APS) {
        snprintf(why, why_len, "more than %d APs", RM_CONF_MAX_APS);
        return -1;
    }
    rm_ap *ap = &conf->aps[conf->n_aps];
    ap->name = strdup(name);
    if (ap->name == NULL) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    conf->n_aps++;
    return 0;
}

/* The name an AP is reported by in errors. */
static const char *ap_label(const rm_ap *ap)
{
    return ap->name != NULL ? ap->name : RM_DEFAULT_AP_NAME;
}

/*
 * One AP's settings are complete and consistent, and it cannot be confused with an
 * earlier AP (same AP_ID, Basic user or certificate). The fingerprint is normalised
 * in place. 0, or -1 with the reason in err.
 */
static int check_ap(const char *path, rm_conf *conf, size_t i, char *err, size_t err_len)
{
    rm_ap *ap = &conf->aps[i];
    const char *what = ap_label(ap);
    if (ap->ap_id == NULL || ap->ap_pwd == NULL) {
        snprintf(err, err_len, "%s: [ap %s]: '%s' is missing", path, what,
                 ap->ap_id == NULL ? "ap_id" : "ap_pwd");
        return -1;
    }
    if (!rm_ap_auth_known(ap)) {
        snprintf(err, err_len, i == 0 ? "%s: ap_auth must be cert, basic, cert-or-basic or hmac"
                                      : "%s: [ap %s]: auth must be cert, basic, cert-or-basic or hmac",
                 path, what);
        return -1;
    }
    if (ap->basic_user != NULL && strchr(ap->basic_user, ':') != NULL) {
        snprintf(err, err_len, i == 0 ? "%s: ap_basic_user may not contain ':'"
                                      : "%s: [ap %s]: basic_user may not contain ':'", path, what);
        return -1;
    }
    if (ap->cert_fingerprint != NULL) {
        char hex[65];
        if (hex_sha256_fingerprint(ap->cert_fingerprint, hex) != 0) {
            snprintf(err, err_len, "%s: [ap %s]: the certificate fingerprint must be "
                     "sha256:HEX (64 hex digits)", path, what);
            return -1;
        }
        memcpy(ap->cert_fingerprint, hex, sizeof hex);   /* never longer than the input */
    }
    /* A named AP without a binding would accept every other AP's certificate. */
    if (i > 0 && rm_ap_allows_cert(ap) && ap->cert_fingerprint == NULL && ap->cert_subject == NULL) {
        snprintf(err, err_len, "%s: [ap %s]: cert_fingerprint or cert_subject is required "
                 "(or auth = basic or hmac)", path, what);
        return -1;
    }
    for (size_t j = 0; j < i; j++) {
        const rm_ap *other = &conf->aps[j];
        const char *clash = NULL;
        if (strcmp(other->ap_id, ap->ap_id) == 0)
            clash = "ap_id";
        else if (rm_ap_allows_basic(ap) && rm_ap_allows_basic(other) &&
                 strcmp(rm_ap_basic_user(ap), rm_ap_basic_user(other)) == 0)
            clash = "HTTP Basic user";
        else if (ap->cert_fingerprint != NULL && other->cert_fingerprint != NULL &&
                 strcmp(ap->cert_fingerprint, other->cert_fingerprint) == 0)
            clash = "certificate fingerprint";
        else if (ap->cert_subject != NULL && other->cert_subject != NULL &&
                 strcmp(ap->cert_subject, other->cert_subject) == 0)
            clash = "certificate subject";
        if (clash != NULL) {
            snprintf(err, err_len, "%s: [ap %s] has the same %s as [ap %s]", path, what, clash,
                     ap_label(other));
            return -1;
        }
    }
    return 0;
}

/* Basic needs a password of its own: the AP_PWD travels in every message, so knowing
 * it must not also open the HTTP level. 0, or -1 with the reason in err. */
static int check_basic_pwd(const char *path, const rm_ap *ap, size_t i, char *err,
                           size_t err_len)
{
    if (!rm_ap_allows_basic(ap))
        return 0;
    const char *key = i == 0 ? "ap_basic_pwd" : "basic_pwd";
    if (ap->basic_pwd == NULL) {
        snprintf(err, err_len, "%s: [ap %s]: '%s' is missing (HTTP Basic needs a password of "
                 "its own)", path, ap_label(ap), key);
        return -1;
    }
    if (rm_secret_equal(ap->basic_pwd, ap->ap_pwd)) {
        snprintf(err, err_len, "%s: [ap %s]: %s must differ from ap_pwd", path, ap_label(ap),
                 key);
        return -1;
    }
    return 0;
}

/* HMAC needs an API key of its own, for the same reason; and one the clients can hold
 * (mss/rest.h's limit). Neither key is given where its scheme is not chosen. */
static int check_api_key(const char *path, const rm_ap *ap, size_t i, char *err,
                         size_t err_len)
{
    const char *key = i == 0 ? "ap_api_key" : "api_key";
    if (!rm_ap_allows_hmac(ap)) {
        if (ap->api_key == NULL)
            return 0;
        snprintf(err, err_len, "%s: [ap %s]: '%s' is only for %s = hmac", path, ap_label(ap),
                 key, i == 0 ? "ap_auth" : "auth");
        return -1;
    }
    if (ap->api_key == NULL || ap->api_key[0] == '\0' ||
        strlen(ap->api_key) > MSS_REST_HMAC_MAX_KEY) {
        snprintf(err, err_len, "%s: [ap %s]: '%s' is missing or longer than %d bytes (HMAC "
                 "needs an API key of its own)", path, ap_label(ap), key, MSS_REST_HMAC_MAX_KEY);
        return -1;
    }
    if (rm_secret_equal(ap->api_key, ap->ap_pwd)) {
        snprintf(err, err_len, "%s: [ap %s]: %s must differ from ap_pwd", path, ap_label(ap),
                 key);
        return -1;
    }
    return 0;
}

static int check_limits(const char *path, const rm_conf *conf, char *err, size_t err_len)
{
    if (conf->phone_page != NULL && strcmp(conf->phone_page, "yes") != 0 &&
        strcmp(conf->phone_page, "no") != 0) {
        snprintf(err, err_len, "%s: phone_page must be yes or no", path);
        return -1;
    }
    const char *limit = conf->max_connections_per_ip;
    char *end = NULL;
    unsigned long n = limit != NULL ? strtoul(limit, &end, 10) : 1;
    if (limit != NULL && (*limit < '0' || *limit > '9' || *end != '\0' || n == 0 ||
                          n > RM_MAX_CONNECTIONS)) {
        snprintf(err, err_len, "%s: max_connections_per_ip must be 1 to %d", path,
                 RM_MAX_CONNECTIONS);
        return -1;
    }
    return 0;
}

typedef struct conf_reader {
    rm_conf *conf;
    rm_ap *section;   /* NULL: top-level keys */
} conf_reader;

static int on_section(void *ctx, unsigned line, char *name, char *why, size_t why_len)
{
    (void)line;
    conf_reader *r = ctx;
    if (open_section(name, r->conf, why, why_len) != 0)
        return -1;
    r->section = &r->conf->aps[r->conf->n_aps - 1];
    return 0;
}

static int on_entry(void *ctx, unsigned line, const char *key, char *value, char *why,
                    size_t why_len)
{
    (void)line;
    conf_reader *r = ctx;
    char **field = r->section != NULL ? ap_field_for(r->section, key) : field_for(r->conf, key);
    if (field == NULL) {
        snprintf(why, why_len, "unknown key '%.40s'%s", key,
                 r->section != NULL ? " in an [ap] section" : "");
        return -1;
    }
    *field = strdup(value);
    if (*field == NULL) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    return 0;
}

static int parse_lines(const char *path, char *text, rm_conf *conf, char *err, size_t err_len)
{
    static const mss_conf_lines_handler handler = {on_section, on_entry};
    conf_reader reader = {.conf = conf, .section = NULL};
    if (mss_conf_lines_parse(text, path, &handler, &reader, err, err_len) != 0)
        return -1;
    const char *missing = conf->listen == NULL ? "listen"
                          : conf->ap_id == NULL ? "ap_id"
                          : conf->ap_pwd == NULL ? "ap_pwd"
                          : conf->mssp_id == NULL ? "mssp_id" : NULL;
    if (missing != NULL) {
        snprintf(err, err_len, "%s: '%s' is missing", path, missing);
        return -1;
    }
    if (check_limits(path, conf, err, err_len) != 0)
        return -1;
    if (conf->n_aps == 0)
        conf->n_aps = 1;
    conf->aps[0] = (rm_ap){
        .name = NULL, .ap_id = conf->ap_id, .ap_pwd = conf->ap_pwd, .auth = conf->ap_auth,
        .profiles = conf->ap_profiles, .basic_user = conf->ap_basic_user,
        .basic_pwd = conf->ap_basic_pwd, .api_key = conf->ap_api_key,
        .cert_fingerprint = conf->ap_cert_fingerprint, .cert_subject = conf->ap_cert_subject,
    };
    for (size_t i = 0; i < conf->n_aps; i++)
        if (check_ap(path, conf, i, err, err_len) != 0)
            return -1;
    for (size_t i = 0; i < conf->n_aps; i++)
        if (check_basic_pwd(path, &conf->aps[i], i, err, err_len) != 0 ||
            check_api_key(path, &conf->aps[i], i, err, err_len) != 0)
            return -1;
    return 0;
}

unsigned rm_conf_connections_per_ip(const rm_conf *conf)
{
    /* checked by check_limits */
    return conf->max_connections_per_ip != NULL
               ? (unsigned)strtoul(conf->max_connections_per_ip, NULL, 10)
               : RM_DEFAULT_CONNECTIONS_PER_IP;
}

int rm_conf_bind_default_ap(rm_conf *conf, const char *fingerprint, char *err, size_t err_len)
{
    rm_ap *ap = &conf->aps[0];
    if (!rm_ap_allows_cert(ap) || ap->cert_fingerprint != NULL || ap->cert_subject != NULL)
        return 0;
    for (size_t i = 1; i < conf->n_aps; i++) {
        const char *other = conf->aps[i].cert_fingerprint;
        if (other != NULL && strcmp(other, fingerprint) == 0) {
            snprintf(err, err_len, "[ap %s] is bound to the default AP's certificate (ap.pem)",
                     conf->aps[i].name);
            return -1;
        }
    }
    conf->ap_cert_fingerprint = strdup(fingerprint);
    if (conf->ap_cert_fingerprint == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    ap->cert_fingerprint = conf->ap_cert_fingerprint;
    return 0;
}

int rm_conf_phone_page(const rm_conf *conf)
{
    return conf->phone_page == NULL || strcmp(conf->phone_page, "yes") == 0;
}

int rm_conf_load(const char *path, rm_conf *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    char *text = NULL;
    size_t text_len = 0;
    if (srv_read_file(path, RM_CONF_MAX_SIZE, &text, &text_len) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = parse_lines(path, text, out, err, err_len);
    /* The text held the AP password. */
    OPENSSL_cleanse(text, text_len);
    free(text);
    if (rc != 0)
        rm_conf_clear(out);
    return rc;
}

void rm_conf_clear(rm_conf *conf)
{
    for (size_t i = 1; i < conf->n_aps && i < RM_CONF_MAX_APS; i++) {
        rm_ap *ap = &conf->aps[i];
        secret_free(ap->ap_pwd);
        secret_free(ap->basic_pwd);
        secret_free(ap->api_key);
        free(ap->name);
        free(ap->ap_id);
        free(ap->auth);
        free(ap->profiles);
        free(ap->basic_user);
        free(ap->cert_fingerprint);
        free(ap->cert_subject);
    }
    secret_free(conf->ap_basic_pwd);
    secret_free(conf->ap_api_key);
    free(conf->max_connections_per_ip);
    free(conf->listen);
    free(conf->ap_id);
    secret_free(conf->ap_pwd);
    free(conf->mssp_id);
    free(conf->ap_auth);
    free(conf->ap_profiles);
    free(conf->ap_basic_user);
    free(conf->phone_page);
    free(conf->ap_cert_fingerprint);
    free(conf->ap_cert_subject);
    memset(conf, 0, sizeof *conf);
}
