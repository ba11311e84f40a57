/* SPDX-License-Identifier: BSD-3-Clause */
/* The phone's text; see phone_text.h. */
#include "phone_text.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

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
