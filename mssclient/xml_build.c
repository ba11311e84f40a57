/* SPDX-License-Identifier: BSD-3-Clause */
/* Building blocks for the encoder; each checks what XML can carry before adding it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlstring.h>
#include "xml_build.h"

int mss_xb_text_ok(const char *s)
{
    if (s == NULL)
        return 1;
    if (!xmlCheckUTF8((const unsigned char *)s))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            return 0; /* control characters are not allowed in XML 1.0 */
    return 1;
}

int mss_xb_ncname_ok(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    if ((*s >= '0' && *s <= '9') || *s == '-' || *s == '.')
        return 0;
    for (const char *p = s; *p; p++)
        if (*p == ':' || *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            return 0;
    return mss_xb_text_ok(s);
}

mss_error mss_xb_elem(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text,
                      xmlNodePtr *out)
{
    if (!mss_xb_text_ok(text))
        return MSS_ERR_ARGS;
    /* xmlNewTextChild escapes the content (xmlNewChild would parse entity refs). */
    xmlNodePtr n = xmlNewTextChild(parent, ns, (const xmlChar *)name, (const xmlChar *)text);
    if (n == NULL)
        return MSS_ERR_NOMEM;
    if (out)
        *out = n;
    return MSS_OK;
}

mss_error mss_xb_b64_elem(xmlNodePtr parent, xmlNsPtr ns, const char *name,
                          const unsigned char *data, size_t len, xmlNodePtr *out)
{
    char *text = NULL;
    if (data == NULL && len != 0)
        return MSS_ERR_ARGS;
    if (mss_base64_encode(data, len, &text) != 0)
        return MSS_ERR_NOMEM;
    mss_error rc = mss_xb_elem(parent, ns, name, text, out);
    free(text);
    return rc;
}

mss_error mss_xb_attr(xmlNodePtr node, const char *name, const char *value)
{
    if (value == NULL)
        return MSS_OK;
    if (!mss_xb_text_ok(value))
        return MSS_ERR_ARGS;
    return xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)value) ? MSS_OK
                                                                            : MSS_ERR_NOMEM;
}

mss_error mss_xb_attr_long(xmlNodePtr node, const char *name, long value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", value);
    return mss_xb_attr(node, name, buf);
}

xmlNsPtr mss_xb_ns(xmlNodePtr node, const char *href, const char *prefix)
{
    return xmlNewNs(node, (const xmlChar *)href, (const xmlChar *)prefix);
}
