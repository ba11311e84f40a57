/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Module configuration and the on-disk certificate cache.
 *
 * Shared by the PKCS#11 module (which only reads) and mss-tool (which enrolls, i.e.
 * writes the cache). Neither touches the network here. The file format is documented
 * in docs/mss-pkcs11.conf.5; in short:
 *
 *   [mssp]
 *   url = https://127.0.0.1:9443/mss
 *   ca_file = /path/ca.pem
 *   client_cert = /path/ap.pem
 *   client_key = /path/ap.key
 *   ap_id = http://ap.example
 *   ap_pwd_file = /path/secret         (or ap_pwd = …)
 *   messaging_mode = asynchClientServer (or synch)
 *   timeout = 120                       (MSS TimeOut, seconds)
 *   poll_first_ms = 2000
 *   poll_interval_ms = 2000
 *   connect_timeout_ms = 10000
 *   cache_dir = /path/cache
 *   log_level = warning                 (error, warning, info, debug)
 *   log_file = /path/log                (default: stderr)
 *
 *   [user demo]
 *   msisdn = +99900000001
 *   label = Demo User                  (token label; default "MSS <msisdn>")
 *   authn_profile = mss:refmssp:authn:loa3:sim
 *   authn_label = Authentication key
 *   sign_profile = mss:refmssp:sign:loa4:sim
 *   sign_label = Signing key
 *   sign_pss = yes                     (the MSSP can sign RSA-PSS with this key; default no)
 */
#ifndef MSS_CONFIG_H
#define MSS_CONFIG_H

#include <stddef.h>
#include <mss/client.h>

/* Upper bounds that keep a hostile file from costing much. */
#define MSS_CONF_MAX_USERS 64
#define MSS_CONF_MAX_SIZE (256 * 1024)

typedef enum mss_key_role { MSS_KEY_AUTHN = 0, MSS_KEY_SIGN = 1, MSS_KEY_ROLES = 2 } mss_key_role;

/* "authn" or "sign". */
const char *mss_key_role_name(mss_key_role role);

typedef struct mss_conf_key {
    int present;            /* 1 when a profile is configured for this role */
    char *profile;          /* signature profile URI sent with each request */
    char *label;            /* CKA_LABEL of the key's objects */
    int pss;                /* 1: the MSSP signs RSA-PSS with this key (authn_pss / sign_pss) */
} mss_conf_key;

typedef struct mss_conf_user {
    char *name;             /* the [user NAME] section name: [A-Za-z0-9_.-]{1,64} */
    char *msisdn;           /* international format, "+" and 3..15 digits */
    char *label;            /* token label */
    mss_conf_key keys[MSS_KEY_ROLES];
} mss_conf_user;

typedef struct mss_conf {
    char *path;             /* the file this came from */
    char *url;
    char *ca_file;
    char *client_cert;
    char *client_key;
    char *ap_id;
    char *ap_pwd;           /* secret: never logged */
    mss_messaging_mode mode;
    unsigned timeout_s;
    unsigned poll_first_ms;
    unsigned poll_interval_ms;
    unsigned connect_timeout_ms;
    int allow_plain_http;
    char *cache_dir;
    int log_level;          /* MSS_LOG_* */
    char *log_file;         /* NULL: stderr */
    mss_conf_user *users;
    size_t n_users;
} mss_conf;

/*
 * Find the configuration file: $MSS_PKCS11_CONF, else
 * $XDG_CONFIG_HOME/mss-pkcs11/mss-pkcs11.conf (or ~/.config/… when HOME is set and the
 * file exists), else SYSCONFDIR/mss-pkcs11.conf. Writes the path into buf.
 * Returns 0, or -1 when buf is too small.
 */
int mss_conf_find(char *buf, size_t len);

/*
 * Parse a configuration file. On error returns -1, writes a one-line reason naming
 * the file and line into err, and *out stays NULL. Relative paths in the file are
 * resolved against the file's folder.
 */
int mss_conf_load(const char *path, mss_conf **out, char *err, size_t err_len);
void mss_conf_free(mss_conf *conf);

/* Fill client options from the configuration (pointers into conf; no copies). */
void mss_conf_client_options(const mss_conf *conf, mss_client_options *opts);

/*
 * The certificate cache: one PEM file per key, <cache_dir>/<user>/<role>.pem.
 * read: returns 0 and a malloc'd DER copy, or -1 (no file, unreadable, not a cert).
 * write: atomically replaces the file (temp file + rename), folders 0700, file 0644.
 */
int mss_cache_path(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   char *buf, size_t len);
int mss_cache_read(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   unsigned char **der, size_t *der_len);
int mss_cache_write(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                    const unsigned char *der, size_t der_len, char *err, size_t err_len);

#endif /* MSS_CONFIG_H */
