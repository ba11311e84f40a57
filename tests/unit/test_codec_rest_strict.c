/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The REST binding's decoder refuses what it must (docs/protocol-profile.md, "Strict
 * decoding"): bodies over the size limit, not JSON, nested too deep, duplicate keys,
 * text that is not UTF-8, numbers that are not small non-negative integers where the
 * protocol has integers, members of the wrong JSON type, missing required members, too
 * many list entries; each with the output zeroed and a reason naming the field. It
 * ignores what it may: unknown members and nulls.
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
#include "rest_fixtures.h"

/* A valid request to derive refusals from (json_of quoting). */
static const char sig_req[] =
    "{'MSS_SignatureReq':{'MajorVersion':'1','MinorVersion':'1','AP_Info':{'AP_ID':'ap',"
    "'AP_PWD':'pw','AP_TransID':'T1'},'MessagingMode':'synch','TimeOut':'120',"
    "'MobileUser':{'MSISDN':'+1'},'DataToBeSigned':{'Encoding':'UTF-8','Data':'abc'},"
    "'AdditionalServices':[{'Description':'" MSS_SERVICE_URI_EVENT_ID "','EventID':{'Value':'E1'}},"
    "{'Description':'" MSS_SERVICE_URI_NO_SPAM "','NoSpamCode':{'Code':'c','Verify':'yes'}}]}}";
static const char status_resp[] =
    "{'MSS_StatusResp':{'AP_Info':{'AP_ID':'ap','AP_TransID':'T1'},"
    "'MSS_Signature':{'Base64Signature':'AAEC'},"
    "'Status':{'StatusCode':{'Value':'500','StatusCode':{'Value':5001}},'StatusMessage':'S'}}}";

static void test_bases_decode(void **state)
{
    (void)state;
    mss_message m = {0};
    expect_variant_decodes(sig_req, "", "", &m);
    assert_int_equal(m.u.signature_req.timeout_s, 120);
    mss_message_clear(&m);
    expect_variant_decodes(status_resp, "", "", &m);
    assert_int_equal(m.u.status_resp.status.code, 500);
    assert_int_equal(m.u.status_resp.status.subcode, 5001);
    mss_message_clear(&m);
}

static void test_refuse_size_and_syntax(void **state)
{
    (void)state;
    char *big = malloc(MSS_MAX_BODY + 2);
    assert_non_null(big);
    memset(big, ' ', MSS_MAX_BODY + 1);
    big[MSS_MAX_BODY + 1] = '\0';
    expect_refused_n(big, MSS_MAX_BODY + 1, MSS_ERR_TOO_LARGE, "exceeds the 1048576-byte limit");
    free(big);
    expect_refused_n("", 0, MSS_ERR_XML_MALFORMED, "empty message");
    expect_refused("<env:Envelope/>", MSS_ERR_XML_MALFORMED, "not valid JSON");
    expect_refused("{\"Fault\":{\"Code\":{\"Value\":\"Sender\"}}", MSS_ERR_XML_MALFORMED,
                   "not valid JSON");
    expect_refused("{\"Fault\":{\"Code\":{\"Value\":\"Sender\"}}} x", MSS_ERR_XML_MALFORMED,
                   "not valid JSON");
    expect_refused("{\"Fault\":{\"Code\":{\"Value\":\"Sender\"}},}", MSS_ERR_XML_MALFORMED,
                   "not valid JSON");
    /* A NUL byte inside the body. */
    static const char with_nul[] = "{\"Fault\":{\"Code\":{\"Value\":\"Sender\"}}}\0";
    expect_refused_n(with_nul, sizeof with_nul, MSS_ERR_XML_MALFORMED, "not valid JSON");
    expect_refused("[{\"Fault\":{}}]", MSS_ERR_XML_UNEXPECTED, "not an object");
}

static void test_refuse_deep_nesting(void **state)
{
    (void)state;
    /* 40 levels inside an unknown member: refused before any tree is built. */
    char body[512] = "{\"MSS_StatusReq\":{\"x\":";
    for (int i = 0; i < 40; i++)
        strcat(body, "[");
    for (int i = 0; i < 40; i++)
        strcat(body, "]");
    strcat(body, "}}");
    expect_refused(body, MSS_ERR_XML_MALFORMED, "nested deeper than 32 levels");

    /* Brackets inside strings are text, not nesting. */
    mss_message m = {0};
    char *deep_text = malloc(4096);
    assert_non_null(deep_text);
    strcpy(deep_text, "x");
    for (int i = 0; i < 100; i++)
        strcat(deep_text, "[{\\\"");
    char *with_text = variant(sig_req, "'Data':'abc'", "'Data':'@@'");
    char *at = strstr(with_text, "@@");
    size_t len = strlen(with_text) + strlen(deep_text);
    char *body2 = malloc(len + 1);
    assert_non_null(body2);
    memcpy(body2, with_text, (size_t)(at - with_text));
    strcpy(body2 + (at - with_text), deep_text);
    strcat(body2, at + 2);
    expect_decodes(body2, &m);
    assert_int_equal(strncmp(m.u.signature_req.dtbs.text, "x[{\"[{\"", 7), 0);
    mss_message_clear(&m);
    free(body2);
    free(with_text);
    free(deep_text);
}

static void test_refuse_duplicates_and_bad_text(void **state)
{
    (void)state;
    expect_variant_refused(sig_req, "'MSISDN':'+1'", "'MSISDN':'+1','MSISDN':'+2'",
                           MSS_ERR_XML_MALFORMED, "duplicate object key");
    expect_variant_refused(sig_req, "'AP_ID':'ap'", "'AP_ID':'ap','AP_ID':'ap'",
                           MSS_ERR_XML_MALFORMED, "duplicate object key");
    /* Two messages in one body, or none. */
    expect_quoted_refused(("{'MSS_StatusReq':{},'MSS_ProfileReq':{}}"), MSS_ERR_XML_UNEXPECTED,
                   "holds both MSS_StatusReq and MSS_ProfileReq");
    expect_quoted_refused(("{'MSS_Status':{}}"), MSS_ERR_XML_UNEXPECTED, "holds no MSS message");
    expect_quoted_refused(("{'Fault':'105'}"), MSS_ERR_XML_UNEXPECTED, "Fault is not an object");
    /* Not UTF-8: a stray byte, an overlong form, a lone surrogate escape, an escaped NUL. */
    expect_variant_refused(sig_req, "'Data':'abc'", "'Data':'a\xff'", MSS_ERR_XML_MALFORMED,
                           "not valid JSON");
    expect_variant_refused(sig_req, "'Data':'abc'", "'Data':'\xc0\xaf'", MSS_ERR_XML_MALFORMED,
                           "not valid JSON");
    expect_variant_refused(sig_req, "'Data':'abc'", "'Data':'\\ud800x'", MSS_ERR_XML_MALFORMED,
                           "not valid JSON");
    expect_variant_refused(sig_req, "'Data':'abc'", "'Data':'a\\u0000b'", MSS_ERR_XML_MALFORMED,
                           "not valid JSON");
    /* A surrogate pair is one character, and fine. */
    mss_message m = {0};
    expect_variant_decodes(sig_req, "'Data':'abc'", "'Data':'\\ud83d\\ude00'", &m);
    assert_string_equal(m.u.signature_req.dtbs.text, "\xf0\x9f\x98\x80");
    mss_message_clear(&m);
}

static void test_refuse_numbers(void **state)
{
    (void)state;
    const char *t = "'TimeOut':'120'";
    const char *why = "MSS_SignatureReq.TimeOut is not a whole number in 0..86400";
    expect_variant_refused(sig_req, t, "'TimeOut':1e400", MSS_ERR_XML_MALFORMED, "not valid JSON");
    expect_variant_refused(sig_req, t, "'TimeOut':18446744073709551616", MSS_ERR_XML_MALFORMED,
                           "not valid JSON");
    expect_variant_refused(sig_req, t, "'TimeOut':9223372036854775807", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':86401", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':-1", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':'-1'", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':'+1'", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':' 120'", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':''", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':'1e2'", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':'99999999999'", MSS_ERR_XML_UNEXPECTED, why);
    expect_variant_refused(sig_req, t, "'TimeOut':120.0", MSS_ERR_XML_UNEXPECTED,
                           "TimeOut is not an integer or a string of digits");
    expect_variant_refused(sig_req, t, "'TimeOut':true", MSS_ERR_XML_UNEXPECTED,
                           "TimeOut is not an integer or a string of digits");
    expect_variant_refused(status_resp, "'Value':'500'", "'Value':500.5", MSS_ERR_XML_UNEXPECTED,
                           "MSS_StatusResp.Status.StatusCode.Value is not an integer");
    expect_variant_refused(status_resp, "'Value':5001", "'Value':1000000", MSS_ERR_XML_UNEXPECTED,
                           "MSS_StatusResp.Status.StatusCode.StatusCode.Value is not a whole number");
    expect_variant_refused(sig_req, "'MajorVersion':'1'", "'MajorVersion':'1.0'",
                           MSS_ERR_XML_UNEXPECTED, "MSS_SignatureReq.MajorVersion is not a whole");
    expect_quoted_refused(("{'Fault':{'Code':{'Value':'Sender','SubCode':{'Value':'_1e2'}}}}"),
                   MSS_ERR_XML_UNEXPECTED, "Fault.Code.SubCode.Value is not an MSS code");
    expect_quoted_refused(("{'Fault':{'Code':{'Value':'Sender','SubCode':{'Value':105}}}}"),
                   MSS_ERR_XML_UNEXPECTED, "Fault.Code.SubCode.Value is not a string");
    /* Both spellings of a number are read the same. */
    mss_message m = {0};
    expect_variant_decodes(sig_req, t, "'TimeOut':86400", &m);
    assert_int_equal(m.u.signature_req.timeout_s, 86400);
    mss_message_clear(&m);
}

static void test_refuse_wrong_types(void **state)
{
    (void)state;
    expect_variant_refused(sig_req, "'MobileUser':{'MSISDN':'+1'}", "'MobileUser':'+1'",
                           MSS_ERR_XML_UNEXPECTED, "MSS_SignatureReq.MobileUser is not an object");
    expect_variant_refused(sig_req, "'MSISDN':'+1'", "'MSISDN':1", MSS_ERR_XML_UNEXPECTED,
                           "MSS_SignatureReq.MobileUser.MSISDN is not a string");
    expect_variant_refused(sig_req, "'AdditionalServices':[", "'AdditionalServices':{'x':0},'y':[",
                           MSS_ERR_XML_UNEXPECTED, "AdditionalServices is not an array");
    expect_variant_refused(sig_req, "'Value':'E1'", "'Value':['E1']", MSS_ERR_XML_UNEXPECTED,
                           "MSS_SignatureReq.AdditionalServices[0].EventID.Value is not a string");
    expect_variant_refused(sig_req, "'MessagingMode':'synch'", "'MessagingMode':'sync'",
                           MSS_ERR_XML_UNEXPECTED, "MessagingMode is not a known mode");
    expect_variant_refused(sig_req, "'Verify':'yes'", "'Verify':'maybe'", MSS_ERR_XML_UNEXPECTED,
                           "AdditionalServices[1].NoSpamCode.Verify is neither");
    expect_variant_refused(status_resp, "'Base64Signature':'AAEC'", "'Base64Signature':'AA*C'",
                           MSS_ERR_XML_UNEXPECTED,
                           "MSS_StatusResp.MSS_Signature.Base64Signature is not valid base64");
    expect_variant_refused(status_resp, "'StatusMessage':'S'", "'StatusMessage':{}",
                           MSS_ERR_XML_UNEXPECTED, "Status.StatusMessage is not a string");
    expect_quoted_refused(("{'MSS_ProfileReq':{'AP_Info':{'AP_ID':'a','AP_TransID':'t'},"
                           "'MobileUser':{},'GetCertificates':'yes'}}"),
                   MSS_ERR_XML_UNEXPECTED, "MSS_ProfileReq.GetCertificates is not true or false");
}

static void test_refuse_missing_fields(void **state)
{
    (void)state;
    expect_variant_refused(sig_req, ",'DataToBeSigned':{'Encoding':'UTF-8','Data':'abc'}", "",
                           MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.DataToBeSigned");
    expect_variant_refused(sig_req, ",'Data':'abc'", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.DataToBeSigned.Data");
    expect_variant_refused(sig_req, "'DataToBeSigned':{'Encoding':'UTF-8','Data':'abc'}",
                           "'DataToBeSigned':null", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.DataToBeSigned");
    expect_variant_refused(sig_req, "'MessagingMode':'synch',", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.MessagingMode");
    expect_variant_refused(sig_req, "'MobileUser':{'MSISDN':'+1'},", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.MobileUser");
    expect_variant_refused(sig_req, ",'AP_TransID':'T1'", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.AP_Info.AP_TransID");
    expect_variant_refused(sig_req, "'AP_ID':'ap',", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.AP_Info.AP_ID");
    expect_variant_refused(sig_req, ",'EventID':{'Value':'E1'}", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.AdditionalServices[0].EventID");
    expect_variant_refused(sig_req, "'Description':'" MSS_SERVICE_URI_EVENT_ID "',", "",
                           MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_SignatureReq.AdditionalServices[0].Description");
    expect_variant_refused(status_resp, "'StatusCode':{'Value':'500','StatusCode':{'Value':5001}},",
                           "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_StatusResp.Status.StatusCode");
    expect_variant_refused(status_resp, "'Base64Signature':'AAEC'", "", MSS_ERR_XML_UNEXPECTED,
                           "missing required field MSS_StatusResp.MSS_Signature.Base64Signature");
    expect_quoted_refused(("{'MSS_StatusReq':{'AP_Info':{'AP_ID':'a','AP_TransID':'t'}}}"),
                   MSS_ERR_XML_UNEXPECTED, "missing required field MSS_StatusReq.MSSP_TransID");
    expect_quoted_refused(("{'MSS_ReceiptResp':{'AP_Info':{'AP_ID':'a','AP_TransID':'t'}}}"),
                   MSS_ERR_XML_UNEXPECTED, "missing required field MSS_ReceiptResp.Status");
    expect_quoted_refused(("{'MSS_ProfileReq':{}}"), MSS_ERR_XML_UNEXPECTED,
                   "missing required field MSS_ProfileReq.AP_Info");
    expect_quoted_refused(("{'Fault':{'Reason':'x'}}"), MSS_ERR_XML_UNEXPECTED,
                   "missing required field Fault.Code");
    expect_quoted_refused(("{'MSS_ProfileResp':{'AP_Info':{'AP_ID':'a','AP_TransID':'t'},"
                           "'Status':{'StatusCode':{'Value':'100'},'StatusDetail':"
                           "{'ProfileQueryExtension':{'MobileUserCertificate':[{'State':'ACTIVE'}]}}}}}"),
                   MSS_ERR_XML_UNEXPECTED,
                   "missing required field MSS_ProfileResp.Status.StatusDetail."
                   "ProfileQueryExtension.MobileUserCertificate[0].X509Certificate");
}

static void test_unknown_and_null_members_ignored(void **state)
{
    (void)state;
    mss_message m = {0};
    char *json = variant(sig_req, "'MessagingMode':'synch',",
                         "'MessagingMode':'synch','ValidityDate':'2030-01-01',"
                         "'Extension':{'a':[1,2.5,{'b':null}],'c':true},'DataToBeDisplayed':null,");
    char *outer = malloc(strlen(json) + 32);
    assert_non_null(outer);
    /* an unknown member beside the message, too */
    sprintf(outer, "{\"Version\":3,%s", json + 1);
    expect_decodes(outer, &m);
    assert_int_equal(m.type, MSS_MSG_SIGNATURE_REQ);
    assert_null(m.u.signature_req.dtbd.text);
    assert_string_equal(m.u.signature_req.dtbs.text, "abc");
    mss_message_clear(&m);
    free(outer);
    free(json);
}

static void test_limits_on_lists(void **state)
{
    (void)state;
    /* 33 additional services are one too many. */
    char *list = malloc(33 * 64 + 64);
    assert_non_null(list);
    strcpy(list, "'AdditionalServices':[");
    for (int i = 0; i < 33; i++)
        strcat(list, i ? ",{'Description':'urn:x'}" : "{'Description':'urn:x'}");
    strcat(list, "],'x':[");
    expect_variant_refused(sig_req, "'AdditionalServices':[", list, MSS_ERR_XML_UNEXPECTED,
                           "MSS_SignatureReq.AdditionalServices has more than 32 entries");
    free(list);

    /* 40 certificates on the SIM and 30 in an app: 64 in all is the most. */
    const char *entry = "{'X509Certificate':['AAEC']}";
    char *body = malloc(80 * 40 + 1024);
    assert_non_null(body);
    strcpy(body, "{'MSS_ProfileResp':{'AP_Info':{'AP_ID':'a','AP_TransID':'t'},'Status':{"
                 "'StatusCode':{'Value':'100'},'StatusDetail':{'ProfileQueryExtension':{'Sscds':{"
                 "'Sim':{'MobileUserCertificate':[");
    for (int i = 0; i < 40; i++)
        strcat(strcat(body, i ? "," : ""), entry);
    strcat(body, "]},'App':[{'MobileUserCertificate':[");
    for (int i = 0; i < 30; i++)
        strcat(strcat(body, i ? "," : ""), entry);
    strcat(body, "]}]}}}}}}");
    expect_quoted_refused(body, MSS_ERR_XML_UNEXPECTED, "more than 64 MobileUserCertificate entries");
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bases_decode),
        cmocka_unit_test(test_refuse_size_and_syntax),
        cmocka_unit_test(test_refuse_deep_nesting),
        cmocka_unit_test(test_refuse_duplicates_and_bad_text),
        cmocka_unit_test(test_refuse_numbers),
        cmocka_unit_test(test_refuse_wrong_types),
        cmocka_unit_test(test_refuse_missing_fields),
        cmocka_unit_test(test_unknown_and_null_members_ignored),
        cmocka_unit_test(test_limits_on_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
