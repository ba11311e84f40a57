/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Additional services. In a request:
 *   <AdditionalServices><Service><Description><mssURI>uri</mssURI></Description>
 *     [<fi:EventID>…</fi:EventID> | <fi:NoSpamCode verify="no">…</fi:NoSpamCode> |
 *      <fi:UserLang>…</fi:UserLang>]</Service>*</AdditionalServices>
 * and their answers in a response's Status/StatusDetail:
 *   <fi:ServiceResponses><fi:ServiceResponse><fi:Description><mss:mssURI>…
 *     [<fi:Status>…</fi:Status>] [<mth:signingCertificate><mth:X509Certificate>…]
 *   </fi:ServiceResponse>*</fi:ServiceResponses>
 * Decoding is lenient about namespaces (any prefix, qualified or not) and ignores
 * elements it does not know (SAML responses, SubscriberInfo, batch responses).
 */
#include <stdlib.h>
#include <string.h>
#include "soap_internal.h"

static mss_error enc_service(xmlNodePtr services, xmlNsPtr ns, const mss_service *sv)
{
    if (mss_service_check(sv) != MSS_OK)
        return MSS_ERR_ARGS;
    const char *param = mss_service_param(sv->uri);
    int is_no_spam = param != NULL && strcmp(param, "NoSpamCode") == 0;
    xmlNodePtr service = NULL, p = NULL;
    mss_error rc;
    if ((rc = mss_xb_elem(services, ns, "Service", NULL, &service)) != MSS_OK ||
        (rc = mss_enc_uri(service, ns, "Description", sv->uri)) != MSS_OK)
        return rc;
    if (param == NULL)
        return MSS_OK;
    if ((rc = mss_xb_elem(service, NULL, param, sv->value ? sv->value : "", &p)) != MSS_OK)
        return rc;
    xmlNsPtr fi = mss_xb_ns(p, MSS_NS_FICOM, "fi");
    if (fi == NULL)
        return MSS_ERR_NOMEM;
    xmlSetNs(p, fi);
    return is_no_spam && sv->no_spam_no_verify ? mss_xb_attr(p, "verify", "no") : MSS_OK;
}

mss_error mss_enc_services(xmlNodePtr msg, xmlNsPtr ns, const mss_service *services, size_t n)
{
    if (n > 0 && services == NULL)
        return MSS_ERR_ARGS;
    if (n > MSS_MAX_SERVICES)
        return MSS_ERR_ARGS;
    if (n == 0)
        return MSS_OK;
    xmlNodePtr list = NULL;
    mss_error rc = mss_xb_elem(msg, ns, "AdditionalServices", NULL, &list);
    if (rc != MSS_OK)
        return rc;
    for (size_t i = 0; i < n; i++)
        if ((rc = enc_service(list, ns, &services[i])) != MSS_OK)
            return rc;
    return MSS_OK;
}

static mss_error dec_service(mss_dec *d, const xmlNode *s, mss_service *sv)
{
    xmlNodePtr desc = mss_xr_child(s, "Description", MSS_NS_ETSI);
    if (desc == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "Service has no Description");
    mss_error rc = mss_dec_uri(d, desc, &sv->uri);
    if (rc != MSS_OK)
        return rc;
    const char *param = mss_service_param(sv->uri);
    if (param == NULL)
        return MSS_OK;
    xmlNodePtr p = mss_xr_child(s, param, MSS_NS_FICOM);
    if (p == NULL) {
        if (strcmp(param, "NoSpamCode") == 0)
            return MSS_OK; /* the code may be left out: the user disabled it */
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "service %s has no %s",
                            strcmp(param, "EventID") == 0 ? "eventId" : "userLang", param);
    }
    if ((rc = mss_xr_text(d, p, 1, &sv->value)) != MSS_OK)
        return rc;
    if (strcmp(param, "NoSpamCode") == 0) {
        char *verify = NULL;
        if ((rc = mss_xr_attr(d, p, "verify", &verify)) != MSS_OK)
            return rc;
        sv->no_spam_no_verify = verify != NULL && strcmp(verify, "no") == 0;
        free(verify);
    }
    return MSS_OK;
}

mss_error mss_dec_services(mss_dec *d, const xmlNode *services_elem, mss_service **services,
                           size_t *n)
{
    size_t count = 0;
    for (xmlNodePtr s = mss_xr_child(services_elem, "Service", MSS_NS_ETSI); s != NULL;
         s = mss_xr_next(s, "Service", MSS_NS_ETSI))
        count++;
    if (count == 0)
        return MSS_OK;
    if (count > MSS_MAX_SERVICES)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "more than %d additional services",
                            MSS_MAX_SERVICES);
    *services = calloc(count, sizeof **services);
    if (*services == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading services");
    for (xmlNodePtr s = mss_xr_child(services_elem, "Service", MSS_NS_ETSI); s != NULL;
         s = mss_xr_next(s, "Service", MSS_NS_ETSI)) {
        mss_service *sv = &(*services)[(*n)++]; /* counted first: a failure stays freeable */
        mss_error rc = dec_service(d, s, sv);
        if (rc != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

static mss_error enc_response(xmlNodePtr list, xmlNsPtr fi, xmlNsPtr ns,
                              const mss_service_response *r)
{
    if (r->uri == NULL || (r->n_certs > 0 && r->certs == NULL) || r->n_certs > MSS_MAX_SERVICE_CERTS)
        return MSS_ERR_ARGS;
    xmlNodePtr e = NULL, desc = NULL;
    mss_error rc;
    if ((rc = mss_xb_elem(list, fi, "ServiceResponse", NULL, &e)) != MSS_OK ||
        (rc = mss_xb_elem(e, fi, "Description", NULL, &desc)) != MSS_OK ||
        (rc = mss_xb_elem(desc, ns, "mssURI", r->uri, NULL)) != MSS_OK)
        return rc;
    /* fi:Status holds the ETSI StatusType children (mss:StatusCode, mss:StatusMessage). */
    if (r->status.code != 0 &&
        (rc = mss_enc_status_elem(e, fi, ns, &r->status, NULL)) != MSS_OK)
        return rc;
    if (r->n_certs == 0)
        return MSS_OK;
    xmlNodePtr sc = NULL;
    if ((rc = mss_xb_elem(e, NULL, "signingCertificate", NULL, &sc)) != MSS_OK)
        return rc;
    xmlNsPtr mth = mss_xb_ns(sc, MSS_NS_KIURU5, "mth");
    if (mth == NULL)
        return MSS_ERR_NOMEM;
    xmlSetNs(sc, mth);
    for (size_t i = 0; i < r->n_certs; i++) {
        if (r->certs[i].data == NULL || r->certs[i].len == 0)
            return MSS_ERR_ARGS;
        if ((rc = mss_xb_b64_elem(sc, mth, "X509Certificate", r->certs[i].data, r->certs[i].len,
                                  NULL)) != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

mss_error mss_enc_service_responses(xmlNodePtr status_elem, xmlNsPtr ns,
                                    const mss_service_response *responses, size_t n)
{
    if (n == 0)
        return MSS_OK;
    if (responses == NULL || n > MSS_MAX_SERVICES)
        return MSS_ERR_ARGS;
    xmlNodePtr detail = NULL;
    mss_error rc = mss_xb_elem(status_elem, ns, "StatusDetail", NULL, &detail);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr list = xmlNewChild(detail, NULL, (const xmlChar *)"ServiceResponses", NULL);
    if (list == NULL)
        return MSS_ERR_NOMEM;
    xmlNsPtr fi = mss_xb_ns(list, MSS_NS_FICOM, "fi");
    if (fi == NULL)
        return MSS_ERR_NOMEM;
    xmlSetNs(list, fi);
    for (size_t i = 0; i < n; i++)
        if ((rc = enc_response(list, fi, ns, &responses[i])) != MSS_OK)
            return rc;
    return MSS_OK;
}

static mss_error dec_certs(mss_dec *d, const xmlNode *sc, mss_service_response *r)
{
    size_t count = 0;
    for (xmlNodePtr x = mss_xr_child(sc, "X509Certificate", NULL); x != NULL;
         x = mss_xr_next(x, "X509Certificate", NULL))
        count++;
    if (count == 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "signingCertificate has no X509Certificate");
    if (count > MSS_MAX_SERVICE_CERTS)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "more than %d signing certificates",
                            MSS_MAX_SERVICE_CERTS);
    r->certs = calloc(count, sizeof *r->certs);
    if (r->certs == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading certificates");
    for (xmlNodePtr x = mss_xr_child(sc, "X509Certificate", NULL); x != NULL;
         x = mss_xr_next(x, "X509Certificate", NULL)) {
        mss_blob *b = &r->certs[r->n_certs++];
        mss_error rc = mss_xr_base64(d, x, &b->data, &b->len);
        if (rc != MSS_OK)
            return rc;
        if (b->len == 0)
            return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "empty signing certificate");
    }
    return MSS_OK;
}

static mss_error dec_response(mss_dec *d, const xmlNode *e, mss_service_response *r)
{
    xmlNodePtr desc = mss_xr_child(e, "Description", NULL);
    if (desc == NULL)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "ServiceResponse has no Description");
    mss_error rc = mss_dec_uri(d, desc, &r->uri);
    if (rc != MSS_OK)
        return rc;
    xmlNodePtr st = mss_xr_child(e, "Status", NULL);
    if (st != NULL && (rc = mss_dec_status_elem(d, st, &r->status)) != MSS_OK)
        return rc;
    xmlNodePtr sc = mss_xr_child(e, "signingCertificate", NULL);
    return sc ? dec_certs(d, sc, r) : MSS_OK;
}

mss_error mss_dec_service_responses(mss_dec *d, const xmlNode *status_elem,
                                    mss_service_response **responses, size_t *n)
{
    xmlNodePtr detail = mss_xr_child(status_elem, "StatusDetail", MSS_NS_ETSI);
    xmlNodePtr list = mss_xr_child(detail, "ServiceResponses", MSS_NS_FICOM);
    size_t count = 0;
    for (xmlNodePtr e = mss_xr_child(list, "ServiceResponse", MSS_NS_FICOM); e != NULL;
         e = mss_xr_next(e, "ServiceResponse", MSS_NS_FICOM))
        count++;
    if (count == 0)
        return MSS_OK;
    if (count > MSS_MAX_SERVICES)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "more than %d service responses",
                            MSS_MAX_SERVICES);
    *responses = calloc(count, sizeof **responses);
    if (*responses == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading service responses");
    for (xmlNodePtr e = mss_xr_child(list, "ServiceResponse", MSS_NS_FICOM); e != NULL;
         e = mss_xr_next(e, "ServiceResponse", MSS_NS_FICOM)) {
        mss_error rc = dec_response(d, e, &(*responses)[(*n)++]);
        if (rc != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

mss_error mss_enc_status_services(xmlNodePtr msg, xmlNsPtr ns, const mss_status *st,
                                  const mss_service_response *responses, size_t n)
{
    xmlNodePtr status = NULL;
    mss_error rc = mss_enc_status(msg, ns, st, &status);
    if (rc != MSS_OK)
        return rc;
    return mss_enc_service_responses(status, ns, responses, n);
}

mss_error mss_dec_status_services(mss_dec *d, const xmlNode *msg, mss_status *st,
                                  mss_service_response **responses, size_t *n)
{
    xmlNodePtr status = NULL;
    mss_error rc = mss_dec_status(d, msg, st, &status);
    if (rc != MSS_OK)
        return rc;
    return mss_dec_service_responses(d, status, responses, n);
}

