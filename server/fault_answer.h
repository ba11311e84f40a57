/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fault a server answers a request with, the same way in refmssp and mss-relay and
 * in either binding (a SOAP env:Fault, or the REST Fault object): the status code's
 * reason, the specifier and a detail line; and a fixed 900 fault of that binding when
 * not even that can be encoded (no memory), so a client always gets a TS 102 204 answer.
 */
#ifndef MSS_SERVER_FAULT_ANSWER_H
#define MSS_SERVER_FAULT_ANSWER_H

#include <stddef.h>

#include <mss/binding.h>
#include <mss/message.h>

/* BINDING, or SOAP when it is NULL (a route or reply that names none): the binding a
 * server answers in. */
const mss_binding *srv_binding_or_soap(const mss_binding *binding);

/* The fault for CODE (SPECIFIER 0 and DETAIL NULL: left out) in BINDING (NULL: SOAP)
 * into *BODY (malloc'd; NULL only when memory is gone entirely). Returns the code the
 * body carries: CODE, or 900. */
int srv_fault_answer(const mss_binding *binding, int code, int specifier, const char *detail,
                     char **body, size_t *len);

/* After mss_binding_encode(BINDING, MSG) returned ERR: when the REST encoder refused a
 * well-formed answer (it refuses only signature forms JSON has no place for), the detail
 * of the 101/1017 fault that answers instead, naming the form (fi:PKCS1, XMLSignature);
 * otherwise NULL. */
const char *srv_no_json_form(const mss_binding *binding, mss_error err, const mss_message *msg);

/* The detail of the 101 fault for a request on a path that serves another operation
 * (Swisscom's /rest/service/..., binding_route.h). */
#define SRV_OTHER_OPERATION "this path serves another operation than the body's message"

/* 1 when MSS_FORMAT asks for FiCom's fi:PKCS1 (with or without a suffix such as
 * "#rsa-pss"): a signature the REST binding cannot carry, so a REST request for it is
 * refused (101/1017, SRV_NO_JSON_FORMAT) before a phone is asked. */
int srv_format_is_ficom_pkcs1(const char *mss_format);
#define SRV_NO_JSON_FORMAT \
    "MSS_Format fi:PKCS1 has no JSON form: use the SOAP binding or the Kiuru PKCS1 format"

#endif /* MSS_SERVER_FAULT_ANSWER_H */
