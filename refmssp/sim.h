/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SIM emulator's card: what it does once the user has approved. It signs the
 * data to be signed as a SIM applet does, never hashing on the card:
 *
 *   PKCS#1 v1.5  type-1 padding around the bytes as given (the AP sends a DER
 *                DigestInfo);
 *   RSA-PSS      the bytes are a bare hash (its length names the hash); MGF1 with the
 *                same hash, salt as long as the hash;
 *   ECDSA        the bytes are a bare hash; the signature is DER, or raw r||s.
 *   CMS          (the ETSI PKCS7 / CMS-Signature formats) a detached CMS SignedData
 *                over the bytes, with signed attributes (SHA-256), the signer's
 *                certificate and the chain; any key type. This is what an AP that
 *                wants a signed document gets — not a C_Sign result.
 *
 * Results are MSS status codes so the caller can answer the AP directly.
 */
#ifndef REFMSSP_SIM_H
#define REFMSSP_SIM_H

#include <stddef.h>
#include <openssl/evp.h>

/* PKCS#1 v1.5 type-1 padding needs 11 bytes of the modulus. */
#define SIM_PKCS1_OVERHEAD 11

typedef enum sim_alg {
    SIM_ALG_PKCS1 = 0,
    SIM_ALG_PSS = 1,
    SIM_ALG_ECDSA = 2,
    SIM_ALG_CMS = 3
} sim_alg;

/* Largest data a CMS signature is made over. */
#define SIM_CMS_MAX_DATA (64 * 1024)

/*
 * Would KEY sign DTBS_LEN bytes with ALG? 0 yes; 103 (WRONG_DATA_LENGTH) when the
 * length does not fit; 404 (NO_KEY_FOUND) when the key is of the wrong kind.
 */
int sim_check(EVP_PKEY *key, sim_alg alg, size_t dtbs_len);

/*
 * Sign DTBS with KEY and ALG. ECDSA_RAW=1 gives ECDSA as fixed-width r||s instead
 * of DER. Returns 0 and a malloc'd signature, or 103, 404 (as sim_check), 900.
 */
int sim_sign(EVP_PKEY *key, sim_alg alg, int ecdsa_raw, const unsigned char *dtbs,
             size_t dtbs_len, unsigned char **sig, size_t *sig_len);

/*
 * A detached CMS SignedData over DATA by KEY, carrying CERT_DER (the signer's
 * certificate) and CHAIN_PEM (more certificates, may be NULL). 0, 103, or 900.
 */
int sim_sign_cms(EVP_PKEY *key, const unsigned char *cert_der, size_t cert_len,
                 const char *chain_pem, const unsigned char *data, size_t data_len,
                 unsigned char **sig, size_t *sig_len);

/* sim_sign with SIM_ALG_PKCS1. */
int sim_sign_pkcs1(EVP_PKEY *key, const unsigned char *dtbs, size_t dtbs_len,
                   unsigned char **sig, size_t *sig_len);

#endif /* REFMSSP_SIM_H */
