/* SPDX-License-Identifier: BSD-3-Clause */
/* The digests of hash_table.c fetched once per instance (see hash.h). */
#include "hash.h"

void p11_hash_set_free(p11_hash_set *set)
{
    for (int h = 0; h < P11_HASH_COUNT; h++)
        EVP_MD_free(atomic_exchange(&set->md[h], NULL));
}

const EVP_MD *p11_hash_md(p11_hash_set *set, p11_hash h)
{
    const p11_hash_info *info = p11_hash_get(h);
    EVP_MD *md, *none = NULL;

    if (info == NULL)
        return NULL;
    if (set == NULL)
        return info->md();
    md = atomic_load(&set->md[h]);
    if (md != NULL)
        return md;
    md = EVP_MD_fetch(NULL, p11_hash_mss_name(info), NULL);
    if (md == NULL)
        return info->md();
    if (!atomic_compare_exchange_strong(&set->md[h], &none, md)) {
        EVP_MD_free(md); /* another thread's is there: use that one */
        return none;
    }
    return md;
}
