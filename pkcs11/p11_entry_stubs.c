/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The entry points this token does not really offer, generated from the entry-point
 * lists in p11_entry.h: each checks the module state (and the session or slot its
 * caller named), traces once and gives its fixed answer. Nothing here is written out
 * per function, so no stub can forget a check.
 */
#include "p11_entry.h"

/* What a stub answers after the usual state checks: rv once the module is
 * initialised (and the session or slot exists). */

static CK_RV p11_session_answer(CK_SESSION_HANDLE h, CK_RV rv)
{
    p11_session *s;
    CK_RV state = p11_enter_session(h, &s);

    p11_session_release(s);
    return state != CKR_OK ? state : rv;
}

static CK_RV p11_slot_answer(CK_SLOT_ID id, CK_RV rv)
{
    p11_slot *slot;
    CK_RV state = p11_enter_slot(id, &slot);

    return state != CKR_OK ? state : rv;
}

static CK_RV p11_ready_answer(CK_RV rv)
{
    CK_RV state = p11_ready();

    return state != CKR_OK ? state : rv;
}

#define SKIP(name)
#define DEFINE_STUB(name, params, answer) \
    P11_EXPORT CK_RV name params \
    { \
        RETURN(answer); \
    }

P11_ENTRY_POINTS_2_40(SKIP, DEFINE_STUB)
P11_ENTRY_POINTS_3_0(SKIP, DEFINE_STUB)
