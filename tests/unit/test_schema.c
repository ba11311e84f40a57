/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema conformance of the encoder: every message type is encoded, its MSS element
 * (the child of the operation wrapper) is lifted into a document of its own and
 * validated against $MSS_SCHEMA_DIR/MSS-plus.xsd (which imports its neighbours).
 * Faults are validated as whole envelopes (MSS-plus.xsd imports the SOAP 1.2 schema).
 * The schemas ship in tests/schemas; make check points MSS_SCHEMA_DIR there. A missing
 * folder fails the set-up, so no clone passes without the schema checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>

#include <mss/mss.h>
#include "codec_fixtures.h"

typedef struct schema_fixture {
    xmlSchemaPtr schema;
    char errors[2048];
} schema_fixture;

/* Collect validation messages into the fixture instead of printing them one by one. */
static void collect_error(void *ctx, xmlErrorPtr error)
{
    schema_fixture *fx = ctx;
    if (error == NULL || error->message == NULL)
        return;
    size_t used = strlen(fx->errors);
    if (used + 1 < sizeof fx->errors)
        snprintf(fx->errors + used, sizeof fx->errors - used, "line %d: %s", error->line,
                 error->message);
}

static int setup(void **state)
{
    schema_fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL)
        return -1;
    *state = fx;
    const char *dir = getenv("MSS_SCHEMA_DIR");
    struct stat st;
    if (dir == NULL || *dir == '\0' || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        /* The schemas ship in tests/schemas: their absence is a broken tree, not a skip. */
        fprintf(stderr, "test_schema: MSS_SCHEMA_DIR (%s) is not a folder with the schemas\n",
                dir != NULL ? dir : "unset");
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/MSS-plus.xsd", dir);
    /* The XSDs import each other by relative path: never fetch anything remote. */
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(path);
    if (pctx == NULL)
        return -1;
    xmlSchemaSetParserStructuredErrors(pctx, collect_error, fx);
    fx->schema = xmlSchemaParse(pctx);
    xmlSchemaFreeParserCtxt(pctx);
    if (fx->schema == NULL) {
        printf("test_schema: cannot load %s: %s\n", path, fx->errors);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    schema_fixture *fx = *state;
    if (fx->schema)
        xmlSchemaFree(fx->schema);
    free(fx);
    return 0;
}

static const unsigned char sig_bytes[] = {0x5a, 0x17, 0x00, 0xff, 0x80, 0x7f, 0x11, 0x22,
                                          0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa};
/* The start of an X.509 DER encoding; the schema only sees base64Binary. */
static const unsigned char cert_bytes[] = {0x30, 0x82, 0x03, 0x10, 0x30, 0x82, 0x01, 0xf8,
                                           0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14, 0x01};

/* Encode, lift the payload into its own document, validate; clear msg. */
static void validate_message(schema_fixture *fx, mss_message *msg, int whole_envelope)
{
    assert_non_null(fx->schema);
    char *xml = NULL;
    size_t len = 0;
    assert_int_equal(mss_soap_encode(msg, &xml, &len), MSS_OK);
    mss_message_clear(msg);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlDocPtr target = doc, own = NULL;
    if (!whole_envelope) {
        xmlNodePtr body = xmlFirstElementChild(xmlDocGetRootElement(doc));
        xmlNodePtr wrapper = xmlFirstElementChild(body);
        xmlNodePtr payload = xmlFirstElementChild(wrapper);
        assert_non_null(payload);
        assert_null(wrapper->ns); /* the operation wrapper has no namespace */
        own = xmlNewDoc((const xmlChar *)"1.0");
        assert_non_null(own);
        xmlNodePtr copy = xmlDocCopyNode(payload, own, 1);
        assert_non_null(copy);
        xmlDocSetRootElement(own, copy);
        target = own;
    }
    xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(fx->schema);
    assert_non_null(vctx);
    fx->errors[0] = '\0';
    xmlSchemaSetValidStructuredErrors(vctx, collect_error, fx);
    int rc = xmlSchemaValidateDoc(vctx, target);
    xmlSchemaFreeValidCtxt(vctx);
    if (rc != 0)
        fail_msg("schema validation failed (%d): %s\n%s", rc, fx->errors, xml);
    xmlFreeDoc(own);
    xmlFreeDoc(doc);
    free(xml);
}

static void test_schema_signature_req(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    mss_signature_req *r = &m.u.signature_req;
    fixture_fill_header(&r->hdr, 0);
    fixture_fill_signature_req(r, "MDEwDQYJYIZIAWUDBAIBBQAEIK5qSJtoQuxXc8H4yP3c6/7w5ABLaQbpDYO6s4y8w7CE",
                               "Firefox wants to log in to bank.example (code 4711)", "4711");
    validate_message(*state, &m, 0);
}

static void test_schema_signature_req_minimal(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    fixture_fill_header(&m.u.signature_req.hdr, 0);
    m.u.signature_req.mode = MSS_MODE_SYNCH;
    m.u.signature_req.msisdn = fixture_dup_s("+99900000001");
    m.u.signature_req.dtbs.text = fixture_dup_s("Sign this");
    validate_message(*state, &m, 0);
}

static void test_schema_signature_resp_base64(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("mssp1234");
    r->msisdn = fixture_dup_s("+99900000001");
    r->signature.kind = MSS_SIG_BASE64;
    r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->signature.value_len = sizeof sig_bytes;
    r->signature_profile = fixture_dup_s("mss:refmssp:authn:loa3:sim");
    r->status.code = 500;
    r->status.message = fixture_dup_s("SIGNATURE");
    validate_message(*state, &m, 0);
}

static void test_schema_signature_resp_ficom(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("mssp1235");
    fixture_fill_ficom_signature_resp(r, "+99900000001", sig_bytes, sizeof sig_bytes, cert_bytes,
                                      sizeof cert_bytes);
    validate_message(*state, &m, 0);
}

static void test_schema_status_req(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_STATUS_REQ;
    fixture_fill_header(&m.u.status_req.hdr, 0);
    m.u.status_req.hdr.mssp_id_uri = fixture_dup_s("http://refmssp.example.org");
    m.u.status_req.mssp_trans_id = fixture_dup_s("mssp1234");
    m.u.status_req.msisdn = fixture_dup_s("+99900000001");
    validate_message(*state, &m, 0);
}

static void test_schema_status_resp(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_STATUS_RESP;
    mss_status_resp *r = &m.u.status_resp;
    fixture_fill_header(&r->hdr, 1);
    r->msisdn = fixture_dup_s("+99900000001");
    r->signature.kind = MSS_SIG_BASE64;
    r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->signature.value_len = sizeof sig_bytes;
    r->status.code = 500;
    r->status.message = fixture_dup_s("SIGNATURE");
    validate_message(*state, &m, 0);
}

static void test_schema_profile_req(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_PROFILE_REQ;
    fixture_fill_header(&m.u.profile_req.hdr, 0);
    m.u.profile_req.msisdn = fixture_dup_s("+99900000001");
    m.u.profile_req.get_certificates = 1;
    validate_message(*state, &m, 0);
}

static void test_schema_profile_resp(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_PROFILE_RESP;
    mss_profile_resp *r = &m.u.profile_resp;
    fixture_fill_header(&r->hdr, 1);
    fixture_fill_profile_resp(r, 1, cert_bytes, sizeof cert_bytes);
    r->status.code = 100;
    r->status.message = fixture_dup_s("REQUEST_OK");
    validate_message(*state, &m, 0);
}

static void test_schema_fault(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_FAULT;
    m.u.fault.sender = 1;
    m.u.fault.code = 105;
    m.u.fault.specifier = 1051;
    m.u.fault.reason = fixture_dup_s("UNKNOWN_CLIENT");
    m.u.fault.detail = fixture_dup_s("No such user");
    validate_message(*state, &m, 1);
}

/* Every additional service the client sends, in one request. */
static void test_schema_signature_req_services(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    mss_signature_req *r = &m.u.signature_req;
    fixture_fill_header(&r->hdr, 0);
    r->mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    r->msisdn = fixture_dup_s("+99900000001");
    r->dtbs.text = fixture_dup_s("MDEwDQYJYIZIAWUDBAIBBQAEIA==");
    fixture_add_service(r, MSS_SERVICE_URI_EVENT_ID, "A1B2");
    fixture_add_services(r, "EN");
    r->mss_format = fixture_dup_s(MSS_FORMAT_KIURU_PKCS1);
    validate_message(*state, &m, 0);
}

static void test_schema_signature_resp_service_responses(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("mssp1236");
    r->msisdn = fixture_dup_s("+99900000001");
    r->signature.kind = MSS_SIG_BASE64;
    r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->signature.value_len = sizeof sig_bytes;
    r->status.code = 500;
    r->n_service_responses = 2;
    r->service_responses = calloc(2, sizeof *r->service_responses);
    assert_non_null(r->service_responses);
    r->service_responses[0].uri = fixture_dup_s(MSS_SERVICE_URI_VALIDATE);
    r->service_responses[0].status.code = 502;
    r->service_responses[0].status.message = fixture_dup_s("VALID_SIGNATURE");
    r->service_responses[1].uri = fixture_dup_s(MSS_SERVICE_URI_SIGNING_CERT);
    r->service_responses[1].n_certs = 2;
    r->service_responses[1].certs = calloc(2, sizeof(mss_blob));
    assert_non_null(r->service_responses[1].certs);
    for (int i = 0; i < 2; i++) {
        r->service_responses[1].certs[i].data = fixture_dup_bytes(cert_bytes, sizeof cert_bytes);
        r->service_responses[1].certs[i].len = sizeof cert_bytes;
    }
    validate_message(*state, &m, 0);
}

static void test_schema_receipt_req(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_RECEIPT_REQ;
    mss_receipt_req *r = &m.u.receipt_req;
    fixture_fill_header(&r->hdr, 0);
    r->hdr.mssp_id_uri = fixture_dup_s("http://refmssp.example.org");
    r->mssp_trans_id = fixture_dup_s("mssp1234");
    r->msisdn = fixture_dup_s("+99900000001");
    r->status.code = 500;
    r->status.message = fixture_dup_s("SIGNATURE");
    r->message.text = fixture_dup_s("Signed in to bank.example");
    r->message.mime_type = fixture_dup_s("text/plain");
    r->message.encoding = fixture_dup_s("UTF-8");
    validate_message(*state, &m, 0);
}

static void test_schema_receipt_req_minimal(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_RECEIPT_REQ;
    fixture_fill_header(&m.u.receipt_req.hdr, 0);
    m.u.receipt_req.mssp_trans_id = fixture_dup_s("mssp1234");
    validate_message(*state, &m, 0);
}

static void test_schema_receipt_resp(void **state)
{
    mss_message m = {0};
    m.type = MSS_MSG_RECEIPT_RESP;
    fixture_fill_header(&m.u.receipt_resp.hdr, 1);
    m.u.receipt_resp.status.code = 100;
    m.u.receipt_resp.status.message = fixture_dup_s("REQUEST_OK");
    validate_message(*state, &m, 0);
}

/* The validator is not a rubber stamp: a message missing its Status fails. */
static void test_schema_rejects_invalid(void **state)
{
    schema_fixture *fx = *state;
    if (fx->schema == NULL)
        skip();
    const char *bad =
        "<mss:MSS_StatusResp xmlns:mss=\"" MSS_NS_ETSI "\" MajorVersion=\"1\" MinorVersion=\"1\">"
        "<mss:AP_Info AP_ID=\"http://ap\" AP_TransID=\"_1\" AP_PWD=\"x\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<mss:MSSP_Info><mss:MSSP_ID/></mss:MSSP_Info><mss:MobileUser/></mss:MSS_StatusResp>";
    xmlDocPtr doc = xmlReadMemory(bad, (int)strlen(bad), NULL, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(fx->schema);
    xmlSchemaSetValidStructuredErrors(vctx, collect_error, fx);
    assert_int_not_equal(xmlSchemaValidateDoc(vctx, doc), 0);
    xmlSchemaFreeValidCtxt(vctx);
    xmlFreeDoc(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_signature_req),
        cmocka_unit_test(test_schema_signature_req_minimal),
        cmocka_unit_test(test_schema_signature_resp_base64),
        cmocka_unit_test(test_schema_signature_resp_ficom),
        cmocka_unit_test(test_schema_status_req),
        cmocka_unit_test(test_schema_status_resp),
        cmocka_unit_test(test_schema_profile_req),
        cmocka_unit_test(test_schema_profile_resp),
        cmocka_unit_test(test_schema_fault),
        cmocka_unit_test(test_schema_signature_req_services),
        cmocka_unit_test(test_schema_signature_resp_service_responses),
        cmocka_unit_test(test_schema_receipt_req),
        cmocka_unit_test(test_schema_receipt_req_minimal),
        cmocka_unit_test(test_schema_receipt_resp),
        cmocka_unit_test(test_schema_rejects_invalid),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
