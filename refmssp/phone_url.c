/* SPDX-License-Identifier: BSD-3-Clause */
/* The phone page URL of a token (see phone_token.h): apart from phone_token.c, so that
 * what only makes tokens does not need refmssp.conf. */
#include "files.h"
#include "phone_token.h"
#include "rm_conf.h"

#include <limits.h>
#include <stdio.h>

int rm_phone_url(const char *dir, const char *token, char *out, size_t out_len, char *err,
                 size_t err_len)
{
    char path[PATH_MAX];
    if (srv_path_join(path, sizeof path, dir, RM_CONF_FILE) != 0) {
        snprintf(err, err_len, "%s: path too long", dir);
        return -1;
    }
    rm_conf conf;
    if (rm_conf_load(path, &conf, err, err_len) != 0)
        return -1;
    int n = snprintf(out, out_len, "https://%s/phone?token=%s", conf.listen, token);
    rm_conf_clear(&conf);
    if (n < 0 || (size_t)n >= out_len) {
        snprintf(err, err_len, "the phone page URL is too long");
        return -1;
    }
    return 0;
}
