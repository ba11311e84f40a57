/* SPDX-License-Identifier: BSD-3-Clause */
/* The REST API's HMAC authentication, checked; see ap_hmac.h. */
#include "ap_hmac.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <mss/message.h>

#include "rfc2822_date.h"

/* The AP whose AP_ID the Basic user name carries (base64 of the AP_ID): its index among
 * the HMAC APs of CONF, or -1. */
static int claimed_ap(const rm_conf *conf, const char *user)
{
    unsigned char *ap_id = NULL;
    size_t len = 0;
    if (user == NULL || user[0] == '\0' || mss_base64_decode(user, &ap_id, &len) != MSS_OK)
        return -1;
    char *text = malloc(len + 1);
    int found = -1;
    if (text != NULL && memchr(ap_id, '\0', len) == NULL) {
        memcpy(text, ap_id, len);
        text[len] = '\0';
        found = rm_conf_find_ap(conf, text);
        if (found >= 0 && !rm_ap_allows_hmac(&conf->aps[found]))
            found = -1;
    }
    free(text);
    free(ap_id);
    return found;
}

/* 64 hex digits, in either case, copied in lower case into OUT. 0, or -1. */
static int read_mac(const char *s, char out[MSS_REST_HMAC_HEX_SIZE])
{
    if (s == NULL || strlen(s) != MSS_REST_HMAC_HEX_SIZE - 1)
        return -1;
    for (size_t i = 0; i < MSS_REST_HMAC_HEX_SIZE - 1; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return -1;
        out[i] = (char)tolower((unsigned char)s[i]);
    }
    out[MSS_REST_HMAC_HEX_SIZE - 1] = '\0';
    return 0;
}

/* The Host header as the client's URL gave it to the MAC: without a default port (the
 * signer leaves 80 and 443 out whatever the scheme). 0, or -1 when it does not fit. */
static int read_host(const char *host, char *out, size_t out_len)
{
    size_t len = host != NULL ? strlen(host) : 0;
    if (len == 0 || len >= out_len)
        return -1;
    if (len > 4 && strcmp(host + len - 4, ":443") == 0)
        len -= 4;
    else if (len > 3 && strcmp(host + len - 3, ":80") == 0)
        len -= 3;
    memcpy(out, host, len);
    out[len] = '\0';
    return 0;
}

int rm_hmac_claim_read(const rm_conf *conf, const char *user, const char *password,
                       const char *date, const char *host, time_t now, rm_hmac_claim *out,
                       const char **why)
{
    memset(out, 0, sizeof *out);
    out->ap = -1;
    time_t sent = 0;
    if (user == NULL || password == NULL) {
        *why = "HMAC authentication: no Authorization header (Basic, base64(AP_ID):MAC)";
        return 1;
    }
    int ap = claimed_ap(conf, user);
    if (ap < 0) {
        *why = "HMAC authentication: the Authorization header names no AP that uses an API key";
        return 1;
    }
    if (read_mac(password, out->mac) != 0) {
        *why = "HMAC authentication: the MAC is not 64 hex digits";
        return -1;
    }
    if (date == NULL || strlen(date) >= sizeof out->date || rfc2822_date_parse(date, &sent) != 0) {
        *why = "HMAC authentication: no Date header, or not an RFC 2822 date";
        return -1;
    }
    if (sent < now - RM_HMAC_SKEW_S || sent > now + RM_HMAC_SKEW_S) {
        *why = "HMAC authentication: the Date is more than 300 s from the MSSP's clock";
        return -1;
    }
    if (read_host(host, out->host, sizeof out->host) != 0) {
        *why = "HMAC authentication: no Host header, or a longer one than 255 bytes";
        return -1;
    }
    snprintf(out->date, sizeof out->date, "%s", date);
    out->sent = sent;
    out->ap = ap;
    return 0;
}

int rm_hmac_claim_verify(const rm_conf *conf, const rm_hmac_claim *claim, const char *method,
                         const char *path, const char *body, size_t body_len)
{
    if (claim->ap < 0 || (size_t)claim->ap >= conf->n_aps)
        return 0;
    const rm_ap *ap = &conf->aps[claim->ap];
    mss_rest_hmac_input in = {.date = claim->date, .method = method, .host = claim->host,
                              .path = path, .body = body, .body_len = body_len};
    char expected[MSS_REST_HMAC_HEX_SIZE];
    if (!rm_ap_allows_hmac(ap) || mss_rest_hmac_sign(ap->api_key, &in, expected) != MSS_OK)
        return 0;
    /* Both are 64 characters: the time tells nothing of where they differ. */
    int equal = CRYPTO_memcmp(expected, claim->mac, MSS_REST_HMAC_HEX_SIZE - 1) == 0;
    OPENSSL_cleanse(expected, sizeof expected);
    return equal;
}

void rm_hmac_claim_clear(rm_hmac_claim *claim)
{
    OPENSSL_cleanse(claim, sizeof *claim);
    claim->ap = -1;
}
