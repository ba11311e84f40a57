/* SPDX-License-Identifier: BSD-3-Clause */
/* A request's binding from its path and Content-Type; see binding_route.h. */
#include "binding_route.h"

#include <string.h>

/* Swisscom's operation paths (mobileid-api rest/mobileid.yaml) and their requests. */
static const struct {
    const char *path;
    mss_message_type request;
} swisscom_paths[] = {
    {"/rest/service/sign", MSS_MSG_SIGNATURE_REQ},
    {"/rest/service/status", MSS_MSG_STATUS_REQ},
    {"/rest/service/receipt", MSS_MSG_RECEIPT_REQ},
    {"/rest/service/profile", MSS_MSG_PROFILE_REQ},
};

/* The path of the URL Methics' Kiuru REST examples post every request to. */
#define KIURU_PATH "/restapi"

static const char *const soap_media_types[] = {"application/soap+xml", "text/xml"};
static const char *const rest_media_types[] = {"application/json"};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

void srv_route_pick(const char *path, int is_json, srv_route *out)
{
    out->binding = is_json ? mss_binding_rest() : mss_binding_soap();
    out->expect = 0;
    if (path == NULL)
        return;
    if (strcmp(path, KIURU_PATH) == 0) {
        out->binding = mss_binding_rest();
        return;
    }
    for (size_t i = 0; i < N_OF(swisscom_paths); i++)
        if (strcmp(path, swisscom_paths[i].path) == 0) {
            out->binding = mss_binding_rest();
            out->expect = swisscom_paths[i].request;
            return;
        }
}

void srv_route_of_request(srv_request *req, srv_route *out)
{
    srv_route_pick(srv_request_path(req),
                   srv_request_media_type_in(req, rest_media_types, N_OF(rest_media_types)), out);
}

int srv_route_is_rest(const srv_route *route)
{
    return route->binding == mss_binding_rest();
}

int srv_route_content_type_ok(srv_request *req, const srv_route *route)
{
    return srv_route_is_rest(route)
               ? srv_request_media_type_in(req, rest_media_types, N_OF(rest_media_types))
               : srv_request_media_type_in(req, soap_media_types, N_OF(soap_media_types));
}

const char *srv_route_content_type_rule(const srv_route *route)
{
    /* A SOAP route is one whose path is not a REST one and whose type was not JSON: any
     * of the three would have been read. */
    return srv_route_is_rest(route)
               ? "Content-Type must be application/json on a REST path"
               : "Content-Type must be application/soap+xml, text/xml or application/json";
}

int srv_route_accepts(const srv_route *route, mss_message_type type)
{
    return route == NULL || route->expect == 0 || route->expect == type;
}
