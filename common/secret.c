/* SPDX-License-Identifier: BSD-3-Clause */
/* A secret string wiped before it is freed; see secret.h. */
#include "secret.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

void secret_free(char *s)
{
    if (s == NULL)
        return;
    /* OPENSSL_cleanse: a write the compiler may not drop as dead before free(). */
    OPENSSL_cleanse(s, strlen(s));
    free(s);
}
