/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The 2.40 entry points the token offers, and the 2.40 function list. Each C_* is one
 * boundary wrapper: check that the module is initialised in this process (fork rule),
 * find the slot or session, validate the caller's pointers, call the core with the
 * instance, trace the result once. The order of the checks is what conformance
 * suites expect: CKR_CRYPTOKI_NOT_INITIALIZED, then CKR_SESSION_HANDLE_INVALID /
 * CKR_SLOT_ID_INVALID, then CKR_ARGUMENTS_BAD, then the function's own answer.
 * The entry points not offered are generated (p11_entry_stubs.c).
 */
#include "p11_entry.h"

/* ------------------------------------------------------------ general */

P11_EXPORT CK_RV C_Initialize(CK_VOID_PTR args)
{
    RETURN(p11_initialize(args));
}

P11_EXPORT CK_RV C_Finalize(CK_VOID_PTR reserved)
{
    /* Not initialised comes before a bad argument, as everywhere. */
    if (reserved != NULL) {
        CK_RV rv = p11_ready();
        RETURN(rv != CKR_OK ? rv : CKR_ARGUMENTS_BAD);
    }
    RETURN(p11_finalize());
}

/* The exported C_GetInfo belongs to the 2.40 table (C_GetFunctionList); the 3.0
 * table has its own (p11_entry_v3.c), so each caller sees its table's version. */
P11_EXPORT CK_RV C_GetInfo(CK_INFO_PTR info)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK)
        rv = info != NULL ? p11_get_info(info, 2, 40) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
    if (list == NULL)
        RETURN(CKR_ARGUMENTS_BAD);
    *list = &p11_function_list_2_40;
    RETURN(CKR_OK);
}

/* ------------------------------------------------------------ slots and tokens */

P11_EXPORT CK_RV C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
    p11_module *m;
    CK_RV rv = p11_instance(&m);

    if (rv == CKR_OK)
        rv = count != NULL ? p11_slot_list(m, present, list, count) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetSlotInfo(CK_SLOT_ID id, CK_SLOT_INFO_PTR info)
{
    p11_slot *slot;
    CK_RV rv = p11_enter_slot(id, &slot);

    if (rv == CKR_OK)
        rv = info != NULL ? p11_slot_info(slot, info) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetTokenInfo(CK_SLOT_ID id, CK_TOKEN_INFO_PTR info)
{
    p11_slot *slot;
    CK_RV rv = p11_enter_slot(id, &slot);

    if (rv == CKR_OK)
        rv = info != NULL ? p11_token_info(slot, info) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetMechanismList(CK_SLOT_ID id, CK_MECHANISM_TYPE_PTR list,
                                    CK_ULONG_PTR count)
{
    p11_slot *slot;
    CK_RV rv = p11_enter_slot(id, &slot);

    if (rv == CKR_OK)
        rv = count != NULL ? p11_mechanism_list(slot, list, count) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetMechanismInfo(CK_SLOT_ID id, CK_MECHANISM_TYPE type,
                                    CK_MECHANISM_INFO_PTR info)
{
    p11_slot *slot;
    CK_RV rv = p11_enter_slot(id, &slot);

    if (rv == CKR_OK)
        rv = info != NULL ? p11_mechanism_info(slot, type, info) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

/* ------------------------------------------------------------ sessions */

P11_EXPORT CK_RV C_OpenSession(CK_SLOT_ID id, CK_FLAGS flags, CK_VOID_PTR app,
                               CK_NOTIFY notify, CK_SESSION_HANDLE_PTR out)
{
    p11_slot *slot;
    CK_RV rv = p11_enter_slot(id, &slot);

    if (rv == CKR_OK)
        rv = out != NULL ? p11_session_open(slot, flags, out) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_CloseSession(CK_SESSION_HANDLE h)
{
    p11_module *m;
    CK_RV rv = p11_instance(&m);

    RETURN(rv != CKR_OK ? rv : p11_session_close(m, h));
}

P11_EXPORT CK_RV C_CloseAllSessions(CK_SLOT_ID id)
{
    p11_slot *slot;
    CK_RV rv = p11_enter_slot(id, &slot);

    RETURN(rv != CKR_OK ? rv : p11_session_close_all(slot));
}

P11_EXPORT CK_RV C_GetSessionInfo(CK_SESSION_HANDLE h, CK_SESSION_INFO_PTR info)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = info != NULL ? p11_session_info(s, info) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

/* The PIN is never read: the phone asks for it at each signature. */
P11_EXPORT CK_RV C_Login(CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin,
                         CK_ULONG pin_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_login(s, user);
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_Logout(CK_SESSION_HANDLE h)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_logout(s);
    p11_session_release(s);
    RETURN(rv);
}

/* ------------------------------------------------------------ objects */

P11_EXPORT CK_RV C_GetObjectSize(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                                 CK_ULONG_PTR size)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = size != NULL ? p11_object_size(s, obj, size) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                                     CK_ATTRIBUTE_PTR tmpl, CK_ULONG count)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = tmpl != NULL || count == 0 ? p11_get_attributes(s, obj, tmpl, count)
                                        : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_FindObjectsInit(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl,
                                   CK_ULONG count)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = tmpl != NULL || count == 0 ? p11_find_init(s, tmpl, count) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_FindObjects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR out, CK_ULONG max,
                               CK_ULONG_PTR n)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = (out != NULL || max == 0) && n != NULL ? p11_find(s, out, max, n)
                                                    : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE h)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_find_final(s);
    p11_session_release(s);
    RETURN(rv);
}

/* ------------------------------------------------------------ sign and verify */

/* *Init: a NULL mechanism is allowed (3.0: it ends the active operation). */
static CK_RV op_init(const p11_op_kind *k, CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech,
                     CK_OBJECT_HANDLE key)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_op_init(s, k, mech, key);
    p11_session_release(s);
    return rv;
}

static CK_RV op_update(const p11_op_kind *k, CK_SESSION_HANDLE h, CK_BYTE_PTR data,
                       CK_ULONG len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = data != NULL || len == 0 ? p11_op_update(s, k, data, len) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    return rv;
}

P11_EXPORT CK_RV C_SignInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    RETURN(op_init(&p11_op_sign, h, mech, key));
}

P11_EXPORT CK_RV C_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
                        CK_ULONG_PTR sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = (data != NULL || len == 0) && sig_len != NULL
                 ? p11_op_run(s, &p11_op_sign, data, len, sig, sig_len)
                 : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_SignUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len)
{
    RETURN(op_update(&p11_op_sign, h, data, len));
}

P11_EXPORT CK_RV C_SignFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = sig_len != NULL ? p11_op_final(s, &p11_op_sign, sig, sig_len)
                             : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_VerifyInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k)
{
    RETURN(op_init(&p11_op_verify, h, m, k));
}

P11_EXPORT CK_RV C_Verify(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len,
                          CK_BYTE_PTR sig, CK_ULONG sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = (data != NULL || len == 0) && (sig != NULL || sig_len == 0)
                 ? p11_op_run(s, &p11_op_verify, data, len, sig, &sig_len)
                 : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_VerifyUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len)
{
    RETURN(op_update(&p11_op_verify, h, data, len));
}

P11_EXPORT CK_RV C_VerifyFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = sig != NULL || sig_len == 0 ? p11_op_final(s, &p11_op_verify, sig, &sig_len)
                                         : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

/* ------------------------------------------------------------ the function list */

CK_FUNCTION_LIST p11_function_list_2_40 = {
    .version = {2, 40},
    .C_GetInfo = C_GetInfo,
    P11_ENTRY_POINTS_2_40(P11_TABLE_FN, P11_TABLE_STUB)
};
