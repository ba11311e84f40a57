/* SPDX-License-Identifier: BSD-3-Clause */
/* The mss-relay sub-commands (main.c parses the command line and calls these). */
#ifndef RELAY_COMMANDS_H
#define RELAY_COMMANDS_H

#include <stddef.h>

#include "relay_conf.h"

/* What 'mss-relay init' is told about the upstream MSSP and the relay. */
typedef struct relay_init_options {
    const char *dir;
    const char *upstream_urls[RELAY_MAX_UPSTREAM_URLS];
    size_t n_upstream_urls;
    const char *ap_id;
    const char *ap_cert;         /* the AP's TLS client certificate and key (copied) */
    const char *ap_key;
    const char *ap_pwd_file;     /* its first line is the AP_PWD (copied) */
    const char *upstream_ca;     /* the CA that verifies the MSSP (copied) */
    const char *listen;          /* NULL: RELAY_DEFAULT_LISTEN */
    const char *public_name;     /* the relay's host name for desktops; NULL: from listen */
    const char *authn_profile;   /* defaults of the users' keys; NULL: none */
    const char *sign_profile;
    const char *user_cert_ca;    /* the MSSP's CA of the users' certificates (copied) */
} relay_init_options;

/* mss-relay init DIR …: the relay's CA, TLS identity, token key, copies of the AP
 * credentials, mss-relay.conf and an empty users.conf. Exit status. */
int relay_cmd_init(const relay_init_options *opts);

/* mss-relay user add|list|remove DIR …: argc/argv start at "user". Exit status. */
int relay_cmd_user(int argc, char **argv);

/* mss-relay run DIR: serve until SIGTERM. Exit status. */
int relay_cmd_run(const char *dir);

#endif /* RELAY_COMMANDS_H */
