/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which AP a request stands for: the per-AP settings of refmssp.conf and the rule
 * that ties a client certificate or HTTP Basic credentials to an AP; see rm_conf.h.
 */
#include "rm_conf.h"

#include <ctype.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

int rm_ap_allows_cert(const rm_ap *ap)
{
    return ap->auth == NULL || strcmp(ap->auth, "cert") == 0 ||
           strcmp(ap->auth, "cert-or-basic") == 0;
}

int rm_ap_allows_basic(const rm_ap *ap)
{
    return ap->auth != NULL &&
           (strcmp(ap->auth, "basic") == 0 || strcmp(ap->auth, "cert-or-basic") == 0);
}

int rm_ap_allows_hmac(const rm_ap *ap)
{
    return ap->auth != NULL && strcmp(ap->auth, "hmac") == 0;
}

int rm_ap_auth_known(const rm_ap *ap)
{
    return rm_ap_allows_cert(ap) || rm_ap_allows_basic(ap) || rm_ap_allows_hmac(ap);
}

const char *rm_ap_basic_user(const rm_ap *ap)
{
    if (ap->basic_user != NULL)
        return ap->basic_user;
    return ap->name != NULL ? ap->name : RM_DEFAULT_BASIC_USER;
}

int rm_ap_profile_allowed(const rm_ap *ap, const char *profile)
{
    if (ap->profiles == NULL)
        return 1;
    size_t n = strlen(profile);
    for (const char *p = ap->profiles; *p != '\0';) {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strcspn(p, " \t");
        if (len == n && len > 0 && strncmp(p, profile, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

/* 1 when some AP of CONF allows the scheme ALLOWS tells. */
static int any_ap(const rm_conf *conf, int (*allows)(const rm_ap *ap))
{
    for (size_t i = 0; i < conf->n_aps; i++)
        if (allows(&conf->aps[i]))
            return 1;
    return 0;
}

int rm_conf_any_cert(const rm_conf *conf)
{
    return any_ap(conf, rm_ap_allows_cert);
}

int rm_conf_any_basic(const rm_conf *conf)
{
    return any_ap(conf, rm_ap_allows_basic);
}

int rm_conf_any_hmac(const rm_conf *conf)
{
    return any_ap(conf, rm_ap_allows_hmac);
}

int rm_conf_find_ap(const rm_conf *conf, const char *ap_id)
{
    if (ap_id == NULL)
        return -1;
    for (size_t i = 0; i < conf->n_aps; i++)
        if (strcmp(conf->aps[i].ap_id, ap_id) == 0)
            return (int)i;
    return -1;
}

int rm_secret_equal(const char *a, const char *b)
{
    unsigned char da[32], db[32];
    unsigned la = 0, lb = 0;
    /* Fixed-length digests: CRYPTO_memcmp then runs the same time whatever the inputs. */
    if (a == NULL || b == NULL || EVP_Digest(a, strlen(a), da, &la, EVP_sha256(), NULL) != 1 ||
        EVP_Digest(b, strlen(b), db, &lb, EVP_sha256(), NULL) != 1 || la != 32 || lb != 32)
        return 0;
    int equal = CRYPTO_memcmp(da, db, sizeof da) == 0;
    OPENSSL_cleanse(da, sizeof da);
    OPENSSL_cleanse(db, sizeof db);
    return equal;
}

static int has_binding(const rm_ap *ap)
{
    return ap->cert_fingerprint != NULL || ap->cert_subject != NULL;
}

/* Every binding AP names (fingerprint, subject) matches the peer's certificate. */
static int binding_matches(const rm_ap *ap, const rm_ap_peer *peer)
{
    if (ap->cert_fingerprint != NULL && strcmp(ap->cert_fingerprint, peer->cert_fingerprint) != 0)
        return 0;
    if (ap->cert_subject != NULL &&
        (peer->cert_subject == NULL || strcmp(ap->cert_subject, peer->cert_subject) != 0))
        return 0;
    return 1;
}

/* Only a certificate the AP is bound to: any other of the test CA (a user's client
 * certificate, say) stands for no AP. */
static int cert_authenticates(const rm_ap *ap, const rm_ap_peer *peer)
{
    return rm_ap_allows_cert(ap) && peer->cert_valid && has_binding(ap) &&
           binding_matches(ap, peer);
}

static int basic_authenticates(const rm_ap *ap, const rm_ap_peer *peer)
{
    if (!rm_ap_allows_basic(ap) || ap->basic_pwd == NULL || peer->basic_user == NULL ||
        peer->basic_pwd == NULL)
        return 0;
    /* Both compared in full, so the time does not tell which one was wrong. */
    int user_ok = strcmp(peer->basic_user, rm_ap_basic_user(ap)) == 0;
    int pwd_ok = rm_secret_equal(peer->basic_pwd, ap->basic_pwd);
    return user_ok && pwd_ok;
}

unsigned long long rm_ap_transport_match(const rm_conf *conf, const rm_ap_peer *peer)
{
    unsigned long long mask = 0;
    for (size_t i = 0; i < conf->n_aps && i < RM_CONF_MAX_APS; i++) {
        const rm_ap *ap = &conf->aps[i];
        if (cert_authenticates(ap, peer) || basic_authenticates(ap, peer))
            mask |= 1ULL << i;
    }
    return mask;
}

int rm_ap_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > RM_AP_NAME_MAX || strcmp(name, RM_DEFAULT_AP_NAME) == 0)
        return 0;
    for (const char *p = name; *p != '\0'; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return 0;
    return 1;
}
