/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — an ETSI TS 102 204 (Mobile Signature Service) client library.
 *
 * This header is the whole public API. It has four parts:
 *
 *   1. errors and status codes        (mss_error, mss_status_info)
 *   2. messages and their SOAP codec  (mss_message, mss_encode, mss_decode)
 *   3. the client                     (mss_client: HTTPS transport, signing with polling,
 *                                      profile queries)
 *   4. signature verification         (mss_verify_*)
 *   5. mss: signature-profile URIs     (mss_uri_*)
 *   6. additions: receipts, signature decoding (CMS), CMS verification, the
 *      verification code; further additions are marked "(addition)" where they
 *      extend the structs and enums above (always appended at the end)
 *
 * docs/mssclient.md is the guide: defaults and why, status table, formats, services.
 *
 * Conventions: every function that can fail returns an mss_error; out-parameters are
 * written only on success unless said otherwise; strings are NUL-terminated UTF-8 and
 * owned by the struct that holds them; mss_message_clear() / mss_*_clear() free what a
 * decoder or the client allocated. Nothing here calls exit() or prints.
 */
#ifndef MSS_H
#define MSS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The TS 102 204 message namespace, and the SOAP 1.2 envelope namespace. */
#define MSS_NS_ETSI "http://uri.etsi.org/TS102204/v1.1.2#"
#define MSS_NS_SOAP12 "http://www.w3.org/2003/05/soap-envelope"
/* The Methics ProfileQuery extension namespace (certificates in MSS_ProfileResp). */
#define MSS_NS_METHICS_PROFILE "http://www.methics.fi/TS102204/ext/v1.0.0"
/* The FiCom namespace (fi:PKCS1 signatures, services). */
#define MSS_NS_FICOM "http://mss.ficom.fi/TS102204/v1.0.0#"

/* Signature formats (MSS_Format URIs). */
#define MSS_FORMAT_KIURU_PKCS1 "http://www.methics.fi/KiuruMSSP/v3.2.0#PKCS1"
#define MSS_FORMAT_FICOM_PKCS1 "http://mss.ficom.fi/TS102204/v1.0.0#PKCS1"
#define MSS_FORMAT_PKCS7 "http://uri.etsi.org/TS102204/v1.1.2#PKCS7"
#define MSS_FORMAT_CMS "http://uri.etsi.org/TS102204/v1.1.2#CMS-Signature"

/* Largest body the decoder accepts and the transport reads (bytes). */
#define MSS_MAX_BODY (1024 * 1024)

/* ---------------------------------------------------------------- 1. errors */

typedef enum mss_error {
    MSS_OK = 0,
    MSS_ERR_NOMEM,            /* allocation failed */
    MSS_ERR_ARGS,             /* a caller's argument is invalid */
    MSS_ERR_XML_MALFORMED,    /* not well-formed XML, a DTD, or too deep */
    MSS_ERR_XML_UNEXPECTED,   /* well-formed, but not the SOAP/MSS shape expected */
    MSS_ERR_TOO_LARGE,        /* body larger than MSS_MAX_BODY */
    MSS_ERR_TRANSPORT,        /* connection failed, reset, or HTTP-level failure */
    MSS_ERR_TLS,              /* TLS handshake or certificate verification failed */
    MSS_ERR_HTTP,             /* an HTTP status other than 200/500-with-fault */
    MSS_ERR_FAULT,            /* the MSSP answered with a SOAP fault (see status) */
    MSS_ERR_STATUS,           /* a final, unsuccessful MSS status (see status) */
    MSS_ERR_TIMEOUT,          /* our own deadline passed before a final status */
    MSS_ERR_CANCELED,         /* the caller's cancel callback asked to stop */
    MSS_ERR_SIGNATURE_INVALID,/* the returned signature does not verify */
    MSS_ERR_FORMAT,           /* the signature's format is not usable as asked */
    MSS_ERR_CONFIG            /* client options are incomplete or contradictory */
} mss_error;

/* A constant, human-readable name for an error ("MSS_ERR_TLS: TLS failure"). */
const char *mss_error_string(mss_error err);

/* One row of the status-code table (TS 102 204, FiCom, Swisscom). */
typedef struct mss_status_info {
    int code;             /* e.g. 401 */
    const char *name;     /* e.g. "USER_CANCEL" */
    const char *meaning;  /* one line of explanation */
    int is_final;         /* 1 when no further status will follow */
    int is_success;       /* 1 for 500 and 502 (a signature that can be used) */
} mss_status_info;

/* The table row for a code, or NULL for a code not in the table. Match by number. */
const mss_status_info *mss_status_lookup(int code);

/* ---------------------------------------------------------------- 2. messages */

typedef enum mss_messaging_mode {
    MSS_MODE_SYNCH = 0,
    MSS_MODE_ASYNCH_CLIENT_SERVER,
    MSS_MODE_ASYNCH_SERVER_SERVER
} mss_messaging_mode;

/* "synch", "asynchClientServer", "asynchServerServer". */
const char *mss_mode_name(mss_messaging_mode mode);
/* Parse a mode name (exact spelling above); returns MSS_ERR_ARGS if unknown. */
mss_error mss_mode_parse(const char *name, mss_messaging_mode *out);

/* MessageAbstractType: the attributes and AP_Info / MSSP_Info every message carries. */
typedef struct mss_header {
    int major_version;      /* 1 */
    int minor_version;      /* 1 */
    char *ap_id;            /* AP_Info/@AP_ID */
    char *ap_trans_id;      /* AP_Info/@AP_TransID (NCName, <= 32 chars) */
    char *ap_pwd;           /* AP_Info/@AP_PWD — a secret: never logged */
    char *ap_instant;       /* AP_Info/@Instant, xs:dateTime with zone */
    char *mssp_id_uri;      /* MSSP_Info/MSSP_ID/URI, NULL when absent (empty MSSP_ID) */
    char *mssp_instant;     /* MSSP_Info/@Instant, NULL when absent */
} mss_header;

/* DataType: text content plus optional MimeType and Encoding attributes. */
typedef struct mss_data {
    char *text;             /* NULL: element absent */
    char *mime_type;        /* NULL: attribute absent */
    char *encoding;         /* NULL: attribute absent */
} mss_data;

/* A status: StatusCode/@Value, an optional nested sub-code, the StatusMessage. */
typedef struct mss_status {
    int code;               /* 0 when absent */
    int subcode;            /* nested StatusCode/@Value, 0 when absent */
    char *message;          /* StatusMessage, NULL when absent */
} mss_status;

typedef enum mss_signature_kind {
    MSS_SIG_NONE = 0,       /* no MSS_Signature element */
    MSS_SIG_BASE64,         /* Base64Signature: raw PKCS#1, or a CMS/PKCS#7 blob */
    MSS_SIG_FICOM_PKCS1,    /* fi:PKCS1 { SignatureValue, X509Certificate } */
    MSS_SIG_XML             /* XMLSignature: not decoded further */
} mss_signature_kind;

typedef struct mss_signature {
    mss_signature_kind kind;
    unsigned char *value;   /* decoded bytes of Base64Signature or fi:PKCS1/SignatureValue */
    size_t value_len;
    unsigned char *cert_der;/* fi:PKCS1/X509Certificate, decoded; NULL otherwise */
    size_t cert_len;
} mss_signature;

/* (addition) A blob of bytes, e.g. one DER certificate. */
typedef struct mss_blob {
    unsigned char *data;
    size_t len;
} mss_blob;

/* (addition) Additional services (AdditionalServices/Service), named by their
 * Description URI. The parameter element each carries follows from the URI:
 * eventId → fi:EventID, noSpam → fi:NoSpamCode (with @verify), userLang →
 * fi:UserLang; validate, signingCertificate and unknown URIs carry none. */
#define MSS_SERVICE_URI_EVENT_ID "http://mss.ficom.fi/TS102204/v1.0.0#eventId"
#define MSS_SERVICE_URI_NO_SPAM "http://mss.ficom.fi/TS102204/v1.0.0#noSpam"
#define MSS_SERVICE_URI_USER_LANG "http://mss.ficom.fi/TS102204/v1.0.0#userLang"
#define MSS_SERVICE_URI_VALIDATE "http://uri.etsi.org/TS102204/v1.1.2#validate"
#define MSS_SERVICE_URI_SIGNING_CERT "http://www.methics.fi/KiuruMSSP/v5.0.0#signingCertificate"
/* The Methics namespace of the signingCertificate service response. */
#define MSS_NS_KIURU5 "http://www.methics.fi/KiuruMSSP/v5.0.0#"

typedef struct mss_service {
    char *uri;              /* Description/mssURI (required) */
    char *value;            /* EventID / NoSpamCode / UserLang text; NULL: no parameter
                             * (a noSpam with NULL value sends an empty NoSpamCode) */
    int no_spam_no_verify;  /* noSpam only: 1 sends verify="no" (the MSSP skips the check) */
} mss_service;

/* One fi:ServiceResponse from Status/StatusDetail/fi:ServiceResponses. */
typedef struct mss_service_response {
    char *uri;              /* Description/mssURI */
    mss_status status;      /* Status, code 0 when absent */
    mss_blob *certs;        /* Methics signingCertificate/X509Certificate+, in order */
    size_t n_certs;
} mss_service_response;

typedef struct mss_signature_req {
    mss_header hdr;
    mss_messaging_mode mode;
    unsigned timeout_s;     /* @TimeOut in seconds, 0: absent */
    char *msisdn;           /* MobileUser/MSISDN */
    mss_data dtbs;          /* DataToBeSigned (required) */
    mss_data dtbd;          /* DataToBeDisplayed (text NULL: absent) */
    char *signature_profile;/* SignatureProfile/mssURI, NULL: absent */
    char *mss_format;       /* MSS_Format/mssURI, NULL: absent */
    char *event_id;         /* FiCom eventId service (fi:EventID), NULL: absent */
    /* (addition) Every additional service, in order. The decoder fills both this
     * list and event_id; the encoder sends event_id as a service only when the list
     * has no eventId entry. */
    mss_service *services;
    size_t n_services;
} mss_signature_req;

typedef struct mss_signature_resp {
    mss_header hdr;
    char *mssp_trans_id;    /* @MSSP_TransID (required) */
    char *msisdn;           /* MobileUser/MSISDN */
    mss_signature signature;/* MSS_Signature (kind NONE when absent) */
    char *signature_profile;/* SignatureProfile/mssURI, NULL: absent */
    mss_status status;
    /* (addition) fi:ServiceResponses in Status/StatusDetail. */
    mss_service_response *service_responses;
    size_t n_service_responses;
} mss_signature_resp;

typedef struct mss_status_req {
    mss_header hdr;
    char *mssp_trans_id;    /* @MSSP_TransID (required) */
    char *msisdn;           /* MobileUser/MSISDN, NULL: absent */
} mss_status_req;

typedef struct mss_status_resp {
    mss_header hdr;
    char *msisdn;           /* MobileUser/MSISDN */
    mss_signature signature;
    mss_status status;
    /* (addition) fi:ServiceResponses in Status/StatusDetail. */
    mss_service_response *service_responses;
    size_t n_service_responses;
} mss_status_resp;

typedef struct mss_profile_req {
    mss_header hdr;
    char *msisdn;
    int get_certificates;   /* Methics extension: <GetCertificates>true</GetCertificates> */
} mss_profile_req;

/* One mcs:MobileUserCertificate of the Methics ProfileQuery extension. */
typedef struct mss_user_cert {
    unsigned char *der;     /* first ds:X509Certificate, decoded */
    size_t der_len;
    char *state;            /* @State, e.g. "ACTIVE"; NULL when absent */
    char *algorithm;        /* @Algorithm; NULL when absent */
    char *profiles;         /* @SignatureProfiles, space-separated URIs; NULL when absent */
} mss_user_cert;

typedef struct mss_profile_resp {
    mss_header hdr;
    char **profiles;        /* SignatureProfile/mssURI list */
    size_t n_profiles;
    mss_user_cert *certs;   /* from Status/StatusDetail/mcs:ProfileQueryExtension */
    size_t n_certs;
    mss_status status;
} mss_profile_resp;

/* (addition) MSS_ReceiptReq: tells the MSSP (and the user) how a transaction ended. */
typedef struct mss_receipt_req {
    mss_header hdr;
    char *mssp_trans_id;    /* @MSSP_TransID (required) */
    char *msisdn;           /* MobileUser/MSISDN (MobileUser is required, MSISDN may be NULL) */
    mss_status status;      /* copy of the final status; code 0: absent */
    mss_data message;       /* Message shown to the user (text NULL: absent) */
} mss_receipt_req;

/* (addition) MSS_ReceiptResp: Status 100 when the receipt was delivered. */
typedef struct mss_receipt_resp {
    mss_header hdr;
    mss_status status;
} mss_receipt_resp;

/* A SOAP 1.2 fault carrying an MSS status code. */
typedef struct mss_fault {
    int sender;             /* 1: env:Sender, 0: env:Receiver */
    int code;               /* first Subcode's local part without '_', e.g. 105 */
    int specifier;          /* nested Subcode (e.g. 1051), 0 when absent */
    char *reason;           /* Reason/Text, e.g. "UNKNOWN_CLIENT" */
    char *detail;           /* Detail text content, NULL when absent */
} mss_fault;

typedef enum mss_message_type {
    MSS_MSG_SIGNATURE_REQ = 1,
    MSS_MSG_SIGNATURE_RESP,
    MSS_MSG_STATUS_REQ,
    MSS_MSG_STATUS_RESP,
    MSS_MSG_PROFILE_REQ,
    MSS_MSG_PROFILE_RESP,
    MSS_MSG_FAULT,
    /* (additions) */
    MSS_MSG_RECEIPT_REQ,    /* wrapper MSS_Receipt */
    MSS_MSG_RECEIPT_RESP
} mss_message_type;

typedef struct mss_message {
    mss_message_type type;
    union {
        mss_signature_req signature_req;
        mss_signature_resp signature_resp;
        mss_status_req status_req;
        mss_status_resp status_resp;
        mss_profile_req profile_req;
        mss_profile_resp profile_resp;
        mss_fault fault;
        mss_receipt_req receipt_req;   /* (addition) */
        mss_receipt_resp receipt_resp; /* (addition) */
    } u;
} mss_message;

/*
 * Encode a message as a complete SOAP 1.2 envelope: the MSS element inside its
 * operation wrapper in no namespace (MSS_Signature, MSS_StatusQuery,
 * MSS_ProfileQuery; responses use the same wrapper names), or an env:Fault.
 * *xml is a malloc'd NUL-terminated string the caller frees with free().
 */
mss_error mss_encode(const mss_message *msg, char **xml, size_t *xml_len);

/*
 * Decode a SOAP envelope holding any of the message types (or a fault) into *out,
 * which the caller later releases with mss_message_clear(). Lenient as the field
 * needs (wrapper spellings, qualified or unqualified children); strict on safety
 * (no DTD, no entities, no network, size and depth limits). On failure *out is left
 * cleared and, when err is not NULL, a one-line reason is written into it.
 */
mss_error mss_decode(const char *xml, size_t xml_len, mss_message *out,
                     char *err, size_t err_len);

/* Free everything a message holds and zero it; safe on a zeroed message. */
void mss_message_clear(mss_message *msg);

/* ---------------------------------------------------------------- 3. the client */

typedef struct mss_client mss_client;

enum { MSS_LOG_ERROR = 0, MSS_LOG_WARNING = 1, MSS_LOG_INFO = 2, MSS_LOG_DEBUG = 3 };
/* (addition) For mss_client_options.log_level: pass lines up to this level. */
#define MSS_LOG_UPTO(level) ((level) + 1)
/* The embedding program decides where log lines go. Lines never contain secrets. */
typedef void (*mss_log_fn)(int level, const char *line, void *ctx);

/* Return non-zero to stop the operation (polled at least every 100 ms). */
typedef int (*mss_cancel_fn)(void *ctx);

typedef struct mss_client_options {
    const char *url;             /* endpoint for every operation (https://…) */
    const char *ca_file;         /* PEM CA bundle that verifies the MSSP's certificate */
    const char *client_cert;     /* PEM AP client certificate, or NULL */
    const char *client_key;      /* PEM AP client key, or NULL */
    const char *ap_id;           /* AP_ID */
    const char *ap_pwd;          /* AP_PWD (secret); NULL sends "not-used" */
    mss_messaging_mode mode;     /* synch or asynchClientServer */
    unsigned timeout_s;          /* MSS TimeOut sent with a signature request; 0: 120 */
    unsigned poll_first_ms;      /* wait before the first status query; 0: 2000 */
    unsigned poll_interval_ms;   /* wait between status queries; 0: 2000 */
    unsigned connect_timeout_ms; /* TCP+TLS connect deadline; 0: 10000 */
    int allow_plain_http;        /* 1 to allow http:// URLs (tests only) */
    mss_log_fn log;              /* may be NULL */
    void *log_ctx;
    /* (additions; zero keeps the old behaviour) */
    const char *pinned_pubkey;   /* "sha256//<base64>[;sha256//…]" of the MSSP's public key,
                                  * checked on top of CA verification; NULL: no pin */
    const char *client_key_password_file; /* file whose first line decrypts client_key */
    const char *http_user;       /* HTTP Basic user name (Kiuru REST-style AP auth) */
    const char *http_password;   /* HTTP Basic password (secret); needs http_user */
    int log_level;               /* which lines reach log: 0 every line (as before), or
                                  * MSS_LOG_UPTO(level) for that level and the more
                                  * severe ones, e.g. MSS_LOG_UPTO(MSS_LOG_INFO) */
    unsigned status_timeout_ms;  /* HTTP deadline of one status query / asynch request;
                                  * 0: 30000 */
    /* Per-operation endpoints (Kiuru/Swisscom SOAP: …/MSS_StatusQueryPort and so on);
     * NULL: url. Same rules as url. */
    const char *status_url;
    const char *profile_url;
    const char *receipt_url;
} mss_client_options;

/* Validate options and make a client. Does not touch the network. */
mss_error mss_client_new(const mss_client_options *opts, mss_client **out);
void mss_client_free(mss_client *client);

/* What to sign. */
typedef struct mss_sign_request {
    const char *msisdn;
    const unsigned char *dtbs;   /* bytes to sign (DER DigestInfo for PKCS#1 v1.5) */
    size_t dtbs_len;
    const char *mime_type;       /* NULL: "application/octet-stream" */
    const char *dtbd;            /* text for the phone, NULL: none */
    const char *profile;         /* SignatureProfile URI, NULL: none */
    const char *format;          /* MSS_Format URI, NULL: MSS_FORMAT_KIURU_PKCS1 */
    const char *event_id;        /* FiCom eventId, NULL: none */
    mss_cancel_fn cancel;        /* may be NULL */
    void *cancel_ctx;
    /* (addition) further additional services (noSpam, userLang, validate,
     * signingCertificate, …); event_id above still works and is sent as the
     * eventId service unless this list has one. The strings are only read. */
    const mss_service *services;
    size_t n_services;
} mss_sign_request;

/* What came back. Release with mss_sign_result_clear(). */
typedef struct mss_sign_result {
    int status_code;             /* last MSS status or fault code seen, 0: none */
    int status_subcode;          /* fault specifier or nested status code, 0: none */
    char *mssp_trans_id;         /* NULL in a fault before any transaction id */
    unsigned char *signature;    /* raw signature bytes (PKCS#1 / CMS as returned) */
    size_t signature_len;
    mss_signature_kind kind;
    unsigned char *cert_der;     /* certificate returned with the signature, if any */
    size_t cert_len;
    /* (additions) what mss_signature_decode made of the signature (see there). */
    int is_cms;                  /* 1: signature is a CMS/PKCS#7 SignedData */
    int cms_signed_attrs;        /* 1: its SignerInfo signs signed attributes, so it is no
                                  * raw signature over the DTBS (with a PKCS1 format the
                                  * call fails with MSS_ERR_FORMAT) */
    unsigned char *raw_signature;/* the raw signature value: the bytes themselves for the
                                  * PKCS1 formats, the SignerInfo's for a CMS without
                                  * signed attributes; NULL otherwise */
    size_t raw_signature_len;
    mss_blob *certs;             /* every certificate returned: fi:PKCS1's, the CMS's, the
                                  * signingCertificate service's (duplicates removed) */
    size_t n_certs;
    mss_service_response *service_responses; /* from the final response */
    size_t n_service_responses;
} mss_sign_result;

/*
 * Send an MSS_Signature and, in asynchClientServer mode, poll MSS_StatusQuery until
 * a final status, the deadline (timeout_s plus a margin), or a cancel. Blocks the
 * calling thread; starts no threads. Returns MSS_OK only with a signature (status
 * 500 or 502); MSS_ERR_FAULT or MSS_ERR_STATUS with result->status_code set for an
 * MSSP refusal (501, 503 and 505 are refusals too, though a signature came with
 * them); MSS_ERR_FORMAT when a PKCS1 format was asked for and a CMS over signed
 * attributes came back; the signature request itself is never re-sent.
 * *result is written in every case (cleared first); release it afterwards.
 */
mss_error mss_client_sign(mss_client *client, const mss_sign_request *req,
                          mss_sign_result *result);
void mss_sign_result_clear(mss_sign_result *result);

/*
 * MSS_ProfileQuery with the Methics GetCertificates extension. On MSS_OK *out holds
 * the response (release with mss_message_clear on an mss_message or with
 * mss_profile_resp_clear). A fault gives MSS_ERR_FAULT and *fault_code.
 */
mss_error mss_client_profile_query(mss_client *client, const char *msisdn,
                                   mss_profile_resp *out, int *fault_code);
void mss_profile_resp_clear(mss_profile_resp *resp);

/* The last error's one-line explanation for this client (no secrets), or "". */
const char *mss_client_last_error(const mss_client *client);

/* ---------------------------------------------------------------- 4. verification */

/*
 * Verify a PKCS#1 v1.5 signature over a DER DigestInfo with the RSA public key of
 * an X.509 certificate (DER): the recovered DigestInfo must equal the given one
 * byte for byte. On failure, why (when not NULL) says exactly what did not match.
 */
mss_error mss_verify_rsa_pkcs1(const unsigned char *cert_der, size_t cert_len,
                               const unsigned char *digest_info, size_t di_len,
                               const unsigned char *sig, size_t sig_len,
                               char *why, size_t why_len);

/* ================================================================ 5. signature profile URIs
 * (addition for the "complete mssclient" issue; nothing above depends on it)
 *
 * The IANA provisional `mss:` scheme, mss:<Brand>:<Operation>:<LoA>:<SSCD>[?query][#fragment]
 * (design.md §4, mss-protocol.md §4). Rules this parser applies:
 *
 *   - The scheme and every element are case-insensitive; the parsed form is lower case.
 *   - Brand is percent-decoded (it must then be UTF-8 without control characters). An
 *     empty brand (mss::authn:loa2) and the literal `any` both mean any brand; no other
 *     element may be empty.
 *   - Operation: sign, authn, encrypt, pop, popo, consent, anonymous, digest are the
 *     registered ones; any other token of [a-z0-9._~-] is kept as an opaque operation
 *     (the registry's list is open) and compared by name only.
 *   - LoA: loa2 < loa3 < loa4, optionally followed by `.ext` extensions (tokens of
 *     [a-z0-9_~-]); anything else (loa1, loa9, loaX, loa3.) is rejected.
 *   - SSCD: sim, app, se, server; `UICC` is read as `sim`; other tokens are kept opaque.
 *   - Any element may be `any`; trailing `any` elements may be left out. At most the
 *     four elements; no raw bytes outside the URI character set, no control
 *     characters or spaces, at most MSS_URI_MAX bytes.
 *   - Query and fragment (algorithm hints such as `#rsa&2048`) are kept verbatim.
 *   - A text in the http, https or urn scheme is a legacy profile (other schemes are
 *     rejected: "ficom.fi:authn" is a forgotten "mss:", not a URI): is_legacy is set;
 *     when mss_uri_legacy_map() knows its mss: equivalent the elements are filled from
 *     that, otherwise is_opaque is set and only `original` is meaningful.
 */
#define MSS_URI_MAX 512     /* longest profile URI accepted, in bytes */

typedef struct mss_profile_uri {
    char *original;         /* the text as given */
    int is_legacy;          /* 1: not an mss: URI */
    int is_opaque;          /* 1: legacy without a known mss: equivalent */
    char *brand;            /* percent-decoded, ASCII lower case; NULL: any */
    char *operation;        /* lower case; NULL: any */
    int loa;                /* 2, 3 or 4; 0: any */
    char *loa_ext;          /* extensions after the level, e.g. "eidas.high"; NULL: none */
    char *sscd;             /* lower case, UICC given as "sim"; NULL: any */
    char *query;            /* after '?', verbatim; NULL: none */
    char *fragment;         /* after '#', verbatim; NULL: none */
} mss_profile_uri;

/* Parse text into *out (which must not hold anything: zero it or clear it first).
 * MSS_ERR_ARGS for malformed text, MSS_ERR_NOMEM; *out is untouched on failure. */
mss_error mss_uri_parse(const char *text, mss_profile_uri *out);

/* The same, writing a one-line reason for a rejection into why (when not NULL). */
mss_error mss_uri_parse_why(const char *text, mss_profile_uri *out, char *why, size_t why_len);

/* Free what a parsed URI holds and zero it; safe on a zeroed struct. */
void mss_uri_clear(mss_profile_uri *uri);

/* The canonical text: lower case, brand bytes percent-encoded (upper-case hex) only
 * where they may not stand raw (not A-Z a-z 0-9 - . _ ~ ! $ & ' ( ) * + , ; = @),
 * an any brand printed empty, interior `any` printed, trailing `any`
 * left out, then ?query and #fragment. A known legacy URI prints as its mss:
 * equivalent, an opaque one as its original. malloc'd (free()); NULL on a bad
 * argument, a hand-filled struct the parser could not have produced, or allocation
 * failure. The result is never longer than the parsed text and parses again to an
 * equal profile. */
char *mss_uri_format(const mss_profile_uri *uri);

/* The mss: equivalent of a known legacy profile URI (the FiCom TS 102 206 profiles,
 * Swisscom's AuthenticationProfile, Mobile Connect LoA2/LoA3; ASCII case is ignored),
 * or NULL. The string is constant: do not free it. */
const char *mss_uri_legacy_map(const char *legacy_uri);

typedef enum mss_uri_comparison {
    MSS_URI_EXACT,          /* the same profile */
    MSS_URI_MINIMUM,        /* offered is at least as good as requested */
    MSS_URI_BETTER          /* offered is strictly better than requested */
} mss_uri_comparison;

/*
 * Does the offered profile satisfy the requested one under the given comparison
 * (the SignatureProfileComparison of TS 102 204)? Returns 1 or 0 (0 for NULLs).
 *
 *   - Brand, operation and SSCD must be equal in every mode.
 *   - `any` on either side matches that element in every mode: on the requested side
 *     it means "no requirement", on the offered side the MSSP serves every value.
 *   - LoA: EXACT needs the same level and the same extensions; MINIMUM needs a higher
 *     level, or the same level with the same extensions when any were requested;
 *     BETTER needs a strictly higher level (an `any` level still matches).
 *   - Query and fragment: EXACT needs them equal (both absent or the same text,
 *     ASCII case ignored); MINIMUM and BETTER treat an absent requested one as no
 *     requirement and otherwise need the offered one equal.
 *   - An opaque legacy URI has no elements to compare: it matches only the same text
 *     (byte for byte, as URI paths are case-sensitive) in EXACT and MINIMUM, and
 *     nothing in BETTER.
 */
int mss_uri_matches(const mss_profile_uri *requested, const mss_profile_uri *offered,
                    mss_uri_comparison how);

/* ================================================================ 6. additions, round 2
 * (receipts, services, signature decoding, verification code; nothing above
 * depends on this block) */

/* Free what a service list / service-response list holds (the array too). */
void mss_services_free(mss_service *services, size_t n);
void mss_service_responses_free(mss_service_response *responses, size_t n);

/*
 * MSS_Receipt for a finished transaction (mssp_trans_id from mss_sign_result): sends
 * the final status code (0: none) and an optional text for the phone (NULL: none,
 * sent as text/plain UTF-8). MSS_OK when the MSSP answered status 100 (or left the
 * status out); MSS_ERR_FAULT / MSS_ERR_STATUS with *status_code otherwise. Never
 * retried. status_code may be NULL.
 */
mss_error mss_client_receipt(mss_client *client, const char *msisdn, const char *mssp_trans_id,
                             int final_status, const char *message, int *status_code);

/* What a returned signature is (see mss_signature_decode). */
typedef struct mss_decoded_signature {
    int is_cms;              /* 1: the bytes are a CMS/PKCS#7 SignedData */
    int cms_signed_attrs;    /* 1: the SignerInfo signs signed attributes, not the data:
                              * its value is no raw signature over the DTBS */
    int cms_has_content;     /* 1: the SignedData encapsulates its content */
    unsigned char *raw;      /* raw signature value usable with mss_verify_signature:
                              * the bytes for raw formats, the SignerInfo's for a CMS
                              * without signed attributes; NULL with signed attributes */
    size_t raw_len;
    mss_blob *certs;         /* fi:PKCS1's certificate, or the CMS's certificates */
    size_t n_certs;
    int signer_cert;         /* index into certs of the signer's certificate, -1: unknown */
} mss_decoded_signature;

/*
 * Decode what an MSSP returned. kind MSS_SIG_FICOM_PKCS1: sig is the raw value and
 * cert (may be NULL) its certificate. MSS_SIG_BASE64: a CMS/PKCS#7 SignedData is
 * recognised and taken apart (exactly one SignerInfo; certificates extracted);
 * anything else is a raw signature. MSS_ERR_FORMAT for an XMLSignature, a
 * ContentInfo that is not SignedData, or a SignedData with no or several signers;
 * why (when not NULL) says which. *out is written only on MSS_OK.
 */
mss_error mss_signature_decode(mss_signature_kind kind, const unsigned char *sig,
                               size_t sig_len, const unsigned char *cert, size_t cert_len,
                               mss_decoded_signature *out, char *why, size_t why_len);
void mss_decoded_signature_clear(mss_decoded_signature *decoded);

/*
 * Verify a CMS/PKCS#7 SignedData's signature (signed attributes and message digest
 * included) over content (NULL: the encapsulated content) with the public key of
 * cert_der (NULL: the signer certificate inside the CMS). Certificate chains are not
 * checked here. MSS_ERR_SIGNATURE_INVALID / MSS_ERR_FORMAT / MSS_ERR_ARGS with why.
 */
mss_error mss_verify_cms(const unsigned char *cms, size_t cms_len,
                         const unsigned char *content, size_t content_len,
                         const unsigned char *cert_der, size_t cert_len,
                         char *why, size_t why_len);

/*
 * The 4-digit verification code of the data to be signed, shown on the desktop and
 * sent as the FiCom eventId so phone and desktop show the same code:
 *   code = (SHA-256(dtbs)[30] * 256 + SHA-256(dtbs)[31]) mod 10000,
 * i.e. the last two bytes of the SHA-256 digest read big-endian, printed as four
 * decimal digits with leading zeros (the Smart-ID formula). out gets "0000".."9999".
 * MSS_ERR_ARGS when dtbs or out is NULL (len 0 is allowed).
 */
mss_error mss_verification_code(const unsigned char *dtbs, size_t len, char out[5]);

#ifdef __cplusplus
}
#endif

#endif /* MSS_H */
