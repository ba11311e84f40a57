/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * StatusType in JSON, wherever it stands (signature, status, receipt and profile
 * responses, service responses):
 *   "Status": {"StatusCode": {"Value": "502", "StatusCode": {"Value": "5021"}},
 *              "StatusMessage": "VALID_SIGNATURE", "StatusDetail": {...}}
 * Its own file, below the messages that hold it, as msg_status_elem.c is for SOAP.
 */
#include <stdlib.h>
#include "rest_internal.h"

static mss_error enc_status_object(json_t *parent, const mss_status *st, json_t **status_obj)
{
    if (st->code < 0 || st->subcode < 0)
        return MSS_ERR_ARGS;
    json_t *s = NULL, *code = NULL, *sub = NULL;
    mss_error rc;
    if ((rc = mss_jb_object(parent, "Status", &s)) != MSS_OK ||
        (rc = mss_jb_object(s, "StatusCode", &code)) != MSS_OK ||
        (rc = mss_jb_number_string(code, "Value", st->code)) != MSS_OK)
        return rc;
    if (st->subcode != 0 &&
        ((rc = mss_jb_object(code, "StatusCode", &sub)) != MSS_OK ||
         (rc = mss_jb_number_string(sub, "Value", st->subcode)) != MSS_OK))
        return rc;
    if ((rc = mss_jb_string(s, "StatusMessage", st->message)) != MSS_OK)
        return rc;
    if (status_obj != NULL)
        *status_obj = s;
    return MSS_OK;
}

mss_error mss_rest_enc_status(json_t *parent, const mss_status *st, json_t **status_obj)
{
    /* A message's own Status always carries a real code. */
    if (st->code <= 0)
        return MSS_ERR_ARGS;
    return enc_status_object(parent, st, status_obj);
}

static mss_error dec_code(mss_dec *d, const json_t *code, const char *at, int *out)
{
    long v = 0;
    mss_error rc = mss_jr_uint(d, code, at, "Value", 1, MSS_MAX_STATUS_CODE, &v, NULL);
    if (rc == MSS_OK)
        *out = (int)v;
    return rc;
}

mss_error mss_rest_dec_status(mss_dec *d, const json_t *parent, const char *at, int required,
                              mss_status *st, const json_t **status_obj)
{
    char path[128], code_path[128], sub_path[160];
    const json_t *s = NULL, *code = NULL, *sub = NULL;
    mss_error rc = mss_jr_object(d, parent, at, "Status", required, &s);
    if (rc != MSS_OK || s == NULL)
        return rc;
    mss_jr_path(path, sizeof path, at, "Status");
    mss_jr_path(code_path, sizeof code_path, path, "StatusCode");
    if ((rc = mss_jr_object(d, s, path, "StatusCode", 1, &code)) != MSS_OK ||
        (rc = dec_code(d, code, code_path, &st->code)) != MSS_OK ||
        (rc = mss_jr_object(d, code, code_path, "StatusCode", 0, &sub)) != MSS_OK)
        return rc;
    if (sub != NULL &&
        (rc = dec_code(d, sub, mss_jr_path(sub_path, sizeof sub_path, code_path, "StatusCode"),
                       &st->subcode)) != MSS_OK)
        return rc;
    if ((rc = mss_jr_string(d, s, path, "StatusMessage", 0, &st->message)) != MSS_OK)
        return rc;
    if (status_obj != NULL)
        *status_obj = s;
    return MSS_OK;
}
