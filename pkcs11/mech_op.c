/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One running mechanism, shared by C_Sign* and C_Verify*: the parameter checked at
 * init, the input either hashed locally (hash-and-sign mechanisms, any length, any
 * number of parts) or collected (raw mechanisms: at most P11_TBS_MAX bytes, since
 * nothing longer can ever be valid), and at the end the bytes the MSSP signs.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mech.h"

struct p11_mech_op {
    const p11_mech *mech;
    int param_hash;              /* the hash the parameter names (PSS), or NONE */
    EVP_MD_CTX *md;              /* hash-and-sign */
    unsigned char in[P11_TBS_MAX];
    size_t in_len;
    int too_long;                /* raw input beyond P11_TBS_MAX was given */
};

CK_RV p11_mech_op_new(const p11_mech *m, const CK_MECHANISM *mech,
                      p11_hash_set *digests, p11_mech_op **out)
{
    p11_mech_op *op;
    int param_hash = P11_HASH_NONE;
    CK_RV rv = m->family->check_param(mech, m->hash, &param_hash);

    if (rv != CKR_OK)
        return rv;
    op = calloc(1, sizeof *op);
    if (op == NULL)
        return CKR_HOST_MEMORY;
    op->mech = m;
    op->param_hash = param_hash;
    if (m->hash != P11_HASH_NONE) {
        const EVP_MD *md = p11_hash_md(digests, (p11_hash)m->hash);

        op->md = EVP_MD_CTX_new();
        if (op->md == NULL || !EVP_DigestInit_ex(op->md, md, NULL)) {
            p11_mech_op_free(op);
            return CKR_HOST_MEMORY;
        }
    }
    *out = op;
    return CKR_OK;
}

CK_RV p11_mech_op_update(p11_mech_op *op, const CK_BYTE *data, CK_ULONG len)
{
    if (len == 0)
        return CKR_OK;
    if (op->md != NULL)
        return EVP_DigestUpdate(op->md, data, len) ? CKR_OK : CKR_FUNCTION_FAILED;
    /* Raw input that is already too long is remembered, not an error yet: the answer
     * (CKR_DATA_INVALID / CKR_DATA_LEN_RANGE) is the family's, at the end. */
    if (len > sizeof op->in - op->in_len) {
        op->too_long = 1;
        return CKR_OK;
    }
    memcpy(op->in + op->in_len, data, len);
    op->in_len += len;
    return CKR_OK;
}

CK_RV p11_mech_op_tbs(p11_mech_op *op, unsigned char *tbs, size_t *tbs_len)
{
    const p11_family *f = op->mech->family;
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int hash_len = 0;

    if (op->md == NULL) {
        /* P11_TBS_MAX + 1 is longer than any valid input for every family. */
        return f->from_input(op->param_hash, op->in, op->too_long ? P11_TBS_MAX + 1 : op->in_len,
                             tbs, tbs_len);
    }
    if (!EVP_DigestFinal_ex(op->md, hash, &hash_len))
        return CKR_FUNCTION_FAILED;
    return f->from_hash((p11_hash)op->mech->hash, hash, hash_len, tbs, tbs_len);
}

void p11_mech_op_free(p11_mech_op *op)
{
    if (op == NULL)
        return;
    EVP_MD_CTX_free(op->md);
    free(op);
}
