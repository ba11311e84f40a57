/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — the REST binding: TS 102 204 messages as JSON, the form of Methics'
 * Kiuru MSSP REST API (and of Swisscom Mobile ID's, which differs in a few fields; see
 * docs/protocol-profile.md, "REST/JSON binding").
 *
 * A body is one JSON object with exactly one member named after the message,
 * {"MSS_SignatureReq": {...}}, {"MSS_StatusResp": {...}}, …, or {"Fault": {...}}; the
 * message's members carry the SOAP element and attribute names (MajorVersion, AP_Info,
 * MobileUser, DataToBeSigned, Status, …). Numbers are written as strings ("500").
 *
 * The decoder is strict: at most MSS_MAX_BODY bytes and 32 levels of nesting, strict
 * UTF-8, no duplicate keys, integers only where the protocol has integers (a string of
 * digits or a JSON integer within the field's range), the JSON type each field has, and
 * every required field (the error names it: "missing required field
 * MSS_SignatureReq.DataToBeSigned"). Unknown members are ignored. Malformed or unsafe
 * JSON is MSS_ERR_XML_MALFORMED, JSON of the wrong shape MSS_ERR_XML_UNEXPECTED: the
 * error codes are the SOAP binding's, whatever the syntax.
 */
#ifndef MSS_REST_H
#define MSS_REST_H

#include <mss/api.h>
#include <mss/binding.h>

MSS_BEGIN_DECLS

/* The REST binding ("rest", Content-Type application/json), for
 * mss_client_options.binding and mss_binding_encode/decode. */
MSS_API const mss_binding *mss_binding_rest(void);

/* The Swisscom Mobile ID flavour ("rest-swisscom"): the same JSON with the request fields
 * Swisscom requires (MinorVersion "2" and MessagingMode "asynch" in a signature request,
 * Params in a profile query, Status in a receipt), and one path per operation appended
 * to each server URL of the client: /rest/service/sign, /status, /receipt, /profile.
 * A status_url, profile_url or receipt_url given in the options is used as it is. It
 * decodes as mss_binding_rest() does. */
MSS_API const mss_binding *mss_binding_rest_swisscom(void);

/* The same as mss_binding_encode / mss_binding_decode with mss_binding_rest(). */
MSS_API mss_error mss_rest_encode(const mss_message *msg, char **json, size_t *json_len);
MSS_API mss_error mss_rest_decode(const char *json, size_t json_len, mss_message *out,
                                  mss_detail *detail);

/* ---- HMAC API-key authentication (the Kiuru REST API's) ----
 *
 * Instead of a client certificate or a password, an AP may authenticate each REST
 * request with an API key (docs/protocol-profile.md, "Authentication", has the sources).
 * The AP computes HMAC-SHA256, keyed with the bytes of the key's text, over five lines:
 * the Date header's value, the method, the host (with ":port" unless the port is 80 or
 * 443), the URL's path (without the query) and the body, each line ended by "\n"; and
 * sends, beside that Date header,
 *   Authorization: Basic base64(base64(AP_ID) ":" the MAC as 64 lowercase hex digits)
 * The server computes the same MAC with the key it holds for that AP_ID.
 * mss_client_options.api_key makes the client do this for every request it sends.
 */

/* Room for the MAC in hex and its NUL. */
#define MSS_REST_HMAC_HEX_SIZE 65
/* The longest API key accepted, in bytes. */
#define MSS_REST_HMAC_MAX_KEY 1024

/* What one request's MAC covers; the strings are only read. */
typedef struct mss_rest_hmac_input {
    const char *date;            /* the Date header's value, exactly as sent */
    const char *method;          /* "POST" */
    const char *host;            /* "host" or "host:port" (see above) */
    const char *path;            /* the URL's path, "" for none */
    const char *body;            /* the body's bytes, exactly as sent */
    size_t body_len;
} mss_rest_hmac_input;

/* The MAC of IN under API_KEY (NUL-terminated text, 1..MSS_REST_HMAC_MAX_KEY bytes) as
 * 64 lowercase hex digits in HEX. MSS_ERR_ARGS for a missing field or a bad key. */
MSS_API mss_error mss_rest_hmac_sign(const char *api_key, const mss_rest_hmac_input *in,
                                     char hex[MSS_REST_HMAC_HEX_SIZE]);

/* The Authorization header's value for AP_ID and the MAC in HEX ("Basic …"), malloc'd
 * into *VALUE: the caller wipes and frees it (it authenticates this one request). */
MSS_API mss_error mss_rest_hmac_authorization(const char *ap_id, const char *hex, char **value);

MSS_END_DECLS

#endif /* MSS_REST_H */
