/* SPDX-License-Identifier: BSD-3-Clause */
/* mss-tool show's two forms of the same facts: text (show.c) and JSON (show_json.c). */
#ifndef MSS_TOOL_SHOW_H
#define MSS_TOOL_SHOW_H

#include "facts.h"

/* Print F as one JSON document on standard output (docs/mss-tool.1 lists its fields).
 * 0, or -1 (with a message) when it could not be built. */
int show_json(const tool_facts *f);

#endif
