/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libcurl and libxml2 loaded at their first use, for the PKCS#11 module only.
 *
 * Linked normally, the module makes its host load libcurl and libxml2 at dlopen, and
 * with them some thirty more libraries (libssh2, libldap, Kerberos, GnuTLS for
 * librtmp, ICU with libstdc++ for libxml2): about 30 ms and 6.5 MB of resident
 * memory in every program that loads the module, even one that only lists tokens or
 * never signs. This file defines, inside the module, each libcurl and libxml2
 * function libmssclient calls; the first call dlopens the library (RTLD_LOCAL, so
 * nothing leaks into the host's namespace) and every call then goes through the
 * real function. The module's version script keeps these definitions local, and the
 * linker's --as-needed (GCC's default on Debian and Ubuntu; not with -fsanitize) leaves
 * the then unused libraries out of the module's NEEDED (pkcs11/module.inc). The other
 * programs of this tree link the libraries directly and never see this.
 *
 * If a library cannot be loaded, its functions fail the way they do when out of
 * memory (NULL, CURLE_FAILED_INIT, CURLM_INTERNAL_ERROR), so the request fails with
 * an error that names the library, and nothing is retried per call.
 */
#include "config.h"

#define CURL_DISABLE_TYPECHECK /* curl_easy_setopt must stay a function here */

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include <curl/curl.h>
#include <libxml/SAX2.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* The sonames of the ABI the module was built against; they change only with an
 * incompatible release (libcurl has been .so.4 since 2006, libxml2 .so.2 since 1999). */
#ifndef MSS_LIBCURL_SONAME
#define MSS_LIBCURL_SONAME "libcurl.so.4"
#endif
#ifndef MSS_LIBXML2_SONAME
#define MSS_LIBXML2_SONAME "libxml2.so.2"
#endif

/* One library: its handle, and why it could not be loaded. */
typedef struct lazy_lib {
    const char *soname;
    pthread_once_t once;
    void *handle;
    int loaded;           /* every symbol below was found */
    char why[256];
} lazy_lib;

static lazy_lib curl_lib = {MSS_LIBCURL_SONAME, PTHREAD_ONCE_INIT, NULL, 0, ""};
static lazy_lib xml_lib = {MSS_LIBXML2_SONAME, PTHREAD_ONCE_INIT, NULL, 0, ""};

/* Each function: a pointer of the real function's own type, filled at load. */
#define CURL_FUNCTIONS(X)                                                                   \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_setopt)          \
    X(curl_easy_getinfo) X(curl_easy_strerror) X(curl_multi_init) X(curl_multi_cleanup)     \
    X(curl_multi_add_handle) X(curl_multi_remove_handle) X(curl_multi_perform)              \
    X(curl_multi_poll) X(curl_multi_info_read) X(curl_multi_strerror) X(curl_slist_append)  \
    X(curl_slist_free_all)
#define XML_FUNCTIONS(X)                                                                    \
    X(xmlInitParser) X(xmlNewParserCtxt) X(xmlFreeParserCtxt) X(xmlCtxtReadMemory)          \
    X(xmlStopParser) X(xmlSAX2StartElementNs) X(xmlSetGenericErrorFunc)                     \
    X(__xmlGenericError) X(__xmlGenericErrorContext) X(xmlCheckUTF8)                        \
    X(xmlDocGetRootElement) X(xmlDocSetRootElement) X(xmlDocDumpFormatMemoryEnc)            \
    X(xmlFreeDoc) X(xmlGetNoNsProp) X(xmlHasNsProp) X(xmlNewChild) X(xmlNewDoc)             \
    X(xmlNewDocNode) X(xmlNewNs) X(xmlNewProp) X(xmlNewTextChild) X(xmlNodeGetContent)      \
    X(xmlNodeSetLang) X(xmlSetNs)

#define DECLARE_POINTER(name) static __typeof__(name) *real_##name;
CURL_FUNCTIONS(DECLARE_POINTER)
XML_FUNCTIONS(DECLARE_POINTER)
/* libxml2's xmlFree is a variable (the allocator's free), read at every call. */
static xmlFreeFunc *real_xmlFree_var;

#define FIND(lib, name)                                                                     \
    if (ok && (*(void **)&real_##name = dlsym((lib)->handle, #name)) == NULL) {             \
        snprintf((lib)->why, sizeof (lib)->why, "%s has no %s", (lib)->soname, #name);      \
        ok = 0;                                                                             \
    }
#define FIND_CURL(name) FIND(&curl_lib, name)
#define FIND_XML(name) FIND(&xml_lib, name)

static int open_lib(lazy_lib *lib)
{
    lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (lib->handle == NULL) {
        const char *e = dlerror();
        snprintf(lib->why, sizeof lib->why, "cannot load %s: %s", lib->soname,
                 e != NULL ? e : "unknown error");
        return 0;
    }
    return 1;
}

static void load_curl(void)
{
    int ok = open_lib(&curl_lib);

    CURL_FUNCTIONS(FIND_CURL)
    curl_lib.loaded = ok;
}

static void load_xml(void)
{
    int ok = open_lib(&xml_lib);

    XML_FUNCTIONS(FIND_XML)
    if (ok && (real_xmlFree_var = dlsym(xml_lib.handle, "xmlFree")) == NULL) {
        snprintf(xml_lib.why, sizeof xml_lib.why, "%s has no xmlFree", xml_lib.soname);
        ok = 0;
    }
    xml_lib.loaded = ok;
}

static int have_curl(void)
{
    pthread_once(&curl_lib.once, load_curl);
    return curl_lib.loaded;
}

static int have_xml(void)
{
    pthread_once(&xml_lib.once, load_xml);
    return xml_lib.loaded;
}

/* ------------------------------------------------------------ libcurl */

CURLcode curl_global_init(long flags)
{
    return have_curl() ? real_curl_global_init(flags) : CURLE_FAILED_INIT;
}

CURL *curl_easy_init(void)
{
    return have_curl() ? real_curl_easy_init() : NULL;
}

void curl_easy_cleanup(CURL *h)
{
    if (have_curl())
        real_curl_easy_cleanup(h);
}

/* The one variadic argument has the type the option's number range gives it
 * (CURLOPTTYPE_*, as libcurl itself reads it). */
CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...)
{
    va_list ap;
    CURLcode rc;

    if (!have_curl())
        return CURLE_FAILED_INIT;
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = real_curl_easy_setopt(h, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = real_curl_easy_setopt(h, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = real_curl_easy_setopt(h, option, va_arg(ap, void (*)(void)));
    else if (option < CURLOPTTYPE_BLOB)
        rc = real_curl_easy_setopt(h, option, va_arg(ap, curl_off_t));
    else
        rc = real_curl_easy_setopt(h, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
    va_list ap;
    CURLcode rc;

    if (!have_curl())
        return CURLE_FAILED_INIT;
    va_start(ap, info);
    rc = real_curl_easy_getinfo(h, info, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

const char *curl_easy_strerror(CURLcode code)
{
    if (have_curl())
        return real_curl_easy_strerror(code);
    return curl_lib.why;
}

CURLM *curl_multi_init(void)
{
    return have_curl() ? real_curl_multi_init() : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
    return have_curl() ? real_curl_multi_cleanup(m) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *h)
{
    return have_curl() ? real_curl_multi_add_handle(m, h) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h)
{
    return have_curl() ? real_curl_multi_remove_handle(m, h) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
    return have_curl() ? real_curl_multi_perform(m, running) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned n, int timeout_ms,
                          int *numfds)
{
    return have_curl() ? real_curl_multi_poll(m, extra, n, timeout_ms, numfds)
                       : CURLM_INTERNAL_ERROR;
}

CURLMsg *curl_multi_info_read(CURLM *m, int *queued)
{
    return have_curl() ? real_curl_multi_info_read(m, queued) : NULL;
}

const char *curl_multi_strerror(CURLMcode code)
{
    if (have_curl())
        return real_curl_multi_strerror(code);
    return curl_lib.why;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
    return have_curl() ? real_curl_slist_append(list, s) : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
    if (have_curl())
        real_curl_slist_free_all(list);
}

/* ------------------------------------------------------------ libxml2 */

/* Frees what libxml2 allocated, with the allocator libxml2 uses at the time. */
static void free_through_libxml2(void *p)
{
    if (p != NULL && have_xml())
        (*real_xmlFree_var)(p);
}

xmlFreeFunc xmlFree = free_through_libxml2;

void xmlInitParser(void)
{
    if (have_xml())
        real_xmlInitParser();
}

xmlParserCtxtPtr xmlNewParserCtxt(void)
{
    return have_xml() ? real_xmlNewParserCtxt() : NULL;
}

void xmlFreeParserCtxt(xmlParserCtxtPtr ctxt)
{
    if (have_xml())
        real_xmlFreeParserCtxt(ctxt);
}

xmlDocPtr xmlCtxtReadMemory(xmlParserCtxtPtr ctxt, const char *buffer, int size,
                            const char *url, const char *encoding, int options)
{
    return have_xml() ? real_xmlCtxtReadMemory(ctxt, buffer, size, url, encoding, options)
                      : NULL;
}

void xmlStopParser(xmlParserCtxtPtr ctxt)
{
    if (have_xml())
        real_xmlStopParser(ctxt);
}

void xmlSAX2StartElementNs(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                           const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                           int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    if (have_xml())
        real_xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                                   nb_attributes, nb_defaulted, attributes);
}

void xmlSetGenericErrorFunc(void *ctx, xmlGenericErrorFunc handler)
{
    if (have_xml())
        real_xmlSetGenericErrorFunc(ctx, handler);
}

/* Behind the xmlGenericError and xmlGenericErrorContext macros (per thread). Without
 * the library there is no parse to protect: a place that reads as "no handler". */
static xmlGenericErrorFunc no_handler;
static void *no_handler_ctx;

xmlGenericErrorFunc *__xmlGenericError(void)
{
    return have_xml() ? real___xmlGenericError() : &no_handler;
}

void **__xmlGenericErrorContext(void)
{
    return have_xml() ? real___xmlGenericErrorContext() : &no_handler_ctx;
}

int xmlCheckUTF8(const unsigned char *utf)
{
    return have_xml() ? real_xmlCheckUTF8(utf) : 0;
}

xmlNodePtr xmlDocGetRootElement(const xmlDoc *doc)
{
    return have_xml() ? real_xmlDocGetRootElement(doc) : NULL;
}

xmlNodePtr xmlDocSetRootElement(xmlDocPtr doc, xmlNodePtr root)
{
    return have_xml() ? real_xmlDocSetRootElement(doc, root) : NULL;
}

void xmlDocDumpFormatMemoryEnc(xmlDocPtr doc, xmlChar **mem, int *size, const char *encoding,
                               int format)
{
    if (have_xml()) {
        real_xmlDocDumpFormatMemoryEnc(doc, mem, size, encoding, format);
        return;
    }
    *mem = NULL;
    *size = 0;
}

void xmlFreeDoc(xmlDocPtr doc)
{
    if (have_xml())
        real_xmlFreeDoc(doc);
}

xmlChar *xmlGetNoNsProp(const xmlNode *node, const xmlChar *name)
{
    return have_xml() ? real_xmlGetNoNsProp(node, name) : NULL;
}

xmlAttrPtr xmlHasNsProp(const xmlNode *node, const xmlChar *name, const xmlChar *ns)
{
    return have_xml() ? real_xmlHasNsProp(node, name, ns) : NULL;
}

xmlNodePtr xmlNewChild(xmlNodePtr parent, xmlNsPtr ns, const xmlChar *name,
                       const xmlChar *content)
{
    return have_xml() ? real_xmlNewChild(parent, ns, name, content) : NULL;
}

xmlDocPtr xmlNewDoc(const xmlChar *version)
{
    return have_xml() ? real_xmlNewDoc(version) : NULL;
}

xmlNodePtr xmlNewDocNode(xmlDocPtr doc, xmlNsPtr ns, const xmlChar *name,
                         const xmlChar *content)
{
    return have_xml() ? real_xmlNewDocNode(doc, ns, name, content) : NULL;
}

xmlNsPtr xmlNewNs(xmlNodePtr node, const xmlChar *href, const xmlChar *prefix)
{
    return have_xml() ? real_xmlNewNs(node, href, prefix) : NULL;
}

xmlAttrPtr xmlNewProp(xmlNodePtr node, const xmlChar *name, const xmlChar *value)
{
    return have_xml() ? real_xmlNewProp(node, name, value) : NULL;
}

xmlNodePtr xmlNewTextChild(xmlNodePtr parent, xmlNsPtr ns, const xmlChar *name,
                           const xmlChar *content)
{
    return have_xml() ? real_xmlNewTextChild(parent, ns, name, content) : NULL;
}

xmlChar *xmlNodeGetContent(const xmlNode *node)
{
    return have_xml() ? real_xmlNodeGetContent(node) : NULL;
}

void xmlNodeSetLang(xmlNodePtr node, const xmlChar *lang)
{
    if (have_xml())
        real_xmlNodeSetLang(node, lang);
}

void xmlSetNs(xmlNodePtr node, xmlNsPtr ns)
{
    if (have_xml())
        real_xmlSetNs(node, ns);
}
