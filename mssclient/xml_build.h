/* SPDX-License-Identifier: BSD-3-Clause */
/* Helpers to build MSS message trees with libxml2. Internal. */
#ifndef MSS_XML_BUILD_H
#define MSS_XML_BUILD_H

#include <stddef.h>
#include <libxml/tree.h>
#include <mss/mss.h>

/* 1 when s is valid UTF-8 holding only characters XML 1.0 allows. */
int mss_xb_text_ok(const char *s);

/* Append <ns:name>text</ns:name> (text NULL: empty) to parent; text is escaped.
 * *out (may be NULL) receives the element. MSS_ERR_ARGS for text XML can't carry. */
mss_error mss_xb_elem(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text,
                      xmlNodePtr *out);

/* Append an element holding the base64 encoding of data. */
mss_error mss_xb_b64_elem(xmlNodePtr parent, xmlNsPtr ns, const char *name,
                          const unsigned char *data, size_t len, xmlNodePtr *out);

/* Set an unqualified attribute; value NULL leaves it out. */
mss_error mss_xb_attr(xmlNodePtr node, const char *name, const char *value);

/* Set an unqualified attribute to a decimal number. */
mss_error mss_xb_attr_long(xmlNodePtr node, const char *name, long value);

/* Declare prefix:href on node and return the namespace (NULL on allocation failure). */
xmlNsPtr mss_xb_ns(xmlNodePtr node, const char *href, const char *prefix);

/* 1 when s looks like an xs:NCName (non-empty, no colon or space, sane first char). */
int mss_xb_ncname_ok(const char *s);

#endif
