/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PKCS#11 3.0: C_GetInterfaceList / C_GetInterface, the 3.0 entry points and the 3.0
 * function list.
 *
 * Two interfaces are offered, both named "PKCS 11": the 3.0 table (the default, for a
 * NULL name and NULL version) and the 2.40 table C_GetFunctionList returns. Neither
 * claims CKF_INTERFACE_FORK_SAFE: after fork a child must call C_Initialize again
 * (NSS then asks again with flags 0, which is what it does for every such module).
 *
 * C_GetInfo reports the version of the table the caller got: the 3.0 table's
 * C_GetInfo is its own function, the exported one belongs to the 2.40 table.
 */
#include "p11_entry.h"

#include <string.h>


#define P11_INTERFACE_NAME "PKCS 11"

static CK_FUNCTION_LIST_3_0 function_list_3_0;

static CK_CHAR interface_name[] = P11_INTERFACE_NAME;

static CK_INTERFACE interfaces[] = {
    {interface_name, &function_list_3_0, 0},
    {interface_name, &p11_function_list_2_40, 0},
};

#define N_INTERFACES (sizeof interfaces / sizeof interfaces[0])

static CK_RV get_info_3_0(CK_INFO_PTR info)
{
    CK_RV rv = p11_ready();

    if (rv == CKR_OK)
        rv = info != NULL ? p11_get_info(info, 3, 0) : CKR_ARGUMENTS_BAD;
    return p11_trace("C_GetInfo", rv);
}

/* Both may be called before C_Initialize (that is how a caller finds C_Initialize). */
P11_EXPORT CK_RV C_GetInterfaceList(CK_INTERFACE_PTR list, CK_ULONG_PTR count)
{
    CK_ULONG i;

    if (count == NULL)
        RETURN(CKR_ARGUMENTS_BAD);
    if (list == NULL) {
        *count = N_INTERFACES;
        RETURN(CKR_OK);
    }
    if (*count < N_INTERFACES) {
        *count = N_INTERFACES;
        RETURN(CKR_BUFFER_TOO_SMALL);
    }
    for (i = 0; i < N_INTERFACES; i++)
        list[i] = interfaces[i];
    *count = N_INTERFACES;
    RETURN(CKR_OK);
}

static CK_VERSION interface_version(const CK_INTERFACE *iface)
{
    return ((const CK_FUNCTION_LIST *)iface->pFunctionList)->version;
}

P11_EXPORT CK_RV C_GetInterface(CK_UTF8CHAR_PTR name, CK_VERSION_PTR version,
                                CK_INTERFACE_PTR_PTR out, CK_FLAGS flags)
{
    size_t i;

    if (out == NULL)
        RETURN(CKR_ARGUMENTS_BAD);
    for (i = 0; i < N_INTERFACES; i++) {
        const CK_INTERFACE *iface = &interfaces[i];
        CK_VERSION v = interface_version(iface);

        if (name != NULL && strcmp((const char *)name, P11_INTERFACE_NAME) != 0)
            continue;
        if (version != NULL && (version->major != v.major || version->minor != v.minor))
            continue;
        if ((iface->flags & flags) != flags)
            continue;
        *out = &interfaces[i];
        RETURN(CKR_OK);
    }
    *out = NULL;
    RETURN(CKR_ARGUMENTS_BAD);
}

/* Like C_Login: the PIN is never looked at, and there is one user, so the name is
 * ignored too (but must be a valid buffer). */
P11_EXPORT CK_RV C_LoginUser(CK_SESSION_HANDLE h, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin,
                             CK_ULONG pin_len, CK_UTF8CHAR_PTR username,
                             CK_ULONG username_len)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    (void)pin;
    (void)pin_len;
    if (rv == CKR_OK)
        rv = username != NULL || username_len == 0 ? p11_login(s, user) : CKR_ARGUMENTS_BAD;
    p11_session_release(s);
    RETURN(rv);
}

P11_EXPORT CK_RV C_SessionCancel(CK_SESSION_HANDLE h, CK_FLAGS flags)
{
    p11_session *s;
    CK_RV rv = p11_enter_session(h, &s);

    if (rv == CKR_OK)
        rv = p11_session_cancel(s, flags);
    p11_session_release(s);
    RETURN(rv);
}

/* ------------------------------------------------------------ message-based: none */

/* None is offered: each one only makes the usual state checks (initialised, valid
 * session) and then answers CKR_FUNCTION_NOT_SUPPORTED. params is the full parameter
 * list with the session handle named h; the prototypes in pkcs11_v3.h make the
 * compiler check every signature. */
#define SESSION_UNSUPPORTED(name, params) \
    P11_EXPORT CK_RV name params \
    { \
        RETURN(p11_session_unsupported(h)); \
    }

SESSION_UNSUPPORTED(C_MessageEncryptInit,
                    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
SESSION_UNSUPPORTED(C_EncryptMessage,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR ad, CK_ULONG ad_len, CK_BYTE_PTR in, CK_ULONG in_len,
                     CK_BYTE_PTR out, CK_ULONG_PTR out_len))
SESSION_UNSUPPORTED(C_EncryptMessageBegin,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR ad, CK_ULONG ad_len))
SESSION_UNSUPPORTED(C_EncryptMessageNext,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len,
                     CK_FLAGS flags))
SESSION_UNSUPPORTED(C_MessageEncryptFinal, (CK_SESSION_HANDLE h))

SESSION_UNSUPPORTED(C_MessageDecryptInit,
                    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
SESSION_UNSUPPORTED(C_DecryptMessage,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR ad, CK_ULONG ad_len, CK_BYTE_PTR in, CK_ULONG in_len,
                     CK_BYTE_PTR out, CK_ULONG_PTR out_len))
SESSION_UNSUPPORTED(C_DecryptMessageBegin,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR ad, CK_ULONG ad_len))
SESSION_UNSUPPORTED(C_DecryptMessageNext,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len,
                     CK_FLAGS flags))
SESSION_UNSUPPORTED(C_MessageDecryptFinal, (CK_SESSION_HANDLE h))

SESSION_UNSUPPORTED(C_MessageSignInit,
                    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
SESSION_UNSUPPORTED(C_SignMessage,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR sig,
                     CK_ULONG_PTR sig_len))
SESSION_UNSUPPORTED(C_SignMessageBegin,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len))
SESSION_UNSUPPORTED(C_SignMessageNext,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR sig,
                     CK_ULONG_PTR sig_len))
SESSION_UNSUPPORTED(C_MessageSignFinal, (CK_SESSION_HANDLE h))

SESSION_UNSUPPORTED(C_MessageVerifyInit,
                    (CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k))
SESSION_UNSUPPORTED(C_VerifyMessage,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR sig, CK_ULONG sig_len))
SESSION_UNSUPPORTED(C_VerifyMessageBegin,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len))
SESSION_UNSUPPORTED(C_VerifyMessageNext,
                    (CK_SESSION_HANDLE h, CK_VOID_PTR param, CK_ULONG param_len,
                     CK_BYTE_PTR data, CK_ULONG data_len, CK_BYTE_PTR sig, CK_ULONG sig_len))
SESSION_UNSUPPORTED(C_MessageVerifyFinal, (CK_SESSION_HANDLE h))

/* ------------------------------------------------------------ the 3.0 function list */

static CK_FUNCTION_LIST_3_0 function_list_3_0 = {
    .version = {3, 0},
    .C_GetInfo = get_info_3_0,
    P11_ENTRY_POINTS_2_40(P11_TABLE_ENTRY)
    .C_GetInterfaceList = C_GetInterfaceList,
    .C_GetInterface = C_GetInterface,
    .C_LoginUser = C_LoginUser,
    .C_SessionCancel = C_SessionCancel,
    .C_MessageEncryptInit = C_MessageEncryptInit,
    .C_EncryptMessage = C_EncryptMessage,
    .C_EncryptMessageBegin = C_EncryptMessageBegin,
    .C_EncryptMessageNext = C_EncryptMessageNext,
    .C_MessageEncryptFinal = C_MessageEncryptFinal,
    .C_MessageDecryptInit = C_MessageDecryptInit,
    .C_DecryptMessage = C_DecryptMessage,
    .C_DecryptMessageBegin = C_DecryptMessageBegin,
    .C_DecryptMessageNext = C_DecryptMessageNext,
    .C_MessageDecryptFinal = C_MessageDecryptFinal,
    .C_MessageSignInit = C_MessageSignInit,
    .C_SignMessage = C_SignMessage,
    .C_SignMessageBegin = C_SignMessageBegin,
    .C_SignMessageNext = C_SignMessageNext,
    .C_MessageSignFinal = C_MessageSignFinal,
    .C_MessageVerifyInit = C_MessageVerifyInit,
    .C_VerifyMessage = C_VerifyMessage,
    .C_VerifyMessageBegin = C_VerifyMessageBegin,
    .C_VerifyMessageNext = C_VerifyMessageNext,
    .C_MessageVerifyFinal = C_MessageVerifyFinal,
};
