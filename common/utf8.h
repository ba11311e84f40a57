/* SPDX-License-Identifier: BSD-3-Clause */
/* UTF-8, strictly: where a character ends, and where text may be cut. */
#ifndef COMMON_UTF8_H
#define COMMON_UTF8_H

#include <stddef.h>

/* The length (1 to 4) of the valid UTF-8 character that starts S, which has AVAIL bytes
 * (AVAIL > 0); 0 when S does not start one: a stray continuation byte, a character cut
 * short, an overlong form, a UTF-16 surrogate or a code point past U+10FFFF. */
size_t utf8_sequence(const unsigned char *s, size_t avail);

/* The length of the longest prefix of S with at most MAX bytes that does not end
 * inside a UTF-8 character: strlen(S) when it fits. */
size_t utf8_clip(const char *s, size_t max);

#endif /* COMMON_UTF8_H */
