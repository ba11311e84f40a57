/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp.conf: the server's own settings, "key = value" lines, '#' comments.
 *
 *   listen = 127.0.0.1:9443
 *   ap_id = http://ap.refmssp.test
 *   ap_pwd = <hex>            (a secret: never logged)
 *   mssp_id = http://refmssp.test
 *   ap_auth = cert            (optional: cert, basic, cert-or-basic or hmac; see below)
 *   ap_profiles = URI URI …   (optional: the signature profiles this AP may use)
 *   ap_basic_user = ap        (optional: the HTTP Basic user name; default "ap")
 *   ap_basic_pwd = <hex>      (required when ap_auth allows Basic: the Basic password,
 *                              a secret of its own, never the AP_PWD)
 *   ap_api_key = <text>       (required when ap_auth = hmac: the REST API key, a secret
 *                              of its own, never the AP_PWD)
 *   ap_cert_fingerprint = sha256:HEX   (optional: the default AP's certificate; unset,
 *                              'refmssp run' binds it to DIR/ap.pem, the one init made)
 *   ap_cert_subject = DN      (optional: the same by subject, RFC 4514 form)
 *   phone_page = yes          (optional: serve the phone page at /phone; default yes on
 *                              loopback, no on other addresses)
 *   max_connections_per_ip = 64   (optional: connections one client address may hold
 *                              open at once, 1..RM_MAX_CONNECTIONS; more are closed)
 *
 *   [ap NAME]                 (optional, repeatable: a further AP; every key below
 *   ap_id = URI                up to the next section belongs to it, so the top-level
 *   ap_pwd = <hex>             keys come first)
 *   auth = cert|basic|cert-or-basic|hmac (default cert)
 *   basic_user = NAME         (default: the section's NAME)
 *   basic_pwd = <hex>         (required when auth allows Basic; not the ap_pwd)
 *   api_key = <text>          (required when auth = hmac; not the ap_pwd)
 *   profiles = URI URI …      (default: every profile)
 *   cert_fingerprint = sha256:HEX        (SHA-256 of the certificate's DER)
 *   cert_subject = DN         (one of these two is required when auth allows cert)
 *
 * The top-level ap_* keys are "the default AP" (aps[0]); [ap NAME] sections follow.
 * ap_auth / auth say how the AP authenticates at the HTTP level: "cert" (default) a
 * TLS client certificate from the test CA; "basic" HTTP Basic with the basic user
 * name and the AP's Basic password (an AP_ID URI has a colon, which Basic user names may
 * not); "cert-or-basic" either; "hmac" the Kiuru REST API's HMAC signature of each
 * request with the AP's API key (mss/rest.h; REST requests only, checked by
 * ap_hmac.h). AP_ID/AP_PWD in the message are always checked too.
 * Without a profile list the AP may use every profile.
 *
 * Matching (see rm_ap_transport_match): a certificate bound to an AP (fingerprint or
 * subject) authenticates only that AP; an AP without a binding accepts no certificate
 * (so a user's client certificate from the same CA never passes as an AP). The AP of a request is the one whose ap_id equals its AP_ID; its AP_PWD
 * must match, and the transport must have authenticated that same AP — else 104.
 */
#ifndef REFMSSP_RM_CONF_H
#define REFMSSP_RM_CONF_H

#include <stddef.h>

#define RM_CONF_FILE "refmssp.conf"
#define RM_CONF_MAX_SIZE (64 * 1024)
#define RM_DEFAULT_BASIC_USER "ap"
/* APs in one refmssp.conf (the default one included): a bit each in a 64-bit mask. */
#define RM_CONF_MAX_APS 64
#define RM_AP_NAME_MAX 32
#define RM_DEFAULT_AP_NAME "default"
/* Connections open at once (all clients) and the default per client address. */
#define RM_MAX_CONNECTIONS 256
#define RM_DEFAULT_CONNECTIONS_PER_IP 64

/* One application provider allowed in. */
typedef struct rm_ap {
    char *name;          /* section name; the default AP: RM_DEFAULT_AP_NAME */
    char *ap_id;
    char *ap_pwd;        /* a secret: never logged */
    char *auth;          /* "cert", "basic", "cert-or-basic", "hmac"; NULL: "cert" */
    char *profiles;      /* space-separated profile URIs; NULL: all */
    char *basic_user;    /* NULL: "ap" for the default AP, NAME for the others */
    char *basic_pwd;     /* the HTTP Basic password, a secret; required for Basic */
    char *api_key;       /* the REST HMAC API key, a secret; required for hmac */
    char *cert_fingerprint; /* 64 lower-case hex digits (normalised); NULL: unbound */
    char *cert_subject;  /* RFC 4514 DN; NULL: unbound */
} rm_ap;

/* What the HTTP layer learnt about a request's transport authentication. */
typedef struct rm_ap_peer {
    int cert_valid;             /* a client certificate chaining to the test CA */
    char cert_fingerprint[65];  /* its SHA-256, lower-case hex ("" without one) */
    const char *cert_subject;   /* its subject DN (RFC 4514), NULL without one */
    const char *basic_user;     /* HTTP Basic credentials, NULL when none were sent */
    const char *basic_pwd;
} rm_ap_peer;

typedef struct rm_conf {
    char *listen;    /* ADDR:PORT */
    char *ap_id;     /* the one AP allowed in */
    char *ap_pwd;    /* its AP_PWD */
    char *mssp_id;   /* MSSP_ID URI sent in every response */
    char *ap_auth;   /* "cert", "basic", "cert-or-basic", "hmac"; NULL: "cert" */
    char *ap_profiles; /* space-separated profile URIs the AP may use; NULL: all */
    char *ap_basic_user; /* HTTP Basic user name; NULL: RM_DEFAULT_BASIC_USER */
    char *ap_basic_pwd;  /* HTTP Basic password (a secret) */
    char *ap_api_key;    /* REST HMAC API key (a secret) */
    char *max_connections_per_ip; /* NULL: RM_DEFAULT_CONNECTIONS_PER_IP */
    char *phone_page;  /* "yes" / "no"; NULL: yes */
    char *ap_cert_fingerprint; /* the default AP's binding (see rm_ap) */
    char *ap_cert_subject;
    /* aps[0] is the default AP: its strings are the top-level fields above (borrowed);
     * aps[1..] come from [ap NAME] sections and own theirs. */
    rm_ap aps[RM_CONF_MAX_APS];
    size_t n_aps;
} rm_conf;

/* 1 when the AP may authenticate with a client certificate / with HTTP Basic / with
 * the REST API's HMAC signature. */
int rm_ap_allows_cert(const rm_ap *ap);
int rm_ap_allows_basic(const rm_ap *ap);
int rm_ap_allows_hmac(const rm_ap *ap);
/* 1 when AP's auth is one of the schemes above' names (or absent: cert). */
int rm_ap_auth_known(const rm_ap *ap);
/* The HTTP Basic user name of AP. */
const char *rm_ap_basic_user(const rm_ap *ap);
/* 1 when AP may ask for PROFILE. */
int rm_ap_profile_allowed(const rm_ap *ap, const char *profile);
/* 1 when some AP of CONF accepts certificates / HTTP Basic / HMAC. */
int rm_conf_any_cert(const rm_conf *conf);
int rm_conf_any_basic(const rm_conf *conf);
int rm_conf_any_hmac(const rm_conf *conf);
/* 1 when /phone is served. */
int rm_conf_phone_page(const rm_conf *conf);
/* Connections one client address may hold open at once. */
unsigned rm_conf_connections_per_ip(const rm_conf *conf);

/* Bind the default AP to the certificate of SHA-256 FINGERPRINT (64 hex digits) when
 * it allows certificates and has no binding of its own. 0, or -1 + reason (another AP
 * is bound to that certificate, out of memory). */
int rm_conf_bind_default_ap(rm_conf *conf, const char *fingerprint, char *err, size_t err_len);

/* 1 when the secrets A and B are equal. Compares their SHA-256 digests with
 * CRYPTO_memcmp, so the time tells neither where they differ nor their lengths. */
int rm_secret_equal(const char *a, const char *b);

/* The index of the AP whose ap_id is AP_ID, or -1. */
int rm_conf_find_ap(const rm_conf *conf, const char *ap_id);
/* The APs PEER's transport authentication stands for: bit i = conf->aps[i]. */
unsigned long long rm_ap_transport_match(const rm_conf *conf, const rm_ap_peer *peer);

/* 1 when NAME is a valid [ap NAME]: 1..32 of [A-Za-z0-9_-], not "default". */
int rm_ap_name_valid(const char *name);

/* Load DIR/refmssp.conf. 0, or -1 with a one-line reason (file and line) in err. */
int rm_conf_load(const char *path, rm_conf *out, char *err, size_t err_len);
void rm_conf_clear(rm_conf *conf);

#endif /* REFMSSP_RM_CONF_H */
