/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the REST binding (mss/rest.h): round trips of every message type through
 * JSON with each field compared, decoding of hand-written bodies in the public Kiuru,
 * Laverca-REST and Swisscom shapes ($top_srcdir/tests/fuzz/seeds-json, the JSON fuzzer's
 * seeds), and what the encoder refuses. The decoder's refusals: test_codec_rest_strict.c.
 *
 * With MSS_REST_DUMP_DIR set, every body the encoder writes here is also saved in that
 * folder, one file each, for test_rest_schema.sh to validate against
 * tests/schemas/mss-rest.schema.json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mss/mss.h>
#include "body_dump.h"
#include "codec_fixtures.h"
#include "rest_fixtures.h"

/* ------------------------------------------------------------------ helpers */

static const unsigned char sig_bytes[] = {0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                          0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80};
static const unsigned char cert_bytes[] = {0x30, 0x82, 0x03, 0x10, 0x30, 0x82, 0x01,
                                           0xf8, 0xa0, 0x03, 0x02, 0x01, 0x02};

/* Encode MSG (which must succeed), save the body, decode it into *out; returns the body. */
static char *round_trip(const mss_message *msg, mss_message *out)
{
    char *json = NULL;
    size_t len = 0;
    mss_detail derr;
    assert_int_equal(mss_rest_encode(msg, &json, &len), MSS_OK);
    assert_non_null(json);
    assert_int_equal(strlen(json), len);
    body_dump(json, len, mss_message_type_name(msg->type));
    mss_error rc = mss_rest_decode(json, len, out, &derr);
    if (rc != MSS_OK)
        fail_msg("decode of own encoding failed: %s\n%s", derr.text, json);
    assert_int_equal(out->type, msg->type);
    return json;
}

/* A hand-written sample of tests/fuzz/seeds-json, decoded; its text into *text if asked. */
static void decode_sample(const char *name, mss_message *out)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fuzz/seeds-json/%s", top != NULL ? top : ".", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open the sample %s (is top_srcdir set?)", path);
    static char buf[65536];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    mss_detail derr;
    mss_error rc = mss_rest_decode(buf, len, out, &derr);
    if (rc != MSS_OK)
        fail_msg("%s does not decode: %s", name, derr.text);

    /* Every sample also survives our own encoding unchanged. */
    mss_message again = {0};
    char *json = round_trip(out, &again);
    char *json2 = NULL;
    size_t len2 = 0;
    assert_int_equal(mss_rest_encode(&again, &json2, &len2), MSS_OK);
    assert_string_equal(json, json2);
    free(json);
    free(json2);
    mss_message_clear(&again);
}

/* ------------------------------------------------------------------ round trips */

static void test_roundtrip_signature_req_full(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    mss_signature_req *r = &m.u.signature_req;
    fixture_fill_header(&r->hdr, 1);
    fixture_fill_signature_req(r, "MDEwDQYJYIZIAWUDBAIBBQAEIA==",
                               "Firefox: log in to <bank> & \"co\" \xc3\xa4\xc3\xb6 (code 1234)", "1234");
    fixture_add_services(r, "fi");

    char *json = round_trip(&m, &back);
    const char *start = "{\"MSS_SignatureReq\":{\"MajorVersion\":\"1\",\"MinorVersion\":\"1\","
                        "\"AP_Info\":{\"AP_ID\":";
    assert_int_equal(strncmp(json, start, strlen(start)), 0);
    assert_non_null(strstr(json, "\"MessagingMode\":\"asynchClientServer\""));
    assert_non_null(strstr(json, "\"TimeOut\":\"120\""));
    assert_non_null(strstr(json, "\"SignatureProfile\":\"mss:refmssp:authn:loa3:sim\""));
    assert_non_null(strstr(json, "\"MSS_Format\":\"" MSS_FORMAT_KIURU_PKCS1 "\""));
    assert_non_null(strstr(json, "{\"Description\":\"" MSS_SERVICE_URI_EVENT_ID
                                 "\",\"EventID\":{\"Value\":\"1234\"}}"));
    assert_non_null(strstr(json, "\"NoSpamCode\":{\"Code\":\"kissa123\",\"Verify\":\"no\"}"));
    assert_non_null(strstr(json, "\"UserLang\":{\"Value\":\"fi\"}"));
    assert_non_null(strstr(json, "<bank> & \\\"co\\\" \xc3\xa4\xc3\xb6"));

    const mss_signature_req *b = &back.u.signature_req;
    fixture_assert_signature_req_eq(r, b);
    assert_int_equal(b->timeout_s, 120);
    assert_int_equal(b->n_services, 5);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_signature_req_minimal(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    mss_signature_req *r = &m.u.signature_req;
    fixture_fill_header(&r->hdr, 0);
    r->mode = MSS_MODE_SYNCH;
    r->msisdn = fixture_dup_s("+99900000001");
    r->dtbs.text = fixture_dup_s("");
    /* A noSpam service whose user has no code: the object without Code. */
    mss_service *sv = fixture_add_service(r, MSS_SERVICE_URI_NO_SPAM, NULL);
    sv->no_spam_no_verify = 0;

    char *json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"MSSP_Info\":{\"MSSP_ID\":{}}"));
    assert_non_null(strstr(json, "\"DataToBeSigned\":{\"Data\":\"\"}"));
    assert_non_null(strstr(json, "\"NoSpamCode\":{\"Verify\":\"yes\"}"));
    assert_null(strstr(json, "TimeOut"));
    assert_null(strstr(json, "DataToBeDisplayed"));
    assert_null(strstr(json, "SignatureProfile"));
    assert_null(strstr(json, "MSS_Format"));
    assert_null(strstr(json, "null"));

    const mss_signature_req *b = &back.u.signature_req;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_int_equal(b->mode, MSS_MODE_SYNCH);
    assert_int_equal(b->timeout_s, 0);
    assert_string_equal(b->dtbs.text, "");
    assert_null(b->dtbs.mime_type);
    assert_null(b->dtbd.text);
    assert_null(b->signature_profile);
    assert_null(b->mss_format);
    assert_int_equal(b->n_services, 1);
    assert_null(b->services[0].value);
    assert_int_equal(b->services[0].no_spam_no_verify, 0);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

/* Service responses: one with a status, one with two signing certificates. */
static void fill_service_responses(mss_service_response **out, size_t *n)
{
    mss_service_response *r = calloc(2, sizeof *r);
    assert_non_null(r);
    r[0].uri = fixture_dup_s(MSS_SERVICE_URI_VALIDATE);
    r[0].status.code = 502;
    r[0].status.message = fixture_dup_s("VALID_SIGNATURE");
    r[1].uri = fixture_dup_s(MSS_SERVICE_URI_SIGNING_CERT);
    r[1].n_certs = 2;
    r[1].certs = calloc(2, sizeof *r[1].certs);
    assert_non_null(r[1].certs);
    for (size_t i = 0; i < 2; i++) {
        r[1].certs[i].data = fixture_dup_bytes(cert_bytes, sizeof cert_bytes - i);
        r[1].certs[i].len = sizeof cert_bytes - i;
    }
    *out = r;
    *n = 2;
}

static void assert_service_responses_eq(const mss_service_response *a, size_t na,
                                        const mss_service_response *b, size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].uri, b[i].uri);
        fixture_assert_status_eq(&a[i].status, &b[i].status);
        assert_int_equal(a[i].n_certs, b[i].n_certs);
        for (size_t j = 0; j < a[i].n_certs; j++)
            fixture_assert_bytes_eq(a[i].certs[j].data, a[i].certs[j].len, b[i].certs[j].data,
                                    b[i].certs[j].len);
    }
}

static void test_roundtrip_signature_resp(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("h44okl");
    r->msisdn = fixture_dup_s("+99900000001");
    r->signature.kind = MSS_SIG_BASE64;
    r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->signature.value_len = sizeof sig_bytes;
    r->signature_profile = fixture_dup_s("mss:refmssp:sign:loa4:sim");
    r->status.code = 502;
    r->status.subcode = 5021;
    r->status.message = fixture_dup_s("VALID_SIGNATURE");
    fill_service_responses(&r->service_responses, &r->n_service_responses);

    char *json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"MSSP_TransID\":\"h44okl\""));
    assert_non_null(strstr(json, "\"MSS_Signature\":{\"Base64Signature\":\"MIAGCSqGSIb3DQEHAqCA\"}"));
    assert_non_null(strstr(json, "\"Status\":{\"StatusCode\":{\"Value\":\"502\",\"StatusCode\":"
                                 "{\"Value\":\"5021\"}},\"StatusMessage\":\"VALID_SIGNATURE\"}"));
    assert_non_null(strstr(json, "\"ServiceResponses\":[{\"Description\":"));
    assert_non_null(strstr(json, "\"signingCertificate\":{\"X509Certificate\":[\""));

    const mss_signature_resp *b = &back.u.signature_resp;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_string_equal(b->mssp_trans_id, "h44okl");
    assert_string_equal(b->msisdn, r->msisdn);
    fixture_assert_sig_eq(&r->signature, &b->signature);
    assert_string_equal(b->signature_profile, r->signature_profile);
    fixture_assert_status_eq(&r->status, &b->status);
    assert_service_responses_eq(r->service_responses, r->n_service_responses,
                                b->service_responses, b->n_service_responses);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_status_req_and_resp(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_STATUS_REQ;
    fixture_fill_header(&m.u.status_req.hdr, 1);
    m.u.status_req.mssp_trans_id = fixture_dup_s("tx_42");
    m.u.status_req.msisdn = fixture_dup_s("+99900000001");
    char *json = round_trip(&m, &back);
    fixture_assert_header_eq(&m.u.status_req.hdr, &back.u.status_req.hdr);
    assert_string_equal(back.u.status_req.mssp_trans_id, "tx_42");
    assert_string_equal(back.u.status_req.msisdn, "+99900000001");
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);

    m.type = MSS_MSG_STATUS_RESP;
    mss_status_resp *r = &m.u.status_resp;
    fixture_fill_header(&r->hdr, 1);
    r->msisdn = fixture_dup_s("+99900000001");
    r->signature.kind = MSS_SIG_BASE64;
    r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->signature.value_len = sizeof sig_bytes;
    r->status.code = 500;
    r->status.message = fixture_dup_s("SIGNATURE");
    fill_service_responses(&r->service_responses, &r->n_service_responses);
    json = round_trip(&m, &back);
    const mss_status_resp *b = &back.u.status_resp;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_string_equal(b->msisdn, r->msisdn);
    fixture_assert_sig_eq(&r->signature, &b->signature);
    fixture_assert_status_eq(&r->status, &b->status);
    assert_service_responses_eq(r->service_responses, r->n_service_responses,
                                b->service_responses, b->n_service_responses);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_profile_req_and_resp(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_PROFILE_REQ;
    fixture_fill_header(&m.u.profile_req.hdr, 0);
    m.u.profile_req.msisdn = fixture_dup_s("+99900000001");
    m.u.profile_req.get_certificates = 1;
    char *json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"GetCertificates\":true"));
    fixture_assert_header_eq(&m.u.profile_req.hdr, &back.u.profile_req.hdr);
    assert_string_equal(back.u.profile_req.msisdn, "+99900000001");
    assert_int_equal(back.u.profile_req.get_certificates, 1);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);

    m.type = MSS_MSG_PROFILE_RESP;
    mss_profile_resp *r = &m.u.profile_resp;
    fixture_fill_header(&r->hdr, 1);
    fixture_fill_profile_resp(r, 2, cert_bytes, sizeof cert_bytes);
    r->certs[1].der = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->certs[1].der_len = sizeof sig_bytes;
    r->status.code = 100;
    r->status.message = fixture_dup_s("REQUEST_OK");
    json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"SignatureProfile\":[\"mss:refmssp:authn:loa3:sim\","
                                 "\"mss:refmssp:sign:loa4:sim\"]"));
    assert_non_null(strstr(json, "\"StatusDetail\":{\"ProfileQueryExtension\":"
                                 "{\"MobileUserCertificate\":[{\"X509Certificate\":[\""));
    assert_non_null(strstr(json, "\"SignatureProfiles\":[\"mss:refmssp:authn:loa3:sim\","
                                 "\"mss:refmssp:sign:loa4:sim\"]"));
    const mss_profile_resp *b = &back.u.profile_resp;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_int_equal(b->n_profiles, 2);
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(b->profiles[i], r->profiles[i]);
    fixture_assert_status_eq(&r->status, &b->status);
    assert_int_equal(b->n_certs, 2);
    for (size_t i = 0; i < 2; i++) {
        fixture_assert_bytes_eq(b->certs[i].der, b->certs[i].der_len, r->certs[i].der,
                                r->certs[i].der_len);
        fixture_assert_str_eq(b->certs[i].state, r->certs[i].state);
        fixture_assert_str_eq(b->certs[i].algorithm, r->certs[i].algorithm);
        fixture_assert_str_eq(b->certs[i].profiles, r->certs[i].profiles);
    }
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_receipt_req_and_resp(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_RECEIPT_REQ;
    mss_receipt_req *r = &m.u.receipt_req;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("tx_42");
    r->msisdn = fixture_dup_s("+99900000001");
    r->status.code = 500;
    r->status.message = fixture_dup_s("SIGNATURE");
    r->message.text = fixture_dup_s("Kirjautuminen onnistui \xe2\x9c\x93");
    r->message.mime_type = fixture_dup_s("text/plain");
    r->message.encoding = fixture_dup_s("UTF-8");
    char *json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"Message\":{\"MimeType\":\"text/plain\",\"Encoding\":\"UTF-8\","
                                 "\"Data\":\"Kirjautuminen onnistui \xe2\x9c\x93\"}"));
    const mss_receipt_req *b = &back.u.receipt_req;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_string_equal(b->mssp_trans_id, "tx_42");
    assert_string_equal(b->msisdn, r->msisdn);
    fixture_assert_status_eq(&r->status, &b->status);
    assert_string_equal(b->message.text, r->message.text);
    assert_string_equal(b->message.mime_type, "text/plain");
    assert_string_equal(b->message.encoding, "UTF-8");
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);

    /* No status, no message, no MSISDN: MobileUser stays, empty. */
    m.type = MSS_MSG_RECEIPT_REQ;
    fixture_fill_header(&m.u.receipt_req.hdr, 0);
    m.u.receipt_req.mssp_trans_id = fixture_dup_s("tx_43");
    json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"MobileUser\":{}"));
    assert_null(strstr(json, "\"Status\""));
    assert_null(back.u.receipt_req.msisdn);
    assert_int_equal(back.u.receipt_req.status.code, 0);
    assert_null(back.u.receipt_req.message.text);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);

    m.type = MSS_MSG_RECEIPT_RESP;
    fixture_fill_header(&m.u.receipt_resp.hdr, 1);
    m.u.receipt_resp.status.code = 100;
    m.u.receipt_resp.status.message = fixture_dup_s("REQUEST_OK");
    json = round_trip(&m, &back);
    fixture_assert_header_eq(&m.u.receipt_resp.hdr, &back.u.receipt_resp.hdr);
    fixture_assert_status_eq(&m.u.receipt_resp.status, &back.u.receipt_resp.status);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_fault(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_FAULT;
    m.u.fault.sender = 1;
    m.u.fault.code = 101;
    m.u.fault.specifier = 1011;
    m.u.fault.reason = fixture_dup_s("WRONG_PARAM");
    m.u.fault.detail = fixture_dup_s("MSISDN \"+1\" is not ours");
    char *json = round_trip(&m, &back);
    assert_string_equal(json,
        "{\"Fault\":{\"Code\":{\"Value\":\"Sender\",\"ValueNs\":\"" MSS_NS_SOAP12 "\","
        "\"SubCode\":{\"Value\":\"_101\",\"ValueNs\":\"" MSS_NS_ETSI "\","
        "\"SubCode\":{\"Value\":\"_1011\",\"ValueNs\":\"" MSS_NS_ETSI "\"}}},"
        "\"Reason\":\"WRONG_PARAM\",\"Detail\":\"MSISDN \\\"+1\\\" is not ours\"}}");
    assert_int_equal(back.u.fault.sender, 1);
    assert_int_equal(back.u.fault.code, 101);
    assert_int_equal(back.u.fault.specifier, 1011);
    assert_string_equal(back.u.fault.reason, "WRONG_PARAM");
    assert_string_equal(back.u.fault.detail, m.u.fault.detail);
    free(json);
    mss_message_clear(&m);
    mss_message_clear(&back);

    /* The receiver's fault without reason or detail: the table names the code. */
    m.type = MSS_MSG_FAULT;
    m.u.fault.code = 900;
    json = round_trip(&m, &back);
    assert_non_null(strstr(json, "\"Value\":\"Receiver\""));
    assert_null(strstr(json, "Detail"));
    assert_int_equal(back.u.fault.sender, 0);
    assert_int_equal(back.u.fault.code, 900);
    assert_int_equal(back.u.fault.specifier, 0);
    assert_string_equal(back.u.fault.reason, mss_status_lookup(900)->name);
    assert_null(back.u.fault.detail);
    free(json);
    mss_message_clear(&back);
}

static void test_binding_table(void **state)
{
    (void)state;
    const mss_binding *b = mss_binding_rest();
    assert_string_equal(mss_binding_name(b), "rest");
    assert_string_equal(mss_binding_content_type(b), "application/json");
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_FAULT;
    m.u.fault.code = 105;
    char *json = NULL;
    size_t len = 0;
    assert_int_equal(mss_binding_encode(b, &m, &json, &len), MSS_OK);
    assert_int_equal(mss_binding_decode(b, json, len, &back, NULL), MSS_OK);
    assert_int_equal(back.type, MSS_MSG_FAULT);
    assert_int_equal(back.u.fault.code, 105);
    /* The SOAP binding does not read it, nor the REST binding SOAP. */
    mss_message other;
    assert_int_equal(mss_binding_decode(mss_binding_soap(), json, len, &other, NULL),
                     MSS_ERR_XML_MALFORMED);
    free(json);
    assert_int_equal(mss_soap_encode(&back, &json, &len), MSS_OK);
    assert_int_equal(mss_rest_decode(json, len, &other, NULL), MSS_ERR_XML_MALFORMED);
    free(json);
    mss_message_clear(&back);
}

/* ------------------------------------------------------------------ public samples */

static void test_decode_kiuru_signature_request(void **state)
{
    (void)state;
    mss_message m = {0};
    decode_sample("kiuru_sig_req_synch.json", &m);
    assert_int_equal(m.type, MSS_MSG_SIGNATURE_REQ);
    const mss_signature_req *r = &m.u.signature_req;
    assert_int_equal(r->hdr.major_version, 1);
    assert_string_equal(r->hdr.ap_id, "http://ap.example.org/desktop");
    assert_string_equal(r->hdr.ap_pwd, "x");
    assert_string_equal(r->hdr.ap_trans_id, "A7f3c2e90");
    assert_string_equal(r->hdr.ap_instant, "2026-12-02T08:00:00.000Z");
    assert_string_equal(r->hdr.mssp_id_uri, "http://mssp.example.org");
    assert_null(r->hdr.mssp_instant);
    assert_int_equal(r->mode, MSS_MODE_SYNCH);
    assert_int_equal(r->timeout_s, 120);
    assert_string_equal(r->msisdn, "+35847001001");
    assert_string_equal(r->dtbs.mime_type, "application/x-sha256");
    assert_string_equal(r->dtbs.encoding, "base64");
    assert_string_equal(r->dtbs.text, "3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=");
    assert_string_equal(r->dtbd.text, "Sign the contract");
    assert_string_equal(r->signature_profile, "http://alauda.mobi/nonRepudiation");
    assert_string_equal(r->mss_format, MSS_FORMAT_CMS);
    assert_int_equal(r->n_services, 3);
    assert_string_equal(r->services[0].uri, MSS_SERVICE_URI_VALIDATE);
    assert_null(r->services[0].value);
    assert_string_equal(r->services[1].uri, MSS_SERVICE_URI_USER_LANG);
    assert_string_equal(r->services[1].value, "fi");
    assert_string_equal(r->services[2].uri, MSS_SERVICE_URI_NO_SPAM);
    assert_string_equal(r->services[2].value, "kissa");
    assert_int_equal(r->services[2].no_spam_no_verify, 1);
    mss_message_clear(&m);
}

static void test_decode_laverca_minimal_request(void **state)
{
    (void)state;
    mss_message m = {0};
    /* What Laverca-REST's MssClient.authenticate sends: no versions, no Instant, no
     * MSSP_Info, an empty AdditionalServices. */
    decode_sample("laverca_sig_req_minimal.json", &m);
    const mss_signature_req *r = &m.u.signature_req;
    assert_int_equal(r->hdr.major_version, 1);
    assert_int_equal(r->hdr.minor_version, 1);
    assert_string_equal(r->hdr.ap_id, "TestAP");
    assert_null(r->hdr.ap_instant);
    assert_null(r->hdr.mssp_id_uri);
    assert_string_equal(r->msisdn, "35847001001");
    assert_string_equal(r->dtbs.text, "Authentication test");
    assert_null(r->dtbd.text);
    assert_int_equal(r->n_services, 0);
    assert_null(r->services);
    mss_message_clear(&m);
}

static void test_decode_kiuru_signature_response(void **state)
{
    (void)state;
    mss_message m = {0};
    decode_sample("kiuru_sig_resp_cms.json", &m);
    assert_int_equal(m.type, MSS_MSG_SIGNATURE_RESP);
    const mss_signature_resp *r = &m.u.signature_resp;
    assert_null(r->hdr.ap_pwd);
    assert_string_equal(r->hdr.mssp_instant, "2026-12-02T08:00:09.120Z");
    assert_string_equal(r->mssp_trans_id, "h44okl");
    assert_string_equal(r->msisdn, "+35847001001");
    assert_int_equal(r->signature.kind, MSS_SIG_BASE64);
    fixture_assert_bytes_eq(r->signature.value, r->signature.value_len,
                            (const unsigned char *)"\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01"
                                                   "\x07\x02\xa0\x80\x30\x80\x02\x01\x01", 20);
    assert_int_equal(r->status.code, 500);
    assert_string_equal(r->status.message, "SIGNATURE");
    assert_int_equal(r->n_service_responses, 1);
    assert_string_equal(r->service_responses[0].uri, MSS_SERVICE_URI_VALIDATE);
    assert_int_equal(r->service_responses[0].status.code, 502);
    mss_message_clear(&m);
}

static void test_decode_kiuru_status_and_receipt(void **state)
{
    (void)state;
    mss_message m = {0};
    decode_sample("kiuru_status_req.json", &m);
    assert_int_equal(m.type, MSS_MSG_STATUS_REQ);
    assert_string_equal(m.u.status_req.mssp_trans_id, "h44okl");
    assert_null(m.u.status_req.msisdn);
    mss_message_clear(&m);

    decode_sample("kiuru_status_resp_outstanding.json", &m);
    assert_int_equal(m.type, MSS_MSG_STATUS_RESP);
    assert_int_equal(m.u.status_resp.status.code, 504);
    assert_int_equal(m.u.status_resp.signature.kind, MSS_SIG_NONE);
    assert_int_equal(m.u.status_resp.n_service_responses, 0);
    mss_message_clear(&m);

    decode_sample("kiuru_receipt_req.json", &m);
    assert_int_equal(m.type, MSS_MSG_RECEIPT_REQ);
    assert_string_equal(m.u.receipt_req.mssp_trans_id, "h44okl");
    assert_string_equal(m.u.receipt_req.msisdn, "+35847001001");
    assert_int_equal(m.u.receipt_req.status.code, 100);
    assert_string_equal(m.u.receipt_req.message.text, "Contract signed");
    assert_string_equal(m.u.receipt_req.message.encoding, "UTF-8");
    mss_message_clear(&m);

    /* Laverca-REST's Message members are lower camel case. */
    decode_sample("laverca_receipt_req_lowercase.json", &m);
    assert_string_equal(m.u.receipt_req.mssp_trans_id, "MESSAGEONLY");
    assert_string_equal(m.u.receipt_req.message.text, "Your login succeeded");
    assert_string_equal(m.u.receipt_req.message.encoding, "ENCODING_UTF8");
    assert_string_equal(m.u.receipt_req.message.mime_type, "TEXT");
    assert_null(m.u.receipt_req.hdr.mssp_id_uri);
    assert_int_equal(m.u.receipt_req.status.code, 0);
    mss_message_clear(&m);

    decode_sample("kiuru_receipt_resp.json", &m);
    assert_int_equal(m.type, MSS_MSG_RECEIPT_RESP);
    assert_int_equal(m.u.receipt_resp.status.code, 100);
    assert_string_equal(m.u.receipt_resp.status.message, "REQUEST_OK");
    mss_message_clear(&m);
}

static void test_decode_kiuru_profile(void **state)
{
    (void)state;
    mss_message m = {0};
    decode_sample("kiuru_profile_req.json", &m);
    assert_int_equal(m.type, MSS_MSG_PROFILE_REQ);
    assert_string_equal(m.u.profile_req.msisdn, "+35847001001");
    assert_int_equal(m.u.profile_req.get_certificates, 1);
    mss_message_clear(&m);

    decode_sample("kiuru_profile_resp_certs.json", &m);
    assert_int_equal(m.type, MSS_MSG_PROFILE_RESP);
    const mss_profile_resp *r = &m.u.profile_resp;
    assert_int_equal(r->n_profiles, 2);
    assert_string_equal(r->profiles[1], "http://alauda.mobi/nonRepudiation");
    assert_int_equal(r->status.code, 100);
    assert_int_equal(r->n_certs, 2);
    /* The first X509Certificate of an entry is the user's. */
    fixture_assert_bytes_eq(r->certs[0].der, r->certs[0].der_len,
                            (const unsigned char *)"\x30\x82\x01\x02\x30\x81\xac\xa0\x03\x02\x01"
                                                   "\x02\x02\x01\x01", 15);
    assert_string_equal(r->certs[0].state, "ACTIVE");
    assert_string_equal(r->certs[0].algorithm, "RSA2048");
    assert_string_equal(r->certs[0].profiles, "http://alauda.mobi/digitalSignature");
    assert_string_equal(r->certs[1].state, "INACTIVE");
    assert_string_equal(r->certs[1].profiles,
                        "http://alauda.mobi/nonRepudiation http://alauda.mobi/digitalSignature");
    mss_message_clear(&m);
}

static void test_decode_faults(void **state)
{
    (void)state;
    mss_message m = {0};
    decode_sample("kiuru_fault_105.json", &m);
    assert_int_equal(m.type, MSS_MSG_FAULT);
    assert_int_equal(m.u.fault.sender, 1);
    assert_int_equal(m.u.fault.code, 105);
    assert_int_equal(m.u.fault.specifier, 0);
    assert_string_equal(m.u.fault.reason, "UNKNOWN_CLIENT");
    assert_string_equal(m.u.fault.detail, "Unknown MSISDN");
    mss_message_clear(&m);

    decode_sample("swisscom_fault_401.json", &m);
    assert_int_equal(m.u.fault.sender, 0);
    assert_int_equal(m.u.fault.code, 401);
    assert_string_equal(m.u.fault.reason, "USER_CANCEL");
    mss_message_clear(&m);

    /* Prefixed values, an MSS code without "_", a fault without an MSS code. */
    expect_quoted_decodes(("{'Fault':{'Code':{'Value':'env:Sender','SubCode':{'Value':'mss:_208',"
                           "'SubCode':{'Value':'2081'}}},'Reason':'EXPIRED_TRANSACTION'}}"), &m);
    assert_int_equal(m.u.fault.sender, 1);
    assert_int_equal(m.u.fault.code, 208);
    assert_int_equal(m.u.fault.specifier, 2081);
    mss_message_clear(&m);
    expect_quoted_decodes(("{'Fault':{'Code':{'Value':'Receiver'},'Reason':'Internal'}}"), &m);
    assert_int_equal(m.u.fault.code, 0);
    mss_message_clear(&m);
}

static void test_decode_swisscom_request(void **state)
{
    (void)state;
    mss_message m = {0};
    decode_sample("swisscom_sig_req_asynch.json", &m);
    const mss_signature_req *r = &m.u.signature_req;
    assert_int_equal(r->hdr.minor_version, 2);
    assert_string_equal(r->hdr.mssp_id_uri, "http://mid.swisscom.ch/");
    /* Swisscom's "asynch" is the client-server mode. */
    assert_int_equal(r->mode, MSS_MODE_ASYNCH_CLIENT_SERVER);
    assert_int_equal(r->timeout_s, 80);
    assert_int_equal(r->n_services, 1);
    assert_string_equal(r->services[0].value, "DE");
    mss_message_clear(&m);

    /* Swisscom lists certificates per signature device: the SIM's first, then each app's. */
    decode_sample("swisscom_profile_resp_sscds.json", &m);
    const mss_profile_resp *p = &m.u.profile_resp;
    assert_int_equal(p->hdr.major_version, 2);
    assert_int_equal(p->hdr.minor_version, 0);
    assert_int_equal(p->n_profiles, 2);
    assert_int_equal(p->n_certs, 2);
    assert_string_equal(p->certs[0].algorithm, "RSA");
    assert_int_equal(p->certs[0].der_len, 15);
    assert_string_equal(p->certs[1].algorithm, "EC");
    assert_string_equal(p->certs[1].state, "ACTIVE");
    assert_null(p->certs[1].profiles);
    mss_message_clear(&m);

    /* Swisscom asks for certificates with Params. */
    expect_quoted_decodes(("{'MSS_ProfileReq':{'MajorVersion':'2','MinorVersion':'0','AP_Info':"
                           "{'AP_ID':'a','AP_TransID':'t'},'MobileUser':{'MSISDN':'41790000000'},"
                           "'Params':'sscds state certs pinstatus'}}"), &m);
    assert_int_equal(m.u.profile_req.hdr.major_version, 2);
    assert_int_equal(m.u.profile_req.get_certificates, 1);
    mss_message_clear(&m);
    expect_quoted_decodes(("{'MSS_ProfileReq':{'AP_Info':{'AP_ID':'a','AP_TransID':'t'},"
                           "'MobileUser':{'MSISDN':'1'},'Params':'sscds certsx'}}"), &m);
    assert_int_equal(m.u.profile_req.get_certificates, 0);
    mss_message_clear(&m);
}

/* Encode MSG with the Swisscom flavour (must succeed), save it for the schema check and
 * decode it back with the same binding. */
static char *swisscom_round_trip(const mss_message *msg, mss_message *out)
{
    const mss_binding *b = mss_binding_rest_swisscom();
    char *json = NULL;
    size_t len = 0;
    mss_detail derr;
    assert_int_equal(mss_binding_encode(b, msg, &json, &len), MSS_OK);
    body_dump(json, len, "swisscom");
    if (mss_binding_decode(b, json, len, out, &derr) != MSS_OK)
        fail_msg("the Swisscom body does not decode: %s\n%s", derr.text, json);
    return json;
}

static void test_encode_swisscom_flavour(void **state)
{
    (void)state;
    assert_string_equal(mss_binding_name(mss_binding_rest_swisscom()), "rest-swisscom");
    assert_string_equal(mss_binding_content_type(mss_binding_rest_swisscom()), "application/json");

    /* Signature request: MinorVersion 2, "asynch", and the members Swisscom requires. */
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    mss_signature_req *r = &m.u.signature_req;
    fixture_fill_header(&r->hdr, 1);
    r->mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    r->msisdn = fixture_dup_s("+41790000001");
    r->dtbs.text = fixture_dup_s("MDEwDQYJYIZIAWUDBAIBBQAEIA==");
    r->signature_profile = fixture_dup_s("http://mid.swisscom.ch/MID/v1/AuthProfile1");
    char *json = swisscom_round_trip(&m, &back);
    assert_non_null(strstr(json, "\"MajorVersion\":\"1\",\"MinorVersion\":\"2\""));
    assert_non_null(strstr(json, "\"MessagingMode\":\"asynch\""));
    assert_null(strstr(json, "asynchClientServer"));
    assert_non_null(strstr(json, "\"TimeOut\":\"80\""));
    assert_non_null(strstr(json, "\"AdditionalServices\":[]"));
    assert_int_equal(back.u.signature_req.mode, MSS_MODE_ASYNCH_CLIENT_SERVER);
    assert_int_equal(back.u.signature_req.hdr.minor_version, 2);
    assert_string_equal(back.u.signature_req.msisdn, r->msisdn);
    free(json);
    mss_message_clear(&back);
    /* synch stays synch; a TimeOut and services given are kept. */
    r->mode = MSS_MODE_SYNCH;
    r->timeout_s = 120;
    fixture_add_service(r, MSS_SERVICE_URI_EVENT_ID, "1234");
    json = swisscom_round_trip(&m, &back);
    assert_non_null(strstr(json, "\"MessagingMode\":\"synch\""));
    assert_non_null(strstr(json, "\"TimeOut\":\"120\""));
    assert_non_null(strstr(json, "\"EventID\":{\"Value\":\"1234\"}"));
    assert_int_equal(back.u.signature_req.n_services, 1);
    free(json);
    mss_message_clear(&back);
    mss_message_clear(&m);

    /* Profile query: versions 2.0 and Params instead of GetCertificates. */
    m.type = MSS_MSG_PROFILE_REQ;
    fixture_fill_header(&m.u.profile_req.hdr, 0);
    m.u.profile_req.msisdn = fixture_dup_s("+41790000001");
    m.u.profile_req.get_certificates = 1;
    json = swisscom_round_trip(&m, &back);
    assert_non_null(strstr(json, "\"MajorVersion\":\"2\",\"MinorVersion\":\"0\""));
    assert_non_null(strstr(json, "\"Params\":\"state certs\""));
    assert_null(strstr(json, "GetCertificates"));
    assert_int_equal(back.u.profile_req.get_certificates, 1);
    free(json);
    mss_message_clear(&back);
    m.u.profile_req.get_certificates = 0;
    json = swisscom_round_trip(&m, &back);
    assert_non_null(strstr(json, "\"Params\":\"state\""));
    assert_int_equal(back.u.profile_req.get_certificates, 0);
    free(json);
    mss_message_clear(&back);
    mss_message_clear(&m);

    /* Receipt: Status 100, the only value Swisscom's file allows. */
    m.type = MSS_MSG_RECEIPT_REQ;
    mss_receipt_req *q = &m.u.receipt_req;
    fixture_fill_header(&q->hdr, 1);
    q->mssp_trans_id = fixture_dup_s("tx_42");
    q->msisdn = fixture_dup_s("+41790000001");
    q->status.code = 500;
    q->message.text = fixture_dup_s("Logged in");
    json = swisscom_round_trip(&m, &back);
    assert_non_null(strstr(json, "\"Status\":{\"StatusCode\":{\"Value\":\"100\"}}"));
    assert_null(strstr(json, "\"500\""));
    free(json);
    mss_message_clear(&back);
    mss_message_clear(&m);

    /* A status query and every answer: Kiuru's bytes exactly. */
    m.type = MSS_MSG_STATUS_REQ;
    fixture_fill_header(&m.u.status_req.hdr, 1);
    m.u.status_req.mssp_trans_id = fixture_dup_s("tx_42");
    char *kiuru = NULL, *swisscom = NULL;
    size_t kl = 0, sl = 0;
    assert_int_equal(mss_binding_encode(mss_binding_rest(), &m, &kiuru, &kl), MSS_OK);
    assert_int_equal(mss_binding_encode(mss_binding_rest_swisscom(), &m, &swisscom, &sl), MSS_OK);
    assert_string_equal(kiuru, swisscom);
    free(kiuru);
    free(swisscom);
    mss_message_clear(&m);
}

static void test_encoder_refusals(void **state)
{
    (void)state;
    mss_message m = {0};
    char *json = NULL;
    size_t len = 0;

    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("tx");
    r->status.code = 500;
    /* fi:PKCS1 has no JSON form. */
    fixture_fill_ficom_signature_resp(r, "+1", sig_bytes, sizeof sig_bytes, cert_bytes,
                                      sizeof cert_bytes);
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS);
    r->signature.kind = MSS_SIG_XML;
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS);
    r->signature.kind = MSS_SIG_BASE64;
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_OK);
    free(json);
    json = NULL;
    /* Not UTF-8. */
    free(r->msisdn);
    r->msisdn = fixture_dup_s("+1\xff");
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS);
    mss_message_clear(&m);

    m.type = MSS_MSG_STATUS_RESP;
    fixture_fill_header(&m.u.status_resp.hdr, 0);
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS); /* status code 0 */
    m.u.status_resp.status.code = 504;
    free(m.u.status_resp.hdr.ap_id);
    m.u.status_resp.hdr.ap_id = NULL;
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS); /* no AP_ID */
    mss_message_clear(&m);

    m.type = MSS_MSG_SIGNATURE_REQ;
    fixture_fill_header(&m.u.signature_req.hdr, 0);
    fixture_fill_signature_req(&m.u.signature_req, "AA==", "text", "1");
    free(m.u.signature_req.services[0].value); /* eventId without its value */
    m.u.signature_req.services[0].value = NULL;
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS);
    mss_message_clear(&m);

    m.type = MSS_MSG_FAULT;
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS); /* code 0 */
    m.type = (mss_message_type)99;
    assert_int_equal(mss_rest_encode(&m, &json, &len), MSS_ERR_ARGS);
    assert_int_equal(mss_rest_encode(NULL, &json, &len), MSS_ERR_ARGS);
    assert_null(json);
    assert_int_equal(mss_rest_decode("{}", 2, NULL, NULL), MSS_ERR_ARGS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_signature_req_full),
        cmocka_unit_test(test_roundtrip_signature_req_minimal),
        cmocka_unit_test(test_roundtrip_signature_resp),
        cmocka_unit_test(test_roundtrip_status_req_and_resp),
        cmocka_unit_test(test_roundtrip_profile_req_and_resp),
        cmocka_unit_test(test_roundtrip_receipt_req_and_resp),
        cmocka_unit_test(test_roundtrip_fault),
        cmocka_unit_test(test_binding_table),
        cmocka_unit_test(test_decode_kiuru_signature_request),
        cmocka_unit_test(test_decode_laverca_minimal_request),
        cmocka_unit_test(test_decode_kiuru_signature_response),
        cmocka_unit_test(test_decode_kiuru_status_and_receipt),
        cmocka_unit_test(test_decode_kiuru_profile),
        cmocka_unit_test(test_decode_faults),
        cmocka_unit_test(test_decode_swisscom_request),
        cmocka_unit_test(test_encode_swisscom_flavour),
        cmocka_unit_test(test_encoder_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
