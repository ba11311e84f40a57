/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the TS 102 204 codec: round trips of every message type, decoding
 * of hand-written responses shaped like real MSSPs (FiCom, Kiuru/Swisscom), and
 * rejection of malformed, hostile and oversize input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <mss/mss.h>
#include "codec_fixtures.h"

/* ------------------------------------------------------------------ helpers */

/* Encode msg, decode the result into *out; returns the XML (caller frees). */
static char *round_trip(const mss_message *msg, mss_message *out)
{
    char *xml = NULL;
    size_t len = 0;
    mss_detail derr;
    assert_int_equal(mss_soap_encode(msg, &xml, &len), MSS_OK);
    assert_non_null(xml);
    assert_int_equal(strlen(xml), len);
    mss_error rc = mss_soap_decode(xml, len, out, &derr);
    if (rc != MSS_OK)
        fail_msg("decode of own encoding failed: %s\n%s", derr.text, xml);
    assert_int_equal(out->type, msg->type);
    return xml;
}

static mss_error decode_str(const char *xml, mss_message *out, mss_detail *derr)
{
    return mss_soap_decode(xml, strlen(xml), out, derr);
}

static const unsigned char sig_bytes[] = {0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef,
                                          0x00, 0xff, 0x7f, 0x80, 0x01, 0x02, 0x03};
static const unsigned char cert_bytes[] = {0x30, 0x82, 0x03, 0x10, 0x30, 0x82, 0x01,
                                           0xf8, 0xa0, 0x03, 0x02, 0x01, 0x02};

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

    char *xml = round_trip(&m, &back);
    /* Shape details other MSSPs rely on. */
    assert_non_null(strstr(xml, "<MSS_Signature>"));
    assert_non_null(strstr(xml, "<mss:MSS_SignatureReq"));
    assert_non_null(strstr(xml, "MessagingMode=\"asynchClientServer\""));
    assert_non_null(strstr(xml, "TimeOut=\"120\""));
    assert_non_null(strstr(xml, "<fi:EventID xmlns:fi=\"" MSS_NS_FICOM "\">1234</fi:EventID>"));
    assert_true(strstr(xml, "<mss:SignatureProfile>") < strstr(xml, "<mss:AdditionalServices>"));
    assert_true(strstr(xml, "<mss:AdditionalServices>") < strstr(xml, "<mss:MSS_Format>"));
    assert_non_null(strstr(xml, "&lt;bank&gt; &amp;"));

    const mss_signature_req *b = &back.u.signature_req;
    fixture_assert_signature_req_eq(r, b);
    assert_int_equal(b->timeout_s, 120);
    const mss_service *ev = mss_service_find(b->services, b->n_services, MSS_SERVICE_URI_EVENT_ID);
    assert_non_null(ev);
    assert_string_equal(ev->value, "1234");
    free(xml);
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
    r->msisdn = fixture_dup_s("+99900000002");
    r->dtbs.text = fixture_dup_s("Hello");

    char *xml = round_trip(&m, &back);
    assert_non_null(strstr(xml, "<mss:MSSP_ID/>")); /* required, empty when unknown */
    assert_null(strstr(xml, "TimeOut="));
    assert_null(strstr(xml, "DataToBeDisplayed"));
    const mss_signature_req *b = &back.u.signature_req;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_int_equal(b->mode, MSS_MODE_SYNCH);
    assert_int_equal(b->timeout_s, 0);
    assert_string_equal(b->dtbs.text, "Hello");
    assert_null(b->dtbs.mime_type);
    assert_null(b->dtbd.text);
    assert_null(b->signature_profile);
    assert_null(b->mss_format);
    assert_int_equal(b->n_services, 0);
    free(xml);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_signature_resp_base64(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("mssp-42");
    r->msisdn = fixture_dup_s("+99900000001");
    r->signature.kind = MSS_SIG_BASE64;
    r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->signature.value_len = sizeof sig_bytes;
    r->signature_profile = fixture_dup_s("mss:refmssp:sign:loa4:sim");
    r->status.code = 500;
    r->status.message = fixture_dup_s("SIGNATURE");

    char *xml = round_trip(&m, &back);
    assert_non_null(strstr(xml, "<mss:Base64Signature>"));
    const mss_signature_resp *b = &back.u.signature_resp;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_string_equal(b->mssp_trans_id, "mssp-42");
    assert_string_equal(b->msisdn, r->msisdn);
    fixture_assert_sig_eq(&r->signature, &b->signature);
    assert_string_equal(b->signature_profile, r->signature_profile);
    fixture_assert_status_eq(&r->status, &b->status);
    free(xml);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_signature_resp_ficom_pkcs1(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    mss_signature_resp *r = &m.u.signature_resp;
    fixture_fill_header(&r->hdr, 1);
    r->mssp_trans_id = fixture_dup_s("_7");
    fixture_fill_ficom_signature_resp(r, "+358401234567", sig_bytes, sizeof sig_bytes, cert_bytes,
                                      sizeof cert_bytes);

    char *xml = round_trip(&m, &back);
    assert_non_null(strstr(xml, "<fi:PKCS1 xmlns:fi=\"" MSS_NS_FICOM "\">"));
    assert_non_null(strstr(xml, "<fi:SignatureValue>"));
    const mss_signature_resp *b = &back.u.signature_resp;
    fixture_assert_sig_eq(&r->signature, &b->signature);
    fixture_assert_status_eq(&r->status, &b->status);
    assert_null(b->signature_profile);
    free(xml);
    mss_message_clear(&m);
    mss_message_clear(&back);
}

static void test_roundtrip_status_req(void **state)
{
    (void)state;
    for (int with_msisdn = 0; with_msisdn < 2; with_msisdn++) {
        mss_message m = {0}, back = {0};
        m.type = MSS_MSG_STATUS_REQ;
        mss_status_req *r = &m.u.status_req;
        fixture_fill_header(&r->hdr, 1);
        r->mssp_trans_id = fixture_dup_s("mssp-42");
        if (with_msisdn)
            r->msisdn = fixture_dup_s("+99900000001");
        char *xml = round_trip(&m, &back);
        assert_non_null(strstr(xml, "<MSS_StatusQuery>"));
        assert_int_equal(strstr(xml, "MobileUser") != NULL, with_msisdn);
        const mss_status_req *b = &back.u.status_req;
        fixture_assert_header_eq(&r->hdr, &b->hdr);
        assert_string_equal(b->mssp_trans_id, "mssp-42");
        fixture_assert_str_eq(b->msisdn, r->msisdn);
        free(xml);
        mss_message_clear(&m);
        mss_message_clear(&back);
    }
}

static void test_roundtrip_status_resp(void **state)
{
    (void)state;
    /* Pending (504, no signature), then final with a signature. */
    for (int final = 0; final < 2; final++) {
        mss_message m = {0}, back = {0};
        m.type = MSS_MSG_STATUS_RESP;
        mss_status_resp *r = &m.u.status_resp;
        fixture_fill_header(&r->hdr, 1);
        r->msisdn = fixture_dup_s("+99900000001");
        r->status.code = final ? 500 : 504;
        r->status.message = fixture_dup_s(final ? "SIGNATURE" : "OUTSTANDING_TRANSACTION");
        if (final) {
            r->signature.kind = MSS_SIG_BASE64;
            r->signature.value = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
            r->signature.value_len = sizeof sig_bytes;
        }
        char *xml = round_trip(&m, &back);
        const mss_status_resp *b = &back.u.status_resp;
        fixture_assert_header_eq(&r->hdr, &b->hdr);
        assert_string_equal(b->msisdn, r->msisdn);
        fixture_assert_sig_eq(&r->signature, &b->signature);
        fixture_assert_status_eq(&r->status, &b->status);
        free(xml);
        mss_message_clear(&m);
        mss_message_clear(&back);
    }
}

static void test_roundtrip_profile_req(void **state)
{
    (void)state;
    for (int certs = 0; certs < 2; certs++) {
        mss_message m = {0}, back = {0};
        m.type = MSS_MSG_PROFILE_REQ;
        fixture_fill_header(&m.u.profile_req.hdr, 0);
        m.u.profile_req.msisdn = fixture_dup_s("+99900000001");
        m.u.profile_req.get_certificates = certs;
        char *xml = round_trip(&m, &back);
        assert_non_null(strstr(xml, "<MSS_ProfileQuery>"));
        assert_int_equal(strstr(xml, "<mss:GetCertificates>true</mss:GetCertificates>") != NULL,
                         certs);
        fixture_assert_header_eq(&m.u.profile_req.hdr, &back.u.profile_req.hdr);
        assert_string_equal(back.u.profile_req.msisdn, "+99900000001");
        assert_int_equal(back.u.profile_req.get_certificates, certs);
        free(xml);
        mss_message_clear(&m);
        mss_message_clear(&back);
    }
}

static void test_roundtrip_profile_resp(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_PROFILE_RESP;
    mss_profile_resp *r = &m.u.profile_resp;
    fixture_fill_header(&r->hdr, 1);
    fixture_fill_profile_resp(r, 2, cert_bytes, sizeof cert_bytes);
    r->certs[1].der = fixture_dup_bytes(sig_bytes, sizeof sig_bytes);
    r->certs[1].der_len = sizeof sig_bytes;
    r->status.code = 100;
    r->status.message = fixture_dup_s("REQUEST_OK");

    char *xml = round_trip(&m, &back);
    assert_non_null(strstr(xml, "<mcs:ProfileQueryExtension"));
    assert_non_null(strstr(xml, "<ds:X509Certificate>"));
    const mss_profile_resp *b = &back.u.profile_resp;
    fixture_assert_header_eq(&r->hdr, &b->hdr);
    assert_int_equal(b->n_profiles, 2);
    assert_string_equal(b->profiles[0], r->profiles[0]);
    assert_string_equal(b->profiles[1], r->profiles[1]);
    assert_int_equal(b->n_certs, 2);
    for (size_t i = 0; i < 2; i++) {
        fixture_assert_bytes_eq(b->certs[i].der, b->certs[i].der_len, r->certs[i].der, r->certs[i].der_len);
        fixture_assert_str_eq(b->certs[i].state, r->certs[i].state);
        fixture_assert_str_eq(b->certs[i].algorithm, r->certs[i].algorithm);
        fixture_assert_str_eq(b->certs[i].profiles, r->certs[i].profiles);
    }
    fixture_assert_status_eq(&r->status, &b->status);
    free(xml);
    mss_message_clear(&m);
    /* mss_profile_resp_clear releases the same thing on its own. */
    mss_profile_resp_clear(&back.u.profile_resp);
    assert_null(back.u.profile_resp.profiles);
    assert_int_equal(back.u.profile_resp.n_certs, 0);
}

static void test_roundtrip_fault_nested(void **state)
{
    (void)state;
    mss_message m = {0}, back = {0};
    m.type = MSS_MSG_FAULT;
    m.u.fault.sender = 1;
    m.u.fault.code = 105;
    m.u.fault.specifier = 1051;
    m.u.fault.reason = fixture_dup_s("UNKNOWN_CLIENT");
    m.u.fault.detail = fixture_dup_s("Malformed user identifier");
    char *xml = round_trip(&m, &back);
    assert_non_null(strstr(xml, "<env:Value>env:Sender</env:Value>"));
    assert_non_null(strstr(xml, "<env:Value>mss:_105</env:Value>"));
    assert_non_null(strstr(xml, "<env:Value>mss:_1051</env:Value>"));
    assert_non_null(strstr(xml, "xml:lang=\"en\""));
    assert_int_equal(back.u.fault.sender, 1);
    assert_int_equal(back.u.fault.code, 105);
    assert_int_equal(back.u.fault.specifier, 1051);
    assert_string_equal(back.u.fault.reason, "UNKNOWN_CLIENT");
    assert_string_equal(back.u.fault.detail, "Malformed user identifier");
    free(xml);
    mss_message_clear(&back);

    /* A receiver fault without specifier, detail or reason: the name is filled in. */
    free(m.u.fault.reason);
    free(m.u.fault.detail);
    m.u.fault = (mss_fault){.sender = 0, .code = 401};
    xml = round_trip(&m, &back);
    assert_int_equal(back.u.fault.sender, 0);
    assert_int_equal(back.u.fault.code, 401);
    assert_int_equal(back.u.fault.specifier, 0);
    assert_string_equal(back.u.fault.reason, "USER_CANCEL");
    assert_null(back.u.fault.detail);
    free(xml);
    mss_message_clear(&back);
}

/* ------------------------------------------------------------------ field shapes */

#define ENV_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
    "<soapenv:Envelope xmlns:soapenv=\"http://www.w3.org/2003/05/soap-envelope\">"
#define ENV_CLOSE "</soapenv:Envelope>"

static void test_decode_ficom_fault_208(void **state)
{
    (void)state;
    const char *xml = ENV_OPEN
        "<soapenv:Body><soapenv:Fault xmlns:fi=\"http://mss.ficom.fi/TS102204/v1.0.0#\">"
        "<soapenv:Code><soapenv:Value>soapenv:Receiver</soapenv:Value>"
        "<soapenv:Subcode><soapenv:Value>fi:_208</soapenv:Value>"
        "<soapenv:Subcode><soapenv:Value>fi:2082</soapenv:Value></soapenv:Subcode>"
        "</soapenv:Subcode></soapenv:Code>"
        "<soapenv:Reason><soapenv:Text xml:lang=\"en\">EXPIRED_TRANSACTION</soapenv:Text></soapenv:Reason>"
        "</soapenv:Fault></soapenv:Body>" ENV_CLOSE;
    mss_message m = {0};
    mss_detail derr;
    assert_int_equal(decode_str(xml, &m, &derr), MSS_OK);
    assert_int_equal(m.type, MSS_MSG_FAULT);
    assert_int_equal(m.u.fault.sender, 0);
    assert_int_equal(m.u.fault.code, 208);
    assert_int_equal(m.u.fault.specifier, 2082);
    assert_string_equal(m.u.fault.reason, "EXPIRED_TRANSACTION");
    assert_null(m.u.fault.detail);
    mss_message_clear(&m);
}

static void test_decode_ficom_signature_resp(void **state)
{
    (void)state;
    /* Wrapper MSS_Signature, fi:PKCS1 with line-wrapped base64, a FiCom
     * ServiceResponses block in StatusDetail that the codec ignores. */
    const char *xml = ENV_OPEN
        "<soapenv:Body><MSS_Signature>"
        "<mss:MSS_SignatureResp xmlns:mss=\"http://uri.etsi.org/TS102204/v1.1.2#\""
        " xmlns:fi=\"http://mss.ficom.fi/TS102204/v1.0.0#\" MajorVersion=\"1\" MinorVersion=\"1\""
        " MSSP_TransID=\"tid4711\">"
        "<mss:AP_Info AP_ID=\"http://ae.example.fi/ap\" AP_PWD=\"x\" AP_TransID=\"A1\""
        " Instant=\"2026-11-27T10:00:00.000+02:00\"/>"
        "<mss:MSSP_Info Instant=\"2026-11-27T10:00:02.000+02:00\"><mss:MSSP_ID>"
        "<mss:URI>http://mid.example.fi</mss:URI></mss:MSSP_ID></mss:MSSP_Info>"
        "<mss:MobileUser><mss:MSISDN>+358401234567</mss:MSISDN></mss:MobileUser>"
        "<mss:MSS_Signature><fi:PKCS1>"
        "<fi:SignatureValue>MIIBAN6tvu8A\n  /3+AAQID</fi:SignatureValue>"
        "<fi:X509Certificate>MIIDEDCCAfigAwIBAg==</fi:X509Certificate>"
        "</fi:PKCS1></mss:MSS_Signature>"
        "<mss:SignatureProfile><mss:mssURI>http://mss.ficom.fi/TS102204/v1.0.0#signature</mss:mssURI></mss:SignatureProfile>"
        "<mss:Status><mss:StatusCode Value=\"500\"/><mss:StatusMessage>SIGNATURE</mss:StatusMessage>"
        "<mss:StatusDetail><fi:ServiceResponses><fi:ServiceResponse><fi:Description>"
        "<mss:mssURI>http://mss.ficom.fi/TS102204/v1.0.0#noSpam</mss:mssURI></fi:Description>"
        "</fi:ServiceResponse></fi:ServiceResponses></mss:StatusDetail></mss:Status>"
        "</mss:MSS_SignatureResp></MSS_Signature></soapenv:Body>" ENV_CLOSE;
    mss_message m = {0};
    mss_detail derr = {.text = ""};
    assert_int_equal(decode_str(xml, &m, &derr), MSS_OK);
    assert_int_equal(m.type, MSS_MSG_SIGNATURE_RESP);
    const mss_signature_resp *r = &m.u.signature_resp;
    assert_string_equal(r->mssp_trans_id, "tid4711");
    assert_string_equal(r->hdr.mssp_id_uri, "http://mid.example.fi");
    assert_string_equal(r->hdr.mssp_instant, "2026-11-27T10:00:02.000+02:00");
    assert_string_equal(r->msisdn, "+358401234567");
    assert_int_equal(r->signature.kind, MSS_SIG_FICOM_PKCS1);
    fixture_assert_bytes_eq(r->signature.value, r->signature.value_len, sig_bytes, sizeof sig_bytes);
    fixture_assert_bytes_eq(r->signature.cert_der, r->signature.cert_len, cert_bytes, sizeof cert_bytes);
    assert_string_equal(r->signature_profile, "http://mss.ficom.fi/TS102204/v1.0.0#signature");
    assert_int_equal(r->status.code, 500);
    assert_string_equal(r->status.message, "SIGNATURE");
    mss_message_clear(&m);
}

static void test_decode_kiuru_signature_response_unqualified(void **state)
{
    (void)state;
    /* Kiuru/Swisscom: MSS_SignatureResponse wrapper, unqualified children,
     * extra whitespace, a header the codec does not need. */
    const char *xml = ENV_OPEN
        "<soapenv:Header><x:Foo xmlns:x=\"urn:x\" soapenv:mustUnderstand=\"false\"/></soapenv:Header>"
        "<soapenv:Body>\n  <MSS_SignatureResponse xmlns=\"http://uri.etsi.org/TS102204/etsi204-kiuru.wsdl\">\n"
        "   <mss:MSS_SignatureResp xmlns:mss=\"http://uri.etsi.org/TS102204/v1.1.2#\""
        " MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"h2z8p1\">"
        "<AP_Info xmlns=\"\" AP_ID=\"mid://dev.swisscom.ch\" AP_TransID=\"AP.TEST.12345\""
        " Instant=\"2026-11-27T10:00:00.000+01:00\"/>"
        "<MSSP_Info xmlns=\"\"><MSSP_ID><URI>http://mid.swisscom.ch/</URI></MSSP_ID></MSSP_Info>"
        "<MobileUser xmlns=\"\"><MSISDN> +41000092401 </MSISDN></MobileUser>"
        "<MSS_Signature xmlns=\"\"><Base64Signature>MIIBAN6t\r\nvu8A/3+AAQID</Base64Signature></MSS_Signature>"
        "<Status xmlns=\"\"><StatusCode Value=\" 500 \"/><StatusMessage>SIGNATURE</StatusMessage></Status>"
        "</mss:MSS_SignatureResp></MSS_SignatureResponse></soapenv:Body>" ENV_CLOSE;
    mss_message m = {0};
    mss_detail derr = {.text = ""};
    assert_int_equal(decode_str(xml, &m, &derr), MSS_OK);
    assert_int_equal(m.type, MSS_MSG_SIGNATURE_RESP);
    const mss_signature_resp *r = &m.u.signature_resp;
    assert_string_equal(r->hdr.ap_trans_id, "AP.TEST.12345");
    assert_null(r->hdr.ap_pwd);
    assert_string_equal(r->hdr.mssp_id_uri, "http://mid.swisscom.ch/");
    assert_string_equal(r->msisdn, "+41000092401");
    assert_int_equal(r->signature.kind, MSS_SIG_BASE64);
    fixture_assert_bytes_eq(r->signature.value, r->signature.value_len, sig_bytes, sizeof sig_bytes);
    assert_int_equal(r->status.code, 500);
    mss_message_clear(&m);
}

static void test_decode_swisscom_fault_101_detail(void **state)
{
    (void)state;
    const char *xml = ENV_OPEN
        "<soapenv:Body><soapenv:Fault>"
        "<soapenv:Code><soapenv:Value>soapenv:Sender</soapenv:Value>"
        "<soapenv:Subcode xmlns:mss=\"http://uri.etsi.org/TS102204/v1.1.2#\">"
        "<soapenv:Value>mss:_101</soapenv:Value></soapenv:Subcode></soapenv:Code>"
        "<soapenv:Reason><soapenv:Text xml:lang=\"en\">WRONG_PARAM</soapenv:Text></soapenv:Reason>"
        "<soapenv:Detail><ns1:detail xmlns:ns1=\"http://kiuru.methics.fi/mssp\">Illegal msisdn</ns1:detail>"
        "</soapenv:Detail></soapenv:Fault></soapenv:Body>" ENV_CLOSE;
    mss_message m = {0};
    mss_detail derr = {.text = ""};
    assert_int_equal(decode_str(xml, &m, &derr), MSS_OK);
    assert_int_equal(m.type, MSS_MSG_FAULT);
    assert_int_equal(m.u.fault.sender, 1);
    assert_int_equal(m.u.fault.code, 101);
    assert_int_equal(m.u.fault.specifier, 0);
    assert_string_equal(m.u.fault.reason, "WRONG_PARAM");
    assert_string_equal(m.u.fault.detail, "Illegal msisdn");
    mss_message_clear(&m);
}

static void test_decode_profile_resp_with_certs(void **state)
{
    (void)state;
    const char *xml = ENV_OPEN
        "<soapenv:Body><MSS_ProfileQueryResponse>"
        "<MSS_ProfileResp xmlns=\"http://uri.etsi.org/TS102204/v1.1.2#\" MajorVersion=\"1\" MinorVersion=\"1\">"
        "<AP_Info AP_ID=\"http://ap\" AP_TransID=\"_9\" AP_PWD=\"pw\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<MSSP_Info><MSSP_ID><URI>http://mssp</URI></MSSP_ID></MSSP_Info>"
        "<SignatureProfile><mssURI>mss:b:authn:loa3:sim</mssURI></SignatureProfile>"
        "<SignatureProfile><mssURI>mss:b:sign:loa4:sim</mssURI></SignatureProfile>"
        "<Status><StatusCode Value=\"100\"/><StatusMessage>REQUEST_OK</StatusMessage><StatusDetail>"
        "<x:Unknown xmlns:x=\"urn:vendor\"><x:a/></x:Unknown>"
        "<mcs:ProfileQueryExtension xmlns:mcs=\"http://www.methics.fi/TS102204/ext/v1.0.0\""
        " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
        "<mcs:MobileUserCertificate State=\"ACTIVE\" Algorithm=\"RSA2048\" SignatureProfiles=\"mss:b:authn:loa3:sim\">"
        "<ds:X509SubjectName>CN=Test</ds:X509SubjectName>"
        "<ds:X509Certificate>MIIDEDCCAfigAwIBAg==</ds:X509Certificate></mcs:MobileUserCertificate>"
        "<mcs:MobileUserCertificate State=\"INACTIVE\">"
        "<ds:X509Certificate>MIIBAN6tvu8A/3+AAQID</ds:X509Certificate></mcs:MobileUserCertificate>"
        "<mcs:AutoActivation>false</mcs:AutoActivation>"
        "</mcs:ProfileQueryExtension></StatusDetail></Status>"
        "</MSS_ProfileResp></MSS_ProfileQueryResponse></soapenv:Body>" ENV_CLOSE;
    mss_message m = {0};
    mss_detail derr = {.text = ""};
    mss_error rc = decode_str(xml, &m, &derr);
    if (rc != MSS_OK)
        fail_msg("%s", derr.text);
    assert_int_equal(m.type, MSS_MSG_PROFILE_RESP);
    const mss_profile_resp *r = &m.u.profile_resp;
    assert_int_equal(r->n_profiles, 2);
    assert_string_equal(r->profiles[1], "mss:b:sign:loa4:sim");
    assert_int_equal(r->n_certs, 2);
    fixture_assert_bytes_eq(r->certs[0].der, r->certs[0].der_len, cert_bytes, sizeof cert_bytes);
    assert_string_equal(r->certs[0].state, "ACTIVE");
    assert_string_equal(r->certs[0].algorithm, "RSA2048");
    assert_string_equal(r->certs[0].profiles, "mss:b:authn:loa3:sim");
    assert_string_equal(r->certs[1].state, "INACTIVE");
    assert_null(r->certs[1].algorithm);
    fixture_assert_bytes_eq(r->certs[1].der, r->certs[1].der_len, sig_bytes, sizeof sig_bytes);
    assert_int_equal(r->status.code, 100);
    mss_message_clear(&m);
}

static void test_decode_bare_request_in_body(void **state)
{
    (void)state;
    /* No operation wrapper at all: the MSS element directly in the Body. */
    const char *xml = ENV_OPEN
        "<soapenv:Body><MSS_StatusReq xmlns=\"http://uri.etsi.org/TS102204/v1.1.2#\""
        " MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"t1\">"
        "<AP_Info AP_ID=\"http://ap\" AP_TransID=\"_2\" AP_PWD=\"pw\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<MSSP_Info><MSSP_ID/></MSSP_Info></MSS_StatusReq></soapenv:Body>" ENV_CLOSE;
    mss_message m = {0};
    mss_detail derr = {.text = ""};
    assert_int_equal(decode_str(xml, &m, &derr), MSS_OK);
    assert_int_equal(m.type, MSS_MSG_STATUS_REQ);
    assert_string_equal(m.u.status_req.mssp_trans_id, "t1");
    assert_null(m.u.status_req.hdr.mssp_id_uri);
    assert_null(m.u.status_req.msisdn);
    mss_message_clear(&m);
}

/* ------------------------------------------------------------------ rejections */

/* Decode must fail with `want`, say why (mentioning `why` when not NULL), leave
 * the output cleared, and never echo the AP password. */
static void expect_reject(const char *xml, size_t len, mss_error want, const char *why)
{
    mss_message m;
    memset(&m, 0xA5, sizeof m); /* garbage in: must come back cleared */
    mss_detail derr = {.text = "stale"};
    mss_error rc = mss_soap_decode(xml, len, &m, &derr);
    if (rc != want)
        fail_msg("expected %s, got %s (%s)", mss_error_string(want), mss_error_string(rc), derr.text);
    assert_true(strlen(derr.text) > 0);
    assert_string_not_equal(derr.text, "stale");
    if (why != NULL && strstr(derr.text, why) == NULL)
        fail_msg("error \"%s\" does not mention \"%s\"", derr.text, why);
    assert_null(strstr(derr.text, "s3cr3t"));
    mss_message zero;
    memset(&zero, 0, sizeof zero);
    assert_memory_equal(&m, &zero, sizeof m);
}

static void expect_reject_str(const char *xml, mss_error want, const char *why)
{
    expect_reject(xml, strlen(xml), want, why);
}

static char *encode_sample_resp(size_t *len)
{
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_RESP;
    fixture_fill_header(&m.u.signature_resp.hdr, 1);
    m.u.signature_resp.mssp_trans_id = fixture_dup_s("t1");
    m.u.signature_resp.msisdn = fixture_dup_s("+99900000001");
    m.u.signature_resp.status.code = 100;
    char *xml = NULL;
    assert_int_equal(mss_soap_encode(&m, &xml, len), MSS_OK);
    mss_message_clear(&m);
    return xml;
}

static void test_reject_malformed(void **state)
{
    (void)state;
    expect_reject_str("<env:Envelope xmlns:env=\"" MSS_NS_SOAP12 "\"><env:Body></env:Envelope>",
                      MSS_ERR_XML_MALFORMED, "malformed XML");
    expect_reject_str("not xml at all", MSS_ERR_XML_MALFORMED, NULL);
    expect_reject_str("<a>&undefined;</a>", MSS_ERR_XML_MALFORMED, NULL);
    expect_reject("", 0, MSS_ERR_XML_MALFORMED, "empty");
    /* An embedded NUL byte inside the given length. */
    static const char with_nul[] = "<a>x\0y</a>";
    expect_reject(with_nul, sizeof with_nul - 1, MSS_ERR_XML_MALFORMED, NULL);
}

static void test_reject_truncated(void **state)
{
    (void)state;
    size_t len = 0;
    char *xml = encode_sample_resp(&len);
    for (size_t cut = 1; cut < len - 1; cut += len / 7)
        expect_reject(xml, cut, MSS_ERR_XML_MALFORMED, NULL);
    /* The full message still decodes: the failures come from the cut. */
    mss_message m = {0};
    assert_int_equal(mss_soap_decode(xml, len, &m, NULL), MSS_OK);
    mss_message_clear(&m);
    free(xml);
}

static void test_reject_doctype_entities(void **state)
{
    (void)state;
    const char *laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
        "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body>"
        "<MSS_Signature>&lol9;</MSS_Signature></env:Body></env:Envelope>";
    expect_reject_str(laughs, MSS_ERR_XML_MALFORMED, "DOCTYPE");
    const char *xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE e SYSTEM \"file:///etc/passwd\">"
        "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"/>";
    expect_reject_str(xxe, MSS_ERR_XML_MALFORMED, "DOCTYPE");
    const char *plain = "<!DOCTYPE env:Envelope><env:Envelope "
                        "xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body/></env:Envelope>";
    expect_reject_str(plain, MSS_ERR_XML_MALFORMED, "DOCTYPE");
}

static void test_reject_soap11(void **state)
{
    (void)state;
    const char *xml =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
        "<s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring></s:Fault>"
        "</s:Body></s:Envelope>";
    expect_reject_str(xml, MSS_ERR_XML_UNEXPECTED, "SOAP 1.1");
    expect_reject_str("<Envelope><Body/></Envelope>", MSS_ERR_XML_UNEXPECTED, "SOAP 1.2");
    expect_reject_str("<html><body/></html>", MSS_ERR_XML_UNEXPECTED, "Envelope");
}

static void test_reject_deep_nesting(void **state)
{
    (void)state;
    const int depth = 200;
    size_t cap = (size_t)depth * 8 + 256;
    char *xml = malloc(cap);
    assert_non_null(xml);
    strcpy(xml, "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body>");
    for (int i = 0; i < depth; i++)
        strcat(xml, "<a>");
    for (int i = 0; i < depth; i++)
        strcat(xml, "</a>");
    strcat(xml, "</env:Body></env:Envelope>");
    expect_reject_str(xml, MSS_ERR_XML_MALFORMED, "nested");
    free(xml);
}

static void test_reject_oversize(void **state)
{
    (void)state;
    size_t len = (size_t)MSS_MAX_BODY + 1;
    char *xml = malloc(len + 1);
    assert_non_null(xml);
    memset(xml, ' ', len);
    memcpy(xml, "<a>", 3);
    xml[len] = '\0';
    expect_reject(xml, len, MSS_ERR_TOO_LARGE, "limit");
    free(xml);
}

static void test_reject_shape_errors(void **state)
{
    (void)state;
    /* A response whose StatusCode is not a number. */
    const char *bad_code = ENV_OPEN "<soapenv:Body><MSS_Signature>"
        "<MSS_SignatureResp xmlns=\"" MSS_NS_ETSI "\" MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"t\">"
        "<AP_Info AP_ID=\"a\" AP_TransID=\"b\" AP_PWD=\"s3cr3t\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<MSSP_Info><MSSP_ID/></MSSP_Info><MobileUser/><Status><StatusCode Value=\"5O0\"/></Status>"
        "</MSS_SignatureResp></MSS_Signature></soapenv:Body>" ENV_CLOSE;
    expect_reject_str(bad_code, MSS_ERR_XML_UNEXPECTED, "Value");
    /* Missing Status. */
    const char *no_status = ENV_OPEN "<soapenv:Body><MSS_Signature>"
        "<MSS_SignatureResp xmlns=\"" MSS_NS_ETSI "\" MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"t\">"
        "<AP_Info AP_ID=\"a\" AP_TransID=\"b\" AP_PWD=\"s3cr3t\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<MSSP_Info><MSSP_ID/></MSSP_Info><MobileUser/></MSS_SignatureResp></MSS_Signature>"
        "</soapenv:Body>" ENV_CLOSE;
    expect_reject_str(no_status, MSS_ERR_XML_UNEXPECTED, "Status");
    /* Missing MSSP_TransID. */
    const char *no_tid = ENV_OPEN "<soapenv:Body><MSS_Signature>"
        "<MSS_SignatureResp xmlns=\"" MSS_NS_ETSI "\" MajorVersion=\"1\" MinorVersion=\"1\">"
        "<AP_Info AP_ID=\"a\" AP_TransID=\"b\" AP_PWD=\"s3cr3t\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<MSSP_Info><MSSP_ID/></MSSP_Info><MobileUser/><Status><StatusCode Value=\"100\"/></Status>"
        "</MSS_SignatureResp></MSS_Signature></soapenv:Body>" ENV_CLOSE;
    expect_reject_str(no_tid, MSS_ERR_XML_UNEXPECTED, "MSSP_TransID");
    /* Bad base64 in the signature. */
    const char *bad_b64 = ENV_OPEN "<soapenv:Body><MSS_Signature>"
        "<MSS_SignatureResp xmlns=\"" MSS_NS_ETSI "\" MajorVersion=\"1\" MinorVersion=\"1\" MSSP_TransID=\"t\">"
        "<AP_Info AP_ID=\"a\" AP_TransID=\"b\" AP_PWD=\"s3cr3t\" Instant=\"2026-11-27T10:00:00Z\"/>"
        "<MSSP_Info><MSSP_ID/></MSSP_Info><MobileUser/><MSS_Signature><Base64Signature>ab$d</Base64Signature>"
        "</MSS_Signature><Status><StatusCode Value=\"500\"/></Status>"
        "</MSS_SignatureResp></MSS_Signature></soapenv:Body>" ENV_CLOSE;
    expect_reject_str(bad_b64, MSS_ERR_XML_UNEXPECTED, "base64");
    /* A fault whose subcode is not numeric. */
    const char *bad_fault = ENV_OPEN "<soapenv:Body><soapenv:Fault><soapenv:Code>"
        "<soapenv:Value>soapenv:Sender</soapenv:Value><soapenv:Subcode>"
        "<soapenv:Value>mss:_abc</soapenv:Value></soapenv:Subcode></soapenv:Code>"
        "<soapenv:Reason><soapenv:Text xml:lang=\"en\">X</soapenv:Text></soapenv:Reason>"
        "</soapenv:Fault></soapenv:Body>" ENV_CLOSE;
    expect_reject_str(bad_fault, MSS_ERR_XML_UNEXPECTED, "numeric");
    /* A known wrapper with nothing known inside, and an empty Body. */
    expect_reject_str(ENV_OPEN "<soapenv:Body><MSS_Signature><Foo/></MSS_Signature></soapenv:Body>"
                      ENV_CLOSE, MSS_ERR_XML_UNEXPECTED, "MSS_Signature");
    expect_reject_str(ENV_OPEN "<soapenv:Body/>" ENV_CLOSE, MSS_ERR_XML_UNEXPECTED, "empty");
    /* MSS element in a foreign namespace. */
    expect_reject_str(ENV_OPEN "<soapenv:Body><MSS_Signature><x:MSS_SignatureResp xmlns:x=\"urn:other\"/>"
                      "</MSS_Signature></soapenv:Body>" ENV_CLOSE, MSS_ERR_XML_UNEXPECTED, NULL);
}

static void test_decode_is_silent(void **state)
{
    (void)state;
    /* libxml2 must not print its own diagnostics: capture fd 2 meanwhile. */
    char path[] = "/tmp/test_codec_stderr_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    assert_true(saved >= 0);
    assert_true(dup2(fd, 2) >= 0);
    mss_message m = {0};
    decode_str("<a><b></a>", &m, NULL);
    decode_str("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", &m, NULL);
    decode_str("<a>&nope;</a>", &m, NULL);
    /* A declared encoding the bytes do not match: libxml2 reports that through its
     * global error handler, not the parser context's (found by fuzz_refmssp). */
    decode_str("<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a>\xff\xfe\xfd</a>", &m, NULL);
    decode_str("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><a>\x1b$B\xff\xff</a>", &m,
               NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    assert_int_equal(size, 0);
}

static void test_encode_rejects_bad_input(void **state)
{
    (void)state;
    char *xml = (char *)0x1; /* must stay untouched on failure */
    size_t len = 77;
    mss_message m = {0};
    m.type = MSS_MSG_SIGNATURE_REQ;
    mss_signature_req *r = &m.u.signature_req;
    fixture_fill_header(&r->hdr, 0);
    r->msisdn = fixture_dup_s("+99900000001");
    r->dtbs.text = fixture_dup_s("abc");
    /* Sanity: valid as is. */
    char *ok = NULL;
    assert_int_equal(mss_soap_encode(&m, &ok, NULL), MSS_OK);
    free(ok);

    r->dtbd.text = fixture_dup_s("bell\x07");
    assert_int_equal(mss_soap_encode(&m, &xml, &len), MSS_ERR_ARGS);
    free(r->dtbd.text);
    r->dtbd.text = fixture_dup_s("bad utf8 \xc3\x28");
    assert_int_equal(mss_soap_encode(&m, &xml, &len), MSS_ERR_ARGS);
    free(r->dtbd.text);
    r->dtbd.text = NULL;

    free(r->hdr.ap_trans_id);
    r->hdr.ap_trans_id = fixture_dup_s("1-starts-with-digit");
    assert_int_equal(mss_soap_encode(&m, &xml, &len), MSS_ERR_ARGS);
    free(r->hdr.ap_trans_id);
    r->hdr.ap_trans_id = fixture_dup_s("_ok");

    free(r->dtbs.text);
    r->dtbs.text = NULL;
    assert_int_equal(mss_soap_encode(&m, &xml, &len), MSS_ERR_ARGS);
    r->dtbs.text = fixture_dup_s("abc");

    r->mode = (mss_messaging_mode)42;
    assert_int_equal(mss_soap_encode(&m, &xml, &len), MSS_ERR_ARGS);
    r->mode = MSS_MODE_SYNCH;
    assert_ptr_equal(xml, (char *)0x1);
    assert_int_equal(len, 77);
    mss_message_clear(&m);

    assert_int_equal(mss_soap_encode(NULL, &xml, &len), MSS_ERR_ARGS);
    mss_message bad = {0};
    bad.type = (mss_message_type)99;
    assert_int_equal(mss_soap_encode(&bad, &xml, &len), MSS_ERR_ARGS);
    bad.type = MSS_MSG_FAULT; /* code 0 is not a fault */
    assert_int_equal(mss_soap_encode(&bad, &xml, &len), MSS_ERR_ARGS);
    bad.type = MSS_MSG_SIGNATURE_RESP; /* no MSSP_TransID, no header */
    assert_int_equal(mss_soap_encode(&bad, &xml, &len), MSS_ERR_ARGS);
}

/* Every mutation of a valid message either decodes or fails with a reason; under
 * valgrind/ASan this also shows that hostile bytes never touch memory wrongly. */
static void test_decode_mutations_never_crash(void **state)
{
    (void)state;
    size_t len = 0;
    char *xml = encode_sample_resp(&len);
    static const char noise[] = "<>&;\"'=:/_ \x01\xff\xc3";
    unsigned seed = 12345u;
    int ok = 0, failed = 0;
    for (int round = 0; round < 3000; round++) {
        char *copy = malloc(len + 1);
        assert_non_null(copy);
        memcpy(copy, xml, len + 1);
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % len;
            copy[pos] = noise[(seed >> 4) % (sizeof noise - 1)];
        }
        mss_message m = {0};
        mss_detail derr = {.text = ""};
        mss_error rc = mss_soap_decode(copy, len, &m, &derr);
        if (rc == MSS_OK) {
            ok++;
        } else {
            failed++;
            assert_true(derr.text[0] != '\0');
            assert_null(strstr(derr.text, "s3cr3t"));
        }
        mss_message_clear(&m);
        free(copy);
    }
    /* Both outcomes occur: the mutations are neither all harmless nor all fatal. */
    assert_true(ok > 0);
    assert_true(failed > 0);
    free(xml);
}

/* ------------------------------------------------------------------ tables and helpers */

static void test_status_table(void **state)
{
    (void)state;
    static const int codes[] = {100, 101, 102, 103, 104, 105, 107, 108, 109, 208, 209,
                                401, 402, 403, 404, 405, 406, 407, 422, 423, 424, 425, 450,
                                500, 501, 502, 503, 504, 505, 701, 702, 703, 710, 720, 750,
                                760, 770, 780, 900};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const mss_status_info *s = mss_status_lookup(codes[i]);
        if (s == NULL)
            fail_msg("code %d missing", codes[i]);
        assert_int_equal(s->code, codes[i]);
        assert_non_null(s->name);
        assert_true(strlen(s->meaning) > 5);
        assert_int_equal(s->is_success, codes[i] == 500 || codes[i] == 502);
        assert_int_equal(s->is_final, codes[i] != 100 && codes[i] != 504);
    }
    assert_string_equal(mss_status_lookup(401)->name, "USER_CANCEL");
    assert_string_equal(mss_status_lookup(504)->name, "OUTSTANDING_TRANSACTION");
    assert_null(mss_status_lookup(0));
    assert_null(mss_status_lookup(999));
    assert_null(mss_status_lookup(-105));
}

/* A fault built by mss_fault_set says whose fault it is and round-trips through SOAP. */
static void test_fault_set(void **state)
{
    (void)state;
    static const struct { int code, sender; const char *reason; } rows[] = {
        {101, 1, "WRONG_PARAM"}, {104, 1, "UNAUTHORIZED_ACCESS"}, {108, 1, NULL},
        {702, 1, NULL}, {750, 0, NULL}, {406, 0, "PB_SIGNATURE_PROCESS"},
        {900, 0, "INTERNAL_ERROR"}, {777, 0, "ERROR"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        mss_fault f;
        mss_fault_set(&f, rows[i].code, 0, NULL);
        assert_int_equal(f.code, rows[i].code);
        assert_int_equal(f.sender, rows[i].sender);
        if (rows[i].reason != NULL)
            assert_string_equal(f.reason, rows[i].reason);
        assert_null(f.detail);
    }
    mss_message msg;
    memset(&msg, 0, sizeof msg);
    msg.type = MSS_MSG_FAULT;
    mss_fault_set(&msg.u.fault, 406, 4061, "rate limit");
    char *xml = NULL;
    size_t len = 0;
    assert_int_equal(mss_soap_encode(&msg, &xml, &len), MSS_OK);
    mss_message back;
    assert_int_equal(mss_soap_decode(xml, len, &back, NULL), MSS_OK);
    assert_int_equal(back.type, MSS_MSG_FAULT);
    assert_int_equal(back.u.fault.code, 406);
    assert_int_equal(back.u.fault.specifier, 4061);
    assert_int_equal(back.u.fault.sender, 0);
    assert_string_equal(back.u.fault.detail, "rate limit");
    mss_message_clear(&back);
    free(xml);
}

static void test_modes_and_errors(void **state)
{
    (void)state;
    mss_messaging_mode mode = MSS_MODE_SYNCH;
    const mss_messaging_mode all[] = {MSS_MODE_SYNCH, MSS_MODE_ASYNCH_CLIENT_SERVER,
                                      MSS_MODE_ASYNCH_SERVER_SERVER};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(mss_mode_parse(mss_mode_name(all[i]), &mode), MSS_OK);
        assert_int_equal(mode, all[i]);
    }
    assert_string_equal(mss_mode_name(MSS_MODE_ASYNCH_CLIENT_SERVER), "asynchClientServer");
    mode = MSS_MODE_ASYNCH_SERVER_SERVER;
    assert_int_equal(mss_mode_parse("asynch", &mode), MSS_ERR_ARGS);
    assert_int_equal(mss_mode_parse("SYNCH", &mode), MSS_ERR_ARGS);
    assert_int_equal(mss_mode_parse(NULL, &mode), MSS_ERR_ARGS);
    assert_int_equal(mode, MSS_MODE_ASYNCH_SERVER_SERVER);

    for (int e = MSS_OK; e <= MSS_ERR_CONFIG; e++) {
        const char *s = mss_error_string((mss_error)e);
        assert_non_null(s);
        assert_true(strncmp(s, "MSS_", 4) == 0);
        for (int f = MSS_OK; f < e; f++)
            assert_string_not_equal(s, mss_error_string((mss_error)f));
    }
    assert_non_null(strstr(mss_error_string(MSS_ERR_TLS), "TLS"));
    assert_non_null(mss_error_string((mss_error)1000));
}

static void test_base64(void **state)
{
    (void)state;
    char *enc = NULL;
    unsigned char *dec = NULL;
    size_t n = 0;
    assert_int_equal(mss_base64_encode(sig_bytes, sizeof sig_bytes, &enc), MSS_OK);
    assert_string_equal(enc, "MIIBAN6tvu8A/3+AAQID");
    assert_int_equal(mss_base64_decode(" MIIB\r\nAN6t\tvu8A/3+AAQID\n", &dec, &n), MSS_OK);
    fixture_assert_bytes_eq(dec, n, sig_bytes, sizeof sig_bytes);
    free(enc);
    free(dec);
    for (size_t len = 0; len < 5; len++) { /* padding 0, 1 and 2 */
        assert_int_equal(mss_base64_encode((const unsigned char *)"abcd", len, &enc), MSS_OK);
        assert_int_equal(mss_base64_decode(enc, &dec, &n), MSS_OK);
        fixture_assert_bytes_eq(dec, n, (const unsigned char *)"abcd", len);
        free(enc);
        free(dec);
    }
    dec = (unsigned char *)0x1;
    assert_int_equal(mss_base64_decode("abc", &dec, &n), MSS_ERR_ARGS);   /* not a multiple of 4 */
    assert_int_equal(mss_base64_decode("ab$d", &dec, &n), MSS_ERR_ARGS);  /* bad character */
    assert_int_equal(mss_base64_decode("a===", &dec, &n), MSS_ERR_ARGS);  /* too much padding */
    assert_int_equal(mss_base64_decode("ab=d", &dec, &n), MSS_ERR_ARGS);  /* data after padding */
    assert_int_equal(mss_base64_decode("YQ==YQ==", &dec, &n), MSS_ERR_ARGS);
    assert_ptr_equal(dec, (unsigned char *)0x1);
    assert_int_equal(mss_base64_decode(NULL, &dec, &n), MSS_ERR_ARGS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_signature_req_full),
        cmocka_unit_test(test_roundtrip_signature_req_minimal),
        cmocka_unit_test(test_roundtrip_signature_resp_base64),
        cmocka_unit_test(test_roundtrip_signature_resp_ficom_pkcs1),
        cmocka_unit_test(test_roundtrip_status_req),
        cmocka_unit_test(test_roundtrip_status_resp),
        cmocka_unit_test(test_roundtrip_profile_req),
        cmocka_unit_test(test_roundtrip_profile_resp),
        cmocka_unit_test(test_roundtrip_fault_nested),
        cmocka_unit_test(test_decode_ficom_fault_208),
        cmocka_unit_test(test_decode_ficom_signature_resp),
        cmocka_unit_test(test_decode_kiuru_signature_response_unqualified),
        cmocka_unit_test(test_decode_swisscom_fault_101_detail),
        cmocka_unit_test(test_decode_profile_resp_with_certs),
        cmocka_unit_test(test_decode_bare_request_in_body),
        cmocka_unit_test(test_reject_malformed),
        cmocka_unit_test(test_reject_truncated),
        cmocka_unit_test(test_reject_doctype_entities),
        cmocka_unit_test(test_reject_soap11),
        cmocka_unit_test(test_reject_deep_nesting),
        cmocka_unit_test(test_reject_oversize),
        cmocka_unit_test(test_reject_shape_errors),
        cmocka_unit_test(test_decode_is_silent),
        cmocka_unit_test(test_decode_mutations_never_crash),
        cmocka_unit_test(test_encode_rejects_bad_input),
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_fault_set),
        cmocka_unit_test(test_modes_and_errors),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
