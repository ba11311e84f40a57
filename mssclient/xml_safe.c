/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Safe parsing of untrusted XML. The MSS protocol never needs a DTD, so any
 * DOCTYPE is refused the moment the parser sees it, before its internal subset
 * (and thus any entity declaration, e.g. "billion laughs") is read. Errors are
 * captured per parser context, and the few libxml2 raises without one (a declared
 * encoding the bytes do not match) go to a silent handler for the parse, so libxml2
 * never prints to stderr.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include "xml_safe.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void)
{
    xmlInitParser();
}

void mss_xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* Per-parse state, reached through ctxt->_private. */
typedef struct parse_state {
    int saw_doctype;
    int too_deep;
    char first_error[160];
} parse_state;

static void on_structured_error(void *ctx, xmlErrorPtr error)
{
    xmlParserCtxtPtr ctxt = ctx;
    if (ctxt == NULL || ctxt->_private == NULL || error == NULL)
        return;
    parse_state *st = ctxt->_private;
    if (st->first_error[0] != '\0' || error->message == NULL)
        return;
    /* libxml2 messages name the problem and the line; copy one line of it. */
    snprintf(st->first_error, sizeof st->first_error, "line %d: %s", error->line,
             error->message);
    size_t n = strcspn(st->first_error, "\r\n");
    st->first_error[n] = '\0';
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
                               const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr ctxt = ctx;
    ((parse_state *)ctxt->_private)->saw_doctype = 1;
    xmlStopParser(ctxt);
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    /* nameNr counts the open ancestors of this element. */
    if (ctxt->nameNr >= MSS_XML_MAX_DEPTH) {
        ((parse_state *)ctxt->_private)->too_deep = 1;
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                          nb_attributes, nb_defaulted, attributes);
}

/* For the errors libxml2 reports without a parser context: dropped. */
static void ignore_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Refuse external entity loading outright, whatever the options say. */
static xmlParserInputPtr no_external_entity(void *ctx, const xmlChar *public_id,
                                            const xmlChar *system_id)
{
    (void)ctx;
    (void)public_id;
    (void)system_id;
    return NULL;
}

mss_error mss_xml_parse_safe(const char *xml, size_t xml_len, xmlDocPtr *doc, mss_dec *d)
{
    if (xml == NULL || doc == NULL)
        return mss_dec_fail(d, MSS_ERR_ARGS, "no XML given");
    if (xml_len > MSS_MAX_BODY)
        return mss_dec_fail(d, MSS_ERR_TOO_LARGE, "message of %zu bytes exceeds the %d-byte limit",
                            xml_len, MSS_MAX_BODY);
    if (xml_len == 0)
        return mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "empty message");
    mss_xml_init();

    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory creating the XML parser");
    parse_state st;
    memset(&st, 0, sizeof st);
    ctxt->_private = &st;
    ctxt->sax->serror = on_structured_error;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->externalSubset = NULL;
    ctxt->sax->resolveEntity = no_external_entity;
    ctxt->sax->startElementNs = on_start_element;

    /* No XML_PARSE_NOENT (entities are not substituted), no DTD loading or
     * validation, no network, no huge mode; CDATA is folded into text. */
    int options = XML_PARSE_NONET | XML_PARSE_NOCDATA;
    /* The generic handler is the calling thread's own: swapped for this parse only, it
     * leaves the application's and other threads' handlers alone. */
    xmlGenericErrorFunc saved_handler = xmlGenericError;
    void *saved_handler_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, ignore_generic_error);
    xmlDocPtr parsed = xmlCtxtReadMemory(ctxt, xml, (int)xml_len, NULL, NULL, options);
    xmlSetGenericErrorFunc(saved_handler_ctx, saved_handler);
    int well_formed = ctxt->wellFormed;
    mss_error rc = MSS_OK;

    if (st.saw_doctype) {
        rc = mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "DOCTYPE/DTD not allowed in an MSS message");
    } else if (st.too_deep) {
        rc = mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "elements nested deeper than %d levels",
                          MSS_XML_MAX_DEPTH);
    } else if (parsed == NULL || !well_formed) {
        if (ctxt->errNo == XML_ERR_NO_MEMORY)
            rc = mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory parsing XML");
        else
            rc = mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "malformed XML: %s",
                              st.first_error[0] ? st.first_error : "parse failed");
    } else if (parsed->intSubset != NULL || parsed->extSubset != NULL) {
        rc = mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "DOCTYPE/DTD not allowed in an MSS message");
    } else if (xmlDocGetRootElement(parsed) == NULL) {
        rc = mss_dec_fail(d, MSS_ERR_XML_MALFORMED, "malformed XML: no root element");
    }
    ctxt->_private = NULL;
    xmlFreeParserCtxt(ctxt);
    if (rc != MSS_OK) {
        xmlFreeDoc(parsed);
        return rc;
    }
    *doc = parsed;
    return MSS_OK;
}
