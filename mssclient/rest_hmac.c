/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HMAC API-key authentication of REST requests (mss/rest.h; the facts and their sources
 * in docs/protocol-profile.md, "Authentication"). Both sides use mss_rest_hmac_sign: the
 * client to sign what it sends, a server (refmssp) to check what it got.
 */
#include "rest_hmac.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "hex.h"
#include "rfc2822_date.h"
#include "url_list.h"
#include "secret.h"

/* Feed one line of the signed text: PART and its "\n". */
static int mac_line(EVP_MAC_CTX *ctx, const char *part, size_t len)
{
    return EVP_MAC_update(ctx, (const unsigned char *)part, len) == 1 &&
           EVP_MAC_update(ctx, (const unsigned char *)"\n", 1) == 1;
}

mss_error mss_rest_hmac_sign(const char *api_key, const mss_rest_hmac_input *in,
                             char hex[MSS_REST_HMAC_HEX_SIZE])
{
    if (api_key == NULL || in == NULL || hex == NULL || in->date == NULL ||
        in->method == NULL || in->host == NULL || in->path == NULL ||
        (in->body == NULL && in->body_len != 0))
        return MSS_ERR_ARGS;
    size_t key_len = strlen(api_key);
    if (key_len == 0 || key_len > MSS_REST_HMAC_MAX_KEY)
        return MSS_ERR_ARGS;

    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    unsigned char md[32];
    size_t md_len = 0;
    int ok = ctx != NULL &&
             EVP_MAC_init(ctx, (const unsigned char *)api_key, key_len, params) == 1 &&
             mac_line(ctx, in->date, strlen(in->date)) &&
             mac_line(ctx, in->method, strlen(in->method)) &&
             mac_line(ctx, in->host, strlen(in->host)) &&
             mac_line(ctx, in->path, strlen(in->path)) &&
             mac_line(ctx, in->body != NULL ? in->body : "", in->body_len) &&
             EVP_MAC_final(ctx, md, &md_len, sizeof md) == 1 && md_len == sizeof md;
    EVP_MAC_CTX_free(ctx);   /* cleanses the keyed state */
    EVP_MAC_free(mac);
    if (!ok)
        return MSS_ERR_NOMEM;
    hex_encode(md, sizeof md, hex);
    OPENSSL_cleanse(md, sizeof md);
    return MSS_OK;
}

/* A malloc'd A followed by B; NULL when out of memory. */
static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *out = malloc(la + lb + 1);
    if (out != NULL) {
        memcpy(out, a, la);
        memcpy(out + la, b, lb + 1);
    }
    return out;
}


mss_error mss_rest_hmac_authorization(const char *ap_id, const char *hex, char **value)
{
    if (ap_id == NULL || ap_id[0] == '\0' || hex == NULL || value == NULL ||
        strlen(hex) != MSS_REST_HMAC_HEX_SIZE - 1)
        return MSS_ERR_ARGS;
    *value = NULL;
    char *user = NULL, *credentials = NULL;
    mss_error rc = mss_base64_encode((const unsigned char *)ap_id, strlen(ap_id), &user);
    if (rc != MSS_OK)
        return rc;
    char *user_colon = concat(user, ":");
    char *pair = user_colon != NULL ? concat(user_colon, hex) : NULL;
    free(user);
    free(user_colon);
    if (pair == NULL)
        return MSS_ERR_NOMEM;
    rc = mss_base64_encode((const unsigned char *)pair, strlen(pair), &credentials);
    secret_free(pair);
    if (rc != MSS_OK)
        return rc;
    *value = concat("Basic ", credentials);
    secret_free(credentials);
    return *value != NULL ? MSS_OK : MSS_ERR_NOMEM;
}

/* Copy N bytes of S into OUT (OUT_LEN with its NUL); 0, or -1 when they do not fit. */
static int copy_part(char *out, size_t out_len, const char *s, size_t n)
{
    if (n >= out_len)
        return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

int mss_rest_hmac_url_target(const char *url, char *host, size_t host_len, char *path,
                             size_t path_len)
{
    /* user:password@ is no part of the host the server sees. */
    const char *authority, *h;
    size_t hp_len;
    if (url == NULL || url_authority(url, &authority, &h, &hp_len) != 0 || authority - 3 == url)
        return -1;
    const char *rest = h + hp_len;   /* the path, query or fragment, or the end */
    /* The port is the part after the last ':' that follows an IPv6 literal's ']'. */
    const char *bracket = memchr(h, ']', hp_len);
    const char *from = bracket != NULL ? bracket : h;
    const char *colon = NULL;
    for (const char *p = from; p < h + hp_len; p++)
        if (*p == ':')
            colon = p;
    size_t name_len = colon != NULL ? (size_t)(colon - h) : hp_len;
    if (name_len == 0)
        return -1;
    if (colon != NULL) {
        const char *port = colon + 1;
        size_t port_len = hp_len - name_len - 1;
        if (port_len == 0 || (port_len == 2 && strncmp(port, "80", 2) == 0) ||
            (port_len == 3 && strncmp(port, "443", 3) == 0))
            hp_len = name_len;   /* the default ports are left out, whatever the scheme */
    }
    if (copy_part(host, host_len, h, hp_len) != 0)
        return -1;
    /* A URL without a path is sent as "POST /": the signed path is what the server sees. */
    if (*rest != '/')
        return copy_part(path, path_len, "/", 1);
    return copy_part(path, path_len, rest, strcspn(rest, "?#"));
}

mss_error mss_rest_hmac_header_lines(const char *ap_id, const char *api_key, const char *url,
                                     const char *body, size_t body_len, time_t now,
                                     char **date_line, char **auth_line)
{
    *date_line = *auth_line = NULL;
    char date[RFC2822_DATE_SIZE], host[MSS_REST_HMAC_HOST_SIZE], path[MSS_REST_HMAC_PATH_SIZE];
    char hex[MSS_REST_HMAC_HEX_SIZE];
    if (rfc2822_date_format(now, date, sizeof date) != 0 ||
        mss_rest_hmac_url_target(url, host, sizeof host, path, sizeof path) != 0)
        return MSS_ERR_ARGS;
    mss_rest_hmac_input in = {.date = date, .method = "POST", .host = host, .path = path,
                              .body = body, .body_len = body_len};
    char *value = NULL;
    mss_error rc = mss_rest_hmac_sign(api_key, &in, hex);
    if (rc == MSS_OK)
        rc = mss_rest_hmac_authorization(ap_id, hex, &value);
    OPENSSL_cleanse(hex, sizeof hex);
    if (rc != MSS_OK)
        return rc;
    *date_line = concat("Date: ", date);
    *auth_line = concat("Authorization: ", value);
    secret_free(value);
    if (*date_line == NULL || *auth_line == NULL) {
        free(*date_line);
        secret_free(*auth_line);
        *date_line = *auth_line = NULL;
        rc = MSS_ERR_NOMEM;
    }
    return rc;
}
