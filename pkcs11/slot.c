/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Slots and tokens: one slot per configured mobile user, ids 0..n-1, all served from
 * memory. The slot is a fixed, non-removable "reader" whose token is always present,
 * so NSS never polls it; network trouble shows up in C_Sign, never as a missing token.
 */
#include "module.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <openssl/x509.h>

#include "mech.h"
#include "mlog.h"

/* The serial number: first 16 hex digits of SHA-256(MSISDN), stable across restarts
 * so pkcs11: URIs keep matching, and without spelling out the phone number. */
static void serial_from_msisdn(const char *msisdn, char out[17])
{
    unsigned char h[SHA256_DIGEST_LENGTH];
    size_t i;

    SHA256((const unsigned char *)msisdn, strlen(msisdn), h);
    for (i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02X", h[i]);
}

/* Keys whose certificate is not cached (not enrolled yet) simply have no objects. */
static void load_key(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                     p11_key *key)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    X509 *cert = NULL;

    memset(key, 0, sizeof *key);
    key->role = role;
    if (!user->keys[role].present)
        return;
    if (mss_cache_read_cert(conf, user, role, &der, &der_len, &cert) != 0) {
        mlog_warn("user %s: no cached %s certificate; run mss-tool enroll", user->name,
                  mss_key_role_name(role));
        return;
    }
    key->label = user->keys[role].label; /* mss_conf_load set it (or its default) */
    key->profile = user->keys[role].profile;
    key->pss = user->keys[role].pss;
    if (p11_key_load_cert(key, cert, der, der_len) == 0)
        key->present = 1;
    else
        mlog_warn("user %s: cached %s certificate is not usable", user->name,
                  mss_key_role_name(role));
    X509_free(cert);
    free(der);
}

int p11_slots_build(p11_module *m)
{
    size_t i;
    int r;

    m->slots = NULL;
    m->n_slots = 0;
    if (m->conf == NULL || m->conf->n_users == 0)
        return 0;
    m->slots = calloc(m->conf->n_users, sizeof *m->slots);
    if (m->slots == NULL)
        return -1;
    for (i = 0; i < m->conf->n_users; i++) {
        p11_slot *slot = &m->slots[i];
        const mss_conf_user *user = &m->conf->users[i];

        slot->module = m;
        slot->id = (CK_SLOT_ID)i;
        slot->user = user;
        serial_from_msisdn(user->msisdn, slot->serial);
        pthread_mutex_init(&slot->sign_lock, NULL);
        m->n_slots = i + 1; /* counted as built so p11_slots_free cleans it */
        for (r = 0; r < MSS_KEY_ROLES; r++)
            load_key(m->conf, user, (mss_key_role)r, &slot->keys[r]);
    }
    return 0;
}

void p11_slots_free(p11_module *m)
{
    size_t i;
    int r;

    for (i = 0; i < m->n_slots; i++) {
        p11_slot *slot = &m->slots[i];

        for (r = 0; r < MSS_KEY_ROLES; r++)
            p11_key_clear(&slot->keys[r]);
        mss_client_free(slot->client);
        pthread_mutex_destroy(&slot->sign_lock);
    }
    free(m->slots);
    m->slots = NULL;
    m->n_slots = 0;
}

p11_slot *p11_slot_get(p11_module *m, CK_SLOT_ID id)
{
    return id < m->n_slots ? &m->slots[id] : NULL;
}

CK_RV p11_slot_list(p11_module *m, CK_BBOOL token_present, CK_SLOT_ID_PTR list,
                    CK_ULONG_PTR count)
{
    size_t i;

    (void)token_present; /* every slot always has its token */
    if (list == NULL) {
        *count = m->n_slots;
        return CKR_OK;
    }
    if (*count < m->n_slots) {
        *count = m->n_slots;
        return CKR_BUFFER_TOO_SMALL;
    }
    for (i = 0; i < m->n_slots; i++)
        list[i] = m->slots[i].id;
    *count = m->n_slots;
    return CKR_OK;
}

CK_RV p11_slot_info(p11_slot *slot, CK_SLOT_INFO_PTR info)
{
    char desc[128];

    memset(info, 0, sizeof *info);
    snprintf(desc, sizeof desc, "Mobile signature: %s", slot->user->label);
    p11_pad(info->slotDescription, sizeof info->slotDescription, desc);
    p11_pad(info->manufacturerID, sizeof info->manufacturerID, P11_MANUFACTURER);
    info->flags = CKF_HW_SLOT | CKF_TOKEN_PRESENT; /* not CKF_REMOVABLE_DEVICE */
    info->hardwareVersion.major = P11_VERSION_MAJOR;
    info->hardwareVersion.minor = P11_VERSION_MINOR;
    info->firmwareVersion.major = P11_VERSION_MAJOR;
    info->firmwareVersion.minor = P11_VERSION_MINOR;
    return CKR_OK;
}

CK_RV p11_token_info(p11_slot *slot, CK_TOKEN_INFO_PTR info)
{
    memset(info, 0, sizeof *info);
    p11_pad(info->label, sizeof info->label, slot->user->label); /* set by mss_conf_load */
    p11_pad(info->manufacturerID, sizeof info->manufacturerID, P11_MANUFACTURER);
    p11_pad(info->model, sizeof info->model, P11_MODEL);
    p11_pad(info->serialNumber, sizeof info->serialNumber, slot->serial);
    /* Confirmation happens on the phone at each signature: no login is required, but
     * the protected path tells callers that a PIN, if they log in, is not typed here. */
    info->flags = CKF_TOKEN_INITIALIZED | CKF_WRITE_PROTECTED | CKF_USER_PIN_INITIALIZED |
                  CKF_PROTECTED_AUTHENTICATION_PATH;
    info->ulMaxSessionCount = CK_EFFECTIVELY_INFINITE;
    info->ulMaxRwSessionCount = CK_EFFECTIVELY_INFINITE;
    p11_module_lock(slot->module);
    info->ulSessionCount = slot->n_sessions;
    info->ulRwSessionCount = slot->n_rw_sessions;
    p11_module_unlock(slot->module);
    info->ulMaxPinLen = 0;
    info->ulMinPinLen = 0;
    info->ulTotalPublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePublicMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulTotalPrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->ulFreePrivateMemory = CK_UNAVAILABLE_INFORMATION;
    info->hardwareVersion.major = P11_VERSION_MAJOR;
    info->hardwareVersion.minor = P11_VERSION_MINOR;
    info->firmwareVersion.major = P11_VERSION_MAJOR;
    info->firmwareVersion.minor = P11_VERSION_MINOR;
    p11_pad(info->utcTime, sizeof info->utcTime, ""); /* no CKF_CLOCK_ON_TOKEN */
    return CKR_OK;
}

/* A mechanism is on a token's list when at least one of its keys can do it. */
static int slot_offers(const p11_slot *slot, const p11_mech *m)
{
    int r;

    for (r = 0; r < MSS_KEY_ROLES; r++)
        if (p11_mech_key_can(m, &slot->keys[r]))
            return 1;
    return 0;
}

CK_RV p11_mechanism_list(p11_slot *slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count)
{
    size_t i, n = 0;
    CK_RV rv = CKR_OK;

    for (i = 0; i < p11_mech_count(); i++) {
        const p11_mech *m = p11_mech_at(i);

        if (!slot_offers(slot, m))
            continue;
        if (list != NULL && n < *count)
            list[n] = m->type;
        else if (list != NULL)
            rv = CKR_BUFFER_TOO_SMALL;
        n++;
    }
    *count = (CK_ULONG)n;
    return rv;
}

CK_RV p11_mechanism_info(p11_slot *slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info)
{
    const p11_mech *m = p11_mech_find(type);
    CK_ULONG min = 0, max = 0;
    int r;

    if (m == NULL || !slot_offers(slot, m))
        return CKR_MECHANISM_INVALID;
    for (r = 0; r < MSS_KEY_ROLES; r++) {
        const p11_key *key = &slot->keys[r];

        if (!p11_mech_key_can(m, key))
            continue;
        if (min == 0 || key->bits < min)
            min = key->bits;
        if (key->bits > max)
            max = key->bits;
    }
    info->ulMinKeySize = min;
    info->ulMaxKeySize = max;
    /* CKF_HW: pkcs11-tool --test only runs its signature test for such mechanisms. */
    info->flags = CKF_SIGN | CKF_VERIFY | CKF_HW;
    if (m->family->key_type == CKK_EC)
        info->flags |= CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS;
    return CKR_OK;
}
