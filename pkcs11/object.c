/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Objects: per key (key.c) a certificate, a public key and a private key, built once
 * when the instance is loaded and never changed afterwards (the token is
 * write-protected), so reading them needs no lock.
 *
 * Attributes are declared in tables, one per object class plus the shared ones; a
 * rule says where the value comes from. C_GetAttributeValue and C_FindObjects both
 * read through the same tables, so what can be found is exactly what can be read.
 * All three objects of a key share CKA_ID = SHA-1 of the public key BIT STRING's
 * contents (the usual "subject key identifier" method 1), which is how OpenSSH, NSS,
 * libp11 and SunPKCS11 pair them.
 */
#include "module.h"

#include <stdlib.h>
#include <string.h>

#include "mech.h"

/* ------------------------------------------------------------ the object table */

int p11_objects_build(p11_module *m)
{
    static const CK_OBJECT_CLASS classes[] = {CKO_CERTIFICATE, CKO_PUBLIC_KEY,
                                              CKO_PRIVATE_KEY};
    size_t i, c, n = 0;
    int r;

    m->objects = NULL;
    m->n_objects = 0;
    for (i = 0; i < m->n_slots; i++)
        for (r = 0; r < MSS_KEY_ROLES; r++)
            n += m->slots[i].keys[r].present ? 3 : 0;
    if (n == 0)
        return 0;
    m->objects = calloc(n, sizeof *m->objects);
    if (m->objects == NULL)
        return -1;
    for (i = 0; i < m->n_slots; i++) {
        for (r = 0; r < MSS_KEY_ROLES; r++) {
            const p11_key *key = &m->slots[i].keys[r];

            if (!key->present)
                continue;
            for (c = 0; c < 3; c++) {
                p11_object *o = &m->objects[m->n_objects];

                /* Handles are positions + 1: stable for the same configuration. */
                o->handle = (CK_OBJECT_HANDLE)(m->n_objects + 1);
                o->klass = classes[c];
                o->slot = &m->slots[i];
                o->key = key;
                m->n_objects++;
            }
        }
    }
    return 0;
}

void p11_objects_free(p11_module *m)
{
    free(m->objects);
    m->objects = NULL;
    m->n_objects = 0;
}

const p11_object *p11_object_get(const p11_slot *slot, CK_OBJECT_HANDLE h)
{
    const p11_module *m = slot->module;

    if (h == CK_INVALID_HANDLE || h > m->n_objects)
        return NULL;
    return m->objects[h - 1].slot == slot ? &m->objects[h - 1] : NULL;
}

/* ------------------------------------------------------------ attribute rules */

typedef enum attr_source {
    SRC_FALSE,      /* CK_BBOOL false */
    SRC_TRUE,       /* CK_BBOOL true */
    SRC_ULONG,      /* CK_ULONG constant (rule.value) */
    SRC_CLASS,      /* the object's class */
    SRC_EMPTY,      /* present, zero length */
    SRC_LABEL,      /* the key's label */
    SRC_BITS,       /* CKA_MODULUS_BITS */
    SRC_MECHS,      /* CKA_ALLOWED_MECHANISMS */
    SRC_SENSITIVE,  /* exists, never revealed */
    SRC_KEY_TYPE,   /* CKK_RSA or CKK_EC */
    SRC_ID, SRC_CERT, SRC_SUBJECT, SRC_ISSUER, SRC_SERIAL, SRC_SPKI, SRC_MODULUS,
    SRC_EXPONENT, SRC_EC_PARAMS, SRC_EC_POINT
} attr_source;

typedef struct attr_rule {
    CK_ATTRIBUTE_TYPE type;
    attr_source src;
    CK_ULONG value;
} attr_rule;

static const attr_rule common_rules[] = {
    {CKA_CLASS, SRC_CLASS, 0},
    {CKA_TOKEN, SRC_TRUE, 0},
    {CKA_PRIVATE, SRC_FALSE, 0}, /* listable without login: none is required */
    {CKA_MODIFIABLE, SRC_FALSE, 0},
    {CKA_COPYABLE, SRC_FALSE, 0},
    {CKA_DESTROYABLE, SRC_FALSE, 0},
    {CKA_LABEL, SRC_LABEL, 0},
    {CKA_ID, SRC_ID, 0},
};

static const attr_rule cert_rules[] = {
    {CKA_CERTIFICATE_TYPE, SRC_ULONG, CKC_X_509},
    {CKA_TRUSTED, SRC_FALSE, 0},
    {CKA_CERTIFICATE_CATEGORY, SRC_ULONG, 1}, /* token user */
    {CKA_START_DATE, SRC_EMPTY, 0},
    {CKA_END_DATE, SRC_EMPTY, 0},
    {CKA_SUBJECT, SRC_SUBJECT, 0},
    {CKA_ISSUER, SRC_ISSUER, 0},
    {CKA_SERIAL_NUMBER, SRC_SERIAL, 0},
    {CKA_VALUE, SRC_CERT, 0},
    {CKA_URL, SRC_EMPTY, 0},
    {CKA_HASH_OF_SUBJECT_PUBLIC_KEY, SRC_EMPTY, 0},
    {CKA_HASH_OF_ISSUER_PUBLIC_KEY, SRC_EMPTY, 0},
    {CKA_JAVA_MIDP_SECURITY_DOMAIN, SRC_ULONG, 0},
    {CKA_PUBLIC_KEY_INFO, SRC_SPKI, 0},
};

/* Shared by public and private keys of every type. */
static const attr_rule key_rules[] = {
    {CKA_KEY_TYPE, SRC_KEY_TYPE, 0},
    {CKA_START_DATE, SRC_EMPTY, 0},
    {CKA_END_DATE, SRC_EMPTY, 0},
    {CKA_DERIVE, SRC_FALSE, 0},
    {CKA_LOCAL, SRC_FALSE, 0},
    {CKA_KEY_GEN_MECHANISM, SRC_ULONG, CK_UNAVAILABLE_INFORMATION},
    {CKA_ALLOWED_MECHANISMS, SRC_MECHS, 0},
    {CKA_SUBJECT, SRC_SUBJECT, 0},
    {CKA_PUBLIC_KEY_INFO, SRC_SPKI, 0},
};

/* The public facts of an RSA key, on the public and (for NSS, libp11) private key. */
static const attr_rule rsa_rules[] = {
    {CKA_MODULUS, SRC_MODULUS, 0},
    {CKA_MODULUS_BITS, SRC_BITS, 0},
    {CKA_PUBLIC_EXPONENT, SRC_EXPONENT, 0},
};

/* EC: the curve on both halves (NSS reads it from the private key); the point only
 * on the public key, as the spec has it. */
static const attr_rule ec_rules[] = {
    {CKA_EC_PARAMS, SRC_EC_PARAMS, 0},
};

static const attr_rule ec_public_rules[] = {
    {CKA_EC_POINT, SRC_EC_POINT, 0},
};

static const attr_rule public_rules[] = {
    {CKA_ENCRYPT, SRC_FALSE, 0},
    {CKA_VERIFY, SRC_TRUE, 0},
    {CKA_VERIFY_RECOVER, SRC_FALSE, 0},
    {CKA_WRAP, SRC_FALSE, 0},
    {CKA_TRUSTED, SRC_FALSE, 0},
};

/* The private half lives on the SIM; its attributes exist but are never revealed. */
static const attr_rule private_rules[] = {
    {CKA_SIGN, SRC_TRUE, 0},
    {CKA_SIGN_RECOVER, SRC_FALSE, 0},
    {CKA_DECRYPT, SRC_FALSE, 0},
    {CKA_UNWRAP, SRC_FALSE, 0},
    {CKA_SENSITIVE, SRC_TRUE, 0},
    {CKA_EXTRACTABLE, SRC_FALSE, 0},
    {CKA_ALWAYS_SENSITIVE, SRC_TRUE, 0},
    {CKA_NEVER_EXTRACTABLE, SRC_TRUE, 0},
    {CKA_WRAP_WITH_TRUSTED, SRC_FALSE, 0},
    {CKA_ALWAYS_AUTHENTICATE, SRC_FALSE, 0}, /* TRUE breaks ssh-agent */
};

static const attr_rule rsa_private_rules[] = {
    {CKA_PRIVATE_EXPONENT, SRC_SENSITIVE, 0},
    {CKA_PRIME_1, SRC_SENSITIVE, 0},
    {CKA_PRIME_2, SRC_SENSITIVE, 0},
    {CKA_EXPONENT_1, SRC_SENSITIVE, 0},
    {CKA_EXPONENT_2, SRC_SENSITIVE, 0},
    {CKA_COEFFICIENT, SRC_SENSITIVE, 0},
};

static const attr_rule ec_private_rules[] = {
    {CKA_VALUE, SRC_SENSITIVE, 0},
};

#define N_RULES(t) (sizeof(t) / sizeof((t)[0]))

static const attr_rule *rule_in(const attr_rule *rules, size_t n, CK_ATTRIBUTE_TYPE type)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (rules[i].type == type)
            return &rules[i];
    return NULL;
}

#define FIND_IN(t)                                        \
    do {                                                  \
        const attr_rule *found_ = rule_in(t, N_RULES(t), type); \
        if (found_ != NULL)                               \
            return found_;                                \
    } while (0)

static const attr_rule *rule_for(const p11_object *o, CK_ATTRIBUTE_TYPE type)
{
    int ec = o->key->key_type == CKK_EC;

    FIND_IN(common_rules);
    switch (o->klass) {
    case CKO_CERTIFICATE:
        FIND_IN(cert_rules);
        return NULL;
    case CKO_PUBLIC_KEY:
        FIND_IN(key_rules);
        FIND_IN(public_rules);
        if (ec) {
            FIND_IN(ec_rules);
            FIND_IN(ec_public_rules);
        } else {
            FIND_IN(rsa_rules);
        }
        return NULL;
    case CKO_PRIVATE_KEY:
        FIND_IN(key_rules);
        FIND_IN(private_rules);
        if (ec) {
            FIND_IN(ec_rules);
            FIND_IN(ec_private_rules);
        } else {
            FIND_IN(rsa_rules);
            FIND_IN(rsa_private_rules);
        }
        return NULL;
    default:
        return NULL;
    }
}

/* Room for any value that is not a pointer into the key. */
typedef union attr_scratch {
    CK_BBOOL b;
    CK_ULONG ul;
    CK_MECHANISM_TYPE mechs[32];
} attr_scratch;

/* Where a rule's value is, and how long. SRC_SENSITIVE never gets here. */
static void rule_value(const p11_object *o, const attr_rule *r, attr_scratch *tmp,
                       const void **val, CK_ULONG *len)
{
    const p11_key *k = o->key;
    size_t i, n;

    *val = NULL;
    *len = 0;
    switch (r->src) {
    case SRC_FALSE:
    case SRC_TRUE:
        tmp->b = r->src == SRC_TRUE ? CK_TRUE : CK_FALSE;
        *val = &tmp->b;
        *len = sizeof tmp->b;
        return;
    case SRC_ULONG:
    case SRC_CLASS:
    case SRC_BITS:
        tmp->ul = r->src == SRC_ULONG ? r->value : r->src == SRC_CLASS ? o->klass : k->bits;
        *val = &tmp->ul;
        *len = sizeof tmp->ul;
        return;
    case SRC_MECHS: /* what this key can do: the key type's, PSS only when enabled */
        n = 0;
        for (i = 0; i < p11_mech_count() && n < N_RULES(tmp->mechs); i++)
            if (p11_mech_key_can(p11_mech_at(i), k))
                tmp->mechs[n++] = p11_mech_at(i)->type;
        *val = tmp->mechs;
        *len = (CK_ULONG)(n * sizeof tmp->mechs[0]);
        return;
    case SRC_KEY_TYPE:
        tmp->ul = k->key_type;
        *val = &tmp->ul;
        *len = sizeof tmp->ul;
        return;
    case SRC_EC_PARAMS: *val = k->ec_params; *len = k->ec_params_len; return;
    case SRC_EC_POINT: *val = k->ec_point; *len = k->ec_point_len; return;
    case SRC_LABEL:
        *val = k->label;
        *len = k->label != NULL ? (CK_ULONG)strlen(k->label) : 0;
        return;
    case SRC_ID: *val = k->id; *len = sizeof k->id; return;
    case SRC_CERT: *val = k->cert; *len = k->cert_len; return;
    case SRC_SUBJECT: *val = k->subject; *len = k->subject_len; return;
    case SRC_ISSUER: *val = k->issuer; *len = k->issuer_len; return;
    case SRC_SERIAL: *val = k->serial; *len = k->serial_len; return;
    case SRC_SPKI: *val = k->spki; *len = k->spki_len; return;
    case SRC_MODULUS: *val = k->modulus; *len = k->modulus_len; return;
    case SRC_EXPONENT: *val = k->exponent; *len = k->exponent_len; return;
    case SRC_EMPTY:
    case SRC_SENSITIVE:
        return;
    }
}

/* The spec allows any of several errors when several attributes fail; report the
 * first one met, but always go through the whole template. */
static void keep_first(CK_RV *rv, CK_RV err)
{
    if (*rv == CKR_OK)
        *rv = err;
}

CK_RV p11_get_attributes(p11_session *s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_PTR tmpl,
                         CK_ULONG count)
{
    const p11_object *o = p11_object_get(s->slot, h);
    CK_RV rv = CKR_OK;
    CK_ULONG i;

    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    for (i = 0; i < count; i++) {
        CK_ATTRIBUTE *a = &tmpl[i];
        const attr_rule *r = rule_for(o, a->type);
        attr_scratch tmp;
        const void *val;
        CK_ULONG len;

        if (r == NULL) {
            a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
            keep_first(&rv, CKR_ATTRIBUTE_TYPE_INVALID);
            continue;
        }
        if (r->src == SRC_SENSITIVE) {
            a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
            keep_first(&rv, CKR_ATTRIBUTE_SENSITIVE);
            continue;
        }
        rule_value(o, r, &tmp, &val, &len);
        if (a->pValue == NULL) {
            a->ulValueLen = len;
        } else if (a->ulValueLen < len) {
            a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
            keep_first(&rv, CKR_BUFFER_TOO_SMALL);
        } else {
            if (len > 0)
                memcpy(a->pValue, val, len);
            a->ulValueLen = len;
        }
    }
    return rv;
}

CK_RV p11_object_size(p11_session *s, CK_OBJECT_HANDLE h, CK_ULONG_PTR size)
{
    const p11_object *o = p11_object_get(s->slot, h);

    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    *size = o->klass == CKO_CERTIFICATE ? (CK_ULONG)o->key->cert_len
                                        : CK_UNAVAILABLE_INFORMATION;
    return CKR_OK;
}

/* ------------------------------------------------------------ find */

/* An object matches when every template attribute is readable and byte-equal. */
static int object_matches(const p11_object *o, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    CK_ULONG i;

    for (i = 0; i < count; i++) {
        const attr_rule *r = rule_for(o, tmpl[i].type);
        attr_scratch tmp;
        const void *val;
        CK_ULONG len;

        if (r == NULL || r->src == SRC_SENSITIVE)
            return 0;
        rule_value(o, r, &tmp, &val, &len);
        if (tmpl[i].ulValueLen != len)
            return 0;
        if (len > 0 && (tmpl[i].pValue == NULL || memcmp(tmpl[i].pValue, val, len) != 0))
            return 0;
    }
    return 1;
}

void p11_find_reset(p11_find_op *op)
{
    free(op->handles);
    memset(op, 0, sizeof *op);
}

CK_RV p11_find_init(p11_session *s, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count)
{
    const p11_module *m = s->module;
    CK_RV rv = CKR_OK;
    size_t i;

    pthread_mutex_lock(&s->op_lock);
    if (s->find.active) {
        rv = CKR_OPERATION_ACTIVE;
        goto out;
    }
    s->find.handles = calloc(m->n_objects ? m->n_objects : 1, sizeof *s->find.handles);
    if (s->find.handles == NULL) {
        rv = CKR_HOST_MEMORY;
        goto out;
    }
    for (i = 0; i < m->n_objects; i++) {
        const p11_object *o = &m->objects[i];

        if (o->slot == s->slot && object_matches(o, tmpl, count))
            s->find.handles[s->find.n++] = o->handle;
    }
    s->find.pos = 0;
    s->find.active = 1;
out:
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_find(p11_session *s, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG_PTR n)
{
    CK_RV rv = CKR_OK;

    pthread_mutex_lock(&s->op_lock);
    if (!s->find.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        *n = 0;
        while (*n < max && s->find.pos < s->find.n)
            out[(*n)++] = s->find.handles[s->find.pos++];
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_find_final(p11_session *s)
{
    CK_RV rv = CKR_OK;

    pthread_mutex_lock(&s->op_lock);
    if (!s->find.active)
        rv = CKR_OPERATION_NOT_INITIALIZED;
    else
        p11_find_reset(&s->find);
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}
