/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss_client_profile_query: MSS_ProfileQuery with the Methics GetCertificates extension,
 * which is how a client learns the user's certificates and their signature profiles.
 */
#include <string.h>

#include "client_internal.h"
#include "deadline.h"
#include "ids.h"

/* A profile query is answered at once by the MSSP: no user interaction involved. */
#define PROFILE_QUERY_MS 30000u

mss_error mss_client_profile_query(mss_client *client, const char *msisdn,
                                   mss_profile_resp *out, mss_detail *detail)
{
    mss_detail_reset(detail);
    if (client == NULL || out == NULL)
        return MSS_ERR_ARGS;
    if (msisdn == NULL || msisdn[0] == '\0' || strlen(msisdn) > 64 ||
        strpbrk(msisdn, "\t\r\n") != NULL) {
        mss_detail_printf(detail, "mss_client_profile_query: msisdn is missing or malformed");
        return MSS_ERR_ARGS;
    }

    char trans_id[MSS_TRANS_ID_LEN + 1], instant[MSS_INSTANT_LEN + 1];
    mss_message q = {.type = MSS_MSG_PROFILE_REQ};
    mss_error rc = mss_client_fill_header(client, &q.u.profile_req.hdr, trans_id, instant, detail);
    if (rc != MSS_OK)
        return rc;
    q.u.profile_req.msisdn = (char *)msisdn; /* only read by the encoder */
    q.u.profile_req.get_certificates = 1;

    mss_exchange_limits lim = {mss_now_ms() + PROFILE_QUERY_MS + client->connect_timeout_ms, 0,
                               NULL, NULL};
    mss_message resp;
    int url_used = 0;
    rc = mss_client_exchange(client, "MSS_ProfileQuery", &q, MSS_MSG_PROFILE_RESP, &lim,
                             MSS_URL_FIRST_REACHABLE, &url_used, &resp, detail);
    if (rc != MSS_OK) {
        mss_message_clear(&resp);
        return rc;
    }

    mss_profile_resp *pr = &resp.u.profile_resp;
    /* 100 REQUEST_OK is the documented answer; an MSSP may also leave Status out. */
    if (pr->status.code != 0 && pr->status.code != 100) {
        const mss_status_info *info = mss_status_lookup(pr->status.code);
        mss_detail_status(detail, pr->status.code, pr->status.subcode, pr->status.message);
        mss_detail_printf(detail, "MSS_ProfileQuery to %s: status %d (%s)",
                          mss_client_url_for(client, MSS_MSG_PROFILE_REQ, url_used, 1), pr->status.code,
                          info ? info->name : "unknown status");
        mss_message_clear(&resp);
        return MSS_ERR_STATUS;
    }
    mss_client_log(client, MSS_LOG_INFO, "MSS_ProfileQuery to %s: %zu profiles, %zu certificates",
                   mss_client_url_for(client, MSS_MSG_PROFILE_REQ, url_used, 1), pr->n_profiles, pr->n_certs);
    /* Hand the decoded response over as is; the caller frees it with mss_profile_resp_clear. */
    *out = *pr;
    memset(&resp, 0, sizeof resp);
    return MSS_OK;
}
