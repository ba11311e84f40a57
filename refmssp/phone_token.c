/* SPDX-License-Identifier: BSD-3-Clause */
/* Phone page tokens; see phone_token.h (rm_phone_url: phone_url.c). */
#include "phone_token.h"
#include "hex.h"
#include "random_hex.h"

#include <string.h>

#include <openssl/evp.h>

int rm_phone_token_new(char out[RM_PHONE_TOKEN_HEX + 1])
{
    return random_hex(out, RM_PHONE_TOKEN_HEX + 1, RM_PHONE_TOKEN_HEX / 2);
}

int rm_phone_token_form_ok(const char *token)
{
    if (token == NULL || strlen(token) != RM_PHONE_TOKEN_HEX)
        return 0;
    for (const char *p = token; *p != '\0'; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

int rm_phone_token_digest(const char *token, char out[65])
{
    unsigned char md[32];
    unsigned md_len = 0;
    if (EVP_Digest(token, strlen(token), md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
        return -1;
    hex_encode(md, md_len, out);
    return 0;
}
