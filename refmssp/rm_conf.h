/*
 * refmssp.conf: the server's own settings, "key = value" lines, '#' comments.
 *
 *   listen = 127.0.0.1:9443
 *   ap_id = http://ap.refmssp.test
 *   ap_pwd = <hex>            (a secret: never logged)
 *   mssp_id = http://refmssp.test
 *   ap_auth = cert            (optional: cert, basic or cert-or-basic; see below)
 *   ap_profiles = URI URI …   (optional: the signature profiles this AP may use)
 *   ap_basic_user = ap        (optional: the HTTP Basic user name; default "ap")
 *   phone_page = yes          (optional: serve the phone page at /phone; default yes on
 *                              loopback, no on other addresses)
 *
 * ap_auth says how the AP authenticates at the HTTP level: "cert" (default) a TLS
 * client certificate from the test CA; "basic" HTTP Basic with user ap_basic_user
 * and password ap_pwd (an AP_ID URI has a colon, which Basic user names may not); "cert-or-basic" either. AP_ID/AP_PWD in the message are always
 * checked too. Without ap_profiles the AP may use every profile.
 */
#ifndef REFMSSP_RM_CONF_H
#define REFMSSP_RM_CONF_H

#include <stddef.h>

#define RM_CONF_FILE "refmssp.conf"
#define RM_CONF_MAX_SIZE (64 * 1024)
#define RM_DEFAULT_BASIC_USER "ap"

typedef struct rm_conf {
    char *listen;    /* ADDR:PORT */
    char *ap_id;     /* the one AP allowed in */
    char *ap_pwd;    /* its AP_PWD */
    char *mssp_id;   /* MSSP_ID URI sent in every response */
    char *ap_auth;   /* "cert", "basic", "cert-or-basic"; NULL: "cert" */
    char *ap_profiles; /* space-separated profile URIs the AP may use; NULL: all */
    char *ap_basic_user; /* HTTP Basic user name; NULL: RM_DEFAULT_BASIC_USER */
    char *phone_page;  /* "yes" / "no"; NULL: yes */
} rm_conf;

/* 1 when the AP may authenticate with a client certificate / with HTTP Basic. */
int rm_conf_allows_cert(const rm_conf *conf);
int rm_conf_allows_basic(const rm_conf *conf);
/* 1 when /phone is served. */
int rm_conf_phone_page(const rm_conf *conf);
/* 1 when the AP may ask for PROFILE. */
int rm_conf_profile_allowed(const rm_conf *conf, const char *profile);

/* Load DIR/refmssp.conf. 0, or -1 with a one-line reason (file and line) in err. */
int rm_conf_load(const char *path, rm_conf *out, char *err, size_t err_len);
void rm_conf_clear(rm_conf *conf);

#endif /* REFMSSP_RM_CONF_H */
