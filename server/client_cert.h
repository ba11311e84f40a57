/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A connection's TLS client certificate, verified the first time it is seen and
 * remembered for the connection's next requests: verifying the chain, hashing the
 * certificate and reading its DN cost more than the rest of a small request
 * (callgrind: ~2 M instructions). The certificate of a TLS connection does not change
 * (the servers' GnuTLS does not renegotiate); each request still compares the peer's
 * certificate with the one verified, and the check is redone after SRV_CERT_RECHECK_S
 * so that a long-lived connection sees its certificate expire.
 */
#ifndef MSS_SERVER_CLIENT_CERT_H
#define MSS_SERVER_CLIENT_CERT_H

#include "https_server.h"

typedef struct srv_cert_memo srv_cert_memo;

/* One per connection; NULL when out of memory (the certificate is then never valid). */
srv_cert_memo *srv_cert_memo_new(void);
void srv_cert_memo_free(srv_cert_memo *memo);

/* The certificate of TLS_SESSION (a gnutls_session_t) into OUT, verified or as
 * remembered in MEMO. */
void srv_cert_memo_read(srv_cert_memo *memo, void *tls_session, srv_client_cert *out);

/* Make TLS_SESSION's handshake fail when the client sends a certificate that does
 * not verify as above (set before the handshake; a client without one goes on). */
void srv_cert_verify_in_handshake(void *tls_session);

#endif /* MSS_SERVER_CLIENT_CERT_H */
