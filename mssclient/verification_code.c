/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The verification code shown on the desktop and sent as the FiCom eventId, so the
 * user can check that the phone asks about the same data: the last two bytes of
 * SHA-256(DTBS), read big-endian, modulo 10000, as four digits (Smart-ID's formula).
 * Derived from the DTBS itself, so anyone holding the DTBS computes the same code.
 */
#include <stdio.h>

#include <openssl/sha.h>

#include <mss/mss.h>

mss_error mss_verification_code(const unsigned char *dtbs, size_t len, char out[5])
{
    if (dtbs == NULL || out == NULL)
        return MSS_ERR_ARGS;
    unsigned char md[SHA256_DIGEST_LENGTH];
    if (SHA256(dtbs, len, md) == NULL)
        return MSS_ERR_NOMEM;
    unsigned value = ((unsigned)md[SHA256_DIGEST_LENGTH - 2] << 8) | md[SHA256_DIGEST_LENGTH - 1];
    snprintf(out, 5, "%04u", value % 10000u);
    return MSS_OK;
}
