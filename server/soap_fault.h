/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SOAP fault a server answers a request with, the same way in refmssp and
 * mss-relay: the status code's reason, the specifier and a detail line, and a fixed
 * 900 fault when not even that can be encoded (no memory), so a client always gets a
 * TS 102 204 answer.
 */
#ifndef MSS_SERVER_SOAP_FAULT_H
#define MSS_SERVER_SOAP_FAULT_H

#include <stddef.h>

/* The fault for CODE (SPECIFIER 0 and DETAIL NULL: left out) in *BODY (malloc'd; NULL
 * only when memory is gone entirely). Returns the code the body carries: CODE, or 900. */
int srv_soap_fault(int code, int specifier, const char *detail, char **body, size_t *len);

#endif /* MSS_SERVER_SOAP_FAULT_H */
