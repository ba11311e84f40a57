/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared sample message parts of the codec tests (see codec_fixtures.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec_fixtures.h"

char *fixture_dup_s(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

unsigned char *fixture_dup_bytes(const void *p, size_t n)
{
    unsigned char *d = malloc(n);
    assert_non_null(d);
    memcpy(d, p, n);
    return d;
}

void fixture_fill_header(mss_header *h, int with_mssp)
{
    h->major_version = 1;
    h->minor_version = 1;
    h->ap_id = fixture_dup_s("http://ap.example.org/desktop");
    h->ap_trans_id = fixture_dup_s("_1a2b3c4d");
    h->ap_pwd = fixture_dup_s("s3cr3t-pwd");
    h->ap_instant = fixture_dup_s("2026-11-27T10:00:00Z");
    if (with_mssp) {
        h->mssp_id_uri = fixture_dup_s("http://mssp.example.org");
        h->mssp_instant = fixture_dup_s("2026-11-27T10:00:01.250+02:00");
    }
}

void fixture_fill_profile_resp(mss_profile_resp *r, size_t n_certs, const unsigned char *cert,
                               size_t cert_len)
{
    assert_true(n_certs >= 1);
    r->n_profiles = 2;
    r->profiles = calloc(2, sizeof *r->profiles);
    assert_non_null(r->profiles);
    r->profiles[0] = fixture_dup_s("mss:refmssp:authn:loa3:sim");
    r->profiles[1] = fixture_dup_s("mss:refmssp:sign:loa4:sim");
    r->n_certs = n_certs;
    r->certs = calloc(n_certs, sizeof *r->certs);
    assert_non_null(r->certs);
    r->certs[0].der = fixture_dup_bytes(cert, cert_len);
    r->certs[0].der_len = cert_len;
    r->certs[0].state = fixture_dup_s("ACTIVE");
    r->certs[0].algorithm = fixture_dup_s("RSA2048");
    r->certs[0].profiles = fixture_dup_s("mss:refmssp:authn:loa3:sim mss:refmssp:sign:loa4:sim");
}

mss_service *fixture_add_service(mss_signature_req *r, const char *uri, const char *value)
{
    mss_service *grown = realloc(r->services, (r->n_services + 1) * sizeof *grown);
    assert_non_null(grown);
    r->services = grown;
    mss_service *sv = &grown[r->n_services++];
    memset(sv, 0, sizeof *sv);
    sv->uri = fixture_dup_s(uri);
    sv->value = value != NULL ? fixture_dup_s(value) : NULL;
    return sv;
}

void fixture_add_services(mss_signature_req *r, const char *user_lang)
{
    fixture_add_service(r, MSS_SERVICE_URI_NO_SPAM, "kissa123")->no_spam_no_verify = 1;
    fixture_add_service(r, MSS_SERVICE_URI_USER_LANG, user_lang);
    fixture_add_service(r, MSS_SERVICE_URI_VALIDATE, NULL);
    fixture_add_service(r, MSS_SERVICE_URI_SIGNING_CERT, NULL);
}

void fixture_fill_signature_req(mss_signature_req *r, const char *dtbs_b64, const char *dtbd,
                                const char *event_id)
{
    r->mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    r->timeout_s = 120;
    r->msisdn = fixture_dup_s("+99900000001");
    r->dtbs.text = fixture_dup_s(dtbs_b64);
    r->dtbs.mime_type = fixture_dup_s("application/octet-stream");
    r->dtbs.encoding = fixture_dup_s("base64");
    r->dtbd.text = fixture_dup_s(dtbd);
    r->dtbd.mime_type = fixture_dup_s("text/plain");
    r->dtbd.encoding = fixture_dup_s("UTF-8");
    r->signature_profile = fixture_dup_s("mss:refmssp:authn:loa3:sim");
    r->mss_format = fixture_dup_s(MSS_FORMAT_KIURU_PKCS1);
    fixture_add_service(r, MSS_SERVICE_URI_EVENT_ID, event_id);
}

void fixture_fill_ficom_signature_resp(mss_signature_resp *r, const char *msisdn,
                                       const unsigned char *sig, size_t sig_len,
                                       const unsigned char *cert, size_t cert_len)
{
    r->msisdn = fixture_dup_s(msisdn);
    r->signature.kind = MSS_SIG_FICOM_PKCS1;
    r->signature.value = fixture_dup_bytes(sig, sig_len);
    r->signature.value_len = sig_len;
    r->signature.cert_der = fixture_dup_bytes(cert, cert_len);
    r->signature.cert_len = cert_len;
    r->status.code = 502;
    r->status.subcode = 5021;
    r->status.message = fixture_dup_s("VALID_SIGNATURE");
}

void fixture_assert_str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

void fixture_assert_bytes_eq(const unsigned char *a, size_t alen, const unsigned char *b,
                             size_t blen)
{
    assert_int_equal(alen, blen);
    if (alen)
        assert_memory_equal(a, b, alen);
}

void fixture_assert_header_eq(const mss_header *a, const mss_header *b)
{
    assert_int_equal(a->major_version, b->major_version);
    assert_int_equal(a->minor_version, b->minor_version);
    fixture_assert_str_eq(a->ap_id, b->ap_id);
    fixture_assert_str_eq(a->ap_trans_id, b->ap_trans_id);
    fixture_assert_str_eq(a->ap_pwd, b->ap_pwd);
    fixture_assert_str_eq(a->ap_instant, b->ap_instant);
    fixture_assert_str_eq(a->mssp_id_uri, b->mssp_id_uri);
    fixture_assert_str_eq(a->mssp_instant, b->mssp_instant);
}

void fixture_assert_status_eq(const mss_status *a, const mss_status *b)
{
    assert_int_equal(a->code, b->code);
    assert_int_equal(a->subcode, b->subcode);
    fixture_assert_str_eq(a->message, b->message);
}

void fixture_assert_sig_eq(const mss_signature *a, const mss_signature *b)
{
    assert_int_equal(a->kind, b->kind);
    fixture_assert_bytes_eq(a->value, a->value_len, b->value, b->value_len);
    fixture_assert_bytes_eq(a->cert_der, a->cert_len, b->cert_der, b->cert_len);
}

void fixture_assert_data_eq(const mss_data *a, const mss_data *b)
{
    fixture_assert_str_eq(a->text, b->text);
    fixture_assert_str_eq(a->mime_type, b->mime_type);
    fixture_assert_str_eq(a->encoding, b->encoding);
}

void fixture_assert_signature_req_eq(const mss_signature_req *a, const mss_signature_req *b)
{
    fixture_assert_header_eq(&a->hdr, &b->hdr);
    assert_int_equal(a->mode, b->mode);
    assert_int_equal(a->timeout_s, b->timeout_s);
    fixture_assert_str_eq(a->msisdn, b->msisdn);
    fixture_assert_data_eq(&a->dtbs, &b->dtbs);
    fixture_assert_data_eq(&a->dtbd, &b->dtbd);
    fixture_assert_str_eq(a->signature_profile, b->signature_profile);
    fixture_assert_str_eq(a->mss_format, b->mss_format);
    assert_int_equal(a->n_services, b->n_services);
    for (size_t i = 0; i < a->n_services; i++) {
        fixture_assert_str_eq(a->services[i].uri, b->services[i].uri);
        fixture_assert_str_eq(a->services[i].value, b->services[i].value);
        assert_int_equal(a->services[i].no_spam_no_verify, b->services[i].no_spam_no_verify);
    }
}
