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
 * deeper than JSON_MAX_DEPTH) is remembered and reported by jw_finish, so a caller
 * writes a whole document and checks once. (The jw_ prefix keeps these apart from
 * jansson's json_* functions, which libmssclient's REST binding links beside them.)
 */
#ifndef COMMON_JSON_H
#define COMMON_JSON_H

#include "textbuf.h"

/* Append S as a JSON string, quotes included; NULL as null. */
void jw_append_string(textbuf *b, const char *s);

/* The deepest nesting of objects and arrays a writer takes. */
#define JSON_MAX_DEPTH 16

typedef struct jw_writer {
    textbuf *out;
    int pretty;                        /* 1: one member per line, two-space indent */
    int depth;                         /* open objects and arrays */
    int in_object[JSON_MAX_DEPTH + 1]; /* 1: the container at this depth is an object */
    int count[JSON_MAX_DEPTH + 1];     /* values (or members) written at this depth */
    int key_written;                   /* a member's key is out, its value is due */
    int misuse;                        /* 1 after a call that breaks the shape */
} jw_writer;

/* A writer into OUT (which the caller owns and initialised); PRETTY as above. */
void jw_writer_init(jw_writer *w, textbuf *out, int pretty);

void jw_object_begin(jw_writer *w);
void jw_object_end(jw_writer *w);
void jw_array_begin(jw_writer *w);
void jw_array_end(jw_writer *w);
/* The key of the next member of the open object. */
void jw_key(jw_writer *w, const char *key);

/* Values: in an array, or after jw_key, or as the whole document. */
void jw_string(jw_writer *w, const char *s); /* NULL: null */
void jw_int(jw_writer *w, long long v);
void jw_bool(jw_writer *w, int v);
void jw_null(jw_writer *w);

/* A key and its value in one call. */
void jw_member_string(jw_writer *w, const char *key, const char *s);
void jw_member_int(jw_writer *w, const char *key, long long v);
void jw_member_bool(jw_writer *w, const char *key, int v);

/* 0 when the document is whole (every object and array closed, no misuse) and the
 * buffer holds all of it, with a final newline; else -1. */
int jw_finish(jw_writer *w);

#endif /* COMMON_JSON_H */
