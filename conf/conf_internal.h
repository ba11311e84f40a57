/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the parts of libmssconf share among themselves and do not offer its users.
 */
#ifndef MSS_CONF_INTERNAL_H
#define MSS_CONF_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "mss_conf.h"

/* conf_parse_text: check that ap_pwd_file is not combined with ap_pwd, but do not
 * open it. The writer checks text it is about to write, where the secret file may
 * belong to someone else or not be needed at all to judge the text. */
#define CONF_PARSE_SKIP_SECRET_FILE 1u

/*
 * Parse TEXT (modified in place) into C, which holds the reader's defaults. PATH names
 * the text in errors ("PATH:LINE: reason") and anchors relative paths. Checks the
 * whole configuration (required keys, users) but fills in no defaults. 0 or -1.
 */
int conf_parse_text(mss_conf *c, const char *path, char *text, unsigned flags, char *err,
                    size_t err_len);

/* Fill in what the file may leave out: token and key labels, cache_dir. 0 or -1. */
int conf_apply_defaults(mss_conf *c, char *err, size_t err_len);

/* Free what a user section owns (not the struct itself). */
void conf_user_clear(mss_conf_user *u);

/* A cached certificate's PEM text (NUL-terminated) as DER; -1 for anything else. The
 * reading half of mss_cache_read, apart so that it can be fuzzed. */
int conf_cache_decode(const char *pem, unsigned char **der, size_t *der_len);

#endif /* MSS_CONF_INTERNAL_H */
