/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one reader of the project's INI-like files (mss-pkcs11.conf, refmssp.conf,
 * mss-relay.conf and the relay's users.conf): it splits the text into lines and each
 * line into a section header or a "key = value" entry, and leaves their meaning to the
 * caller's two callbacks. The syntax rules live here, so every file has the same ones:
 *
 *   - blank lines and lines starting with '#' or ';' are skipped;
 *   - "[ TEXT ]": a section header; the callback gets TEXT trimmed;
 *   - "key = value": both trimmed of blanks (a CR at the end included); neither may
 *     be empty; the value runs to the end of the line (no inline comments);
 *   - a key may appear once per section (the top, before any header, counts as one);
 *   - anything else is an error.
 *
 * Every error names the file and line: "PATH:LINE: reason". The text is modified in
 * place: the strings handed to the callbacks point into it.
 */
#ifndef MSS_CONF_LINES_H
#define MSS_CONF_LINES_H

#include <stddef.h>

/* Keys one section may hold; more is an error (no file of ours needs half as many). */
#define MSS_CONF_LINES_MAX_KEYS 64

typedef struct mss_conf_lines_handler {
    /* "[NAME]" on line LINE. 0, or -1 with a reason (not naming the file or line) in
     * WHY. */
    int (*section)(void *ctx, unsigned line, char *name, char *why, size_t why_len);
    /* "KEY = VALUE", the key not given before in this section. 0, or -1 + reason. (A
     * caller that checks a value later, with what follows, names LINE then.) */
    int (*entry)(void *ctx, unsigned line, const char *key, char *value, char *why,
                 size_t why_len);
} mss_conf_lines_handler;

/*
 * Read TEXT (NUL-terminated, modified in place), calling H's callbacks with CTX line
 * by line; stops at the first error. PATH names the text in errors. 0, or -1 with
 * "PATH:LINE: reason" in ERR.
 */
int mss_conf_lines_parse(char *text, const char *path, const mss_conf_lines_handler *h,
                         void *ctx, char *err, size_t err_len);

/* Blanks (space, tab, CR, LF, VT, FF) off both ends of S, in place; returns the start. */
char *mss_conf_trim(char *s);

/* "A B  C" -> the words of S, split in place on blanks, into WORDS (at most MAX). The
 * number of words, or -1 when S holds more than MAX. How lists are written in these
 * files (several upstream URLs, a user's MSISDNs). */
int mss_conf_split_words(char *s, char **words, size_t max);

#endif /* MSS_CONF_LINES_H */
