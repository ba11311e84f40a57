/* SPDX-License-Identifier: BSD-3-Clause */
/* The one table of hash facts (see hash.h). */
#include "hash.h"

#include <string.h>

#include <mss/verify.h>

/* The prefixes are spelled out as RFC 8017 lists them, so a reader can compare them
 * byte for byte; the test checks them against the lengths and OpenSSL's digests. */
static const p11_hash_info hashes[P11_HASH_COUNT] = {
    {P11_HASH_SHA1, 20,
     {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
      0x14},
     15, CKM_SHA_1, CKG_MGF1_SHA1, EVP_sha1},
    {P11_HASH_SHA224, 28,
     {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
      0x04, 0x05, 0x00, 0x04, 0x1c},
     19, CKM_SHA224, CKG_MGF1_SHA224, EVP_sha224},
    {P11_HASH_SHA256, 32,
     {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
      0x01, 0x05, 0x00, 0x04, 0x20},
     19, CKM_SHA256, CKG_MGF1_SHA256, EVP_sha256},
    {P11_HASH_SHA384, 48,
     {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
      0x02, 0x05, 0x00, 0x04, 0x30},
     19, CKM_SHA384, CKG_MGF1_SHA384, EVP_sha384},
    {P11_HASH_SHA512, 64,
     {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
      0x03, 0x05, 0x00, 0x04, 0x40},
     19, CKM_SHA512, CKG_MGF1_SHA512, EVP_sha512},
};

const p11_hash_info *p11_hash_get(p11_hash h)
{
    return (unsigned)h < P11_HASH_COUNT ? &hashes[h] : NULL;
}

const p11_hash_info *p11_hash_by_len(size_t len)
{
    size_t i;

    for (i = 0; i < P11_HASH_COUNT; i++)
        if (hashes[i].len == len)
            return &hashes[i];
    return NULL;
}

const p11_hash_info *p11_hash_by_mech(CK_MECHANISM_TYPE mech)
{
    size_t i;

    for (i = 0; i < P11_HASH_COUNT; i++)
        if (hashes[i].mech == mech)
            return &hashes[i];
    return NULL;
}

const unsigned char *p11_hash_oid(const p11_hash_info *h, size_t *oid_len)
{
    *oid_len = h->prefix[5];
    return h->prefix + 6;
}

const p11_hash_info *p11_hash_by_oid(const unsigned char *oid, size_t oid_len)
{
    size_t i, n;

    for (i = 0; i < P11_HASH_COUNT; i++) {
        const unsigned char *known = p11_hash_oid(&hashes[i], &n);

        if (n == oid_len && memcmp(known, oid, n) == 0)
            return &hashes[i];
    }
    return NULL;
}

const char *p11_hash_mss_name(const p11_hash_info *h)
{
    return mss_hash_name_for_length(h->len);
}
