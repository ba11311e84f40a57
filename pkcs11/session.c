/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sessions and login state.
 *
 * A session is reference counted: the session table holds one reference and every
 * C_* call working on it holds another for its duration. C_CloseSession removes it
 * from the table and sets `closing` (which cancels a pending C_Sign through the
 * client's cancel callback); the memory goes away with the last reference, so a
 * close during a long signature cannot free what the signing thread still uses.
 * Handles count up from 1 and are never reused, so a stale handle cannot reach a
 * newer session.
 *
 * Login: the token needs none (confirmation happens on the phone), but C_Login is
 * accepted with any or no PIN so callers that always log in keep working. The PIN
 * is never looked at, stored or logged. Login state is per slot and ends when the
 * slot's last session closes, as the spec says.
 */
#include "module.h"

#include <stdlib.h>
#include <string.h>

#include "mlog.h"

static void session_free(p11_session *s)
{
    p11_op_reset(&s->sign);
    p11_op_reset(&s->verify);
    p11_find_reset(&s->find);
    pthread_mutex_destroy(&s->op_lock);
    free(s);
}

static CK_RV table_add_locked(p11_module *m, p11_session *s)
{
    if (m->n_sessions == m->cap_sessions) {
        size_t cap = m->cap_sessions ? m->cap_sessions * 2 : 16;
        p11_session **grown = realloc(m->sessions, cap * sizeof *grown);

        if (grown == NULL)
            return CKR_HOST_MEMORY;
        m->sessions = grown;
        m->cap_sessions = cap;
    }
    m->sessions[m->n_sessions++] = s;
    return CKR_OK;
}

/* Index of an open session by handle, or -1. The table is in handle order. */
static long table_find_locked(const p11_module *m, CK_SESSION_HANDLE h)
{
    size_t lo = 0, hi = m->n_sessions;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->sessions[mid]->handle == h)
            return (long)mid;
        if (m->sessions[mid]->handle < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Drop the reference; free with the last one. Caller holds the instance lock. */
static void unref_locked(p11_session *s)
{
    if (--s->refs == 0)
        session_free(s);
}

/* Take a session out of the table: mark it closing, fix the slot's counters. */
static void detach_locked(p11_module *m, size_t idx)
{
    p11_session *s = m->sessions[idx];
    p11_slot *slot = s->slot;

    memmove(&m->sessions[idx], &m->sessions[idx + 1],
            (m->n_sessions - idx - 1) * sizeof *m->sessions);
    m->n_sessions--;
    atomic_store(&s->closing, 1);
    slot->n_sessions--;
    if (s->flags & CKF_RW_SESSION)
        slot->n_rw_sessions--;
    if (slot->n_sessions == 0)
        slot->logged_in = 0;
    unref_locked(s);
}

CK_RV p11_session_open(p11_slot *slot, CK_FLAGS flags, CK_SESSION_HANDLE_PTR out)
{
    p11_module *m = slot->module;
    p11_session *s;
    CK_RV rv;

    if (!(flags & CKF_SERIAL_SESSION))
        return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    s = calloc(1, sizeof *s);
    if (s == NULL)
        return CKR_HOST_MEMORY;
    s->module = m;
    s->slot = slot;
    /* CKF_RW_SESSION is accepted (OpenSSH always asks for it); writes are refused
     * per call because the token is write-protected. */
    s->flags = flags & (CKF_SERIAL_SESSION | CKF_RW_SESSION);
    s->refs = 1;
    atomic_init(&s->closing, 0);
    atomic_init(&s->cancel_sign, 0);
    pthread_mutex_init(&s->op_lock, NULL);

    p11_module_lock(m);
    s->handle = ++m->last_handle;
    rv = table_add_locked(m, s);
    if (rv == CKR_OK) {
        slot->n_sessions++;
        if (s->flags & CKF_RW_SESSION)
            slot->n_rw_sessions++;
        *out = s->handle;
    }
    p11_module_unlock(m);
    if (rv != CKR_OK)
        session_free(s);
    return rv;
}

CK_RV p11_session_close(p11_module *m, CK_SESSION_HANDLE h)
{
    long idx;

    p11_module_lock(m);
    idx = table_find_locked(m, h);
    if (idx >= 0)
        detach_locked(m, (size_t)idx);
    p11_module_unlock(m);
    return idx >= 0 ? CKR_OK : CKR_SESSION_HANDLE_INVALID;
}

CK_RV p11_session_close_all(p11_slot *slot)
{
    p11_module *m = slot->module;
    size_t i;

    p11_module_lock(m);
    for (i = m->n_sessions; i-- > 0;) {
        if (m->sessions[i]->slot == slot)
            detach_locked(m, i);
    }
    p11_module_unlock(m);
    return CKR_OK;
}

void p11_sessions_close_all_locked(p11_module *m)
{
    while (m->n_sessions > 0)
        detach_locked(m, m->n_sessions - 1);
}

CK_RV p11_session_acquire(p11_module *m, CK_SESSION_HANDLE h, p11_session **out)
{
    long idx;

    p11_module_lock(m);
    idx = table_find_locked(m, h);
    if (idx >= 0) {
        *out = m->sessions[idx];
        (*out)->refs++;
    }
    p11_module_unlock(m);
    return idx >= 0 ? CKR_OK : CKR_SESSION_HANDLE_INVALID;
}

void p11_session_release(p11_session *s)
{
    p11_module *m;

    if (s == NULL)
        return;
    m = s->module;
    p11_module_lock(m);
    unref_locked(s);
    p11_module_unlock(m);
}

CK_RV p11_session_info(p11_session *s, CK_SESSION_INFO_PTR info)
{
    int rw = (s->flags & CKF_RW_SESSION) != 0;

    memset(info, 0, sizeof *info);
    info->slotID = s->slot->id;
    info->flags = s->flags;
    info->ulDeviceError = 0;
    p11_module_lock(s->module);
    if (s->slot->logged_in)
        info->state = rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS;
    else
        info->state = rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION;
    p11_module_unlock(s->module);
    return CKR_OK;
}

CK_RV p11_login(p11_session *s, CK_USER_TYPE user)
{
    CK_RV rv = CKR_OK;

    if (user == CKU_CONTEXT_SPECIFIC) {
        /* Keys are not CKA_ALWAYS_AUTHENTICATE; accept it during a sign operation. */
        pthread_mutex_lock(&s->op_lock);
        rv = s->sign.active ? CKR_OK : CKR_OPERATION_NOT_INITIALIZED;
        pthread_mutex_unlock(&s->op_lock);
        return rv;
    }
    /* This token has no security officer: nothing can be administered here. */
    if (user != CKU_USER)
        return CKR_USER_TYPE_INVALID;
    p11_module_lock(s->module);
    if (s->slot->logged_in)
        rv = CKR_USER_ALREADY_LOGGED_IN;
    else
        s->slot->logged_in = 1;
    p11_module_unlock(s->module);
    return rv;
}

CK_RV p11_logout(p11_session *s)
{
    CK_RV rv = CKR_OK;

    p11_module_lock(s->module);
    if (!s->slot->logged_in)
        rv = CKR_USER_NOT_LOGGED_IN;
    else
        s->slot->logged_in = 0;
    p11_module_unlock(s->module);
    return rv;
}

/*
 * A C_Sign waiting on the phone holds op_lock until it returns, and it polls its
 * cancel callback at least every 100 ms: setting the flag first and then taking
 * op_lock therefore waits at most that long, after which the operation is gone
 * whether it was waiting or not.
 */
CK_RV p11_session_cancel(p11_session *s, CK_FLAGS flags)
{
    if (flags & CKF_SIGN)
        atomic_store(&s->cancel_sign, 1);
    pthread_mutex_lock(&s->op_lock);
    if (flags & CKF_SIGN) {
        p11_op_reset(&s->sign);
        atomic_store(&s->cancel_sign, 0);
    }
    if (flags & CKF_VERIFY)
        p11_op_reset(&s->verify);
    if (flags & CKF_FIND_OBJECTS)
        p11_find_reset(&s->find);
    pthread_mutex_unlock(&s->op_lock);
    return CKR_OK;
}
