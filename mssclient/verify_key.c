/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A certificate's public key parsed once (mss/verify.h: mss_verify_key), and the one
 * entry that checks a signature of any of the three families with it. Parsing an X.509
 * certificate costs OpenSSL 3 a decoder chain built from scratch (about 1.5 million
 * instructions, far more than the RSA check itself), so a caller that verifies every
 * signature of a key keeps the parsed key; mss_verify_signature is the one-shot form.
 */
#include "config.h"

#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include <mss/verify.h>
#include "detail.h"
#include "verify_internal.h"

/* The bare-hash lengths mss_hash_name_for_length knows: SHA-1, SHA-224, SHA-256,
 * SHA-384, SHA-512. */
static const size_t hash_lens[] = {20, 28, 32, 48, 64};
#define N_HASHES (sizeof hash_lens / sizeof hash_lens[0])

struct mss_verify_key {
    EVP_PKEY *pkey;
    /* RSA keys: the digests RSA-PSS may name, fetched once here instead of by an
     * implicit fetch (OpenSSL's method store and its locks) at every signature. */
    EVP_MD *md[N_HASHES];
};

static const EVP_MD *md_for_length(const mss_verify_key *key, size_t len)
{
    for (size_t i = 0; i < N_HASHES; i++)
        if (hash_lens[i] == len)
            return key->md[i];
    return NULL;
}

mss_error mss_verify_key_new(const unsigned char *cert_der, size_t cert_len,
                             mss_verify_key **out, mss_detail *detail)
{
    char *why = detail != NULL ? detail->text : NULL;
    size_t why_len = detail != NULL ? sizeof detail->text : 0;
    mss_verify_key *key;
    mss_error rc;

    mss_detail_reset(detail);
    if (out == NULL)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "nowhere to put the key");
    key = calloc(1, sizeof *key);
    if (key == NULL)
        return mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "out of memory");
    rc = mss_cert_public_key(cert_der, cert_len, &key->pkey, why, why_len);
    if (rc == MSS_OK && EVP_PKEY_get_base_id(key->pkey) == EVP_PKEY_RSA) {
        for (size_t i = 0; i < N_HASHES && rc == MSS_OK; i++) {
            key->md[i] = EVP_MD_fetch(NULL, mss_hash_name_for_length(hash_lens[i]), NULL);
            if (key->md[i] == NULL)
                rc = mss_verify_fail(MSS_ERR_NOMEM, why, why_len, "cannot fetch %s",
                                     mss_hash_name_for_length(hash_lens[i]));
        }
    }
    if (rc != MSS_OK) {
        mss_verify_key_free(key);
        return rc;
    }
    *out = key;
    return MSS_OK;
}

void mss_verify_key_free(mss_verify_key *key)
{
    if (key == NULL)
        return;
    for (size_t i = 0; i < N_HASHES; i++)
        EVP_MD_free(key->md[i]);
    EVP_PKEY_free(key->pkey);
    free(key);
}

/* What every family needs of its arguments, checked before any key is touched. */
static mss_error check_args(mss_sig_alg alg, const unsigned char *tbs, size_t tbs_len,
                            const unsigned char *sig, size_t sig_len, char *why,
                            size_t why_len)
{
    if (alg == MSS_ALG_RSA_PKCS1) {
        if (tbs == NULL || tbs_len == 0)
            return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no DigestInfo given");
        if (sig == NULL || sig_len == 0)
            return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no signature given");
        if (sig_len > 4096)
            return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "signature implausibly large");
        return MSS_OK;
    }
    if (alg != MSS_ALG_RSA_PSS && alg != MSS_ALG_ECDSA)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "unknown signature algorithm %d", alg);
    if (tbs == NULL || tbs_len == 0)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no hash given");
    if (sig == NULL || sig_len == 0 || sig_len > 4096)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no signature given, or too large");
    return MSS_OK;
}

/* Arguments checked: the family's check. */
static mss_error verify_checked(const mss_verify_key *key, mss_sig_alg alg,
                                const unsigned char *tbs, size_t tbs_len,
                                const unsigned char *sig, size_t sig_len, char *why,
                                size_t why_len)
{
    mss_error rc;

    switch (alg) {
    case MSS_ALG_RSA_PKCS1:
        rc = mss_verify_pkcs1_key(key->pkey, tbs, tbs_len, sig, sig_len, why, why_len);
        break;
    case MSS_ALG_RSA_PSS:
        rc = mss_verify_pss_key(key->pkey, md_for_length(key, tbs_len), tbs, tbs_len, sig,
                                sig_len, why, why_len);
        break;
    default:
        rc = mss_verify_ecdsa_key(key->pkey, tbs, tbs_len, sig, sig_len, why, why_len);
        break;
    }
    ERR_clear_error();
    return rc;
}

mss_error mss_verify_with_key(const mss_verify_key *key, mss_sig_alg alg,
                              const unsigned char *tbs, size_t tbs_len,
                              const unsigned char *sig, size_t sig_len, mss_detail *detail)
{
    char *why = detail != NULL ? detail->text : NULL;
    size_t why_len = detail != NULL ? sizeof detail->text : 0;
    mss_error rc;

    mss_detail_reset(detail);
    if (key == NULL)
        return mss_verify_fail(MSS_ERR_ARGS, why, why_len, "no key given");
    rc = check_args(alg, tbs, tbs_len, sig, sig_len, why, why_len);
    if (rc != MSS_OK)
        return rc;
    return verify_checked(key, alg, tbs, tbs_len, sig, sig_len, why, why_len);
}

mss_error mss_verify_signature(const unsigned char *cert_der, size_t cert_len, mss_sig_alg alg,
                               const unsigned char *tbs, size_t tbs_len,
                               const unsigned char *sig, size_t sig_len,
                               mss_detail *detail)
{
    char *why = detail != NULL ? detail->text : NULL;
    size_t why_len = detail != NULL ? sizeof detail->text : 0;
    mss_verify_key *key = NULL;
    mss_error rc;

    mss_detail_reset(detail);
    rc = check_args(alg, tbs, tbs_len, sig, sig_len, why, why_len);
    if (rc != MSS_OK)
        return rc;
    rc = mss_verify_key_new(cert_der, cert_len, &key, detail);
    if (rc != MSS_OK)
        return rc;
    rc = verify_checked(key, alg, tbs, tbs_len, sig, sig_len, why, why_len);
    mss_verify_key_free(key);
    return rc;
}
