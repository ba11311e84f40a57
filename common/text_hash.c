/* SPDX-License-Identifier: BSD-3-Clause */
#include "text_hash.h"

#include <stdint.h>

size_t text_hash(const char *text)
{
    uint64_t h = 1469598103934665603ull;          /* FNV-1a offset basis */
    for (; *text != '\0'; text++)
        h = (h ^ (unsigned char)*text) * 1099511628211ull;   /* FNV prime */
    return (size_t)h;
}
