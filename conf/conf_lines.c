/* SPDX-License-Identifier: BSD-3-Clause */
/* The line reader of the INI-like files; see mss_conf_lines.h. */
#include "config.h"

#include "mss_conf_lines.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

char *mss_conf_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

int mss_conf_split_words(char *s, char **words, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *w = strtok_r(s, " \t", &save); w != NULL;
         w = strtok_r(NULL, " \t", &save)) {
        if (n == max)
            return -1;
        words[n++] = w;
    }
    return (int)n;
}

typedef struct reader {
    const char *keys[MSS_CONF_LINES_MAX_KEYS]; /* given in the current section */
    size_t n_keys;
    char why[256];
} reader;

/* 0 when KEY is new in this section (and is remembered), else -1 and the reason. */
static int remember_key(reader *r, const char *key)
{
    for (size_t i = 0; i < r->n_keys; i++) {
        if (strcmp(r->keys[i], key) == 0) {
            snprintf(r->why, sizeof r->why, "'%s' is given twice", key);
            return -1;
        }
    }
    if (r->n_keys == MSS_CONF_LINES_MAX_KEYS) {
        snprintf(r->why, sizeof r->why, "more than %d keys in one section",
                 MSS_CONF_LINES_MAX_KEYS);
        return -1;
    }
    r->keys[r->n_keys++] = key;
    return 0;
}

static int read_line(reader *r, unsigned line_no, char *raw, const mss_conf_lines_handler *h,
                     void *ctx)
{
    char *line = mss_conf_trim(raw);
    if (*line == '\0' || *line == '#' || *line == ';')
        return 0;
    if (*line == '[') {
        char *close = strchr(line, ']');
        if (close == NULL || close[1] != '\0') {
            snprintf(r->why, sizeof r->why, "section header must end with ']'");
            return -1;
        }
        *close = '\0';
        r->n_keys = 0;
        return h->section(ctx, line_no, mss_conf_trim(line + 1), r->why, sizeof r->why);
    }
    char *eq = strchr(line, '=');
    if (eq == NULL) {
        snprintf(r->why, sizeof r->why, "expected 'key = value'");
        return -1;
    }
    *eq = '\0';
    char *key = mss_conf_trim(line), *value = mss_conf_trim(eq + 1);
    if (*key == '\0') {
        snprintf(r->why, sizeof r->why, "missing key before '='");
        return -1;
    }
    if (*value == '\0') {
        snprintf(r->why, sizeof r->why, "'%.64s' has no value", key);
        return -1;
    }
    if (remember_key(r, key) != 0)
        return -1;
    return h->entry(ctx, line_no, key, value, r->why, sizeof r->why);
}

int mss_conf_lines_parse(char *text, const char *path, const mss_conf_lines_handler *h,
                         void *ctx, char *err, size_t err_len)
{
    reader r = {.n_keys = 0};
    unsigned line_no = 0;
    for (char *line = text, *next; line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        line_no++;
        r.why[0] = '\0';
        if (read_line(&r, line_no, line, h, ctx) != 0) {
            if (err != NULL && err_len > 0)
                snprintf(err, err_len, "%s:%u: %s", path, line_no, r.why);
            return -1;
        }
    }
    return 0;
}
