/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — signature algorithms, formats and verification beyond PKCS#1 v1.5
 * over a DigestInfo (which mss.h's mss_verify_rsa_pkcs1 covers).
 *
 * What the PKCS#11 module and refmssp agree on (docs/protocol-profile.md):
 *   - RSA PKCS#1 v1.5: DataToBeSigned is the DER DigestInfo; MSS_Format is the Kiuru
 *     PKCS1 URI (or FiCom's); the result is the raw signature.
 *   - RSA-PSS: DataToBeSigned is the bare hash (the hash algorithm follows from its
 *     length: 20 SHA-1, 28 SHA-224, 32 SHA-256, 48 SHA-384, 64 SHA-512); MSS_Format is
 *     the PKCS1 URI with MSS_FORMAT_SUFFIX_PSS appended; MGF1 with the same hash and a
 *     salt as long as the hash.
 *   - ECDSA (P-256, P-384): DataToBeSigned is the bare hash; MSS_Format the Kiuru PKCS1
 *     URI; the MSSP may answer DER (SEQUENCE of two INTEGERs) or raw r||s; the module
 *     always hands out fixed-width r||s.
 */
#ifndef MSS_SIG_H
#define MSS_SIG_H

#include "mss.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appended to a PKCS1 MSS_Format URI to ask for RSA-PSS (the Kiuru convention). */
#define MSS_FORMAT_SUFFIX_PSS "#rsa-pss"

typedef enum mss_sig_alg {
    MSS_ALG_RSA_PKCS1 = 0,  /* tbs is a DER DigestInfo */
    MSS_ALG_RSA_PSS,        /* tbs is the bare hash; MGF1(same hash), salt = hash length */
    MSS_ALG_ECDSA           /* tbs is the bare hash; sig is DER or raw r||s */
} mss_sig_alg;

/* The hash a bare digest of this length comes from: 20, 28, 32, 48, 64 bytes map to
 * SHA-1, SHA-224, SHA-256, SHA-384, SHA-512. Returns the OpenSSL digest name
 * ("SHA256", ...) or NULL for any other length. */
const char *mss_hash_name_for_length(size_t digest_len);

/*
 * Verify sig over tbs with the public key of the X.509 certificate cert_der.
 * For MSS_ALG_RSA_PKCS1 this is mss_verify_rsa_pkcs1. For PSS the salt length must
 * equal the hash length. For ECDSA both DER and raw r||s signatures are accepted.
 * MSS_ERR_SIGNATURE_INVALID when it does not verify, MSS_ERR_FORMAT when the key
 * does not fit the algorithm; why (when not NULL) says exactly what failed.
 */
mss_error mss_verify_signature(const unsigned char *cert_der, size_t cert_len,
                               mss_sig_alg alg,
                               const unsigned char *tbs, size_t tbs_len,
                               const unsigned char *sig, size_t sig_len,
                               char *why, size_t why_len);

/*
 * Convert an ECDSA signature, DER or already raw, into fixed-width r||s: out gets
 * 2 * field_len bytes (r and s each left-padded with zeros). field_len is 32 for
 * P-256 and 48 for P-384. MSS_ERR_FORMAT when the input is neither, or r or s does
 * not fit.
 */
mss_error mss_ecdsa_to_raw(const unsigned char *sig, size_t sig_len, size_t field_len,
                           unsigned char *out);

#ifdef __cplusplus
}
#endif

#endif /* MSS_SIG_H */
