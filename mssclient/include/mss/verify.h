/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient — what came back: signature formats, verification, the verification code.
 *
 * What the PKCS#11 module and refmssp agree on (docs/protocol-profile.md):
 *   - RSA PKCS#1 v1.5: DataToBeSigned is the DER DigestInfo; MSS_Format the Kiuru PKCS1
 *     URI (or FiCom's); the result is the raw signature.
 *   - RSA-PSS: DataToBeSigned is the bare hash (its length names the hash: 20 SHA-1,
 *     28 SHA-224, 32 SHA-256, 48 SHA-384, 64 SHA-512); MSS_Format is the PKCS1 URI with
 *     MSS_FORMAT_SUFFIX_PSS appended; MGF1 with the same hash, salt as long as the hash.
 *   - ECDSA (P-256, P-384): DataToBeSigned is the bare hash; the MSSP answers DER or raw
 *     r||s; mss_ecdsa_to_raw gives the fixed-width form.
 *   - A CMS/PKCS#7 result is taken apart by mss_signature_decode and checked by
 *     mss_verify_cms. Certificate chains are the caller's to check.
 *
 * A failed check returns MSS_ERR_SIGNATURE_INVALID (or MSS_ERR_FORMAT for a key or
 * format that does not fit) with detail->text saying exactly what did not match.
 */
#ifndef MSS_VERIFY_H
#define MSS_VERIFY_H

#include <mss/api.h>
#include <mss/errors.h>
#include <mss/message.h>

MSS_BEGIN_DECLS

/* Appended to a PKCS1 MSS_Format URI to ask for RSA-PSS (the Kiuru convention). */
#define MSS_FORMAT_SUFFIX_PSS "#rsa-pss"

typedef enum mss_sig_alg {
    MSS_ALG_RSA_PKCS1 = 0,  /* tbs is a DER DigestInfo */
    MSS_ALG_RSA_PSS,        /* tbs is the bare hash; MGF1(same hash), salt = hash length */
    MSS_ALG_ECDSA           /* tbs is the bare hash; sig is DER or raw r||s */
} mss_sig_alg;

/* The OpenSSL digest name ("SHA256", …) of a bare hash of this length, or NULL. */
MSS_API const char *mss_hash_name_for_length(size_t digest_len);

/* Verify sig over tbs with the public key of an X.509 certificate (DER). For PKCS#1
 * v1.5 the recovered DigestInfo must equal tbs byte for byte; for ECDSA both DER and
 * raw r||s are accepted. Parses the certificate each time: mss_verify_key below
 * for many signatures of one key. */
MSS_API mss_error mss_verify_signature(const unsigned char *cert_der, size_t cert_len,
                                       mss_sig_alg alg,
                                       const unsigned char *tbs, size_t tbs_len,
                                       const unsigned char *sig, size_t sig_len,
                                       mss_detail *detail);

/*
 * A certificate's public key, parsed once for many verifications: a caller that checks
 * every signature of a key (the PKCS#11 module) keeps one per key instead of parsing
 * the certificate each time. Once made it is only read, so any number of threads may
 * verify with it at once; free it when no verification can still be running.
 */
typedef struct mss_verify_key mss_verify_key;

/* The public key of an X.509 certificate (DER, exactly one certificate). MSS_ERR_ARGS
 * for what is not a certificate, MSS_ERR_FORMAT for a key OpenSSL cannot read.
 * *out is written only on MSS_OK. */
MSS_API mss_error mss_verify_key_new(const unsigned char *cert_der, size_t cert_len,
                                     mss_verify_key **out, mss_detail *detail);
/* NULL: nothing. */
MSS_API void mss_verify_key_free(mss_verify_key *key);

/* mss_verify_signature with a key made once. */
MSS_API mss_error mss_verify_with_key(const mss_verify_key *key, mss_sig_alg alg,
                                      const unsigned char *tbs, size_t tbs_len,
                                      const unsigned char *sig, size_t sig_len,
                                      mss_detail *detail);

/* Fixed-width r||s from an ECDSA signature, DER or already raw: out gets 2 * field_len
 * bytes (32 for P-256, 48 for P-384). MSS_ERR_FORMAT when it is neither, or r or s does
 * not fit. */
MSS_API mss_error mss_ecdsa_to_raw(const unsigned char *sig, size_t sig_len, size_t field_len,
                                   unsigned char *out);

/* What a returned signature is. */
typedef struct mss_decoded_signature {
    int is_cms;              /* 1: the bytes are a CMS/PKCS#7 SignedData */
    int cms_signed_attrs;    /* 1: the SignerInfo signs signed attributes, not the data */
    int cms_has_content;     /* 1: the SignedData encapsulates its content */
    unsigned char *raw;      /* raw value for mss_verify_signature: the bytes themselves
                              * for raw formats, the SignerInfo's for a CMS without signed
                              * attributes; NULL with signed attributes */
    size_t raw_len;
    mss_blob *certs;         /* fi:PKCS1's certificate, or the CMS's certificates */
    size_t n_certs;
    int signer_cert;         /* index into certs of the signer's certificate; -1: unknown */
} mss_decoded_signature;

/* Decode what an MSSP returned. MSS_SIG_FICOM_PKCS1: sig is the raw value and cert (may
 * be NULL) its certificate. MSS_SIG_BASE64: a CMS/PKCS#7 SignedData is taken apart
 * (exactly one SignerInfo), anything else is a raw signature. MSS_ERR_FORMAT for an
 * XMLSignature, a ContentInfo that is not SignedData, or no or several signers.
 * *out is written only on MSS_OK; release it with mss_decoded_signature_clear. */
MSS_API mss_error mss_signature_decode(mss_signature_kind kind, const unsigned char *sig,
                                       size_t sig_len, const unsigned char *cert,
                                       size_t cert_len, mss_decoded_signature *out,
                                       mss_detail *detail);
MSS_API void mss_decoded_signature_clear(mss_decoded_signature *decoded);

/* Verify a CMS/PKCS#7 SignedData (signed attributes and message digest included) over
 * content (NULL: the encapsulated content) with the key of cert_der (NULL: the signer
 * certificate inside the CMS). */
MSS_API mss_error mss_verify_cms(const unsigned char *cms, size_t cms_len,
                                 const unsigned char *content, size_t content_len,
                                 const unsigned char *cert_der, size_t cert_len,
                                 mss_detail *detail);

/*
 * The 4-digit verification code of the data to be signed, shown on the desktop and sent
 * as the FiCom eventId so phone and desktop show the same code: the last two bytes of
 * SHA-256(dtbs) read big-endian, mod 10000, as four digits with leading zeros (the
 * Smart-ID formula). MSS_ERR_ARGS when dtbs or out is NULL (len 0 is allowed).
 */
MSS_API mss_error mss_verification_code(const unsigned char *dtbs, size_t len, char out[5]);

MSS_END_DECLS

#endif /* MSS_VERIFY_H */
