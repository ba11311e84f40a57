/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A growable, NUL-terminated text buffer with an optional size cap. The first
 * failure (no memory, or the cap reached) sticks: later appends do nothing and
 * report it again, so a caller can build a whole text and check once at the end.
 */
#ifndef COMMON_TEXTBUF_H
#define COMMON_TEXTBUF_H

#include <stddef.h>

typedef enum textbuf_result {
    TEXTBUF_OK = 0,
    TEXTBUF_NOMEM = -1,      /* an allocation failed */
    TEXTBUF_TOO_LARGE = -2,  /* the text would have grown beyond the cap */
} textbuf_result;

typedef struct textbuf {
    char *text;              /* malloc'd and NUL-terminated; NULL until the first append */
    size_t len;              /* bytes of text, without the NUL */
    size_t cap;              /* bytes allocated */
    size_t max_len;          /* the cap on len; 0 for none */
    textbuf_result error;    /* the first failure, TEXTBUF_OK while there is none */
} textbuf;

/* An empty buffer whose text may hold at most MAX_LEN bytes (0: no cap). */
void textbuf_init(textbuf *b, size_t max_len);

/* Append N bytes of DATA (which may hold NUL bytes). */
textbuf_result textbuf_append(textbuf *b, const void *data, size_t n);

/* Append the string S. */
textbuf_result textbuf_append_str(textbuf *b, const char *s);

/* Append printf-formatted text. */
textbuf_result textbuf_printf(textbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The text so far: never NULL ("" while empty), valid until the next append. */
const char *textbuf_str(const textbuf *b);

/*
 * Hand the text over to the caller (free it with free()), its length in *len when
 * LEN is not NULL. NULL when an append failed or there is no memory for an empty
 * text. The buffer is empty again afterwards (with the same cap and no error).
 */
char *textbuf_take(textbuf *b, size_t *len);

/* Free the text and empty the buffer (the cap stays). */
void textbuf_clear(textbuf *b);

#endif /* COMMON_TEXTBUF_H */
