/* SPDX-License-Identifier: BSD-3-Clause */
/* A server's SOAP fault answers; see soap_fault.h. */
#include "soap_fault.h"

#include <stdlib.h>
#include <string.h>

#include <mss/mss.h>

/* Last resort when even the fault cannot be encoded (out of memory). */
static const char internal_error_fault[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<env:Envelope xmlns:env=\"" MSS_NS_SOAP12 "\" xmlns:mss=\"" MSS_NS_ETSI "\">"
    "<env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value>"
    "<env:Subcode><env:Value>mss:_900</env:Value></env:Subcode></env:Code>"
    "<env:Reason><env:Text xml:lang=\"en\">INTERNAL_ERROR</env:Text></env:Reason>"
    "</env:Fault></env:Body></env:Envelope>\n";

int srv_soap_fault(int code, int specifier, const char *detail, char **body, size_t *len)
{
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_FAULT;
    mss_fault_set(&msg.u.fault, code, specifier, detail);
    *body = NULL;
    *len = 0;
    if (mss_soap_encode(&msg, body, len) == MSS_OK)
        return code;
    *body = strdup(internal_error_fault);
    *len = *body != NULL ? strlen(*body) : 0;
    return 900;
}
