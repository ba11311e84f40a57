/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transaction tokens: the MSSP_TransID the relay hands to a module is the upstream
 * transaction sealed with AES-256-GCM, so that any relay instance holding the key file
 * can answer its status queries, and no instance needs a shared database.
 *
 * A token carries the upstream MSSP_TransID, which upstream URL holds it, the relay user
 * it belongs to, the MSISDN and an expiry. Text form: "R" and base64url of
 * version (1) | key id (4) | nonce (12) | ciphertext | tag (16), the version and key id
 * authenticated as associated data. It is a valid NCName, as TS 102 204 asks of an
 * MSSP_TransID. Whether the token belongs to the user asking is the caller's check
 * (relay_tx.user).
 */
#ifndef RELAY_TOKEN_H
#define RELAY_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "token_keys.h"

#define RELAY_TX_MAX_ID 128     /* upstream MSSP_TransID */
#define RELAY_TX_MAX_USER 64
#define RELAY_TX_MAX_MSISDN 32
/* Room for the text of the largest token and its NUL. */
#define RELAY_TOKEN_MAX_TEXT 400

typedef struct {
    char upstream_id[RELAY_TX_MAX_ID + 1];
    char user[RELAY_TX_MAX_USER + 1];
    char msisdn[RELAY_TX_MAX_MSISDN + 1];
    unsigned upstream;  /* index in the relay's list of upstream URLs, 0..255 */
    int64_t expires;    /* Unix time after which the token is refused */
} relay_tx;

typedef enum {
    RELAY_TOKEN_OK = 0,
    RELAY_TOKEN_MALFORMED, /* not a token of ours: wrong form, version or size */
    RELAY_TOKEN_FORGED,    /* unknown key, or altered: authentication failed */
    RELAY_TOKEN_EXPIRED    /* authentic, but past its expiry */
} relay_token_verdict;

/* Seal TX into OUT (OUT_LEN bytes, RELAY_TOKEN_MAX_TEXT is enough). 0, or -1 when a field
 * is empty or too long, OUT is too small or randomness fails. */
int relay_token_seal(const relay_token_keys *keys, const relay_tx *tx, char *out, size_t out_len);

/* Open TOKEN at time NOW into *TX (cleared unless RELAY_TOKEN_OK). */
relay_token_verdict relay_token_open(const relay_token_keys *keys, const char *token, int64_t now,
                                     relay_tx *tx);

#endif /* RELAY_TOKEN_H */
