/* SPDX-License-Identifier: BSD-3-Clause */
/* Safe XML parsing for untrusted MSS messages. Internal. */
#ifndef MSS_XML_SAFE_H
#define MSS_XML_SAFE_H

#include <stddef.h>
#include <libxml/tree.h>
#include <mss/mss.h>
#include "xml_read.h"

/* Deepest element nesting accepted (an MSS message needs about 10 levels). */
#define MSS_XML_MAX_DEPTH 64

/* Initialise libxml2 once per process (thread-safe); never cleaned up. */
void mss_xml_init(void);

/*
 * Parse xml (xml_len bytes) into *doc: no network, no DTD of any kind (a DOCTYPE
 * stops the parser), no entity substitution, no XML_PARSE_HUGE, at most MSS_MAX_BODY
 * bytes and MSS_XML_MAX_DEPTH levels. Nothing is printed; the reason of a failure
 * goes to d. Returns MSS_ERR_TOO_LARGE, MSS_ERR_XML_MALFORMED or MSS_ERR_NOMEM.
 */
mss_error mss_xml_parse_safe(const char *xml, size_t xml_len, xmlDocPtr *doc, mss_dec *d);

#endif
