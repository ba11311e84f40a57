/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — the TS 102 204 message model, independent of any wire format.
 *
 * Each request and response of the protocol (signature, status query, receipt,
 * profile query) and the fault is a plain C struct; mss_message holds any one of them.
 * A binding (mss/binding.h: SOAP 1.2 today) turns a message into bytes and back; the
 * client and refmssp work on these structs only.
 *
 * Ownership: every string and array in a message is malloc'd and owned by the struct
 * that holds it; mss_message_clear() frees a whole message (safe on a zeroed one).
 * Strings are NUL-terminated UTF-8; NULL means "absent" unless a field says otherwise.
 */
#ifndef MSS_MESSAGE_H
#define MSS_MESSAGE_H

#include <mss/api.h>
#include <mss/errors.h>

MSS_BEGIN_DECLS

/* The TS 102 204 namespace, and those of the extensions the model carries. */
#define MSS_NS_ETSI "http://uri.etsi.org/TS102204/v1.1.2#"
#define MSS_NS_SOAP12 "http://www.w3.org/2003/05/soap-envelope"
#define MSS_NS_METHICS_PROFILE "http://www.methics.fi/TS102204/ext/v1.0.0" /* certificates */
#define MSS_NS_FICOM "http://mss.ficom.fi/TS102204/v1.0.0#"                 /* fi:PKCS1, services */
#define MSS_NS_KIURU5 "http://www.methics.fi/KiuruMSSP/v5.0.0#"           /* signingCertificate */

/* Signature formats (MSS_Format URIs). */
#define MSS_FORMAT_KIURU_PKCS1 "http://www.methics.fi/KiuruMSSP/v3.2.0#PKCS1"
#define MSS_FORMAT_FICOM_PKCS1 "http://mss.ficom.fi/TS102204/v1.0.0#PKCS1"
#define MSS_FORMAT_PKCS7 "http://uri.etsi.org/TS102204/v1.1.2#PKCS7"
#define MSS_FORMAT_CMS "http://uri.etsi.org/TS102204/v1.1.2#CMS-Signature"

/* Additional services, named by their Description URI. The parameter each carries
 * follows from the URI: eventId → fi:EventID, noSpam → fi:NoSpamCode (with @verify),
 * userLang → fi:UserLang; validate, signingCertificate and unknown URIs carry none. */
#define MSS_SERVICE_URI_EVENT_ID "http://mss.ficom.fi/TS102204/v1.0.0#eventId"
#define MSS_SERVICE_URI_NO_SPAM "http://mss.ficom.fi/TS102204/v1.0.0#noSpam"
#define MSS_SERVICE_URI_USER_LANG "http://mss.ficom.fi/TS102204/v1.0.0#userLang"
#define MSS_SERVICE_URI_VALIDATE "http://uri.etsi.org/TS102204/v1.1.2#validate"
#define MSS_SERVICE_URI_SIGNING_CERT "http://www.methics.fi/KiuruMSSP/v5.0.0#signingCertificate"

typedef enum mss_messaging_mode {
    MSS_MODE_SYNCH = 0,
    MSS_MODE_ASYNCH_CLIENT_SERVER,
    MSS_MODE_ASYNCH_SERVER_SERVER
} mss_messaging_mode;

/* "synch", "asynchClientServer", "asynchServerServer". */
MSS_API const char *mss_mode_name(mss_messaging_mode mode);
/* Parse a mode name (exact spelling above); MSS_ERR_ARGS if unknown. */
MSS_API mss_error mss_mode_parse(const char *name, mss_messaging_mode *out);

/* What every message carries (MessageAbstractType): versions, AP_Info, MSSP_Info. */
typedef struct mss_header {
    int major_version;      /* 1 */
    int minor_version;      /* 1 */
    char *ap_id;            /* AP_Info/@AP_ID */
    char *ap_trans_id;      /* AP_Info/@AP_TransID (NCName, <= 32 chars) */
    char *ap_pwd;           /* AP_Info/@AP_PWD — a secret: never logged */
    char *ap_instant;       /* AP_Info/@Instant, xs:dateTime with zone */
    char *mssp_id_uri;      /* MSSP_Info/MSSP_ID/URI; NULL: empty MSSP_ID */
    char *mssp_instant;     /* MSSP_Info/@Instant */
} mss_header;

/* DataType: text plus optional MimeType and Encoding. */
typedef struct mss_data {
    char *text;             /* NULL: element absent */
    char *mime_type;
    char *encoding;
} mss_data;

/* Status: StatusCode/@Value, an optional nested sub-code, the StatusMessage. */
typedef struct mss_status {
    int code;               /* 0 when absent */
    int subcode;            /* nested StatusCode/@Value; 0 when absent */
    char *message;          /* StatusMessage */
} mss_status;

typedef enum mss_signature_kind {
    MSS_SIG_NONE = 0,       /* no MSS_Signature */
    MSS_SIG_BASE64,         /* Base64Signature: raw PKCS#1, or a CMS/PKCS#7 blob */
    MSS_SIG_FICOM_PKCS1,    /* fi:PKCS1 { SignatureValue, X509Certificate } */
    MSS_SIG_XML             /* XMLSignature: not decoded further */
} mss_signature_kind;

/* A blob of bytes, e.g. one DER certificate. */
typedef struct mss_blob {
    unsigned char *data;
    size_t len;
} mss_blob;

typedef struct mss_signature {
    mss_signature_kind kind;
    unsigned char *value;   /* the decoded signature bytes */
    size_t value_len;
    unsigned char *cert_der;/* fi:PKCS1/X509Certificate; NULL otherwise */
    size_t cert_len;
} mss_signature;

/* One additional service of a signature request. */
typedef struct mss_service {
    char *uri;              /* Description/mssURI (required) */
    char *value;            /* EventID / NoSpamCode / UserLang text; NULL: no parameter
                             * (a noSpam with NULL value sends an empty NoSpamCode) */
    int no_spam_no_verify;  /* noSpam only: 1 sends verify="no" (the MSSP skips the check) */
} mss_service;

/* One service response (Status/StatusDetail/fi:ServiceResponses). */
typedef struct mss_service_response {
    char *uri;              /* Description/mssURI */
    mss_status status;      /* code 0 when absent */
    mss_blob *certs;        /* signingCertificate/X509Certificate+, in order */
    size_t n_certs;
} mss_service_response;

/* The first service with this URI in a list, or NULL. */
MSS_API const mss_service *mss_service_find(const mss_service *services, size_t n,
                                            const char *uri);

typedef struct mss_signature_req {
    mss_header hdr;
    mss_messaging_mode mode;
    unsigned timeout_s;     /* @TimeOut in seconds; 0: absent */
    char *msisdn;           /* MobileUser/MSISDN */
    mss_data dtbs;          /* DataToBeSigned (required) */
    mss_data dtbd;          /* DataToBeDisplayed (text NULL: absent) */
    char *signature_profile;/* SignatureProfile/mssURI */
    char *mss_format;       /* MSS_Format/mssURI */
    mss_service *services;  /* AdditionalServices, in order (the eventId is one of them) */
    size_t n_services;
} mss_signature_req;

typedef struct mss_signature_resp {
    mss_header hdr;
    char *mssp_trans_id;    /* @MSSP_TransID (required) */
    char *msisdn;
    mss_signature signature;/* kind NONE when absent */
    char *signature_profile;
    mss_status status;
    mss_service_response *service_responses;
    size_t n_service_responses;
} mss_signature_resp;

typedef struct mss_status_req {
    mss_header hdr;
    char *mssp_trans_id;    /* @MSSP_TransID (required) */
    char *msisdn;
} mss_status_req;

typedef struct mss_status_resp {
    mss_header hdr;
    char *msisdn;
    mss_signature signature;
    mss_status status;
    mss_service_response *service_responses;
    size_t n_service_responses;
} mss_status_resp;

/* MSS_ReceiptReq: tells the MSSP (and the user) how a transaction ended. */
typedef struct mss_receipt_req {
    mss_header hdr;
    char *mssp_trans_id;    /* @MSSP_TransID (required) */
    char *msisdn;           /* MobileUser is required; its MSISDN may be NULL */
    mss_status status;      /* copy of the final status; code 0: absent */
    mss_data message;       /* Message shown to the user (text NULL: absent) */
} mss_receipt_req;

/* MSS_ReceiptResp: status 100 when the receipt was delivered. */
typedef struct mss_receipt_resp {
    mss_header hdr;
    mss_status status;
} mss_receipt_resp;

typedef struct mss_profile_req {
    mss_header hdr;
    char *msisdn;
    int get_certificates;   /* Methics extension: ask for the user's certificates */
} mss_profile_req;

/* One certificate of the Methics ProfileQuery extension (MobileUserCertificate). */
typedef struct mss_user_cert {
    unsigned char *der;     /* the first X509Certificate */
    size_t der_len;
    char *state;            /* e.g. "ACTIVE" */
    char *algorithm;
    char *profiles;         /* space-separated signature profile URIs */
} mss_user_cert;

typedef struct mss_profile_resp {
    mss_header hdr;
    char **profiles;        /* SignatureProfile/mssURI list */
    size_t n_profiles;
    mss_user_cert *certs;
    size_t n_certs;
    mss_status status;
} mss_profile_resp;

/* A fault carrying an MSS status code (SOAP env:Fault; the REST Fault object). */
typedef struct mss_fault {
    int sender;             /* 1: the sender's fault, 0: the receiver's */
    int code;               /* the status code, e.g. 105 */
    int specifier;          /* nested sub-code (e.g. 1051); 0 when absent */
    char *reason;           /* e.g. "UNKNOWN_CLIENT" */
    char *detail;           /* NULL when absent */
} mss_fault;

/*
 * Fill FAULT to answer a request with CODE: the reason is the code's name in the
 * status table ("ERROR" for a code not in it), the fault is the sender's for the
 * request problems of TS 102 204 (101..108) and of roaming (7xx below 750), else
 * the receiver's; SPECIFIER 0 and DETAIL NULL are left out. FAULT borrows the reason
 * from the table and DETAIL from the caller: encode it, never mss_message_clear it.
 */
MSS_API void mss_fault_set(mss_fault *fault, int code, int specifier, const char *detail);

typedef enum mss_message_type {
    MSS_MSG_SIGNATURE_REQ = 1,
    MSS_MSG_SIGNATURE_RESP,
    MSS_MSG_STATUS_REQ,
    MSS_MSG_STATUS_RESP,
    MSS_MSG_PROFILE_REQ,
    MSS_MSG_PROFILE_RESP,
    MSS_MSG_FAULT,
    MSS_MSG_RECEIPT_REQ,
    MSS_MSG_RECEIPT_RESP
} mss_message_type;

typedef struct mss_message {
    mss_message_type type;
    union {
        mss_signature_req signature_req;
        mss_signature_resp signature_resp;
        mss_status_req status_req;
        mss_status_resp status_resp;
        mss_receipt_req receipt_req;
        mss_receipt_resp receipt_resp;
        mss_profile_req profile_req;
        mss_profile_resp profile_resp;
        mss_fault fault;
    } u;
} mss_message;

/* The element name of a message type ("MSS_SignatureReq", …, "Fault"). */
MSS_API const char *mss_message_type_name(mss_message_type type);

/* The header of a request or response; NULL for a fault or an unknown type. */
MSS_API const mss_header *mss_message_header(const mss_message *msg);

/* Free everything a message holds and zero it; safe on a zeroed message. */
MSS_API void mss_message_clear(mss_message *msg);
/* The same for a profile response held on its own (mss_client_profile_query). */
MSS_API void mss_profile_resp_clear(mss_profile_resp *resp);
/* Free a service list / service-response list and the array itself. */
MSS_API void mss_services_free(mss_service *services, size_t n);
MSS_API void mss_service_responses_free(mss_service_response *responses, size_t n);

/* Base64 (RFC 4648, standard alphabet, padded), as DataToBeSigned and signatures are
 * carried. Encode: a malloc'd string without line breaks. Decode: whitespace is
 * ignored, bad characters or padding refused; *out is malloc'd (never NULL on success).
 * MSS_ERR_ARGS for bad input, MSS_ERR_NOMEM; outputs untouched on failure. */
MSS_API mss_error mss_base64_encode(const unsigned char *data, size_t len, char **out);
MSS_API mss_error mss_base64_decode(const char *text, unsigned char **out, size_t *out_len);

MSS_END_DECLS

#endif /* MSS_MESSAGE_H */
