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

void rm_route_pick(const char *path, int is_json, rm_route *out)
{
    out->binding = is_json ? mss_binding_rest() : mss_binding_soap();
    out->expect = 0;
    if (path == NULL)
        return;
    if (strcmp(path, KIURU_PATH) == 0) {
        out->binding = mss_binding_rest();
        return;
    }
    for (size_t i = 0; i < sizeof swisscom_paths / sizeof swisscom_paths[0]; i++)
        if (strcmp(path, swisscom_paths[i].path) == 0) {
            out->binding = mss_binding_rest();
            out->expect = swisscom_paths[i].request;
            return;
        }
}

int rm_route_is_rest(const rm_route *route)
{
    return route->binding == mss_binding_rest();
}
