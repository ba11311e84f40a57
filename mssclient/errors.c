/* SPDX-License-Identifier: BSD-3-Clause */
/* Human-readable names for mss_error values. */
#include <mss/mss.h>

const char *mss_error_string(mss_error err)
{
    switch (err) {
    case MSS_OK: return "MSS_OK: success";
    case MSS_ERR_NOMEM: return "MSS_ERR_NOMEM: out of memory";
    case MSS_ERR_ARGS: return "MSS_ERR_ARGS: invalid argument";
    case MSS_ERR_XML_MALFORMED: return "MSS_ERR_XML_MALFORMED: malformed or unsafe XML or JSON";
    case MSS_ERR_XML_UNEXPECTED: return "MSS_ERR_XML_UNEXPECTED: unexpected MSS message shape";
    case MSS_ERR_TOO_LARGE: return "MSS_ERR_TOO_LARGE: message too large";
    case MSS_ERR_TRANSPORT: return "MSS_ERR_TRANSPORT: transport failure";
    case MSS_ERR_TLS: return "MSS_ERR_TLS: TLS failure";
    case MSS_ERR_HTTP: return "MSS_ERR_HTTP: unexpected HTTP status";
    case MSS_ERR_FAULT: return "MSS_ERR_FAULT: the MSSP answered with a fault";
    case MSS_ERR_STATUS: return "MSS_ERR_STATUS: the MSSP returned an unsuccessful final status";
    case MSS_ERR_TIMEOUT: return "MSS_ERR_TIMEOUT: deadline passed before a final status";
    case MSS_ERR_CANCELED: return "MSS_ERR_CANCELED: canceled by the caller";
    case MSS_ERR_SIGNATURE_INVALID: return "MSS_ERR_SIGNATURE_INVALID: signature does not verify";
    case MSS_ERR_FORMAT: return "MSS_ERR_FORMAT: unusable signature format";
    case MSS_ERR_CONFIG: return "MSS_ERR_CONFIG: incomplete or contradictory configuration";
    }
    return "MSS_ERR_UNKNOWN: unknown error code";
}
