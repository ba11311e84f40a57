/* SPDX-License-Identifier: BSD-3-Clause */
/* The digests of hash_table.c fetched once per instance (see hash.h). */
#include "hash.h"

void p11_hash_set_fetch(p11_hash_set *set)
{
    for (int h = 0; h < P11_HASH_COUNT; h++)
        set->md[h] = EVP_MD_fetch(NULL, p11_hash_mss_name(p11_hash_get((p11_hash)h)), NULL);
}

void p11_hash_set_free(p11_hash_set *set)
{
    for (int h = 0; h < P11_HASH_COUNT; h++) {
        EVP_MD_free(set->md[h]);
        set->md[h] = NULL;
    }
}

const EVP_MD *p11_hash_md(const p11_hash_set *set, p11_hash h)
{
    const p11_hash_info *info = p11_hash_get(h);

    if (info == NULL)
        return NULL;
    if (set != NULL && set->md[h] != NULL)
        return set->md[h];
    return info->md();
}
