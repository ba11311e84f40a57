/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The client's URL lists: url (the servers, in failover order) and the per-operation
 * lists (status_url, profile_url, receipt_url), each entry with the form that may be
 * logged. The rules are in mss/client.h (mss_client_options). Internal.
 */
#ifndef MSS_ENDPOINTS_H
#define MSS_ENDPOINTS_H

#include <stddef.h>

#include <mss/mss.h>

typedef struct mss_endpoint {
    char *url;
    char *log_url;      /* url without user:password@, the only form that is logged */
} mss_endpoint;

/* One option's list; n == 0 for an optional list that was not given. */
typedef struct mss_endpoints {
    size_t n;
    mss_endpoint at[MSS_CLIENT_MAX_URLS];
} mss_endpoints;

typedef struct mss_url_lists {
    mss_endpoints servers;               /* url */
    mss_endpoints status, profile, receipt;
} mss_url_lists;

/* A binding's path for a request below a server's URL, or NULL (binding_internal.h). */
typedef const char *(*mss_request_path_fn)(mss_message_type type);

/* Read and check the four lists of the options. With request_path (not NULL), each URL
 * of url is a base: a request goes to its type's path below it, unless the options give
 * that operation's own list. MSS_OK, or MSS_ERR_CONFIG / MSS_ERR_NOMEM with *out empty
 * and the reason in why. */
mss_error mss_url_lists_parse(const mss_client_options *opts, mss_request_path_fn request_path,
                              mss_url_lists *out, char *why, size_t why_len);
void mss_url_lists_clear(mss_url_lists *lists);

/* The list a request of this type goes through: its operation's, else url. */
const mss_endpoints *mss_url_list_for(const mss_url_lists *lists, mss_message_type type);

/* Entry url_index of list (a server's index; a one-entry list serves every server). */
const mss_endpoint *mss_endpoint_at(const mss_endpoints *list, int url_index);

#endif
