/*
 * What the two entry-point files (p11_entry.c: 2.40, p11_entry_v3.c: 3.0) share.
 */
#ifndef MSS_P11_ENTRY_H
#define MSS_P11_ENTRY_H

#include "module.h"

/* Trace the result once at debug level and clear OpenSSL's per-thread error queue
 * (the host program may use OpenSSL itself). Returns rv. */
CK_RV p11_trace(const char *fn, CK_RV rv);
#define RETURN(rv) return p11_trace(__func__, (rv))

/* Initialised, and the session exists: a reference the caller must release
 * (p11_session_release accepts the NULL left on failure). */
CK_RV p11_enter_session(CK_SESSION_HANDLE h, p11_session **s);

/* A function this token does not offer, after the usual state checks. */
CK_RV p11_session_unsupported(CK_SESSION_HANDLE h);

/* The 2.40 table C_GetFunctionList hands out (also offered by C_GetInterface). */
extern CK_FUNCTION_LIST p11_function_list_2_40;

#endif
