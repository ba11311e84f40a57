/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The phone page: a web page refmssp serves at /phone that shows the pending
 * requests of one phone (/phone?msisdn=+N) or of all, as a phone would — the text
 * to be displayed, the event ID (verification code), a PIN field, Approve and
 * Cancel — and updates itself by polling /phone/pending.json every 500 ms. Answers
 * go to POST /phone/answer and take the same path as 'refmssp phone approve|cancel'.
 *
 * The page needs no AP credentials (a person's browser has none): refmssp is a test
 * server on loopback; 'phone_page = no' in refmssp.conf turns it off. An answer must
 * carry the header "X-Refmssp-Phone: 1", which the page's script sends and a form of
 * another web site cannot (so no other site can approve through the user's browser).
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
 * Answer one request. METHOD "GET" for the page and the JSON list (MSISDN from the
 * query, NULL: all phones), "POST" for /phone/answer with a form BODY
 * (trans_id, msisdn, action=approve|cancel, pin). Always fills *out.
 */
void phone_handle(rm_store *store, const char *method, const char *url, const char *msisdn,
                  const char *body, size_t body_len, phone_reply *out);

/* The header an answer must carry (value "1"). */
#define PHONE_ANSWER_HEADER "X-Refmssp-Phone"

#endif /* REFMSSP_PHONE_PAGE_H */
