/*
 * The SIM emulator: what the card does once the user has approved. It signs the
 * data to be signed as a SIM applet does for PKCS#1 v1.5: type-1 padding around the
 * bytes as given (no hashing on the card), so the AP must send a DER DigestInfo.
 *
 * Results are MSS status codes so the caller can answer the AP directly.
 */
#ifndef REFMSSP_SIM_H
#define REFMSSP_SIM_H

#include <stddef.h>
#include <openssl/evp.h>

/* PKCS#1 v1.5 type-1 padding needs 11 bytes of the modulus. */
#define SIM_PKCS1_OVERHEAD 11

/*
 * Sign DTBS with KEY (RSA). Returns 0 and a malloc'd signature of the modulus length,
 * 103 (WRONG_DATA_LENGTH) when DTBS is empty or longer than the modulus minus 11,
 * 404 (NO_KEY_FOUND) when the key is not RSA, or 900 (INTERNAL_ERROR).
 */
int sim_sign_pkcs1(EVP_PKEY *key, const unsigned char *dtbs, size_t dtbs_len,
                   unsigned char **sig, size_t *sig_len);

#endif /* REFMSSP_SIM_H */
