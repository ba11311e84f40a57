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
    const char *auth, *host;
    size_t host_len;
    if (url_authority(url, &auth, &host, &host_len) != 0 || host == auth)
        return strdup(url);
    size_t head = (size_t)(auth - url);
    size_t tail = strlen(host);
    char *out = malloc(head + tail + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, url, head);
    memcpy(out + head, host, tail + 1);
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

/* BASE's URL (without a trailing '/') followed by PATH, into *out. */
static mss_error endpoint_below(const mss_endpoint *base, const char *path, mss_endpoint *out)
{
    size_t base_len = strlen(base->url), path_len = strlen(path);
    while (base_len > 0 && base->url[base_len - 1] == '/')
        base_len--;
    out->url = malloc(base_len + path_len + 1);
    if (out->url == NULL)
        return MSS_ERR_NOMEM;
    memcpy(out->url, base->url, base_len);
    memcpy(out->url + base_len, path, path_len + 1);
    out->log_url = url_for_logs(out->url);
    if (out->log_url == NULL) {
        free(out->url);
        out->url = NULL;
        return MSS_ERR_NOMEM;
    }
    return MSS_OK;
}

/* *list: each server of BASES with PATH below it. */
static mss_error endpoints_below(const mss_endpoints *bases, const char *path,
                                 mss_endpoints *list)
{
    mss_endpoints made;
    memset(&made, 0, sizeof made);
    for (size_t i = 0; i < bases->n; i++) {
        if (endpoint_below(&bases->at[i], path, &made.at[i]) != MSS_OK) {
            endpoints_clear(&made);
            return MSS_ERR_NOMEM;
        }
        made.n = i + 1;
    }
    endpoints_clear(list);
    *list = made;
    return MSS_OK;
}

/* A server URL an operation's path can be put below: no query or fragment (the path would
 * land inside them), and not already ending in one of the binding's paths' folder. */
static mss_error base_url_ok(const mss_endpoint *base, const char *sign_path, char *why,
                             size_t why_len)
{
    const char *scheme_end = strstr(base->url, "://");
    const char *rest = scheme_end != NULL ? scheme_end + 3 : base->url;
    if (strpbrk(rest, "?#") != NULL) {
        snprintf(why, why_len, "url %s: with this binding each URL is a base the operations' "
                 "paths go below; give it without a query or fragment", base->log_url);
        return MSS_ERR_CONFIG;
    }
    /* "/rest/service/sign" -> its folder "/rest/service" */
    const char *slash = strrchr(sign_path, '/');
    size_t folder_len = slash != NULL ? (size_t)(slash - sign_path) : 0, len = strlen(base->url);
    while (len > 0 && base->url[len - 1] == '/')
        len--;
    if (folder_len > 0 && len >= folder_len &&
        strncmp(base->url + len - folder_len, sign_path, folder_len) == 0) {
        snprintf(why, why_len, "url %s: give the server's base; the binding adds %.*s/... "
                 "itself", base->log_url, (int)folder_len, sign_path);
        return MSS_ERR_CONFIG;
    }
    return MSS_OK;
}

/* A binding with one path per operation: the lists not given take their operation's path
 * below each server, and then the servers themselves become the signature path. */
static mss_error apply_request_paths(mss_request_path_fn request_path, mss_url_lists *lists,
                                     char *why, size_t why_len)
{
    static const mss_message_type types[] = {MSS_MSG_STATUS_REQ, MSS_MSG_PROFILE_REQ,
                                             MSS_MSG_RECEIPT_REQ};
    mss_endpoints *own[] = {&lists->status, &lists->profile, &lists->receipt};
    const char *sign_path = request_path(MSS_MSG_SIGNATURE_REQ);
    for (size_t i = 0; sign_path != NULL && i < lists->servers.n; i++)
        if (base_url_ok(&lists->servers.at[i], sign_path, why, why_len) != MSS_OK)
            return MSS_ERR_CONFIG;
    mss_error rc = MSS_OK;
    for (size_t i = 0; rc == MSS_OK && i < 3; i++) {
        const char *path = request_path(types[i]);
        if (own[i]->n == 0 && path != NULL)
            rc = endpoints_below(&lists->servers, path, own[i]);
    }
    if (rc == MSS_OK && sign_path != NULL) {
        mss_endpoints bases = lists->servers;
        memset(&lists->servers, 0, sizeof lists->servers);
        rc = endpoints_below(&bases, sign_path, &lists->servers);
        endpoints_clear(&bases);
    }
    return rc;
}

mss_error mss_url_lists_parse(const mss_client_options *opts, mss_request_path_fn request_path,
                              mss_url_lists *out, char *why, size_t why_len)
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
    if (rc == MSS_OK && request_path != NULL) {
        rc = apply_request_paths(request_path, out, why, why_len);
        if (rc == MSS_ERR_NOMEM)
            snprintf(why, why_len, "url: out of memory");
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
