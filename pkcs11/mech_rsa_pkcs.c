/*
 * CKM_RSA_PKCS: the caller has hashed and built the DigestInfo itself (OpenSSH,
 * pam_p11, NSS, OpenSSL providers). The SIM only signs DigestInfos, so the input must
 * be exactly one well-formed DigestInfo of SHA-1/224/256/384/512; anything else
 * (raw data, a bare hash, trailing bytes) is CKR_DATA_INVALID before any request.
 */
#include <stdlib.h>
#include <string.h>

#include "digest_info.h"
#include "mech.h"

typedef struct rsa_pkcs_state {
    unsigned char data[P11_DIGEST_INFO_MAX];
    size_t len;
} rsa_pkcs_state;

static CK_RV rsa_pkcs_init(const CK_MECHANISM *mech, void **state)
{
    if (mech->pParameter != NULL || mech->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    *state = calloc(1, sizeof(rsa_pkcs_state));
    return *state != NULL ? CKR_OK : CKR_HOST_MEMORY;
}

/* Parts are collected (some callers feed C_SignUpdate); more than the largest
 * DigestInfo can never become valid. */
static CK_RV rsa_pkcs_update(void *state, const CK_BYTE *data, CK_ULONG len)
{
    rsa_pkcs_state *st = state;

    if (len > sizeof st->data - st->len)
        return CKR_DATA_LEN_RANGE;
    if (len > 0)
        memcpy(st->data + st->len, data, len);
    st->len += len;
    return CKR_OK;
}

static CK_RV rsa_pkcs_digest_info(void *state, unsigned char *out, size_t *out_len)
{
    const rsa_pkcs_state *st = state;

    if (p11_digest_info_check(st->data, st->len, NULL) != 0)
        return CKR_DATA_INVALID;
    memcpy(out, st->data, st->len);
    *out_len = st->len;
    return CKR_OK;
}

static void rsa_pkcs_free(void *state)
{
    free(state);
}

const p11_mech p11_mech_rsa_pkcs = {
    .type = CKM_RSA_PKCS,
    .name = "CKM_RSA_PKCS",
    .key_type = CKK_RSA,
    .init = rsa_pkcs_init,
    .update = rsa_pkcs_update,
    .digest_info = rsa_pkcs_digest_info,
    .free_state = rsa_pkcs_free,
};
