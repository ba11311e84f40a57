/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Writing JSON (RFC 8259) into a text buffer, for programs whose output scripts read
 * (mss-tool show --json) and for refmssp's phone page.
 *
 * Strings are escaped whatever they hold: quotes, backslashes and control characters;
 * '<', '>' and '&' as \u escapes too, so the text can sit inside an HTML page; and a
 * byte that is not part of valid UTF-8 becomes U+FFFD, so the document is always
 * valid UTF-8 (a certificate's subject may carry Latin-1 bytes).
 *
 * The writer puts the commas, the indentation and the closing brackets where they
 * belong; a misuse (a value where a key is due, a close that does not match, nesting
 * deeper than JSON_MAX_DEPTH) is remembered and reported by json_finish, so a caller
 * writes a whole document and checks once.
 */
#ifndef COMMON_JSON_H
#define COMMON_JSON_H

#include "textbuf.h"

/* Append S as a JSON string, quotes included; NULL as null. */
void json_append_string(textbuf *b, const char *s);

/* The deepest nesting of objects and arrays a writer takes. */
#define JSON_MAX_DEPTH 16

typedef struct json_writer {
    textbuf *out;
    int pretty;                        /* 1: one member per line, two-space indent */
    int depth;                         /* open objects and arrays */
    int in_object[JSON_MAX_DEPTH + 1]; /* 1: the container at this depth is an object */
    int count[JSON_MAX_DEPTH + 1];     /* values (or members) written at this depth */
    int key_written;                   /* a member's key is out, its value is due */
    int misuse;                        /* 1 after a call that breaks the shape */
} json_writer;

/* A writer into OUT (which the caller owns and initialised); PRETTY as above. */
void json_writer_init(json_writer *w, textbuf *out, int pretty);

void json_object_begin(json_writer *w);
void json_object_end(json_writer *w);
void json_array_begin(json_writer *w);
void json_array_end(json_writer *w);
/* The key of the next member of the open object. */
void json_key(json_writer *w, const char *key);

/* Values: in an array, or after json_key, or as the whole document. */
void json_string(json_writer *w, const char *s); /* NULL: null */
void json_int(json_writer *w, long long v);
void json_bool(json_writer *w, int v);
void json_null(json_writer *w);

/* A key and its value in one call. */
void json_member_string(json_writer *w, const char *key, const char *s);
void json_member_int(json_writer *w, const char *key, long long v);
void json_member_bool(json_writer *w, const char *key, int v);

/* 0 when the document is whole (every object and array closed, no misuse) and the
 * buffer holds all of it, with a final newline; else -1. */
int json_finish(json_writer *w);

#endif /* COMMON_JSON_H */
