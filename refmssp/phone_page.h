/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The phone page: a web page refmssp serves at /phone that shows the pending
 * requests of one phone (/phone?token=TOKEN, the user's phone page token) as a phone
 * would — the text to be displayed, the event ID (verification code), a PIN field,
 * Approve and Cancel — and updates itself by polling /phone/pending.json?token=…
 * every 500 ms. Answers go to POST /phone/answer (with the token) and take the same
 * path as 'refmssp phone approve|cancel'.
 *
 * The page needs no AP credentials (a person's browser has none) but the phone's
 * token: without it (or with a wrong one) the list and the answers get 403, so one
 * phone's page can neither see nor answer another phone's requests. 'phone_page =
 * no' in refmssp.conf turns the page off. An answer must also carry the header
 * "X-Refmssp-Phone: 1", which the page's script sends and a form of another web site
 * cannot.
 */
#ifndef REFMSSP_PHONE_PAGE_H
#define REFMSSP_PHONE_PAGE_H

#include <stddef.h>

#include "store.h"

typedef struct phone_reply {
    int http_status;
    char *body;                 /* malloc'd */
    size_t body_len;
    const char *content_type;
} phone_reply;

/* 1 when URL is one of the phone page's paths (/phone, /phone/…). */
int phone_is_path(const char *url);

/*
 * Answer one request. METHOD "GET" for the page and the JSON list (TOKEN from the
 * query, NULL: none), "POST" for /phone/answer with a form BODY
 * (token, trans_id, action=approve|cancel, pin). Always fills *out.
 */
void phone_handle(rm_store *store, const char *method, const char *url, const char *token,
                  const char *body, size_t body_len, phone_reply *out);

/* The header an answer must carry (value "1"). */
#define PHONE_ANSWER_HEADER "X-Refmssp-Phone"

#endif /* REFMSSP_PHONE_PAGE_H */
