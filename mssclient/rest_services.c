/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Additional services in JSON. In a request:
 *   "AdditionalServices": [{"Description": "uri",
 *       ["EventID": {"Value"}] | ["NoSpamCode": {"Code", "Verify": "yes"|"no"}] |
 *       ["UserLang": {"Value"}]}, ...]
 * and their answers, a member of the response itself (not inside StatusDetail as in
 * the SOAP form):
 *   "ServiceResponses": [{"Description": "uri", "Status": {...},
 *       "signingCertificate": {"X509Certificate": ["base64", ...]}}, ...]
 * The signingCertificate answer has no JSON form in the public material: it is written
 * with the XML element's names, and read under either capitalisation. Members the model
 * does not carry (Roles, Geofencing, App2App, ...) are ignored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rest_internal.h"

static mss_error enc_service(json_t *list, const mss_service *sv)
{
    if (mss_service_check(sv) != MSS_OK)
        return MSS_ERR_ARGS;
    const char *param = mss_service_param(sv->uri);
    json_t *s = NULL, *p = NULL;
    mss_error rc;
    if ((rc = mss_jb_append_object(list, &s)) != MSS_OK ||
        (rc = mss_jb_string(s, "Description", sv->uri)) != MSS_OK || param == NULL)
        return rc;
    int is_no_spam = strcmp(param, "NoSpamCode") == 0;
    if ((rc = mss_jb_object(s, param, &p)) != MSS_OK)
        return rc;
    if (!is_no_spam)
        return mss_jb_string(p, "Value", sv->value);
    if ((rc = mss_jb_string(p, "Code", sv->value)) != MSS_OK)
        return rc;
    return mss_jb_string(p, "Verify", sv->no_spam_no_verify ? "no" : "yes");
}

mss_error mss_rest_enc_services(json_t *msg, const mss_service *services, size_t n)
{
    if ((n > 0 && services == NULL) || n > MSS_MAX_SERVICES)
        return MSS_ERR_ARGS;
    if (n == 0)
        return MSS_OK;
    json_t *list = NULL;
    mss_error rc = mss_jb_array(msg, "AdditionalServices", &list);
    for (size_t i = 0; rc == MSS_OK && i < n; i++)
        rc = enc_service(list, &services[i]);
    return rc;
}

static mss_error dec_no_spam(mss_dec *d, const json_t *p, const char *at, mss_service *sv)
{
    char *verify = NULL;
    mss_error rc;
    if ((rc = mss_jr_string(d, p, at, "Code", 0, &sv->value)) != MSS_OK ||
        (rc = mss_jr_string(d, p, at, "Verify", 0, &verify)) != MSS_OK)
        return rc;
    if (verify != NULL && strcmp(verify, "no") != 0 && strcmp(verify, "yes") != 0)
        rc = mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s.Verify is neither \"yes\" nor \"no\"", at);
    sv->no_spam_no_verify = verify != NULL && strcmp(verify, "no") == 0;
    free(verify);
    return rc;
}

static mss_error dec_service(mss_dec *d, const json_t *s, const char *at, mss_service *sv)
{
    char path[128];
    if (!json_is_object(s))
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not an object", at);
    mss_error rc = mss_jr_string(d, s, at, "Description", 1, &sv->uri);
    const char *param = rc == MSS_OK ? mss_service_param(sv->uri) : NULL;
    if (param == NULL)
        return rc;
    int is_no_spam = strcmp(param, "NoSpamCode") == 0;
    const json_t *p = NULL;
    /* The no-spam code may be left out (the user disabled it); the others are needed. */
    if ((rc = mss_jr_object(d, s, at, param, !is_no_spam, &p)) != MSS_OK || p == NULL)
        return rc;
    mss_jr_path(path, sizeof path, at, param);
    if (is_no_spam)
        return dec_no_spam(d, p, path, sv);
    return mss_jr_string(d, p, path, "Value", 1, &sv->value);
}

mss_error mss_rest_dec_services(mss_dec *d, const json_t *msg, const char *at,
                                mss_service **services, size_t *n)
{
    char path[128];
    const json_t *list = NULL;
    mss_error rc = mss_jr_array(d, msg, at, "AdditionalServices", 0, MSS_MAX_SERVICES, &list);
    if (rc != MSS_OK || list == NULL || json_array_size(list) == 0)
        return rc;
    *services = calloc(json_array_size(list), sizeof **services);
    if (*services == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading services");
    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(path, sizeof path, "%s.AdditionalServices[%zu]", at, i);
        /* counted first: a failure part-way leaves a freeable array */
        if ((rc = dec_service(d, json_array_get(list, i), path, &(*services)[(*n)++])) != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

static mss_error enc_response(json_t *list, const mss_service_response *r)
{
    if (r->uri == NULL || (r->n_certs > 0 && r->certs == NULL) || r->n_certs > MSS_MAX_SERVICE_CERTS)
        return MSS_ERR_ARGS;
    json_t *e = NULL, *sc = NULL, *certs = NULL;
    mss_error rc;
    if ((rc = mss_jb_append_object(list, &e)) != MSS_OK ||
        (rc = mss_jb_string(e, "Description", r->uri)) != MSS_OK)
        return rc;
    if (r->status.code != 0 && (rc = mss_rest_enc_status(e, &r->status, NULL)) != MSS_OK)
        return rc;
    if (r->n_certs == 0)
        return MSS_OK;
    if ((rc = mss_jb_object(e, "signingCertificate", &sc)) != MSS_OK ||
        (rc = mss_jb_array(sc, "X509Certificate", &certs)) != MSS_OK)
        return rc;
    for (size_t i = 0; rc == MSS_OK && i < r->n_certs; i++)
        rc = mss_jb_append_base64(certs, r->certs[i].data, r->certs[i].len);
    return rc;
}

mss_error mss_rest_enc_service_responses(json_t *msg, const mss_service_response *responses,
                                         size_t n)
{
    if (n == 0)
        return MSS_OK;
    if (responses == NULL || n > MSS_MAX_SERVICES)
        return MSS_ERR_ARGS;
    json_t *list = NULL;
    mss_error rc = mss_jb_array(msg, "ServiceResponses", &list);
    for (size_t i = 0; rc == MSS_OK && i < n; i++)
        rc = enc_response(list, &responses[i]);
    return rc;
}

static mss_error dec_certs(mss_dec *d, const json_t *e, const char *at, mss_service_response *r)
{
    char path[160], item[256];
    const char *key = json_object_get(e, "signingCertificate") ? "signingCertificate"
                                                                : "SigningCertificate";
    const json_t *sc = NULL, *list = NULL;
    mss_error rc = mss_jr_object(d, e, at, key, 0, &sc);
    if (rc != MSS_OK || sc == NULL)
        return rc;
    mss_jr_path(path, sizeof path, at, key);
    if ((rc = mss_jr_array(d, sc, path, "X509Certificate", 1, MSS_MAX_SERVICE_CERTS, &list)) != MSS_OK)
        return rc;
    if (json_array_size(list) == 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s.X509Certificate is empty", path);
    r->certs = calloc(json_array_size(list), sizeof *r->certs);
    if (r->certs == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading certificates");
    for (size_t i = 0; i < json_array_size(list); i++) {
        mss_blob *b = &r->certs[r->n_certs++];
        snprintf(item, sizeof item, "%s.X509Certificate[%zu]", path, i);
        if ((rc = mss_jr_base64_value(d, json_array_get(list, i), item, &b->data, &b->len)) != MSS_OK)
            return rc;
        if (b->len == 0)
            return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is empty", item);
    }
    return MSS_OK;
}

static mss_error dec_response(mss_dec *d, const json_t *e, const char *at, mss_service_response *r)
{
    if (!json_is_object(e))
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not an object", at);
    mss_error rc;
    if ((rc = mss_jr_string(d, e, at, "Description", 1, &r->uri)) != MSS_OK ||
        (rc = mss_rest_dec_status(d, e, at, 0, &r->status, NULL)) != MSS_OK)
        return rc;
    return dec_certs(d, e, at, r);
}

mss_error mss_rest_dec_service_responses(mss_dec *d, const json_t *msg, const char *at,
                                         mss_service_response **responses, size_t *n)
{
    char path[128];
    const json_t *list = NULL;
    mss_error rc = mss_jr_array(d, msg, at, "ServiceResponses", 0, MSS_MAX_SERVICES, &list);
    if (rc != MSS_OK || list == NULL || json_array_size(list) == 0)
        return rc;
    *responses = calloc(json_array_size(list), sizeof **responses);
    if (*responses == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading service responses");
    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(path, sizeof path, "%s.ServiceResponses[%zu]", at, i);
        if ((rc = dec_response(d, json_array_get(list, i), path, &(*responses)[(*n)++])) != MSS_OK)
            return rc;
    }
    return MSS_OK;
}
