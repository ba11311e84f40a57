/* SPDX-License-Identifier: BSD-3-Clause */
/* The phone page; see phone_page.h. */
#include "phone_page.h"
#include "commands.h"
#include "flow.h"
#include "mss_uri_chars.h" /* uri_hex_value for %XX in form bodies */
#include "phone_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* Most pending requests listed at once. */
#define PHONE_MAX_LISTED 100

/* A growing text buffer; on allocation failure it stays failed (text NULL). */
typedef struct text_buf {
    char *text;
    size_t len, cap;
    int failed;
} text_buf;

static void buf_add(text_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->text, cap);
        if (grown == NULL) {
            free(b->text);
            memset(b, 0, sizeof *b);
            b->failed = 1;
            return;
        }
        b->text = grown;
        b->cap = cap;
    }
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

static void buf_str(text_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control characters escaped; NULL → null. */
static void buf_json(text_buf *b, const char *s)
{
    if (s == NULL) {
        buf_str(b, "null");
        return;
    }
    buf_str(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            buf_add(b, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '&') {
            /* <, >, & too: the list never turns into markup, whatever reads it */
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            buf_str(b, esc);
        } else {
            buf_add(b, (const char *)p, 1);
        }
    }
    buf_str(b, "\"");
}

static void reply_text(phone_reply *out, int status, const char *type, const char *text)
{
    out->http_status = status;
    out->content_type = type;
    out->body = strdup(text);
    out->body_len = out->body ? strlen(out->body) : 0;
    if (out->body == NULL)
        out->http_status = 500;
}

static void reply_buf(phone_reply *out, text_buf *b)
{
    if (b->failed || b->text == NULL) {
        reply_text(out, 500, "text/plain", "out of memory\n");
        return;
    }
    out->http_status = 200;
    out->content_type = "application/json";
    out->body = b->text;
    out->body_len = b->len;
}

static void pending_json(rm_store *store, const char *msisdn, phone_reply *out)
{
    char **ids = NULL;
    size_t n = 0;
    if (msisdn != NULL && !rm_msisdn_valid(msisdn)) {
        reply_text(out, 400, "application/json", "{\"error\":\"msisdn must be + and digits\"}\n");
        return;
    }
    if (store_tx_pending_ids(store, msisdn, &ids, &n) != 0) {
        reply_text(out, 500, "application/json", "{\"error\":\"database error\"}\n");
        return;
    }
    text_buf b = {0};
    buf_str(&b, "[");
    long long now = flow_now_ms();
    size_t listed = 0;
    for (size_t i = 0; i < n && listed < PHONE_MAX_LISTED; i++) {
        store_tx tx;
        flow_settle(store, ids[i]);
        if (store_tx_find(store, ids[i], &tx) != 1)
            continue;
        if (tx.state == STORE_TX_PENDING) {
            char left[32];
            long long s = (tx.deadline_ms - now) / 1000;
            snprintf(left, sizeof left, "%lld", s > 0 ? s : 0);
            buf_str(&b, listed++ ? ",{\"trans_id\":" : "{\"trans_id\":");
            buf_json(&b, tx.mssp_trans_id);
            buf_str(&b, ",\"msisdn\":");
            buf_json(&b, tx.msisdn);
            buf_str(&b, ",\"text\":");
            buf_json(&b, tx.dtbd);
            buf_str(&b, ",\"event_id\":");
            buf_json(&b, tx.event_id);
            buf_str(&b, ",\"profile\":");
            buf_json(&b, tx.profile);
            buf_str(&b, ",\"left_s\":");
            buf_str(&b, left);
            buf_str(&b, "}");
        }
        store_tx_clear(&tx);
    }
    buf_str(&b, "]\n");
    store_ids_free(ids, n);
    reply_buf(out, &b);
}

/* The value of KEY in an application/x-www-form-urlencoded BODY, decoded into out.
 * 1 found, 0 absent, -1 malformed or too long. */
static int form_value(const char *body, size_t len, const char *key, char *out, size_t out_len)
{
    size_t key_len = strlen(key);
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end - i > key_len && body[i + key_len] == '=' && strncmp(body + i, key, key_len) == 0) {
            size_t o = 0;
            for (size_t j = i + key_len + 1; j < end; j++) {
                int c = (unsigned char)body[j];
                if (c == '+') {
                    c = ' ';
                } else if (c == '%') {
                    int hi = j + 2 < end ? uri_hex_value((unsigned char)body[j + 1]) : -1;
                    int lo = j + 2 < end ? uri_hex_value((unsigned char)body[j + 2]) : -1;
                    if (hi < 0 || lo < 0)
                        return -1;
                    c = hi * 16 + lo;
                    j += 2;
                }
                if (c == 0 || o + 1 >= out_len)
                    return -1;
                out[o++] = (char)c;
            }
            out[o] = '\0';
            return 1;
        }
        i = end + 1;
    }
    return 0;
}

static void answer(rm_store *store, const char *body, size_t len, phone_reply *out)
{
    char trans_id[40], msisdn[24], action[16], pin[16] = "";
    if (form_value(body, len, "trans_id", trans_id, sizeof trans_id) != 1 ||
        form_value(body, len, "msisdn", msisdn, sizeof msisdn) != 1 ||
        form_value(body, len, "action", action, sizeof action) != 1 ||
        form_value(body, len, "pin", pin, sizeof pin) < 0 || !rm_msisdn_valid(msisdn) ||
        (strcmp(action, "approve") != 0 && strcmp(action, "cancel") != 0)) {
        reply_text(out, 400, "application/json",
                   "{\"error\":\"expected trans_id, msisdn, action=approve|cancel, pin\"}\n");
        return;
    }
    int approve = strcmp(action, "approve") == 0;
    if (approve && !flow_pin_valid(pin)) {
        /* the page always asks for the PIN; a malformed one counts as wrong */
        snprintf(pin, sizeof pin, "x");
    }
    int tries = 0;
    phone_result r = flow_phone_answer(store, msisdn, trans_id, approve, approve ? pin : NULL,
                                       &tries);
    OPENSSL_cleanse(pin, sizeof pin);
    static const char *const names[] = {
        [PHONE_SIGNED] = "signed", [PHONE_CANCELED] = "canceled",
        [PHONE_WRONG_PIN] = "wrong_pin", [PHONE_PIN_BLOCKED] = "blocked",
        [PHONE_NOTHING] = "nothing", [PHONE_ERROR] = "error",
    };
    char json[96];
    snprintf(json, sizeof json, "{\"result\":\"%s\",\"tries_left\":%d}\n", names[r], tries);
    reply_text(out, r == PHONE_ERROR ? 500 : 200, "application/json", json);
}

int phone_is_path(const char *url)
{
    return url != NULL && strncmp(url, "/phone", 6) == 0 &&
           (url[6] == '\0' || url[6] == '/' || url[6] == '?');
}

void phone_handle(rm_store *store, const char *method, const char *url, const char *msisdn,
                  const char *body, size_t body_len, phone_reply *out)
{
    memset(out, 0, sizeof *out);
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (is_get && (strcmp(url, "/phone") == 0 || strcmp(url, "/phone/") == 0)) {
        reply_text(out, 200, "text/html; charset=utf-8", phone_html);
    } else if (is_get && strcmp(url, "/phone/pending.json") == 0) {
        pending_json(store, msisdn != NULL && msisdn[0] != '\0' ? msisdn : NULL, out);
    } else if (strcmp(method, "POST") == 0 && strcmp(url, "/phone/answer") == 0) {
        answer(store, body != NULL ? body : "", body_len, out);
    } else {
        reply_text(out, 404, "text/plain", "no such phone page\n");
    }
}
