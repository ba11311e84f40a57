/*
 * A signing mechanism turns the caller's input into the DER DigestInfo the MSSP signs
 * (the SIM does raw PKCS#1 v1.5 over it). One file per mechanism; sign.c keeps the
 * registry and does everything that is the same for all (buffer checks, the remote
 * call, verification).
 */
#ifndef MSS_P11_MECH_H
#define MSS_P11_MECH_H

#include <stddef.h>

#include <p11-kit/pkcs11.h>

typedef struct p11_mech {
    CK_MECHANISM_TYPE type;
    const char *name;
    CK_KEY_TYPE key_type;
    /* Check the mechanism parameter; allocate the operation state. */
    CK_RV (*init)(const CK_MECHANISM *mech, void **state);
    /* Take input; called once for C_Sign, once per part for C_SignUpdate. */
    CK_RV (*update)(void *state, const CK_BYTE *data, CK_ULONG len);
    /* Write the DigestInfo to sign (out has P11_DIGEST_INFO_MAX bytes). */
    CK_RV (*digest_info)(void *state, unsigned char *out, size_t *out_len);
    void (*free_state)(void *state);
} p11_mech;

extern const p11_mech p11_mech_rsa_pkcs;
extern const p11_mech p11_mech_sha256_rsa_pkcs;

#endif
