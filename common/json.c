/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON text; see json.h. */
#include "json.h"
#include "utf8.h"

#include <string.h>

void jw_append_string(textbuf *b, const char *s)
{
    if (s == NULL) {
        textbuf_append_str(b, "null");
        return;
    }
    textbuf_append_str(b, "\"");
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        size_t n = utf8_sequence(p, (size_t)(end - p));
        const char *short_escape = NULL;
        switch (*p) {
        case '"': short_escape = "\\\""; break;
        case '\\': short_escape = "\\\\"; break;
        case '\n': short_escape = "\\n"; break;
        case '\r': short_escape = "\\r"; break;
        case '\t': short_escape = "\\t"; break;
        case '\b': short_escape = "\\b"; break;
        case '\f': short_escape = "\\f"; break;
        default: break;
        }
        if (short_escape != NULL) {
            textbuf_append_str(b, short_escape);
        } else if (n == 0) {
            textbuf_append_str(b, "\\ufffd");
            n = 1; /* the next byte may start a valid sequence again */
        } else if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '&') {
            textbuf_printf(b, "\\u%04x", *p);
        } else {
            textbuf_append(b, p, n);
        }
        p += n;
    }
    textbuf_append_str(b, "\"");
}

void jw_writer_init(jw_writer *w, textbuf *out, int pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void newline_indent(jw_writer *w, int depth)
{
    if (!w->pretty)
        return;
    textbuf_append_str(w->out, "\n");
    for (int i = 0; i < depth; i++)
        textbuf_append_str(w->out, "  ");
}

/* Before any value: the comma and line that separate it from the one before, unless
 * it is a member's value (its key did that). 0, or -1 when no value may come here. */
static int value_start(jw_writer *w)
{
    if (w->key_written) {
        w->key_written = 0;
        return 0;
    }
    /* Inside an object only json_key may come; at depth 0 only one document. */
    if (w->in_object[w->depth] || (w->depth == 0 && w->count[0] > 0)) {
        w->misuse = 1;
        return -1;
    }
    if (w->count[w->depth]++ > 0)
        textbuf_append_str(w->out, ",");
    if (w->depth > 0)
        newline_indent(w, w->depth);
    return 0;
}

void jw_key(jw_writer *w, const char *key)
{
    if (w->depth == 0 || !w->in_object[w->depth] || w->key_written || key == NULL) {
        w->misuse = 1;
        return;
    }
    if (w->count[w->depth]++ > 0)
        textbuf_append_str(w->out, ",");
    newline_indent(w, w->depth);
    jw_append_string(w->out, key);
    textbuf_append_str(w->out, w->pretty ? ": " : ":");
    w->key_written = 1;
}

static void container_begin(jw_writer *w, int object)
{
    if (value_start(w) != 0)
        return;
    if (w->depth == JSON_MAX_DEPTH) {
        w->misuse = 1;
        return;
    }
    textbuf_append_str(w->out, object ? "{" : "[");
    w->depth++;
    w->in_object[w->depth] = object;
    w->count[w->depth] = 0;
}

static void container_end(jw_writer *w, int object)
{
    if (w->depth == 0 || w->in_object[w->depth] != object || w->key_written) {
        w->misuse = 1;
        return;
    }
    int had_members = w->count[w->depth] > 0;
    w->depth--;
    if (had_members)
        newline_indent(w, w->depth);
    textbuf_append_str(w->out, object ? "}" : "]");
}

void jw_object_begin(jw_writer *w) { container_begin(w, 1); }
void jw_object_end(jw_writer *w) { container_end(w, 1); }
void jw_array_begin(jw_writer *w) { container_begin(w, 0); }
void jw_array_end(jw_writer *w) { container_end(w, 0); }

void jw_string(jw_writer *w, const char *s)
{
    if (value_start(w) == 0)
        jw_append_string(w->out, s);
}

void jw_int(jw_writer *w, long long v)
{
    if (value_start(w) == 0)
        textbuf_printf(w->out, "%lld", v);
}

void jw_bool(jw_writer *w, int v)
{
    if (value_start(w) == 0)
        textbuf_append_str(w->out, v ? "true" : "false");
}

void jw_null(jw_writer *w)
{
    if (value_start(w) == 0)
        textbuf_append_str(w->out, "null");
}

void jw_member_string(jw_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

void jw_member_int(jw_writer *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_member_bool(jw_writer *w, const char *key, int v)
{
    jw_key(w, key);
    jw_bool(w, v);
}

int jw_finish(jw_writer *w)
{
    if (w->misuse || w->depth != 0 || w->key_written || w->count[0] != 1)
        return -1;
    textbuf_append_str(w->out, "\n");
    return w->out->error == TEXTBUF_OK ? 0 : -1;
}
