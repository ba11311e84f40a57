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

/* ------------------------------------------------------------ the 3.0 function list */

/* The message-based functions are stubs (p11_entry_stubs.c), listed with the rest. */
static CK_FUNCTION_LIST_3_0 function_list_3_0 = {
    .version = {3, 0},
    .C_GetInfo = get_info_3_0,
    P11_ENTRY_POINTS_2_40(P11_TABLE_FN, P11_TABLE_STUB)
    P11_ENTRY_POINTS_3_0(P11_TABLE_FN, P11_TABLE_STUB)
};
