/* refmssp.conf reader; see rm_conf.h. */
#include "rm_conf.h"
#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

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
    return NULL;
}

static int parse_lines(const char *path, char *text, rm_conf *conf, char *err, size_t err_len)
{
    unsigned lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            snprintf(err, err_len, "%s:%u: expected 'key = value'", path, lineno);
            return -1;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        char **field = field_for(conf, key);
        if (field == NULL) {
            snprintf(err, err_len, "%s:%u: unknown key '%.40s'", path, lineno, key);
            return -1;
        }
        if (*field != NULL) {
            snprintf(err, err_len, "%s:%u: '%s' given twice", path, lineno, key);
            return -1;
        }
        if (*value == '\0') {
            snprintf(err, err_len, "%s:%u: '%s' has no value", path, lineno, key);
            return -1;
        }
        *field = strdup(value);
        if (*field == NULL) {
            snprintf(err, err_len, "%s: out of memory", path);
            return -1;
        }
    }
    const char *missing = conf->listen == NULL ? "listen"
                          : conf->ap_id == NULL ? "ap_id"
                          : conf->ap_pwd == NULL ? "ap_pwd"
                          : conf->mssp_id == NULL ? "mssp_id" : NULL;
    if (missing != NULL) {
        snprintf(err, err_len, "%s: '%s' is missing", path, missing);
        return -1;
    }
    if (conf->ap_auth != NULL && strcmp(conf->ap_auth, "cert") != 0 &&
        strcmp(conf->ap_auth, "basic") != 0 && strcmp(conf->ap_auth, "cert-or-basic") != 0) {
        snprintf(err, err_len, "%s: ap_auth must be cert, basic or cert-or-basic", path);
        return -1;
    }
    if (conf->phone_page != NULL && strcmp(conf->phone_page, "yes") != 0 &&
        strcmp(conf->phone_page, "no") != 0) {
        snprintf(err, err_len, "%s: phone_page must be yes or no", path);
        return -1;
    }
    if (conf->ap_basic_user != NULL && strchr(conf->ap_basic_user, ':') != NULL) {
        snprintf(err, err_len, "%s: ap_basic_user may not contain ':'", path);
        return -1;
    }
    return 0;
}

int rm_conf_allows_cert(const rm_conf *conf)
{
    return conf->ap_auth == NULL || strcmp(conf->ap_auth, "basic") != 0;
}

int rm_conf_allows_basic(const rm_conf *conf)
{
    return conf->ap_auth != NULL && strcmp(conf->ap_auth, "cert") != 0;
}

int rm_conf_phone_page(const rm_conf *conf)
{
    return conf->phone_page == NULL || strcmp(conf->phone_page, "yes") == 0;
}

int rm_conf_profile_allowed(const rm_conf *conf, const char *profile)
{
    if (conf->ap_profiles == NULL)
        return 1;
    size_t n = strlen(profile);
    for (const char *p = conf->ap_profiles; *p != '\0';) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, " \t");
        if (len == n && len > 0 && strncmp(p, profile, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

int rm_conf_load(const char *path, rm_conf *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    char *text = NULL;
    size_t text_len = 0;
    if (rm_read_file(path, RM_CONF_MAX_SIZE, &text, &text_len) != 0) {
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
    if (conf->ap_pwd != NULL)
        OPENSSL_cleanse(conf->ap_pwd, strlen(conf->ap_pwd));
    free(conf->listen);
    free(conf->ap_id);
    free(conf->ap_pwd);
    free(conf->mssp_id);
    free(conf->ap_auth);
    free(conf->ap_profiles);
    free(conf->ap_basic_user);
    free(conf->phone_page);
    memset(conf, 0, sizeof *conf);
}
