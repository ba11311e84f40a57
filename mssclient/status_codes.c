/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The MSS status-code table: TS 102 204 codes, the FiCom-specific 505, the
 * TS 102 207 roaming codes and Swisscom's 450 (see mss-protocol.md §1.12).
 * Callers match on the number, never on names (deployments spell them differently).
 */
#include <stddef.h>
#include <string.h>
#include <mss/mss.h>

static const mss_status_info status_table[] = {
    /* code, name, meaning, is_final, is_success */
    {100, "REQUEST_OK", "Request accepted; a later status or the result follows", 0, 0},
    {101, "WRONG_PARAM", "Invalid parameter in the request", 1, 0},
    {102, "MISSING_PARAM", "A required parameter is missing", 1, 0},
    {103, "WRONG_DATA_LENGTH", "Data to be signed or displayed is too long or too short", 1, 0},
    {104, "UNAUTHORIZED_ACCESS", "Unknown AP, wrong password or client certificate, or service not allowed", 1, 0},
    {105, "UNKNOWN_CLIENT", "Mobile user unknown, not registered or SIM unusable", 1, 0},
    {107, "INAPPROPRIATE_DATA", "MIME type, encoding or characters not supported", 1, 0},
    {108, "INCOMPATIBLE_INTERFACE", "Unsupported MajorVersion/MinorVersion", 1, 0},
    {109, "UNSUPPORTED_PROFILE", "Signature profile unsupported or not allowed", 1, 0},
    {208, "EXPIRED_TRANSACTION", "Time limit for the transaction exceeded", 1, 0},
    {209, "OTA_ERROR", "Phone unreachable or over-the-air transport problem", 1, 0},
    {401, "USER_CANCEL", "The user cancelled the request", 1, 0},
    {402, "PIN_NR_BLOCKED", "The signing PIN is blocked", 1, 0},
    {403, "CARD_BLOCKED", "The card or account is blocked or suspended", 1, 0},
    {404, "NO_KEY_FOUND", "No key found for the request, or account not active", 1, 0},
    {405, "NO_URL_FOUND", "No URL found (also spelled NO_CRL_FOUND)", 1, 0},
    {406, "PB_SIGNATURE_PROCESS", "Signature process problem, e.g. another signature in progress", 1, 0},
    {407, "REGISTRATION_NOK", "Registration error", 1, 0},
    {422, "NO_CERT_FOUND", "Signed, but no matching valid certificate found", 1, 0},
    {423, "CRL_PB", "CRL problem", 1, 0},
    {424, "CRL_EXPIRED", "The CRL copy expired and could not be updated", 1, 0},
    {425, "ERROR_CERTIFICATE", "Certificate invalid in validation", 1, 0},
    {450, "GEOFENCING_POLICY_VIOLATION", "Request refused by a geofencing policy (Swisscom)", 1, 0},
    {500, "SIGNATURE", "Signature produced, not validated", 1, 1},
    {501, "REVOKED_CERTIFICATE", "Signature produced, but the certificate is revoked", 1, 0},
    {502, "VALID_SIGNATURE", "Signature produced and validated", 1, 1},
    {503, "INVALID_SIGNATURE", "Signature invalid or certificate expired", 1, 0},
    {504, "OUTSTANDING_TRANSACTION", "Transaction still pending; ask again later", 0, 0},
    {505, "CONSTRAINT_MISMATCH", "Signature valid but the certificate fails profile constraints", 1, 0},
    {701, "MISSING_ROAMING_HEADER", "Roaming: roaming header block missing", 1, 0},
    {702, "MISSING_IDENTITY_ISSUER", "Roaming: identity issuer header missing", 1, 0},
    {703, "MISSING_HOME_MSSP", "Roaming: home MSSP header missing", 1, 0},
    {710, "MISSING_INPUT_INFORMATION", "Roaming: input information missing", 1, 0},
    {720, "VALIDITY_DATE_EXPIRED", "Roaming: validity date expired during routing", 1, 0},
    {750, "UNABLE_TO_PROVIDE_RE_SERVICES", "Routing entity failure", 1, 0},
    {760, "UNABLE_TO_PROVIDE_II_SERVICES", "Identity issuer failure", 1, 0},
    {770, "UNABLE_TO_PROVIDE_VE_SERVICES", "Verifying entity failure", 1, 0},
    {780, "UNABLE_TO_PROVIDE_SERVICES", "Unable to provide services", 1, 0},
    {900, "INTERNAL_ERROR", "MSSP internal error", 1, 0},
};

const mss_status_info *mss_status_lookup(int code)
{
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code == code)
            return &status_table[i];
    return NULL;
}

/* TS 102 204 / FiCom: request problems are the sender's, the rest the receiver's. */
static int fault_is_sender(int code)
{
    return (code >= 101 && code <= 108) || (code >= 700 && code < 750);
}

void mss_fault_set(mss_fault *fault, int code, int specifier, const char *detail)
{
    const mss_status_info *info = mss_status_lookup(code);
    memset(fault, 0, sizeof *fault);
    fault->sender = fault_is_sender(code);
    fault->code = code;
    fault->specifier = specifier;
    /* The encoder only reads a fault; the table's strings outlive it. */
    fault->reason = (char *)(info != NULL ? info->name : "ERROR");
    fault->detail = (char *)detail;
}
