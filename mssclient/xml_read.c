/* SPDX-License-Identifier: BSD-3-Clause */
/* Lenient readers for parsed MSS trees: match by local name, namespace when qualified. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xml_read.h"

int mss_xr_is(const xmlNode *n, const char *local, const char *ns)
{
    if (n == NULL || n->type != XML_ELEMENT_NODE || n->name == NULL)
        return 0;
    if (strcmp((const char *)n->name, local) != 0)
        return 0;
    if (ns == NULL || n->ns == NULL || n->ns->href == NULL)
        return 1;
    return strcmp((const char *)n->ns->href, ns) == 0;
}

xmlNodePtr mss_xr_next(const xmlNode *n, const char *local, const char *ns)
{
    for (xmlNodePtr c = n ? n->next : NULL; c != NULL; c = c->next)
        if (mss_xr_is(c, local, ns))
            return c;
    return NULL;
}

xmlNodePtr mss_xr_child(const xmlNode *parent, const char *local, const char *ns)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c != NULL; c = c->next)
        if (mss_xr_is(c, local, ns))
            return c;
    return NULL;
}

xmlNodePtr mss_xr_first_element(const xmlNode *parent)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

const char *mss_xr_name(const xmlNode *n)
{
    static _Thread_local char buf[48];
    if (n == NULL || n->name == NULL)
        return "(none)";
    snprintf(buf, sizeof buf, "%s", (const char *)n->name);
    return buf;
}

mss_error mss_strdup_opt(const char *s, char **out)
{
    *out = NULL;
    if (s == NULL)
        return MSS_OK;
    *out = strdup(s);
    return *out ? MSS_OK : MSS_ERR_NOMEM;
}

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

mss_error mss_xr_text(mss_dec *d, const xmlNode *n, int trim, char **out)
{
    xmlChar *content = xmlNodeGetContent(n);
    if (content == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading <%s>", mss_xr_name(n));
    const char *s = (const char *)content;
    size_t len = strlen(s);
    if (trim) {
        while (len > 0 && is_xml_space(*s)) {
            s++;
            len--;
        }
        while (len > 0 && is_xml_space(s[len - 1]))
            len--;
    }
    char *copy = strndup(s, len);
    xmlFree(content);
    if (copy == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading <%s>", mss_xr_name(n));
    *out = copy;
    return MSS_OK;
}

mss_error mss_xr_attr(mss_dec *d, const xmlNode *n, const char *name, char **out)
{
    *out = NULL;
    if (xmlHasNsProp(n, (const xmlChar *)name, NULL) == NULL)
        return MSS_OK;
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (v == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading @%s", name);
    *out = strdup((const char *)v);
    xmlFree(v);
    return *out ? MSS_OK : mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading @%s", name);
}

int mss_parse_uint(const char *s, long max, long *out)
{
    if (s == NULL)
        return -1;
    while (is_xml_space(*s))
        s++;
    if (*s < '0' || *s > '9')
        return -1; /* also refuses signs, which strtol would accept */
    errno = 0;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (errno != 0 || v > max)
        return -1;
    while (is_xml_space(*end))
        end++;
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

mss_error mss_xr_uint_attr(mss_dec *d, const xmlNode *n, const char *name, long max,
                           long *out, int *present)
{
    char *v = NULL;
    mss_error rc = mss_xr_attr(d, n, name, &v);
    if (rc != MSS_OK)
        return rc;
    if (present)
        *present = v != NULL;
    if (v == NULL)
        return MSS_OK;
    long num;
    int bad = mss_parse_uint(v, max, &num);
    free(v);
    if (bad)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> attribute %s is not a number in 0..%ld",
                            mss_xr_name(n), name, max);
    *out = num;
    return MSS_OK;
}

mss_error mss_xr_base64(mss_dec *d, const xmlNode *n, unsigned char **out, size_t *out_len)
{
    char *text = NULL;
    mss_error rc = mss_xr_text(d, n, 0, &text);
    if (rc != MSS_OK)
        return rc;
    int bad = mss_base64_decode(text, out, out_len);
    free(text);
    if (bad)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "<%s> is not valid base64", mss_xr_name(n));
    return MSS_OK;
}
