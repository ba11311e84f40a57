/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — the SOAP 1.2 binding of TS 102 204.
 *
 * A message is written as a SOAP 1.2 envelope whose body holds the MSS element inside
 * its operation wrapper in no namespace (MSS_Signature, MSS_StatusQuery,
 * MSS_ProfileQuery, MSS_Receipt; responses use the same wrapper names), or an
 * env:Fault whose first Subcode carries the MSS status (`mss:_105`). The decoder also
 * takes the wrapper spellings seen in the field (MSS_SignatureResponse, …), qualified
 * or unqualified children, and refuses DTDs, entities and anything over MSS_MAX_BODY.
 */
#ifndef MSS_SOAP_H
#define MSS_SOAP_H

#include <mss/api.h>
#include <mss/binding.h>

MSS_BEGIN_DECLS

/* The SOAP binding, for mss_client_options.binding and mss_binding_encode/decode. */
MSS_API const mss_binding *mss_binding_soap(void);

/* The same as mss_binding_encode / mss_binding_decode with mss_binding_soap(). */
MSS_API mss_error mss_soap_encode(const mss_message *msg, char **xml, size_t *xml_len);
MSS_API mss_error mss_soap_decode(const char *xml, size_t xml_len, mss_message *out,
                                  mss_detail *detail);

MSS_END_DECLS

#endif /* MSS_SOAP_H */
