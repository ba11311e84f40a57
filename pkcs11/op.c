/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The operation engine: one state machine for C_Sign* and C_Verify*. It owns the
 * order of the checks at *Init, the single-part and multipart rules, the session's
 * op_lock and the end of every operation; a kind (sign.c, verify.c) only says which
 * key it needs and what happens to the bytes the MSSP signs (mech_op.c makes them).
 */
#include "module.h"

#include <string.h>
#include <time.h>

#include "mech.h"

static p11_op *op_of(p11_session *s, const p11_op_kind *k)
{
    return (p11_op *)((char *)s + k->offset);
}

void p11_op_reset(p11_op *op)
{
    p11_mech_op_free(op->state);
    memset(op, 0, sizeof *op);
}

/* The checks in the order suites expect: operation active, mechanism known, key
 * handle, key class, key type, parameter. Caller holds s->op_lock. */
static CK_RV start_locked(p11_session *s, const p11_op_kind *k, p11_op *op,
                          CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE h)
{
    const p11_object *o;
    const p11_mech *m;
    CK_RV rv;

    if (mech == NULL) { /* PKCS#11 3.0: a NULL mechanism ends the active operation */
        p11_op_reset(op);
        return CKR_OK;
    }
    o = p11_object_get(s->slot, h);
    if (op->active)
        return CKR_OPERATION_ACTIVE;
    m = p11_mech_find(mech->mechanism);
    if (m == NULL)
        return CKR_MECHANISM_INVALID;
    if (o == NULL || o->klass == CKO_CERTIFICATE)
        return CKR_KEY_HANDLE_INVALID;
    /* The public key has CKA_SIGN false, the private key CKA_VERIFY false. */
    if (o->klass != k->key_class)
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    if (m->family->key_type != o->key->key_type)
        return CKR_KEY_TYPE_INCONSISTENT;
    /* A PSS mechanism on a key the MSSP cannot use for PSS: not in its
     * CKA_ALLOWED_MECHANISMS. */
    if (!p11_mech_key_can(m, o->key))
        return CKR_MECHANISM_INVALID;
    /* The arguments are fine; the key's certificate decides whether it may sign now.
     * C_SignInit's own code for that (docs/errors.md); nothing has left the machine. */
    if (k->needs_valid_cert && !p11_key_valid_at(o->key, time(NULL)))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    rv = p11_mech_op_new(m, mech, &s->module->digests, &op->state);
    if (rv != CKR_OK)
        return rv;
    op->mech = m;
    op->key = o;
    op->active = 1;
    op->multipart = 0;
    return CKR_OK;
}

CK_RV p11_op_init(p11_session *s, const p11_op_kind *k, CK_MECHANISM_PTR mech,
                  CK_OBJECT_HANDLE h)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    rv = start_locked(s, k, op_of(s, k), mech, h);
    /* A cancel meant for an earlier operation must not end this one. */
    if (rv == CKR_OK && k->remote)
        atomic_store(&s->cancel_sign, 0);
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

/* The input is complete: turn it into the bytes the MSSP signs and hand them to the
 * kind. Whatever the result, the operation is over: one real attempt per operation. */
static CK_RV finish_locked(p11_session *s, const p11_op_kind *k, p11_op *op,
                           CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    unsigned char tbs[P11_TBS_MAX];
    size_t tbs_len = 0;
    CK_RV rv = p11_mech_op_tbs(op->state, tbs, &tbs_len);

    if (rv == CKR_OK)
        rv = k->finish(s, op, tbs, tbs_len, sig, sig_len);
    p11_op_reset(op);
    return rv;
}

CK_RV p11_op_run(p11_session *s, const p11_op_kind *k, CK_BYTE_PTR data, CK_ULONG len,
                 CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    p11_op *op = op_of(s, k);
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!op->active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (op->multipart) {
        rv = CKR_OPERATION_ACTIVE; /* started with *Update: only *Final may end it */
    } else if (k->early == NULL || !k->early(op, sig, sig_len, &rv)) {
        rv = p11_mech_op_update(op->state, data, len);
        if (rv == CKR_OK)
            rv = finish_locked(s, k, op, sig, sig_len);
        else
            p11_op_reset(op);
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

/* The input goes to the mechanism and from then on only *Final may end the
 * operation; a failed update ends it. */
CK_RV p11_op_update(p11_session *s, const p11_op_kind *k, CK_BYTE_PTR data, CK_ULONG len)
{
    p11_op *op = op_of(s, k);
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!op->active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        rv = p11_mech_op_update(op->state, data, len);
        if (rv == CKR_OK)
            op->multipart = 1;
        else
            p11_op_reset(op);
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_op_final(p11_session *s, const p11_op_kind *k, CK_BYTE_PTR sig,
                   CK_ULONG_PTR sig_len)
{
    p11_op *op = op_of(s, k);
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!op->active)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    else if (k->early == NULL || !k->early(op, sig, sig_len, &rv))
        rv = finish_locked(s, k, op, sig, sig_len);
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}
