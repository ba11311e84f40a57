/*
 * refmssp.conf: the server's own settings, "key = value" lines, '#' comments.
 *
 *   listen = 127.0.0.1:9443
 *   ap_id = http://ap.refmssp.test
 *   ap_pwd = <hex>            (a secret: never logged)
 *   mssp_id = http://refmssp.test
 */
#ifndef REFMSSP_RM_CONF_H
#define REFMSSP_RM_CONF_H

#include <stddef.h>

#define RM_CONF_FILE "refmssp.conf"
#define RM_CONF_MAX_SIZE (64 * 1024)

typedef struct rm_conf {
    char *listen;    /* ADDR:PORT */
    char *ap_id;     /* the one AP allowed in */
    char *ap_pwd;    /* its AP_PWD */
    char *mssp_id;   /* MSSP_ID URI sent in every response */
} rm_conf;

/* Load DIR/refmssp.conf. 0, or -1 with a one-line reason (file and line) in err. */
int rm_conf_load(const char *path, rm_conf *out, char *err, size_t err_len);
void rm_conf_clear(rm_conf *conf);

#endif /* REFMSSP_RM_CONF_H */
