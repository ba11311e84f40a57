/* SPDX-License-Identifier: BSD-3-Clause */
/* DER DigestInfo: build and check (see digest_info.h). Short-form lengths suffice:
 * the largest DigestInfo is 83 bytes. */
#include "digest_info.h"

#include <string.h>

typedef struct hash_alg {
    p11_hash alg;
    unsigned char oid[9]; /* the OBJECT IDENTIFIER's content octets */
    size_t oid_len;
    size_t hash_len;
} hash_alg;

static const hash_alg hash_algs[] = {
    {P11_HASH_SHA1, {0x2b, 0x0e, 0x03, 0x02, 0x1a}, 5, 20},
    {P11_HASH_SHA224, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04}, 9, 28},
    {P11_HASH_SHA256, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, 9, 32},
    {P11_HASH_SHA384, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}, 9, 48},
    {P11_HASH_SHA512, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}, 9, 64},
};

#define N_ALGS (sizeof hash_algs / sizeof hash_algs[0])

size_t p11_digest_info_build(p11_hash alg, const unsigned char *hash, size_t hash_len,
                             unsigned char *out, size_t out_size)
{
    const hash_alg *h = NULL;
    size_t i, algid_len, total;

    for (i = 0; i < N_ALGS; i++)
        if (hash_algs[i].alg == alg)
            h = &hash_algs[i];
    if (h == NULL || hash_len != h->hash_len)
        return 0;
    algid_len = 2 + h->oid_len + 2;            /* OID TLV + NULL TLV */
    total = 2 + (2 + algid_len) + (2 + hash_len);
    if (total > out_size)
        return 0;
    i = 0;
    out[i++] = 0x30;
    out[i++] = (unsigned char)(total - 2);
    out[i++] = 0x30;
    out[i++] = (unsigned char)algid_len;
    out[i++] = 0x06;
    out[i++] = (unsigned char)h->oid_len;
    memcpy(out + i, h->oid, h->oid_len);
    i += h->oid_len;
    out[i++] = 0x05;
    out[i++] = 0x00;
    out[i++] = 0x04;
    out[i++] = (unsigned char)hash_len;
    memcpy(out + i, hash, hash_len);
    return total;
}

static const hash_alg *alg_by_oid(const unsigned char *oid, size_t len)
{
    size_t i;

    for (i = 0; i < N_ALGS; i++)
        if (hash_algs[i].oid_len == len && memcmp(hash_algs[i].oid, oid, len) == 0)
            return &hash_algs[i];
    return NULL;
}

int p11_digest_info_check(const unsigned char *di, size_t len, p11_hash *alg)
{
    const hash_alg *h;
    size_t algid_end, pos;

    /* SEQUENCE { SEQUENCE { OID, [NULL] }, OCTET STRING } */
    if (di == NULL || len < 8 || len > P11_DIGEST_INFO_MAX)
        return -1;
    if (di[0] != 0x30 || di[1] != len - 2 || di[2] != 0x30)
        return -1;
    algid_end = 4 + (size_t)di[3];
    if (di[3] >= 0x80 || algid_end > len || di[4] != 0x06 || 6 + (size_t)di[5] > algid_end)
        return -1;
    h = alg_by_oid(di + 6, di[5]);
    if (h == NULL)
        return -1;
    pos = 6 + h->oid_len;
    if (pos != algid_end) { /* parameters: only an explicit NULL */
        if (pos + 2 != algid_end || di[pos] != 0x05 || di[pos + 1] != 0x00)
            return -1;
    }
    pos = algid_end;
    if (pos + 2 > len || di[pos] != 0x04 || di[pos + 1] != h->hash_len ||
        pos + 2 + h->hash_len != len)
        return -1;
    if (alg != NULL)
        *alg = h->alg;
    return 0;
}
