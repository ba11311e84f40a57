/* SPDX-License-Identifier: BSD-3-Clause */
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

/* The 2.40 entry points other than C_GetInfo (each table has its own, reporting its
 * version). Both function tables are built from this one list. */
#define P11_ENTRY_POINTS_2_40(X) \
    X(C_Initialize) X(C_Finalize) X(C_GetFunctionList) \
    X(C_GetSlotList) X(C_GetSlotInfo) X(C_GetTokenInfo) \
    X(C_GetMechanismList) X(C_GetMechanismInfo) X(C_InitToken) \
    X(C_InitPIN) X(C_SetPIN) X(C_OpenSession) \
    X(C_CloseSession) X(C_CloseAllSessions) X(C_GetSessionInfo) \
    X(C_GetOperationState) X(C_SetOperationState) X(C_Login) \
    X(C_Logout) X(C_CreateObject) X(C_CopyObject) \
    X(C_DestroyObject) X(C_GetObjectSize) X(C_GetAttributeValue) \
    X(C_SetAttributeValue) X(C_FindObjectsInit) X(C_FindObjects) \
    X(C_FindObjectsFinal) X(C_EncryptInit) X(C_Encrypt) \
    X(C_EncryptUpdate) X(C_EncryptFinal) X(C_DecryptInit) \
    X(C_Decrypt) X(C_DecryptUpdate) X(C_DecryptFinal) \
    X(C_DigestInit) X(C_Digest) X(C_DigestUpdate) \
    X(C_DigestKey) X(C_DigestFinal) X(C_SignInit) \
    X(C_Sign) X(C_SignUpdate) X(C_SignFinal) \
    X(C_SignRecoverInit) X(C_SignRecover) X(C_VerifyInit) \
    X(C_Verify) X(C_VerifyUpdate) X(C_VerifyFinal) \
    X(C_VerifyRecoverInit) X(C_VerifyRecover) X(C_DigestEncryptUpdate) \
    X(C_DecryptDigestUpdate) X(C_SignEncryptUpdate) X(C_DecryptVerifyUpdate) \
    X(C_GenerateKey) X(C_GenerateKeyPair) X(C_WrapKey) \
    X(C_UnwrapKey) X(C_DeriveKey) X(C_SeedRandom) \
    X(C_GenerateRandom) X(C_GetFunctionStatus) X(C_CancelFunction) \
    X(C_WaitForSlotEvent)
#define P11_TABLE_ENTRY(name) .name = name,

/* The 2.40 table C_GetFunctionList hands out (also offered by C_GetInterface). */
extern CK_FUNCTION_LIST p11_function_list_2_40;

#endif
