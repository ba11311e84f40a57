/* SPDX-License-Identifier: BSD-3-Clause */
/* DER DigestInfo: build and check (see digest_info.h). Short-form lengths suffice:
 * the largest DigestInfo is 83 bytes. */
#include "digest_info.h"

#include <string.h>

size_t p11_digest_info_build(p11_hash alg, const unsigned char *hash, size_t hash_len,
                             unsigned char *out, size_t out_size)
{
    const p11_hash_info *h = p11_hash_get(alg);
    size_t total;

    if (h == NULL || hash_len != h->len)
        return 0;
    total = h->prefix_len + hash_len;
    if (total > out_size)
        return 0;
    memcpy(out, h->prefix, h->prefix_len);
    memcpy(out + h->prefix_len, hash, hash_len);
    return total;
}

int p11_digest_info_check(const unsigned char *di, size_t len, p11_hash *alg)
{
    const p11_hash_info *h;
    size_t algid_end, pos;

    /* SEQUENCE { SEQUENCE { OID, [NULL] }, OCTET STRING } */
    if (di == NULL || len < 8 || len > P11_DIGEST_INFO_MAX)
        return -1;
    if (di[0] != 0x30 || di[1] != len - 2 || di[2] != 0x30)
        return -1;
    algid_end = 4 + (size_t)di[3];
    if (di[3] >= 0x80 || algid_end > len || di[4] != 0x06 || 6 + (size_t)di[5] > algid_end)
        return -1;
    h = p11_hash_by_oid(di + 6, di[5]);
    if (h == NULL)
        return -1;
    pos = 6 + (size_t)di[5];
    if (pos != algid_end) { /* parameters: only an explicit NULL */
        if (pos + 2 != algid_end || di[pos] != 0x05 || di[pos + 1] != 0x00)
            return -1;
    }
    pos = algid_end;
    if (pos + 2 > len || di[pos] != 0x04 || di[pos + 1] != h->len || pos + 2 + h->len != len)
        return -1;
    if (alg != NULL)
        *alg = h->id;
    return 0;
}
