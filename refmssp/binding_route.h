/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which binding a request to refmssp is in. One port serves both (docs/protocol-profile.md,
 * "What refmssp serves"):
 *   - Swisscom Mobile ID's paths /rest/service/sign, /status, /receipt, /profile: REST, and
 *     the body must be that path's request;
 *   - Kiuru's single URL: /restapi, or any other path with Content-Type application/json:
 *     REST, any request (the message's name says which);
 *   - anything else: SOAP, as before.
 */
#ifndef REFMSSP_BINDING_ROUTE_H
#define REFMSSP_BINDING_ROUTE_H

#include <mss/mss.h>

typedef struct rm_route {
    const mss_binding *binding;
    mss_message_type expect;    /* 0: any request; else the one a Swisscom path serves */
} rm_route;

/* The route of a request to PATH whose Content-Type is JSON (IS_JSON 1) or not. */
void rm_route_pick(const char *path, int is_json, rm_route *out);

/* 1 when the route is the REST binding's. */
int rm_route_is_rest(const rm_route *route);

#endif /* REFMSSP_BINDING_ROUTE_H */
