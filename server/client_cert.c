/* SPDX-License-Identifier: BSD-3-Clause */
/* Client certificates verified once per connection; see client_cert.h. */
#include "client_cert.h"
#include "hex.h"
#include "timed_wait.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

struct srv_cert_memo {
    int checked;
    uint64_t checked_us;         /* monotonic_us() of the check */
    gnutls_datum_t cert;         /* the DER checked (malloc'd copy) */
    int valid;
    char fingerprint[65];
    char *subject;               /* malloc'd; NULL: none */
};

srv_cert_memo *srv_cert_memo_new(void)
{
    return calloc(1, sizeof(srv_cert_memo));
}

static void memo_clear(srv_cert_memo *memo)
{
    free(memo->cert.data);
    free(memo->subject);
    memset(memo, 0, sizeof *memo);
}

void srv_cert_memo_free(srv_cert_memo *memo)
{
    if (memo == NULL)
        return;
    memo_clear(memo);
    free(memo);
}

/* 1 when the peer's certificate chains to the server's trust CA and may authenticate a
 * TLS client. */
static int peer_cert_verifies(gnutls_session_t session)
{
    gnutls_typed_vdata_st purpose;
    memset(&purpose, 0, sizeof purpose);
    purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
    purpose.data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT;
    unsigned status = 0;
    return gnutls_certificate_verify_peers(session, &purpose, 1, &status) == GNUTLS_E_SUCCESS &&
           status == 0;
}

static int verify_during_handshake(gnutls_session_t session)
{
    unsigned n_certs = 0;
    if (gnutls_certificate_get_peers(session, &n_certs) == NULL || n_certs == 0)
        return 0;   /* none sent: the request must authenticate otherwise */
    return peer_cert_verifies(session) ? 0 : GNUTLS_E_CERTIFICATE_ERROR;
}

void srv_cert_verify_in_handshake(void *tls_session)
{
    gnutls_session_set_verify_function((gnutls_session_t)tls_session, verify_during_handshake);
}

/*
 * The certificate must chain to the server's trust CA and be usable for TLS client
 * authentication (the handshake only asks for it; the decision is here). When it is,
 * its SHA-256 fingerprint and subject are remembered.
 */
static void verify(gnutls_session_t session, const gnutls_datum_t *cert, srv_cert_memo *memo)
{
    if (!peer_cert_verifies(session))
        return;
    unsigned char digest[32];
    size_t digest_len = sizeof digest;
    if (gnutls_fingerprint(GNUTLS_DIG_SHA256, cert, digest, &digest_len) != GNUTLS_E_SUCCESS ||
        digest_len != sizeof digest)
        return;
    hex_encode(digest, sizeof digest, memo->fingerprint);
    gnutls_x509_crt_t crt;
    gnutls_datum_t subject = {NULL, 0};
    if (gnutls_x509_crt_init(&crt) == GNUTLS_E_SUCCESS) {
        if (gnutls_x509_crt_import(crt, cert, GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS &&
            gnutls_x509_crt_get_dn3(crt, &subject, 0) == GNUTLS_E_SUCCESS)
            memo->subject = strdup((const char *)subject.data);
        gnutls_x509_crt_deinit(crt);
    }
    gnutls_free(subject.data);
    memo->valid = 1;
}

void srv_cert_memo_read(srv_cert_memo *memo, void *tls_session, srv_client_cert *out)
{
    memset(out, 0, sizeof *out);
    gnutls_session_t session = tls_session;
    unsigned n_certs = 0;
    const gnutls_datum_t *certs = gnutls_certificate_get_peers(session, &n_certs);
    if (certs == NULL || n_certs == 0)
        return;
    out->present = 1;
    if (memo == NULL)
        return;
    uint64_t now = monotonic_us();
    int same = memo->checked && memo->cert.size == certs[0].size &&
               memcmp(memo->cert.data, certs[0].data, certs[0].size) == 0 &&
               now - memo->checked_us < (uint64_t)SRV_CERT_RECHECK_S * 1000000u;
    if (!same) {
        memo_clear(memo);
        memo->cert.data = malloc(certs[0].size);
        if (memo->cert.data == NULL)
            return;
        memcpy(memo->cert.data, certs[0].data, certs[0].size);
        memo->cert.size = certs[0].size;
        verify(session, &certs[0], memo);
        memo->checked = 1;
        memo->checked_us = now;
    }
    out->valid = memo->valid;
    if (memo->valid) {
        memcpy(out->fingerprint, memo->fingerprint, sizeof out->fingerprint);
        out->subject = memo->subject;
    }
}
