/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Loading an instance from a configuration: slots first (one per user, keys from the
 * certificate cache), then the objects over their keys; and freeing all of it again.
 */
#include "module.h"

#include <stdlib.h>

int p11_module_load(p11_module *m, mss_conf *conf)
{
    p11_module_forget(m);
    m->conf = conf;
    if (p11_slots_build(m) != 0 || p11_objects_build(m) != 0) {
        p11_module_unload(m);
        return -1;
    }
    return 0;
}

void p11_module_unload(p11_module *m)
{
    p11_sessions_close_all_locked(m);
    p11_objects_free(m);
    p11_slots_free(m);
    mss_conf_free(m->conf);
    p11_hash_set_free(&m->digests);
    free(m->sessions);
    p11_module_forget(m);
}
