/* SPDX-License-Identifier: BSD-3-Clause */
/* The refmssp sub-commands (main.c parses the command line and calls these). */
#ifndef REFMSSP_COMMANDS_H
#define REFMSSP_COMMANDS_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#define RM_DEFAULT_PORT 9443
#define RM_DEFAULT_MSISDN "+99900000001"
#define RM_AP_ID "http://ap.refmssp.test"
#define RM_MSSP_ID "http://refmssp.test"
#define RM_DEMO_EC_MSISDN "+99900000002"
#define RM_DEMO_PSS_MSISDN "+99900000003"
#define RM_AUTHN_PROFILE "mss:refmssp:authn:loa3:sim"
#define RM_SIGN_PROFILE "mss:refmssp:sign:loa4:sim"

/* refmssp init DIR: a test CA, server and AP certificates, a demo user, configs. */
int rm_cmd_init(const char *dir, unsigned port, const char *msisdn);

/* refmssp run DIR: serve until SIGTERM/SIGINT. LISTEN NULL: from refmssp.conf. */
int rm_cmd_run(const char *dir, const char *listen, int allow_remote);

/* refmssp user add|list|remove|block|unblock DIR …: argc/argv start at "user". */
int rm_cmd_user(int argc, char **argv);

/* refmssp phone list|approve|cancel DIR …: argc/argv start at "phone". */
int rm_cmd_phone(int argc, char **argv);

/* Open DIR's refmssp.db; prints the reason on failure. 0 or -1. */
struct rm_store;
int rm_open_dir_store(const char *dir, struct rm_store **out);

/* refmssp ap add|list DIR …: argc/argv start at "ap". */
int rm_cmd_ap(int argc, char **argv);

/* Read DIR's test CA (ca.pem, ca.key); prints the reason on failure. 0 or -1
 * (the caller frees what was set, also on failure). */
int rm_load_dir_ca(const char *dir, X509 **cert, EVP_PKEY **key);

/* 1 when S is "+" and 3..15 digits. */
int rm_msisdn_valid(const char *s);

#endif /* REFMSSP_COMMANDS_H */
