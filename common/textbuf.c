/* SPDX-License-Identifier: BSD-3-Clause */
/* A growable text buffer; see textbuf.h. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small texts need one allocation; large ones double from here, so appends stay
 * linear overall. */
#define TEXTBUF_FIRST_CAP 1024

void textbuf_init(textbuf *b, size_t max_len)
{
    memset(b, 0, sizeof *b);
    b->max_len = max_len;
}

static textbuf_result fail(textbuf *b, textbuf_result error)
{
    b->error = error;
    return error;
}

/* Room for N more bytes and the NUL. */
static textbuf_result reserve(textbuf *b, size_t n)
{
    if (n > SIZE_MAX / 2 - b->len)
        return fail(b, TEXTBUF_NOMEM);
    size_t need = b->len + n + 1;
    if (b->max_len != 0 && need - 1 > b->max_len)
        return fail(b, TEXTBUF_TOO_LARGE);
    if (need <= b->cap)
        return TEXTBUF_OK;
    size_t cap = b->cap != 0 ? b->cap : TEXTBUF_FIRST_CAP;
    while (cap < need)
        cap *= 2;
    /* Never allocate more than the cap can ever use. */
    if (b->max_len != 0 && cap > b->max_len + 1)
        cap = b->max_len + 1;
    char *grown = realloc(b->text, cap);
    if (grown == NULL)
        return fail(b, TEXTBUF_NOMEM);
    b->text = grown;
    b->cap = cap;
    return TEXTBUF_OK;
}

textbuf_result textbuf_append(textbuf *b, const void *data, size_t n)
{
    if (b->error != TEXTBUF_OK)
        return b->error;
    textbuf_result r = reserve(b, n);
    if (r != TEXTBUF_OK)
        return r;
    if (n > 0)
        memcpy(b->text + b->len, data, n);
    b->len += n;
    b->text[b->len] = '\0';
    return TEXTBUF_OK;
}

textbuf_result textbuf_append_str(textbuf *b, const char *s)
{
    return textbuf_append(b, s, strlen(s));
}

textbuf_result textbuf_printf(textbuf *b, const char *fmt, ...)
{
    if (b->error != TEXTBUF_OK)
        return b->error;
    va_list ap;
    va_start(ap, fmt);
    va_list again;
    va_copy(again, ap);
    /* Measure first, so the text is formatted straight into the buffer. */
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    textbuf_result r = n < 0 ? fail(b, TEXTBUF_NOMEM) : reserve(b, (size_t)n);
    if (r == TEXTBUF_OK) {
        vsnprintf(b->text + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
    return r;
}

const char *textbuf_str(const textbuf *b)
{
    return b->text != NULL ? b->text : "";
}

char *textbuf_take(textbuf *b, size_t *len)
{
    char *text = NULL;
    if (b->error == TEXTBUF_OK)
        text = b->text != NULL ? b->text : strdup("");
    else
        free(b->text);
    if (len != NULL)
        *len = text != NULL ? b->len : 0;
    textbuf_init(b, b->max_len);
    return text;
}

void textbuf_clear(textbuf *b)
{
    free(b->text);
    textbuf_init(b, b->max_len);
}
