/*
 * CKM_SHA256_RSA_PKCS: hash locally with OpenSSL (single- or multi-part), then sign
 * the SHA-256 DigestInfo like CKM_RSA_PKCS. Only the 32-byte hash ever leaves the
 * machine, never the data.
 */
#include <openssl/evp.h>

#include "digest_info.h"
#include "mech.h"

static CK_RV sha256_init(const CK_MECHANISM *mech, void **state)
{
    EVP_MD_CTX *ctx;

    if (mech->pParameter != NULL || mech->ulParameterLen != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL)
        return CKR_HOST_MEMORY;
    if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        return CKR_FUNCTION_FAILED;
    }
    *state = ctx;
    return CKR_OK;
}

static CK_RV sha256_update(void *state, const CK_BYTE *data, CK_ULONG len)
{
    if (len == 0)
        return CKR_OK;
    return EVP_DigestUpdate(state, data, len) ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV sha256_digest_info(void *state, unsigned char *out, size_t *out_len)
{
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int hash_len = 0;

    if (!EVP_DigestFinal_ex(state, hash, &hash_len))
        return CKR_FUNCTION_FAILED;
    *out_len = p11_digest_info_build(P11_HASH_SHA256, hash, hash_len, out,
                                     P11_DIGEST_INFO_MAX);
    return *out_len > 0 ? CKR_OK : CKR_FUNCTION_FAILED;
}

static void sha256_free(void *state)
{
    EVP_MD_CTX_free(state);
}

const p11_mech p11_mech_sha256_rsa_pkcs = {
    .type = CKM_SHA256_RSA_PKCS,
    .name = "CKM_SHA256_RSA_PKCS",
    .key_type = CKK_RSA,
    .init = sha256_init,
    .update = sha256_update,
    .digest_info = sha256_digest_info,
    .free_state = sha256_free,
};
