/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — an ETSI TS 102 204 (Mobile Signature Service) client library.
 *
 * This header includes the whole public API; include the parts instead to say what a
 * file uses:
 *   mss/errors.h   outcomes: mss_error, the mss_detail of a failure, MSS status codes
 *   mss/message.h  the wire-neutral message model (requests, responses, faults)
 *   mss/binding.h  bindings: a message as bytes and back
 *   mss/soap.h     the SOAP 1.2 binding
 *   mss/rest.h     the REST binding (the same messages as JSON)
 *   mss/client.h   the client: HTTPS transport, signing with polling, profile, receipt
 *   mss/verify.h   signature formats, verification, the verification code
 *   mss/uri.h      `mss:` signature profile URIs
 *
 * Build with `pkg-config --cflags --libs mssclient`. docs/mssclient.md is the guide.
 * Nothing in the library calls exit() or prints.
 */
#ifndef MSS_MSS_H
#define MSS_MSS_H

#include <mss/errors.h>
#include <mss/message.h>
#include <mss/binding.h>
#include <mss/soap.h>
#include <mss/rest.h>
#include <mss/client.h>
#include <mss/verify.h>
#include <mss/uri.h>

#endif /* MSS_MSS_H */
