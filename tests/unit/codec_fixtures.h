/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sample message parts shared by the codec tests (test_codec, test_schema,
 * test_codec_services, test_codec_rest): allocating copies that fail the test on
 * out-of-memory, a filled AP/MSSP header, the bodies several tests build the same way,
 * and field-by-field comparisons of decoded messages. Test code only; everything
 * returned is owned by the message and freed by mss_message_clear().
 */
#ifndef CODEC_FIXTURES_H
#define CODEC_FIXTURES_H

#include <stddef.h>

#include <mss/mss.h>

/* strdup / memdup that fail the running test instead of returning NULL. */
char *fixture_dup_s(const char *s);
unsigned char *fixture_dup_bytes(const void *p, size_t n);

/* A version 1.1 header with AP_Info (AP_PWD included); with_mssp adds MSSP_Info as
 * a response carries it. */
void fixture_fill_header(mss_header *h, int with_mssp);

/* A profile response body: two profile URIs and n_certs (>= 1) certificate slots, of
 * which the first is an ACTIVE RSA2048 certificate of cert (cert_len bytes) for both
 * profiles; the other slots are left zeroed for the test to fill. Header and status
 * are the caller's. */
void fixture_fill_profile_resp(mss_profile_resp *r, size_t n_certs, const unsigned char *cert,
                               size_t cert_len);

/* Append one additional service (value NULL: none) to a request; returns it. */
mss_service *fixture_add_service(mss_signature_req *r, const char *uri, const char *value);

/* Every field of an asynch signature request (header aside) for +99900000001: the
 * DigestInfo dtbs_b64, the phone text dtbd, the eventId, the Kiuru PKCS1 format, the
 * refmssp authentication profile, TimeOut 120. */
void fixture_fill_signature_req(mss_signature_req *r, const char *dtbs_b64, const char *dtbd,
                                const char *event_id);

/* A FiCom fi:PKCS1 signature (sig with its certificate) for msisdn with status 502/5021
 * VALID_SIGNATURE; header and MSSP_TransID are the caller's. */
void fixture_fill_ficom_signature_resp(mss_signature_resp *r, const char *msisdn,
                                       const unsigned char *sig, size_t sig_len,
                                       const unsigned char *cert, size_t cert_len);

/* Append the four additional services an AP sends: NoSpamCode "kissa123" (verify="no"),
 * UserLang user_lang, Validate and SigningCertificate, in that order. */
void fixture_add_services(mss_signature_req *r, const char *user_lang);

/* Field-by-field equality that fails the running test; NULL equals only NULL. */
void fixture_assert_str_eq(const char *a, const char *b);
void fixture_assert_bytes_eq(const unsigned char *a, size_t alen, const unsigned char *b,
                             size_t blen);
void fixture_assert_header_eq(const mss_header *a, const mss_header *b);
void fixture_assert_status_eq(const mss_status *a, const mss_status *b);
void fixture_assert_sig_eq(const mss_signature *a, const mss_signature *b);
void fixture_assert_data_eq(const mss_data *a, const mss_data *b);
/* Every field, the additional services included. */
void fixture_assert_signature_req_eq(const mss_signature_req *a, const mss_signature_req *b);

#endif
