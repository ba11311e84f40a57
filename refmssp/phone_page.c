/* SPDX-License-Identifier: BSD-3-Clause */
/* The phone page; see phone_page.h. */
#include "phone_page.h"
#include "commands.h"
#include "flow.h"
#include "hex.h"
#include "json.h"
#include "phone_html.h"
#include "phone_token.h"
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* Most pending requests listed at once. */
#define PHONE_MAX_LISTED 100

static void reply_text(phone_reply *out, int status, const char *type, const char *text)
{
    out->http_status = status;
    out->content_type = type;
    out->body = strdup(text);
    out->body_len = out->body ? strlen(out->body) : 0;
    if (out->body == NULL)
        out->http_status = 500;
}

static void reply_buf(phone_reply *out, textbuf *b)
{
    size_t len = 0;
    char *text = textbuf_take(b, &len);
    if (text == NULL) {
        reply_text(out, 500, "text/plain", "out of memory\n");
        return;
    }
    out->http_status = 200;
    out->content_type = "application/json";
    out->body = text;
    out->body_len = len;
}

/* The phone (its user's MSISDN) TOKEN opens, into msisdn. 1, or 0 after a 403 / 500
 * reply: a missing, malformed or unknown token opens nothing. */
static int phone_of_token(rm_store *store, const char *token, char *msisdn, size_t msisdn_len,
                          phone_reply *out)
{
    char digest[65];
    store_user user;
    int found = rm_phone_token_form_ok(token) && rm_phone_token_digest(token, digest) == 0
                    ? store_user_by_phone_token(store, digest, &user)
                    : 0;
    if (found < 0) {
        reply_text(out, 500, "application/json", "{\"error\":\"database error\"}\n");
        return 0;
    }
    if (found == 0) {
        reply_text(out, 403, "application/json",
                   "{\"error\":\"this page needs its phone's token (refmssp phone url)\"}\n");
        return 0;
    }
    snprintf(msisdn, msisdn_len, "%s", user.msisdn);
    store_user_clear(&user);
    return 1;
}

static void pending_json(rm_store *store, const char *token, phone_reply *out)
{
    char **ids = NULL;
    size_t n = 0;
    char msisdn[24];
    if (!phone_of_token(store, token, msisdn, sizeof msisdn, out))
        return;
    if (store_tx_pending_ids(store, msisdn, &ids, &n) != 0) {
        reply_text(out, 500, "application/json", "{\"error\":\"database error\"}\n");
        return;
    }
    textbuf b;
    textbuf_init(&b, 0);
    textbuf_append_str(&b, "[");
    long long now = flow_now_ms();
    size_t listed = 0;
    for (size_t i = 0; i < n && listed < PHONE_MAX_LISTED; i++) {
        store_tx tx;
        flow_settle(store, ids[i]);
        if (store_tx_find(store, ids[i], &tx) != 1)
            continue;
        if (tx.state == STORE_TX_PENDING) {
            long long left_s = (tx.deadline_ms - now) / 1000;
            textbuf_append_str(&b, listed++ ? ",{\"trans_id\":" : "{\"trans_id\":");
            jw_append_string(&b, tx.mssp_trans_id);
            textbuf_append_str(&b, ",\"msisdn\":");
            jw_append_string(&b, tx.msisdn);
            textbuf_append_str(&b, ",\"text\":");
            jw_append_string(&b, tx.dtbd);
            textbuf_append_str(&b, ",\"event_id\":");
            jw_append_string(&b, tx.event_id);
            textbuf_append_str(&b, ",\"profile\":");
            jw_append_string(&b, tx.profile);
            textbuf_printf(&b, ",\"left_s\":%lld}", left_s > 0 ? left_s : 0);
        }
        store_tx_clear(&tx);
    }
    textbuf_append_str(&b, "]\n");
    store_ids_free(ids, n);
    reply_buf(out, &b);
}

/* Decode the form-urlencoded value TEXT[0..LEN) ('+' a space, %XX a byte) into OUT.
 * 0, or -1 when an escape is malformed, it decodes a NUL, or OUT is too small. */
static int form_decode(const char *text, size_t len, char *out, size_t out_len)
{
    size_t o = 0;
    for (size_t j = 0; j < len; j++) {
        int c = (unsigned char)text[j];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = j + 2 < len ? hex_digit_value((unsigned char)text[j + 1]) : -1;
            int lo = j + 2 < len ? hex_digit_value((unsigned char)text[j + 2]) : -1;
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
    return 0;
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
            size_t value = i + key_len + 1;
            return form_decode(body + value, end - value, out, out_len) == 0 ? 1 : -1;
        }
        i = end + 1;
    }
    return 0;
}

static void answer(rm_store *store, const char *body, size_t len, phone_reply *out)
{
    char token[RM_PHONE_TOKEN_HEX + 2] = "", trans_id[40], msisdn[24], action[16], pin[16] = "";
    int has_token = form_value(body, len, "token", token, sizeof token) == 1;
    int opened = phone_of_token(store, has_token ? token : NULL, msisdn, sizeof msisdn, out);
    OPENSSL_cleanse(token, sizeof token);
    if (!opened)
        return;
    if (form_value(body, len, "trans_id", trans_id, sizeof trans_id) != 1 ||
        form_value(body, len, "action", action, sizeof action) != 1 ||
        form_value(body, len, "pin", pin, sizeof pin) < 0 ||
        (strcmp(action, "approve") != 0 && strcmp(action, "cancel") != 0)) {
        reply_text(out, 400, "application/json",
                   "{\"error\":\"expected token, trans_id, action=approve|cancel, pin\"}\n");
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

void phone_handle(rm_store *store, const char *method, const char *url, const char *token,
                  const char *body, size_t body_len, phone_reply *out)
{
    memset(out, 0, sizeof *out);
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (is_get && (strcmp(url, "/phone") == 0 || strcmp(url, "/phone/") == 0)) {
        reply_text(out, 200, "text/html; charset=utf-8", phone_html);
    } else if (is_get && strcmp(url, "/phone/pending.json") == 0) {
        pending_json(store, token, out);
    } else if (strcmp(method, "POST") == 0 && strcmp(url, "/phone/answer") == 0) {
        answer(store, body != NULL ? body : "", body_len, out);
    } else {
        reply_text(out, 404, "text/plain", "no such phone page\n");
    }
}
