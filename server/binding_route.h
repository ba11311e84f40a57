/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which binding a request to one of the servers (refmssp, mss-relay) is in. One port
 * serves both (docs/protocol-profile.md, "What refmssp serves"; docs/relay.md for the
 * relay), and both servers pick the same way:
 *   - Swisscom Mobile ID's paths /rest/service/sign, /status, /receipt, /profile: REST, and
 *     the body must be that path's request;
 *   - Kiuru's single URL: /restapi, or any other path with Content-Type application/json:
 *     REST, any request (the message's name says which);
 *   - anything else: SOAP.
 * The codec behind mss_binding_rest() / mss_binding_soap() is the program's (libmsscodec
 * in refmssp, libmssclient in mss-relay).
 */
#ifndef MSS_SERVER_BINDING_ROUTE_H
#define MSS_SERVER_BINDING_ROUTE_H

#include <mss/mss.h>

#include "https_server.h"

typedef struct srv_route {
    const mss_binding *binding;
    mss_message_type expect;    /* 0: any request; else the one a Swisscom path serves */
} srv_route;

/* The route of a request to PATH whose Content-Type is JSON (IS_JSON 1) or not. */
void srv_route_pick(const char *path, int is_json, srv_route *out);

/* The route of REQ, from its path and Content-Type. */
void srv_route_of_request(srv_request *req, srv_route *out);

/* 1 when the route is the REST binding's. */
int srv_route_is_rest(const srv_route *route);

/* 1 when a request of TYPE may come this route (ROUTE NULL: any); otherwise it is refused
 * with fault 101 and SRV_OTHER_OPERATION (fault_answer.h). */
int srv_route_accepts(const srv_route *route, mss_message_type type);

/* 1 when REQ's Content-Type is one the route's binding reads (REST: application/json;
 * SOAP: application/soap+xml or text/xml). */
int srv_route_content_type_ok(srv_request *req, const srv_route *route);

/* The sentence a 415 fault gives when srv_route_content_type_ok says no. */
const char *srv_route_content_type_rule(const srv_route *route);

#endif /* MSS_SERVER_BINDING_ROUTE_H */
