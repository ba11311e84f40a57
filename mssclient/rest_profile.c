/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The profile query in JSON. MSS_ProfileReq {MobileUser, GetCertificates?};
 * MSS_ProfileResp {SignatureProfile: ["uri", ...], Status} with the user's certificates,
 * Kiuru's way, in
 *   Status.StatusDetail.ProfileQueryExtension.MobileUserCertificate:
 *     [{"X509Certificate": ["base64", ...], "State", "Algorithm",
 *       "SignatureProfiles": ["uri", ...]}, ...]
 * The model keeps the first certificate of each entry and its profiles space-separated.
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
    char path[256];
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
    char path[256];
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

static mss_error dec_certs(mss_dec *d, const json_t *status, const char *at, mss_profile_resp *resp)
{
    char path[160], item[224];
    const json_t *detail = NULL, *ext = NULL, *list = NULL;
    mss_error rc = mss_jr_object(d, status, at, "StatusDetail", 0, &detail);
    if (rc != MSS_OK || detail == NULL)
        return rc;
    snprintf(path, sizeof path, "%s.StatusDetail", at);
    if ((rc = mss_jr_object(d, detail, path, "ProfileQueryExtension", 0, &ext)) != MSS_OK || ext == NULL)
        return rc;
    snprintf(path, sizeof path, "%s.StatusDetail.ProfileQueryExtension", at);
    rc = mss_jr_array(d, ext, path, "MobileUserCertificate", 0, MSS_MAX_USER_CERTS, &list);
    if (rc != MSS_OK || list == NULL || json_array_size(list) == 0)
        return rc;
    resp->certs = calloc(json_array_size(list), sizeof *resp->certs);
    if (resp->certs == NULL)
        return mss_dec_fail(d, MSS_ERR_NOMEM, "out of memory reading certificates");
    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(item, sizeof item, "%s.MobileUserCertificate[%zu]", path, i);
        /* counted first: a failure part-way leaves a freeable array */
        if ((rc = dec_cert(d, json_array_get(list, i), item, &resp->certs[resp->n_certs++])) != MSS_OK)
            return rc;
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
