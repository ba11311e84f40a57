/* SPDX-License-Identifier: BSD-3-Clause */
/* The phone's text; see phone_text.h. */
#include "phone_text.h"

#include <stdio.h>
#include <string.h>

size_t utf8_clip(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n <= max)
        return n;
    n = max;
    /* Step back over continuation bytes (10xxxxxx) to the start of the cut character. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

void phone_text_format(char out[PHONE_TEXT_SIZE], const char *who, int for_signing,
                       const char *label, const char *code)
{
    const char *verb = for_signing ? "Sign with" : "Sign in with";
    char tail[32];
    size_t who_len = who != NULL ? utf8_clip(who, PHONE_TEXT_WHO_MAX) : 0;
    int head, tail_len;

    tail_len = snprintf(tail, sizeof tail, "? Code %s", code != NULL ? code : "");
    head = snprintf(out, PHONE_TEXT_SIZE, "%.*s%s%s ", (int)who_len, who_len ? who : "",
                    who_len ? ": " : "", verb);
    /* Both parts are short and bounded, so neither fails nor fills the limit alone. */
    if (head < 0 || tail_len < 0 || (size_t)head + (size_t)tail_len > PHONE_TEXT_MAX) {
        out[0] = '\0';
        return;
    }
    size_t room = PHONE_TEXT_MAX - (size_t)head - (size_t)tail_len;
    size_t label_len = label != NULL ? utf8_clip(label, room) : 0;
    snprintf(out + head, PHONE_TEXT_SIZE - (size_t)head, "%.*s%s", (int)label_len,
             label_len ? label : "", tail);
}
