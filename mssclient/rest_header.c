/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every message carries, in JSON:
 *   "MajorVersion": "1", "MinorVersion": "1",
 *   "AP_Info": {"AP_ID", "AP_PWD", "AP_TransID", "Instant"},
 *   "MSSP_Info": {"MSSP_ID": {"URI"}, "Instant"}
 * and the small shared parts: MobileUser {MSISDN}, DataType {MimeType, Encoding, Data}.
 * Versions are written as strings (Kiuru and Swisscom do); the decoder takes a string of
 * digits or an integer, and 1 when absent (Laverca-REST leaves them out of requests).
 * AP_ID and AP_TransID are required, as in the SOAP binding; AP_PWD and the Instants are
 * read when present and left out when NULL (over REST the AP authenticates over HTTP).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rest_internal.h"

mss_error mss_rest_enc_header(json_t *msg, const mss_header *hdr)
{
    if (hdr->ap_id == NULL || hdr->ap_trans_id == NULL || hdr->ap_trans_id[0] == '\0' ||
        hdr->major_version < 0 || hdr->minor_version < 0)
        return MSS_ERR_ARGS;
    json_t *ap = NULL, *mssp = NULL, *mssp_id = NULL;
    mss_error rc;
    if ((rc = mss_jb_number_string(msg, "MajorVersion", hdr->major_version)) != MSS_OK ||
        (rc = mss_jb_number_string(msg, "MinorVersion", hdr->minor_version)) != MSS_OK ||
        (rc = mss_jb_object(msg, "AP_Info", &ap)) != MSS_OK ||
        (rc = mss_jb_string(ap, "AP_ID", hdr->ap_id)) != MSS_OK ||
        (rc = mss_jb_string(ap, "AP_PWD", hdr->ap_pwd)) != MSS_OK ||
        (rc = mss_jb_string(ap, "AP_TransID", hdr->ap_trans_id)) != MSS_OK ||
        (rc = mss_jb_string(ap, "Instant", hdr->ap_instant)) != MSS_OK)
        return rc;
    /* MSSP_Info and its MSSP_ID are always there, as in the SOAP form; the URI may be
     * unknown (requests before the MSSP is known). */
    if ((rc = mss_jb_object(msg, "MSSP_Info", &mssp)) != MSS_OK ||
        (rc = mss_jb_object(mssp, "MSSP_ID", &mssp_id)) != MSS_OK ||
        (rc = mss_jb_string(mssp_id, "URI", hdr->mssp_id_uri)) != MSS_OK)
        return rc;
    return mss_jb_string(mssp, "Instant", hdr->mssp_instant);
}

static mss_error dec_version(mss_dec *d, const json_t *msg, const char *at, const char *key,
                             int *out)
{
    long v = 1;
    mss_error rc = mss_jr_uint(d, msg, at, key, 0, MSS_MAX_VERSION, &v, NULL);
    if (rc == MSS_OK)
        *out = (int)v;
    return rc;
}

static mss_error dec_ap_info(mss_dec *d, const json_t *ap, const char *at, mss_header *hdr)
{
    mss_error rc;
    if ((rc = mss_jr_string(d, ap, at, "AP_ID", 1, &hdr->ap_id)) != MSS_OK ||
        (rc = mss_jr_string(d, ap, at, "AP_TransID", 1, &hdr->ap_trans_id)) != MSS_OK ||
        (rc = mss_jr_string(d, ap, at, "AP_PWD", 0, &hdr->ap_pwd)) != MSS_OK)
        return rc;
    return mss_jr_string(d, ap, at, "Instant", 0, &hdr->ap_instant);
}

static mss_error dec_mssp_info(mss_dec *d, const json_t *mssp, const char *at, mss_header *hdr)
{
    char path[128];
    const json_t *id = NULL;
    mss_error rc;
    if ((rc = mss_jr_string(d, mssp, at, "Instant", 0, &hdr->mssp_instant)) != MSS_OK ||
        (rc = mss_jr_object(d, mssp, at, "MSSP_ID", 0, &id)) != MSS_OK || id == NULL)
        return rc;
    return mss_jr_string(d, id, mss_jr_path(path, sizeof path, at, "MSSP_ID"), "URI", 0,
                         &hdr->mssp_id_uri);
}

mss_error mss_rest_dec_header(mss_dec *d, const json_t *msg, const char *at, mss_header *hdr)
{
    char path[128];
    const json_t *ap = NULL, *mssp = NULL;
    mss_error rc;
    if ((rc = dec_version(d, msg, at, "MajorVersion", &hdr->major_version)) != MSS_OK ||
        (rc = dec_version(d, msg, at, "MinorVersion", &hdr->minor_version)) != MSS_OK ||
        (rc = mss_jr_object(d, msg, at, "AP_Info", 1, &ap)) != MSS_OK ||
        (rc = dec_ap_info(d, ap, mss_jr_path(path, sizeof path, at, "AP_Info"), hdr)) != MSS_OK ||
        (rc = mss_jr_object(d, msg, at, "MSSP_Info", 0, &mssp)) != MSS_OK || mssp == NULL)
        return rc;
    return dec_mssp_info(d, mssp, mss_jr_path(path, sizeof path, at, "MSSP_Info"), hdr);
}

mss_error mss_rest_enc_mobile_user(json_t *msg, const char *msisdn)
{
    json_t *mu = NULL;
    mss_error rc = mss_jb_object(msg, "MobileUser", &mu);
    return rc == MSS_OK ? mss_jb_string(mu, "MSISDN", msisdn) : rc;
}

mss_error mss_rest_dec_mobile_user(mss_dec *d, const json_t *msg, const char *at, int required,
                                   char **msisdn)
{
    char path[128];
    const json_t *mu = NULL;
    mss_error rc = mss_jr_object(d, msg, at, "MobileUser", required, &mu);
    if (rc != MSS_OK || mu == NULL)
        return rc;
    return mss_jr_string(d, mu, mss_jr_path(path, sizeof path, at, "MobileUser"), "MSISDN", 0,
                         msisdn);
}

mss_error mss_rest_enc_data(json_t *msg, const char *key, const mss_data *data)
{
    if (data->text == NULL)
        return MSS_ERR_ARGS;
    json_t *o = NULL;
    mss_error rc;
    if ((rc = mss_jb_object(msg, key, &o)) != MSS_OK ||
        (rc = mss_jb_string(o, "MimeType", data->mime_type)) != MSS_OK ||
        (rc = mss_jb_string(o, "Encoding", data->encoding)) != MSS_OK)
        return rc;
    return mss_jb_string(o, "Data", data->text);
}

mss_error mss_rest_dec_data(mss_dec *d, const json_t *msg, const char *at, const char *key,
                            int required, mss_data *data)
{
    char path[128];
    const json_t *o = NULL;
    mss_error rc = mss_jr_object(d, msg, at, key, required, &o);
    if (rc != MSS_OK || o == NULL)
        return rc;
    mss_jr_path(path, sizeof path, at, key);
    if ((rc = mss_jr_string(d, o, path, "MimeType", 0, &data->mime_type)) != MSS_OK ||
        (rc = mss_jr_string(d, o, path, "Encoding", 0, &data->encoding)) != MSS_OK)
        return rc;
    return mss_jr_string(d, o, path, "Data", 1, &data->text);
}
