/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What every entry point does first and last, in one place: the state checks that
 * lead from a caller's handle to the instance, slot or session, and the one trace of
 * the result.
 */
#include "p11_entry.h"

#include <openssl/err.h>

#include "mlog.h"

/* Trace the result at debug level; keep OpenSSL's per-thread error queue clean for
 * the host program, which may use OpenSSL itself. */
CK_RV p11_trace(const char *fn, CK_RV rv)
{
    char buf[32];

    ERR_clear_error();
    if (mlog_enabled(MSS_LOG_DEBUG))
        mlog_debug("%s -> %s", fn, p11_rv_name(rv, buf, sizeof buf));
    return rv;
}

CK_RV p11_enter_slot(CK_SLOT_ID id, p11_slot **slot)
{
    p11_module *m;
    CK_RV rv = p11_instance(&m);

    *slot = rv == CKR_OK ? p11_slot_get(m, id) : NULL;
    if (rv == CKR_OK && *slot == NULL)
        rv = CKR_SLOT_ID_INVALID;
    return rv;
}

CK_RV p11_enter_session(CK_SESSION_HANDLE h, p11_session **s)
{
    p11_module *m;
    CK_RV rv = p11_instance(&m);

    *s = NULL;
    return rv != CKR_OK ? rv : p11_session_acquire(m, h, s);
}
