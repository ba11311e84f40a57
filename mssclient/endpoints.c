/* SPDX-License-Identifier: BSD-3-Clause */
/* The client's URL lists; see endpoints.h and mss/client.h. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoints.h"
#include "url_list.h"

static_assert(MSS_CLIENT_MAX_URLS == URL_LIST_MAX, "the public bound is the parser's");

/* The URL as it may appear in logs: without "user:password@". */
static char *url_for_logs(const char *url)
{
    const char *auth = strstr(url, "://");
    auth = auth ? auth + 3 : url;
    size_t auth_len = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    if (at == NULL)
        return strdup(url);
    size_t head = (size_t)(auth - url);
    size_t tail = strlen(at + 1);
    char *out = malloc(head + tail + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, url, head);
    memcpy(out + head, at + 1, tail + 1);
    return out;
}

static void endpoints_clear(mss_endpoints *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->at[i].url);
        free(list->at[i].log_url);
    }
    memset(list, 0, sizeof *list);
}

/* One option's list; an optional one (required == 0) may be NULL. */
static mss_error endpoints_parse(const char *name, const char *text, int required,
                                 int allow_plain_http, mss_endpoints *out, char *why,
                                 size_t why_len)
{
    memset(out, 0, sizeof *out);
    if (text == NULL && !required)
        return MSS_OK;
    url_list parsed;
    if (url_list_parse(name, text, allow_plain_http, &parsed, why, why_len) != 0)
        return strstr(why, "out of memory") != NULL ? MSS_ERR_NOMEM : MSS_ERR_CONFIG;
    /* The parsed copies become the list's own. */
    for (size_t i = 0; i < parsed.n; i++) {
        out->at[i].url = parsed.url[i];
        out->at[i].log_url = url_for_logs(parsed.url[i]);
        parsed.url[i] = NULL;
        out->n = i + 1;
        if (out->at[i].log_url == NULL) {
            url_list_clear(&parsed);
            endpoints_clear(out);
            snprintf(why, why_len, "%s: out of memory", name);
            return MSS_ERR_NOMEM;
        }
    }
    url_list_clear(&parsed);
    return MSS_OK;
}

mss_error mss_url_lists_parse(const mss_client_options *opts, mss_url_lists *out, char *why,
                              size_t why_len)
{
    const char *names[] = {"status_url", "profile_url", "receipt_url"};
    const char *texts[] = {opts->status_url, opts->profile_url, opts->receipt_url};
    mss_endpoints *lists[] = {&out->status, &out->profile, &out->receipt};

    memset(out, 0, sizeof *out);
    mss_error rc = endpoints_parse("url", opts->url, 1, opts->allow_plain_http, &out->servers,
                                   why, why_len);
    for (size_t i = 0; rc == MSS_OK && i < 3; i++) {
        rc = endpoints_parse(names[i], texts[i], 0, opts->allow_plain_http, lists[i], why,
                             why_len);
        /* Entry i serves server i, so a list pairs with url or is one URL for all. */
        if (rc == MSS_OK && lists[i]->n > 1 && lists[i]->n != out->servers.n) {
            snprintf(why, why_len, "%s lists %zu URLs: give one, or one for each of the %zu "
                     "URLs of url, in the same order", names[i], lists[i]->n, out->servers.n);
            rc = MSS_ERR_CONFIG;
        }
    }
    if (rc != MSS_OK)
        mss_url_lists_clear(out);
    return rc;
}

void mss_url_lists_clear(mss_url_lists *lists)
{
    if (lists == NULL)
        return;
    endpoints_clear(&lists->servers);
    endpoints_clear(&lists->status);
    endpoints_clear(&lists->profile);
    endpoints_clear(&lists->receipt);
}

const mss_endpoints *mss_url_list_for(const mss_url_lists *lists, mss_message_type type)
{
    const mss_endpoints *own = NULL;
    switch (type) {
    case MSS_MSG_STATUS_REQ: own = &lists->status; break;
    case MSS_MSG_PROFILE_REQ: own = &lists->profile; break;
    case MSS_MSG_RECEIPT_REQ: own = &lists->receipt; break;
    default: break;
    }
    return own != NULL && own->n > 0 ? own : &lists->servers;
}

const mss_endpoint *mss_endpoint_at(const mss_endpoints *list, int url_index)
{
    if (list->n == 1 || url_index < 0)
        return &list->at[0];
    return &list->at[(size_t)url_index < list->n ? (size_t)url_index : list->n - 1];
}
