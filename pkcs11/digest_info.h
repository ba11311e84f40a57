/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DER DigestInfo (RFC 8017 §9.2): what a PKCS#1 v1.5 signature signs, and what the
 * MSSP is sent as DataToBeSigned. The prefixes themselves are hash facts (hash.h).
 */
#ifndef MSS_P11_DIGEST_INFO_H
#define MSS_P11_DIGEST_INFO_H

#include <stddef.h>

#include "hash.h"

/* The largest DigestInfo we handle: SHA-512's 19-byte prefix + 64-byte hash. */
#define P11_DIGEST_INFO_MAX (P11_DIGEST_INFO_PREFIX_MAX + 64)

/* Write the DigestInfo for a hash value; returns its length, or 0 if hash_len does not
 * fit the algorithm or out is too small. */
size_t p11_digest_info_build(p11_hash alg, const unsigned char *hash, size_t hash_len,
                             unsigned char *out, size_t out_size);

/* 0 when di is exactly one well-formed DigestInfo of SHA-1/224/256/384/512 with a
 * hash of the right length (AlgorithmIdentifier parameters NULL or absent); else -1.
 * *alg (when not NULL) names the hash. */
int p11_digest_info_check(const unsigned char *di, size_t len, p11_hash *alg);

#endif
