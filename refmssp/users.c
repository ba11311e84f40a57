/* SPDX-License-Identifier: BSD-3-Clause */
/* Making SIM users; see users.h. */
#include "users.h"
#include "commands.h"
#include "flow.h"
#include "phone_token.h"
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

/* The module configuration and refmssp accept the same numbers. */
int rm_msisdn_valid(const char *s)
{
    return mss_conf_msisdn_valid(s);
}

int rm_user_name_valid(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}

/* Labels go into a key = value file and a certificate: printable, one line. */
static int label_valid(const char *label)
{
    size_t n = strlen(label);
    if (n == 0 || n > 64 || label[0] == ' ' || label[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f || label[i] == '#')
            return 0;
    return 1;
}

static int profile_valid(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > 256)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] <= 0x20 || p[i] == 0x7f || p[i] == '#' || p[i] == '<' ||
            p[i] == '>' || p[i] == '&' || p[i] == '"')
            return 0;
    return 1;
}

int rm_user_spec_check(const rm_user_spec *spec, char *err, size_t err_len)
{
    flow_policy_kind kind;
    long delay;
    if (!rm_user_name_valid(spec->name)) {
        snprintf(err, err_len, "NAME must be 1 to 64 of A-Z a-z 0-9 _ . -");
        return -1;
    }
    if (!rm_msisdn_valid(spec->msisdn)) {
        snprintf(err, err_len, "--msisdn must be '+' and 3 to 15 digits");
        return -1;
    }
    if (scenario_reserved(spec->msisdn)) {
        snprintf(err, err_len, "%s is a scenario number (+999000001NNN, +99900002SSSS); "
                 "choose another", spec->msisdn);
        return -1;
    }
    if (spec->label != NULL && !label_valid(spec->label)) {
        snprintf(err, err_len, "--label must be 1 to 64 printable characters without '#'");
        return -1;
    }
    if (spec->policy != NULL && flow_policy_parse(spec->policy, &kind, &delay) != 0) {
        snprintf(err, err_len, "--policy must be approve, delay:MS (MS up to %ld) or manual",
                 FLOW_MAX_DELAY_MS);
        return -1;
    }
    if (spec->pin != NULL && !flow_pin_valid(spec->pin)) {
        snprintf(err, err_len, "--pin must be 4 to 8 digits");
        return -1;
    }
    if ((spec->authn_profile != NULL && !profile_valid(spec->authn_profile)) ||
        (spec->sign_profile != NULL && !profile_valid(spec->sign_profile))) {
        snprintf(err, err_len, "a signature profile must be a URI without spaces");
        return -1;
    }
    if (spec->authn_profile != NULL && spec->sign_profile != NULL &&
        strcmp(spec->authn_profile, spec->sign_profile) == 0) {
        snprintf(err, err_len, "the two keys need different signature profiles");
        return -1;
    }
    if (spec->pss && pki_key_type_is_ec(spec->authn_type) && pki_key_type_is_ec(spec->sign_type)) {
        snprintf(err, err_len, "--pss needs at least one RSA key");
        return -1;
    }
    return 0;
}

static const char *label_of(const rm_user_spec *spec)
{
    return spec->label != NULL ? spec->label : spec->name;
}

/* One key: generate, certify, store (key PEM and certificate DER). */
static int add_key(rm_store *store, X509 *ca_cert, EVP_PKEY *ca_key, long long user_id,
                   const rm_user_spec *spec, int sign, char *err, size_t err_len)
{
    pki_key_type type = sign ? spec->sign_type : spec->authn_type;
    const char *role = sign ? "sign" : "authn";
    const char *profile = sign ? (spec->sign_profile ? spec->sign_profile : RM_SIGN_PROFILE)
                               : (spec->authn_profile ? spec->authn_profile : RM_AUTHN_PROFILE);
    pki_name subject = {.cn = label_of(spec), .serial_number = spec->msisdn,
                        .org = "refmssp test"};
    char why[200] = "key generation failed";
    EVP_PKEY *key = pki_key_generate(type);
    X509 *cert = key ? pki_issue(sign ? PKI_CERT_USER_SIGN : PKI_CERT_USER_AUTHN, &subject, key,
                                 ca_cert, ca_key, why, sizeof why)
                     : NULL;
    char *pem = cert ? pki_key_to_pem(key) : NULL;
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc = -1;
    if (cert == NULL || pem == NULL || pki_cert_to_der(cert, &der, &der_len) != 0)
        snprintf(err, err_len, "cannot make the %s key of %s: %s", role, spec->name, why);
    else if (store_add_key(store, user_id, role, profile, pki_key_type_name(type),
                           spec->pss && !pki_key_type_is_ec(type), pem, der, der_len) != 0)
        snprintf(err, err_len, "cannot store the %s key of %s", role, spec->name);
    else
        rc = 0;
    if (pem != NULL) {
        OPENSSL_cleanse(pem, strlen(pem));
        free(pem);
    }
    free(der);
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

/* A fresh random phone page token for the user (see phone_token.h). 0 or -1. */
static int give_phone_token(rm_store *store, long long user_id)
{
    char token[RM_PHONE_TOKEN_HEX + 1], digest[65];
    int rc = rm_phone_token_new(token) == 0 && rm_phone_token_digest(token, digest) == 0 &&
                     store_set_phone_token(store, user_id, token, digest) == 0
                 ? 0 : -1;
    OPENSSL_cleanse(token, sizeof token);
    return rc;
}

int rm_user_create(rm_store *store, X509 *ca_cert, EVP_PKEY *ca_key, const rm_user_spec *spec,
                   char *err, size_t err_len)
{
    if (rm_user_spec_check(spec, err, err_len) != 0)
        return -1;
    char pin_hash[FLOW_PIN_RECORD_MAX];
    if (flow_pin_hash(spec->pin ? spec->pin : RM_DEFAULT_PIN, pin_hash, sizeof pin_hash) != 0) {
        snprintf(err, err_len, "cannot hash the PIN");
        return -1;
    }
    long long user_id = 0;
    if (store_add_user(store, spec->msisdn, spec->name, &user_id) != 0) {
        snprintf(err, err_len, "cannot add user %s: the name or %s is taken already", spec->name,
                 spec->msisdn);
        return -1;
    }
    if (store_set_user_options(store, user_id, spec->policy ? spec->policy : "approve",
                               spec->ecdsa_raw, pin_hash) != 0) {
        snprintf(err, err_len, "cannot set the options of %s", spec->name);
        return -1;
    }
    if (give_phone_token(store, user_id) != 0) {
        snprintf(err, err_len, "cannot give %s a phone page token", spec->name);
        return -1;
    }
    if (add_key(store, ca_cert, ca_key, user_id, spec, 0, err, err_len) != 0 ||
        add_key(store, ca_cert, ca_key, user_id, spec, 1, err, err_len) != 0)
        return -1;
    char detail[160];
    snprintf(detail, sizeof detail, "user %s added (authn %s, sign %s%s)", spec->name,
             pki_key_type_name(spec->authn_type), pki_key_type_name(spec->sign_type),
             spec->pss ? ", PSS" : "");
    store_audit(store, "user-add", spec->msisdn, detail);
    return 0;
}

static int set_conf_key(mss_conf_user *u, mss_key_role role, const char *profile,
                        pki_key_type type, int pss)
{
    return mss_conf_user_set_key(u, role, profile, mss_conf_default_key_label(role),
                                 pss && !pki_key_type_is_ec(type));
}

int rm_user_conf_add(mss_conf *conf, const rm_user_spec *spec, char *err, size_t err_len)
{
    mss_conf_user *u = mss_conf_add_user(conf, spec->name, err, err_len);
    if (u == NULL)
        return -1;
    /* The labels are written out, not left to the module's defaults, so that the file
     * shows what the objects will be called. */
    if (mss_conf_set_str(&u->msisdn, spec->msisdn) != 0 ||
        mss_conf_set_str(&u->label, label_of(spec)) != 0 ||
        set_conf_key(u, MSS_KEY_AUTHN,
                     spec->authn_profile ? spec->authn_profile : RM_AUTHN_PROFILE,
                     spec->authn_type, spec->pss) != 0 ||
        set_conf_key(u, MSS_KEY_SIGN, spec->sign_profile ? spec->sign_profile : RM_SIGN_PROFILE,
                     spec->sign_type, spec->pss) != 0) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    return 0;
}

int rm_user_conf_append(const char *file, const rm_user_spec *spec, char *err, size_t err_len)
{
    mss_conf *conf = mss_conf_new();
    if (conf == NULL) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    int rc = rm_user_conf_add(conf, spec, err, err_len);
    if (rc == 0)
        rc = mss_conf_put_user(file, &conf->users[0], 0, err, err_len);
    mss_conf_free(conf);
    return rc;
}
