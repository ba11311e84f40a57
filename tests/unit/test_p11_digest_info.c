/* SPDX-License-Identifier: BSD-3-Clause */
/* DigestInfo build and check (pkcs11/digest_info.c): the gate CKM_RSA_PKCS input
 * passes before anything is sent to an MSSP. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "digest_info.h"

static const size_t hash_lens[] = {20, 28, 32, 48, 64};

static void test_built_digest_infos_pass_the_check(void **state)
{
    unsigned char hash[64], di[P11_DIGEST_INFO_MAX];
    p11_hash alg, got;
    size_t len;

    (void)state;
    memset(hash, 0x5a, sizeof hash);
    for (alg = P11_HASH_SHA1; alg <= P11_HASH_SHA512; alg++) {
        len = p11_digest_info_build(alg, hash, hash_lens[alg], di, sizeof di);
        assert_int_equal(len, (alg == P11_HASH_SHA1 ? 15 : 19) + hash_lens[alg]);
        assert_int_equal(p11_digest_info_check(di, len, &got), 0);
        assert_int_equal(got, alg);
    }
}

static void test_sha256_encoding_matches_rfc8017(void **state)
{
    static const unsigned char prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                           0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                           0x01, 0x05, 0x00, 0x04, 0x20};
    unsigned char hash[32], di[P11_DIGEST_INFO_MAX];

    (void)state;
    memset(hash, 1, sizeof hash);
    assert_int_equal(p11_digest_info_build(P11_HASH_SHA256, hash, 32, di, sizeof di), 51);
    assert_memory_equal(di, prefix, sizeof prefix);
    assert_memory_equal(di + sizeof prefix, hash, 32);
}

static void test_wrong_hash_length_is_not_built(void **state)
{
    unsigned char hash[64], di[P11_DIGEST_INFO_MAX];

    (void)state;
    memset(hash, 0, sizeof hash);
    assert_int_equal(p11_digest_info_build(P11_HASH_SHA256, hash, 31, di, sizeof di), 0);
    assert_int_equal(p11_digest_info_build(P11_HASH_SHA512, hash, 64, di, 50), 0);
}

static void test_absent_parameters_are_accepted(void **state)
{
    /* SHA-256 AlgorithmIdentifier without the NULL: allowed by RFC 8017. */
    unsigned char di[49] = {0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
                            0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20};

    (void)state;
    assert_int_equal(p11_digest_info_check(di, sizeof di, NULL), 0);
}

static void test_malformed_inputs_are_rejected(void **state)
{
    unsigned char hash[32], di[P11_DIGEST_INFO_MAX], bad[P11_DIGEST_INFO_MAX + 8];
    size_t len, i;

    (void)state;
    memset(hash, 7, sizeof hash);
    len = p11_digest_info_build(P11_HASH_SHA256, hash, 32, di, sizeof di);

    assert_int_equal(p11_digest_info_check(NULL, 0, NULL), -1);
    assert_int_equal(p11_digest_info_check(hash, 32, NULL), -1);      /* bare hash */
    assert_int_equal(p11_digest_info_check(di, len - 1, NULL), -1);   /* truncated */
    memcpy(bad, di, len);
    bad[len] = 0;
    assert_int_equal(p11_digest_info_check(bad, len + 1, NULL), -1);  /* trailing byte */

    memcpy(bad, di, len);
    bad[14] = 0x09;                                                    /* unknown OID */
    assert_int_equal(p11_digest_info_check(bad, len, NULL), -1);
    memcpy(bad, di, len);
    bad[18] = 0x1f;                                                    /* hash length */
    assert_int_equal(p11_digest_info_check(bad, len, NULL), -1);
    memcpy(bad, di, len);
    bad[15] = 0x04;                                                    /* not NULL */
    assert_int_equal(p11_digest_info_check(bad, len, NULL), -1);

    /* Every truncation and every single-byte header change is refused, none crashes. */
    for (i = 0; i < len; i++)
        assert_int_equal(p11_digest_info_check(di, i, NULL), -1);
    for (i = 0; i < 19; i++) {
        memcpy(bad, di, len);
        bad[i] ^= 0x80;
        assert_int_equal(p11_digest_info_check(bad, len, NULL), -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_built_digest_infos_pass_the_check),
        cmocka_unit_test(test_sha256_encoding_matches_rfc8017),
        cmocka_unit_test(test_wrong_hash_length_is_not_built),
        cmocka_unit_test(test_absent_parameters_are_accepted),
        cmocka_unit_test(test_malformed_inputs_are_rejected),
    };

    return cmocka_run_group_tests_name("p11_digest_info", tests, NULL, NULL);
}
