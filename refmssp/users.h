/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Making SIM users: two keys (authentication and signing) of the chosen types,
 * their certificates from the test CA, the user's row with its policy and PIN, and
 * the [user NAME] section of the PKCS#11 module configuration that points at them.
 * Used by 'refmssp init' (the demo users) and 'refmssp user add'.
 */
#ifndef REFMSSP_USERS_H
#define REFMSSP_USERS_H

#include <stddef.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "mss_conf.h"
#include "pki.h"
#include "store.h"

/* The PIN a user gets when none is given. */
#define RM_DEFAULT_PIN "1234"

typedef struct rm_user_spec {
    const char *name;           /* [A-Za-z0-9_.-]{1,64} */
    const char *msisdn;
    const char *label;          /* token label and certificate CN; NULL: the name */
    pki_key_type authn_type;
    pki_key_type sign_type;
    int pss;                    /* the RSA keys may sign RSA-PSS */
    const char *policy;         /* NULL: "approve" */
    int ecdsa_raw;              /* ECDSA as raw r||s instead of DER */
    const char *pin;            /* NULL: RM_DEFAULT_PIN */
    const char *authn_profile;  /* NULL: RM_AUTHN_PROFILE */
    const char *sign_profile;   /* NULL: RM_SIGN_PROFILE */
} rm_user_spec;

/* 1 when NAME may name a user (and a module configuration section). */
int rm_user_name_valid(const char *name);

/* Check a spec for everything that does not need the database. 0, or -1 with a
 * one-line reason in err. */
int rm_user_spec_check(const rm_user_spec *spec, char *err, size_t err_len);

/* Add the user and its keys inside the caller's transaction. 0, or -1 + reason. */
int rm_user_create(rm_store *store, X509 *ca_cert, EVP_PKEY *ca_key, const rm_user_spec *spec,
                   char *err, size_t err_len);

/* Add the user's [user NAME] section (its profiles, labels and PSS use) to a module
 * configuration being built. 0, or -1 + reason. */
int rm_user_conf_add(mss_conf *conf, const rm_user_spec *spec, char *err, size_t err_len);

/* Append that section to FILE, which must exist and not have the section yet; FILE is
 * untouched on error. 0 or -1 + reason. */
int rm_user_conf_append(const char *file, const rm_user_spec *spec, char *err, size_t err_len);

#endif /* REFMSSP_USERS_H */
