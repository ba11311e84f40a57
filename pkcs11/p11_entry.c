/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The exported PKCS#11 entry points and nothing else. Each C_* is one boundary
 * wrapper: check that the module is initialised in this process (fork rule), find
 * the session, validate the caller's pointers, call the implementation, trace the
 * result once. The order of the checks is what conformance suites expect:
 * CKR_CRYPTOKI_NOT_INITIALIZED, then CKR_SESSION_HANDLE_INVALID / CKR_SLOT_ID_INVALID,
 * then CKR_ARGUMENTS_BAD, then the function's own answer.
 */
#include "module.h"

#include <stdio.h>

#include <openssl/err.h>

#include "mlog.h"
#include "p11_entry.h"

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

/* Initialised, and the session exists: a reference the caller must release. */
CK_RV p11_enter_session(CK_SESSION_HANDLE h, p11_session **s)
{
    CK_RV rv = p11_ready();

    *s = NULL;
    return rv != CKR_OK ? rv : p11_session_acquire(h, s);
}

/* A function this token does not offer, after the usual state checks. */
CK_RV p11_session_unsupported(CK_SESSION_HANDLE h)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    p11_session_release(s);
    return rv != CKR_OK ? rv : CKR_FUNCTION_NOT_SUPPORTED;
}

/* Object-changing functions on this write-protected token. */
static CK_RV session_write_protected(CK_SESSION_HANDLE h)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    p11_session_release(s);
    return rv != CKR_OK ? rv : CKR_TOKEN_WRITE_PROTECTED;
}

static CK_RV slot_unsupported(CK_SLOT_ID id)
{
    CK_RV rv = p11_ready();

    if (rv != CKR_OK)
        return rv;
    return p11_slot_get(id) != NULL ? CKR_FUNCTION_NOT_SUPPORTED : CKR_SLOT_ID_INVALID;
}

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

P11_EXPORT CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE h)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    p11_session_release(s);
    RETURN(rv != CKR_OK ? rv : CKR_FUNCTION_NOT_PARALLEL);
}

P11_EXPORT CK_RV C_CancelFunction(CK_SESSION_HANDLE h)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    p11_session_release(s);
    RETURN(rv != CKR_OK ? rv : CKR_FUNCTION_NOT_PARALLEL);
}

/* ------------------------------------------------------------ slots and tokens */

P11_EXPORT CK_RV C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK)
        rv = count != NULL ? p11_slot_list(present, list, count) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetSlotInfo(CK_SLOT_ID id, CK_SLOT_INFO_PTR info)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK && p11_slot_get(id) == NULL)
        rv = CKR_SLOT_ID_INVALID;
    if (rv == CKR_OK)
        rv = info != NULL ? p11_slot_info(id, info) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetTokenInfo(CK_SLOT_ID id, CK_TOKEN_INFO_PTR info)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK && p11_slot_get(id) == NULL)
        rv = CKR_SLOT_ID_INVALID;
    if (rv == CKR_OK)
        rv = info != NULL ? p11_token_info(id, info) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetMechanismList(CK_SLOT_ID id, CK_MECHANISM_TYPE_PTR list,
                                    CK_ULONG_PTR count)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK && p11_slot_get(id) == NULL)
        rv = CKR_SLOT_ID_INVALID;
    if (rv == CKR_OK)
        rv = count != NULL ? p11_mechanism_list(id, list, count) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GetMechanismInfo(CK_SLOT_ID id, CK_MECHANISM_TYPE type,
                                    CK_MECHANISM_INFO_PTR info)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK && p11_slot_get(id) == NULL)
        rv = CKR_SLOT_ID_INVALID;
    if (rv == CKR_OK)
        rv = info != NULL ? p11_mechanism_info(id, type, info) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved)
{
    CK_RV rv = p11_ready();

    /* Slots never change: NSS then emulates the wait with cheap polling. */
    RETURN(rv != CKR_OK ? rv : CKR_FUNCTION_NOT_SUPPORTED);
}

P11_EXPORT CK_RV C_InitToken(CK_SLOT_ID id, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len,
                             CK_UTF8CHAR_PTR label)
{
    RETURN(slot_unsupported(id));
}

P11_EXPORT CK_RV C_InitPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_SetPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR old_pin, CK_ULONG old_len,
                          CK_UTF8CHAR_PTR new_pin, CK_ULONG new_len)
{
    RETURN(p11_session_unsupported(h));
}

/* ------------------------------------------------------------ sessions */

P11_EXPORT CK_RV C_OpenSession(CK_SLOT_ID id, CK_FLAGS flags, CK_VOID_PTR app,
                               CK_NOTIFY notify, CK_SESSION_HANDLE_PTR out)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK && p11_slot_get(id) == NULL)
        rv = CKR_SLOT_ID_INVALID;
    if (rv == CKR_OK)
        rv = out != NULL ? p11_session_open(id, flags, out) : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_CloseSession(CK_SESSION_HANDLE h)
{
    CK_RV rv = p11_ready();

    RETURN(rv != CKR_OK ? rv : p11_session_close(h));
}

P11_EXPORT CK_RV C_CloseAllSessions(CK_SLOT_ID id)
{
    CK_RV rv = p11_ready();

    RETURN(rv != CKR_OK ? rv : p11_session_close_all(id));
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

P11_EXPORT CK_RV C_GetOperationState(CK_SESSION_HANDLE h, CK_BYTE_PTR state,
                                     CK_ULONG_PTR len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_SetOperationState(CK_SESSION_HANDLE h, CK_BYTE_PTR state, CK_ULONG len,
                                     CK_OBJECT_HANDLE enc_key, CK_OBJECT_HANDLE auth_key)
{
    RETURN(p11_session_unsupported(h));
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

P11_EXPORT CK_RV C_CreateObject(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                                CK_OBJECT_HANDLE_PTR out)
{
    RETURN(session_write_protected(h));
}

P11_EXPORT CK_RV C_CopyObject(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                              CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                              CK_OBJECT_HANDLE_PTR out)
{
    RETURN(session_write_protected(h));
}

P11_EXPORT CK_RV C_DestroyObject(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj)
{
    RETURN(session_write_protected(h));
}

P11_EXPORT CK_RV C_SetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE obj,
                                     CK_ATTRIBUTE_PTR tmpl, CK_ULONG count)
{
    RETURN(session_write_protected(h));
}

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

/* ------------------------------------------------------------ signing */

P11_EXPORT CK_RV C_SignInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_sign_init(s, mech, key);
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_Sign(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
                        CK_ULONG_PTR sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = (data != NULL || len == 0) && sig_len != NULL
                 ? p11_sign(s, data, len, sig, sig_len)
                 : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_SignUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = data != NULL || len == 0 ? p11_sign_update(s, data, len) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_SignFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = sig_len != NULL ? p11_sign_final(s, sig, sig_len) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_SignRecoverInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR mech,
                                   CK_OBJECT_HANDLE key)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_SignRecover(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len,
                               CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    RETURN(p11_session_unsupported(h));
}

/* ------------------------------------------------------------ not offered (yet) */

P11_EXPORT CK_RV C_EncryptInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_Encrypt(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                           CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_EncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                 CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_EncryptFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DecryptInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_Decrypt(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                           CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DecryptUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                 CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DecryptFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DigestInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_Digest(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                          CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DigestUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DigestKey(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE k)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DigestFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_VerifyInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_verify_init(s, m, k);
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_Verify(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len,
                          CK_BYTE_PTR sig, CK_ULONG sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = (data != NULL || len == 0) && (sig != NULL || sig_len == 0)
                 ? p11_verify(s, data, len, sig, sig_len)
                 : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_VerifyUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = data != NULL || len == 0 ? p11_verify_update(s, data, len) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_VerifyFinal(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG sig_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = sig != NULL || sig_len == 0 ? p11_verify_final(s, sig, sig_len)
                                         : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m,
                                     CK_OBJECT_HANDLE k)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_VerifyRecover(CK_SESSION_HANDLE h, CK_BYTE_PTR sig, CK_ULONG sig_len,
                                 CK_BYTE_PTR data, CK_ULONG_PTR len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                       CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                       CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                     CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE h, CK_BYTE_PTR in, CK_ULONG in_len,
                                       CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_GenerateKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR t,
                               CK_ULONG n, CK_OBJECT_HANDLE_PTR k)
{
    RETURN(session_write_protected(h));
}

P11_EXPORT CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m,
                                   CK_ATTRIBUTE_PTR pub_t, CK_ULONG pub_n,
                                   CK_ATTRIBUTE_PTR priv_t, CK_ULONG priv_n,
                                   CK_OBJECT_HANDLE_PTR pub, CK_OBJECT_HANDLE_PTR priv)
{
    RETURN(session_write_protected(h));
}

P11_EXPORT CK_RV C_WrapKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE wrapping,
                           CK_OBJECT_HANDLE key, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_UnwrapKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m,
                             CK_OBJECT_HANDLE unwrapping, CK_BYTE_PTR in, CK_ULONG in_len,
                             CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR k)
{
    RETURN(p11_session_unsupported(h));
}

P11_EXPORT CK_RV C_DeriveKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE base,
                             CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR k)
{
    RETURN(p11_session_unsupported(h));
}

/* No CKF_RNG: NSS would otherwise pull random bytes from the token at start-up.
 * Without an RNG both random functions answer CKR_RANDOM_NO_RNG (the spec's code for
 * "no RNG"; CKR_RANDOM_SEED_NOT_SUPPORTED would claim an RNG that cannot be seeded,
 * and pkcs11-tool --test then counts C_GenerateRandom's refusal as an error). */
P11_EXPORT CK_RV C_SeedRandom(CK_SESSION_HANDLE h, CK_BYTE_PTR seed, CK_ULONG len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    p11_session_release(s);
    if (rv == CKR_OK)
        rv = seed != NULL || len == 0 ? CKR_RANDOM_NO_RNG : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

P11_EXPORT CK_RV C_GenerateRandom(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    p11_session_release(s);
    if (rv == CKR_OK)
        rv = out != NULL || len == 0 ? CKR_RANDOM_NO_RNG : CKR_ARGUMENTS_BAD;
    RETURN(rv);
}

/* ------------------------------------------------------------ the function list */

CK_FUNCTION_LIST p11_function_list_2_40 = {
    .version = {2, 40},
    .C_GetInfo = C_GetInfo,
    P11_ENTRY_POINTS_2_40(P11_TABLE_ENTRY)
};
