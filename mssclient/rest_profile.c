/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The profile query in JSON. MSS_ProfileReq {MobileUser, GetCertificates?};
 * MSS_ProfileResp {SignatureProfile: ["uri", ...], Status} with the user's certificates,
 * Kiuru's way, in
 *   Status.StatusDetail.ProfileQueryExtension.MobileUserCertificate:
 *     [{"X509Certificate": ["base64", ...], "State", "Algorithm",
 *       "SignatureProfiles": ["uri", ...]}, ...]
 * The model keeps the first certificate of each entry and its profiles space-separated.
 * Swisscom lists them per signature device instead, in ProfileQueryExtension.Sscds.Sim
 * and .App[]; those are read too (Sim first) when Kiuru's list is not there.
 * Asking for certificates: the SOAP binding's Methics GetCertificates becomes a boolean
 * member; Swisscom's form, Params "... certs ...", is understood too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rest_internal.h"

mss_error mss_rest_enc_profile_req(json_t *msg, const mss_profile_req *req)
{
    if (req->msisdn == NULL)
        return MSS_ERR_ARGS;
    mss_error rc;
    if ((rc = mss_rest_enc_header(msg, &req->hdr)) != MSS_OK ||
        (rc = mss_rest_enc_mobile_user(msg, req->msisdn)) != MSS_OK)
        return rc;
    return req->get_certificates ? mss_jb_bool(msg, "GetCertificates", 1) : MSS_OK;
}

/* Whether Swisscom's Params (space-separated words) asks for the certificates. */
static int params_ask_certs(const char *params)
{
    const char *p = params;
    while ((p = strstr(p, "certs")) != NULL) {
        int starts = p == params || p[-1] == ' ';
        int ends = p[5] == '\0' || p[5] == ' ';
        if (starts && ends)
            return 1;
        p += 5;
    }
    return 0;
}

mss_error mss_rest_dec_profile_req(mss_dec *d, const json_t *msg, mss_profile_req *req)
{
    const char *at = "MSS_ProfileReq";
    char *params = NULL;
    int present = 0;
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &req->hdr)) != MSS_OK ||
        (rc = mss_rest_dec_mobile_user(d, msg, at, 1, &req->msisdn)) != MSS_OK ||
        (rc = mss_jr_bool(d, msg, at, "GetCertificates", &req->get_certificates, &present)) != MSS_OK ||
        present || (rc = mss_jr_string(d, msg, at, "Params", 0, &params)) != MSS_OK)
        return rc;
    req->get_certificates = params != NULL && params_ask_certs(params);
    free(params);
    return MSS_OK;
}

/* "u1 u2" as ["u1", "u2"]. */
static mss_error enc_profile_list(json_t *obj, const char *profiles)
{
    json_t *list = NULL;
    mss_error rc = mss_jb_array(obj, "SignatureProfiles", &list);
    for (const char *p = profiles; rc == MSS_OK && *p != '\0';) {
        size_t n = strcspn(p, " ");
        if (n > 0) {
            char *one = strndup(p, n);
            if (one == NULL)
                return MSS_ERR_NOMEM;
            rc = mss_jb_append_string(list, one);
            free(one);
        }
        p += n + (p[n] == ' ');
    }
    return rc;
}

static mss_error enc_certs(json_t *status, const mss_user_cert *certs, size_t n)
{
    json_t *detail = NULL, *ext = NULL, *list = NULL;
    mss_error rc;
    if ((rc = mss_jb_object(status, "StatusDetail", &detail)) != MSS_OK ||
        (rc = mss_jb_object(detail, "ProfileQueryExtension", &ext)) != MSS_OK ||
        (rc = mss_jb_array(ext, "MobileUserCertificate", &list)) != MSS_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const mss_user_cert *c = &certs[i];
        json_t *e = NULL, *x509 = NULL;
        if (c->der == NULL || c->der_len == 0)
            return MSS_ERR_ARGS;
        if ((rc = mss_jb_append_object(list, &e)) != MSS_OK ||
            (rc = mss_jb_array(e, "X509Certificate", &x509)) != MSS_OK ||
            (rc = mss_jb_append_base64(x509, c->der, c->der_len)) != MSS_OK ||
            (rc = mss_jb_string(e, "State", c->state)) != MSS_OK ||
            (rc = mss_jb_string(e, "Algorithm", c->algorithm)) != MSS_OK)
            return rc;
        if (c->profiles != NULL && (rc = enc_profile_list(e, c->profiles)) != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

mss_error mss_rest_enc_profile_resp(json_t *msg, const mss_profile_resp *resp)
{
    if ((resp->n_profiles && resp->profiles == NULL) || (resp->n_certs && resp->certs == NULL) ||
        resp->n_profiles > MSS_MAX_PROFILES || resp->n_certs > MSS_MAX_USER_CERTS)
        return MSS_ERR_ARGS;
    json_t *list = NULL, *status = NULL;
    mss_error rc = mss_rest_enc_header(msg, &resp->hdr);
    if (rc == MSS_OK && resp->n_profiles > 0)
        rc = mss_jb_array(msg, "SignatureProfile", &list);
    for (size_t i = 0; rc == MSS_OK && i < resp->n_profiles; i++)
        rc = mss_jb_append_string(list, resp->profiles[i]);
    if (rc == MSS_OK)
        rc = mss_rest_enc_status(msg, &resp->status, &status);
    if (rc == MSS_OK && resp->n_certs > 0)
        rc = enc_certs(status, resp->certs, resp->n_certs);
    return rc;
}

static mss_error dec_profiles(mss_dec *d, const json_t *msg, const char *at, mss_profile_resp *resp)
{
    char item[160];
    const json_t *list = NULL;
    mss_error rc = mss_jr_array(d, msg, at, "SignatureProfile", 0, MSS_MAX_PROFILES, &list);
    if (rc != MSS_OK || list == NULL || json_array_size(list) == 0)
        return rc;
    resp->profiles = calloc(json_array_size(list), sizeof *resp->profiles);
    if (resp->profiles == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading profiles");
    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(item, sizeof item, "%s.SignatureProfile[%zu]", at, i);
        if ((rc = mss_jr_string_value(d, json_array_get(list, i), item,
                                      &resp->profiles[resp->n_profiles])) != MSS_OK)
            return rc;
        resp->n_profiles++;
    }
    return MSS_OK;
}

/* ["u1", "u2"] as "u1 u2" into *out (NULL for an absent list). */
static mss_error dec_profile_list(mss_dec *d, const json_t *e, const char *at, char **out)
{
    char path[320];
    const json_t *list = NULL;
    mss_error rc = mss_jr_array(d, e, at, "SignatureProfiles", 0, MSS_MAX_PROFILES, &list);
    if (rc != MSS_OK || list == NULL)
        return rc;
    mss_jr_path(path, sizeof path, at, "SignatureProfiles");
    size_t total = 1;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *v = json_array_get(list, i);
        if (!json_is_string(v))
            return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s[%zu] is not a string", path, i);
        total += json_string_length(v) + 1;
    }
    char *joined = calloc(1, total);
    if (joined == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading %s", path);
    for (size_t i = 0; i < json_array_size(list); i++) {
        if (i > 0)
            strcat(joined, " ");
        strcat(joined, json_string_value(json_array_get(list, i)));
    }
    *out = joined;
    return MSS_OK;
}

static mss_error dec_cert(mss_dec *d, const json_t *e, const char *at, mss_user_cert *c)
{
    char path[320];
    const json_t *x509 = NULL;
    if (!json_is_object(e))
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not an object", at);
    mss_error rc;
    if ((rc = mss_jr_array(d, e, at, "X509Certificate", 1, MSS_MAX_SERVICE_CERTS, &x509)) != MSS_OK)
        return rc;
    if (json_array_size(x509) == 0)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s.X509Certificate is empty", at);
    snprintf(path, sizeof path, "%s.X509Certificate[0]", at);
    if ((rc = mss_jr_base64_value(d, json_array_get(x509, 0), path, &c->der, &c->der_len)) != MSS_OK ||
        (rc = mss_jr_string(d, e, at, "State", 0, &c->state)) != MSS_OK ||
        (rc = mss_jr_string(d, e, at, "Algorithm", 0, &c->algorithm)) != MSS_OK)
        return rc;
    return dec_profile_list(d, e, at, &c->profiles);
}

/* The certificate lists of a profile response: Kiuru's one list in ProfileQueryExtension,
 * or Swisscom's one per signature device (Sscds.Sim, then each of Sscds.App). */
#define MAX_SSCDS 16
typedef struct cert_lists {
    const json_t *list[MAX_SSCDS + 2];
    char path[MAX_SSCDS + 2][192];
    size_t n;
    size_t total;
} cert_lists;

/* OWNER's MobileUserCertificate list, if it has one, added to C. */
static mss_error add_list(mss_dec *d, cert_lists *c, const json_t *owner, const char *at)
{
    const json_t *list = NULL;
    mss_error rc = mss_jr_array(d, owner, at, "MobileUserCertificate", 0, MSS_MAX_USER_CERTS, &list);
    if (rc != MSS_OK || list == NULL)
        return rc;
    c->total += json_array_size(list);
    if (c->total > MSS_MAX_USER_CERTS)
        return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "more than %d MobileUserCertificate entries",
                            MSS_MAX_USER_CERTS);
    snprintf(c->path[c->n], sizeof c->path[0], "%s.MobileUserCertificate", at);
    c->list[c->n++] = list;
    return MSS_OK;
}

static mss_error add_swisscom_lists(mss_dec *d, cert_lists *c, const json_t *ext, const char *at)
{
    char path[192], item[224];
    const json_t *sscds = NULL, *sim = NULL, *apps = NULL;
    mss_error rc = mss_jr_object(d, ext, at, "Sscds", 0, &sscds);
    if (rc != MSS_OK || sscds == NULL)
        return rc;
    snprintf(path, sizeof path, "%s.Sscds", at);
    if ((rc = mss_jr_object(d, sscds, path, "Sim", 0, &sim)) != MSS_OK ||
        (rc = mss_jr_array(d, sscds, path, "App", 0, MAX_SSCDS, &apps)) != MSS_OK)
        return rc;
    snprintf(item, sizeof item, "%s.Sim", path);
    if (sim != NULL && (rc = add_list(d, c, sim, item)) != MSS_OK)
        return rc;
    for (size_t i = 0; apps != NULL && i < json_array_size(apps); i++) {
        snprintf(item, sizeof item, "%s.App[%zu]", path, i);
        if (!json_is_object(json_array_get(apps, i)))
            return mss_dec_fail(d, MSS_ERR_XML_UNEXPECTED, "%s is not an object", item);
        if ((rc = add_list(d, c, json_array_get(apps, i), item)) != MSS_OK)
            return rc;
    }
    return MSS_OK;
}

static mss_error dec_certs(mss_dec *d, const json_t *status, const char *at, mss_profile_resp *resp)
{
    char path[160], item[256];
    const json_t *detail = NULL, *ext = NULL;
    mss_error rc = mss_jr_object(d, status, at, "StatusDetail", 0, &detail);
    if (rc != MSS_OK || detail == NULL)
        return rc;
    snprintf(path, sizeof path, "%s.StatusDetail", at);
    if ((rc = mss_jr_object(d, detail, path, "ProfileQueryExtension", 0, &ext)) != MSS_OK || ext == NULL)
        return rc;
    snprintf(path, sizeof path, "%s.StatusDetail.ProfileQueryExtension", at);
    cert_lists c;
    memset(&c, 0, sizeof c);
    if ((rc = add_list(d, &c, ext, path)) != MSS_OK)
        return rc;
    if (c.n == 0 && (rc = add_swisscom_lists(d, &c, ext, path)) != MSS_OK)
        return rc;
    if (c.total == 0)
        return MSS_OK;
    resp->certs = calloc(c.total, sizeof *resp->certs);
    if (resp->certs == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading certificates");
    for (size_t l = 0; l < c.n; l++) {
        for (size_t i = 0; i < json_array_size(c.list[l]); i++) {
            snprintf(item, sizeof item, "%s[%zu]", c.path[l], i);
            /* counted first: a failure part-way leaves a freeable array */
            rc = dec_cert(d, json_array_get(c.list[l], i), item, &resp->certs[resp->n_certs++]);
            if (rc != MSS_OK)
                return rc;
        }
    }
    return MSS_OK;
}

mss_error mss_rest_dec_profile_resp(mss_dec *d, const json_t *msg, mss_profile_resp *resp)
{
    const char *at = "MSS_ProfileResp";
    const json_t *status = NULL;
    mss_error rc;
    if ((rc = mss_rest_dec_header(d, msg, at, &resp->hdr)) != MSS_OK ||
        (rc = dec_profiles(d, msg, at, resp)) != MSS_OK ||
        (rc = mss_rest_dec_status(d, msg, at, 1, &resp->status, &status)) != MSS_OK)
        return rc;
    return dec_certs(d, status, "MSS_ProfileResp.Status", resp);
}
