/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Phone page tokens: each user's page lists and answers only that user's requests,
 * and only for a browser that knows the user's random token (printed by 'refmssp
 * user add' and 'refmssp phone url'). The database keeps the token (to print it) and
 * its SHA-256, by which a page's token is looked up, so the lookup compares digests,
 * never the secret itself.
 */
#ifndef REFMSSP_PHONE_TOKEN_H
#define REFMSSP_PHONE_TOKEN_H

#include <stddef.h>

/* Hex digits of a token (128 random bits). */
#define RM_PHONE_TOKEN_HEX 32

/* A fresh random token into out. 0, or -1 when there is no randomness. */
int rm_phone_token_new(char out[RM_PHONE_TOKEN_HEX + 1]);
/* 1 when TOKEN has a token's form (RM_PHONE_TOKEN_HEX lower-case hex digits). */
int rm_phone_token_form_ok(const char *token);
/* The hex SHA-256 of TOKEN into out. 0 or -1. */
int rm_phone_token_digest(const char *token, char out[65]);

/* The phone page URL of TOKEN for the server of DIR (its refmssp.conf 'listen'):
 * https://ADDR:PORT/phone?token=TOKEN. 0, or -1 with the reason in err. */
int rm_phone_url(const char *dir, const char *token, char *out, size_t out_len, char *err,
                 size_t err_len);

#endif /* REFMSSP_PHONE_TOKEN_H */
