/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SOAP 1.2 envelope around MSS messages. Encoding always writes
 *   <env:Envelope><env:Body><Operation><mss:MSS_…/></Operation></env:Body></env:Envelope>
 * with the operation wrapper in no namespace. Decoding accepts what the field sends:
 * the wrapper under any name and namespace (MSS_Signature, MSS_SignatureResponse,
 * a Kiuru WSDL namespace, …) or the bare MSS element directly in the Body.
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlsave.h>
#include "soap_internal.h"

mss_error mss_env_new(xmlDocPtr *doc, xmlNodePtr *body)
{
    xmlDocPtr d = xmlNewDoc((const xmlChar *)"1.0");
    if (d == NULL)
        return MSS_ERR_NOMEM;
    xmlNodePtr env = xmlNewDocNode(d, NULL, (const xmlChar *)"Envelope", NULL);
    if (env == NULL) {
        xmlFreeDoc(d);
        return MSS_ERR_NOMEM;
    }
    xmlDocSetRootElement(d, env);
    xmlNsPtr ns = mss_xb_ns(env, MSS_NS_SOAP12, "env");
    if (ns == NULL) {
        xmlFreeDoc(d);
        return MSS_ERR_NOMEM;
    }
    xmlSetNs(env, ns);
    xmlNodePtr b = xmlNewChild(env, ns, (const xmlChar *)"Body", NULL);
    if (b == NULL) {
        xmlFreeDoc(d);
        return MSS_ERR_NOMEM;
    }
    *doc = d;
    *body = b;
    return MSS_OK;
}

mss_error mss_env_wrapper(xmlNodePtr body, const char *name, xmlNodePtr *wrapper)
{
    xmlNodePtr w = xmlNewChild(body, NULL, (const xmlChar *)name, NULL);
    if (w == NULL)
        return MSS_ERR_NOMEM;
    /* xmlNewChild puts a child into its parent's namespace; the wrapper has none. */
    xmlSetNs(w, NULL);
    *wrapper = w;
    return MSS_OK;
}

mss_error mss_env_serialize(xmlDocPtr doc, char **xml, size_t *xml_len)
{
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 0);
    if (mem == NULL || size <= 0) {
        xmlFree(mem);
        return MSS_ERR_NOMEM;
    }
    /* Hand back plain malloc memory: callers release it with free(). */
    char *out = malloc((size_t)size + 1);
    if (out == NULL) {
        xmlFree(mem);
        return MSS_ERR_NOMEM;
    }
    memcpy(out, mem, (size_t)size);
    out[size] = '\0';
    xmlFree(mem);
    *xml = out;
    if (xml_len)
        *xml_len = (size_t)size;
    return MSS_OK;
}

/* The MSS message elements this codec understands. */
static int is_mss_message(const xmlNode *n)
{
    static const char *const names[] = {
        "MSS_SignatureReq", "MSS_SignatureResp", "MSS_StatusReq", "MSS_StatusResp",
        "MSS_ProfileReq", "MSS_ProfileResp", "MSS_ReceiptReq", "MSS_ReceiptResp",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (mss_xr_is(n, names[i], MSS_NS_ETSI))
            return 1;
    return 0;
}

static mss_error check_envelope(mss_dec *d, const xmlNode *root)
{
    if (root == NULL || root->name == NULL || strcmp((const char *)root->name, "Envelope") != 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "root element <%s> is not a SOAP Envelope",
                            mss_xr_name(root));
    const char *href = root->ns ? (const char *)root->ns->href : NULL;
    if (href != NULL && strcmp(href, MSS_NS_SOAP11) == 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED,
                            "SOAP 1.1 envelope namespace; TS 102 204 needs SOAP 1.2 (%s)",
                            MSS_NS_SOAP12);
    if (href == NULL || strcmp(href, MSS_NS_SOAP12) != 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED,
                            "Envelope is not in the SOAP 1.2 namespace (%s)", MSS_NS_SOAP12);
    return MSS_OK;
}

mss_error mss_env_unwrap(mss_dec *d, xmlDocPtr doc, xmlNodePtr *payload)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    mss_error rc = check_envelope(d, root);
    if (rc != MSS_OK)
        return rc;
    /* Headers (e.g. MSS_MessageSignature) are not needed to read the message. */
    xmlNodePtr body = NULL;
    for (xmlNodePtr c = root->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (c->ns != NULL && strcmp((const char *)c->name, "Body") == 0 &&
            strcmp((const char *)c->ns->href, MSS_NS_SOAP12) == 0) {
            body = c;
            break;
        }
    }
    if (body == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "SOAP Envelope has no env:Body");
    xmlNodePtr first = mss_xr_first_element(body);
    if (first == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "SOAP Body is empty");
    if (first->ns != NULL && mss_xr_is(first, "Fault", MSS_NS_SOAP12)) {
        *payload = first;
        return MSS_OK;
    }
    if (is_mss_message(first)) {
        *payload = first;
        return MSS_OK;
    }
    xmlNodePtr inner = mss_xr_first_element(first);
    if (inner == NULL || !is_mss_message(inner))
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED,
                            "SOAP Body holds <%s> without a known MSS message inside",
                            mss_xr_name(first));
    *payload = inner;
    return MSS_OK;
}
