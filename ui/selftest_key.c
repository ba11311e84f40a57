/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-tool test, one key: what the PKCS#11 module would send for a signature with it
 * (pkcs11/sign.c), over a fresh random SHA-256 value, and the check of what came back
 * against the enrolled certificate, as the module makes it before it hands a signature
 * to a program.
 *
 * What is signed follows the key (the protocol profile, <mss/verify.h>): an RSA key
 * signs the DER DigestInfo with PKCS#1 v1.5, or the bare hash with RSA-PSS when the
 * configuration says the MSSP does PSS with it (authn_pss / sign_pss: the claim worth
 * testing, since the module then offers PSS and TLS 1.3 signs with it); an EC key signs
 * the bare hash.
 */
#include "config.h"

#include "selftest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "phone_text.h"
#include "xs_datetime.h"

/* How the phone's request names who asks. */
#define SELFTEST_WHO "mss-tool test"
#define HASH_LEN 32 /* SHA-256 */
/* The SHA-256 DigestInfo: 19 bytes of SEQUENCE { AlgorithmIdentifier, OCTET STRING } and
 * the hash. */
#define DIGEST_INFO_LEN (19 + HASH_LEN)

/* What a key signs and how: chosen from its certificate and configuration. */
typedef struct sign_plan {
    mss_sig_alg alg;
    const char *alg_name;
    size_t rsa_sig_len;                    /* RSA: the modulus length; 0 for EC */
    unsigned char tbs[DIGEST_INFO_LEN];
    size_t tbs_len;
} sign_plan;

/* The DER DigestInfo of a SHA-256 HASH (RFC 8017 §9.2, parameters an explicit NULL, as
 * the module writes it), encoded by OpenSSL: mss-tool stays out of the module's
 * internals (docs/architecture.md), and verification compares the DigestInfo byte for
 * byte, so a difference would show. Its length, or 0. */
static size_t sha256_digest_info(const unsigned char hash[HASH_LEN],
                                 unsigned char out[DIGEST_INFO_LEN])
{
    X509_SIG *di = X509_SIG_new();
    X509_ALGOR *alg = NULL;
    ASN1_OCTET_STRING *digest = NULL;
    unsigned char *p = out;
    int len = 0;
    if (di != NULL) {
        X509_SIG_getm(di, &alg, &digest);
        if (X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) == 1 &&
            ASN1_OCTET_STRING_set(digest, hash, HASH_LEN) == 1 &&
            i2d_X509_SIG(di, NULL) == DIGEST_INFO_LEN)
            len = i2d_X509_SIG(di, &p);
    }
    X509_SIG_free(di);
    return len > 0 ? (size_t)len : 0;
}

/* The algorithm for K's key and a fresh value to sign. 0, or -1 with the reason in
 * *detail (a key type the module does not offer, no randomness). */
static int make_plan(const key_facts *k, sign_plan *plan, mss_detail *detail)
{
    unsigned char hash[HASH_LEN];
    const unsigned char *p = k->der;
    X509 *x = d2i_X509(NULL, &p, (long)k->der_len);
    EVP_PKEY *key = x != NULL ? X509_get0_pubkey(x) : NULL;
    int type = key != NULL ? EVP_PKEY_get_base_id(key) : EVP_PKEY_NONE;
    int rc = -1;

    memset(plan, 0, sizeof *plan);
    if (type == EVP_PKEY_RSA && k->key->pss) {
        plan->alg = MSS_ALG_RSA_PSS;
        plan->alg_name = "RSA-PSS with SHA-256";
    } else if (type == EVP_PKEY_RSA) {
        plan->alg = MSS_ALG_RSA_PKCS1;
        plan->alg_name = "RSA PKCS#1 v1.5 with SHA-256";
    } else if (type == EVP_PKEY_EC) {
        plan->alg = MSS_ALG_ECDSA;
        plan->alg_name = "ECDSA with SHA-256";
    } else {
        snprintf(detail->text, sizeof detail->text,
                 "the certificate's key is neither RSA nor EC, which the module does not offer");
        goto out;
    }
    if (type == EVP_PKEY_RSA)
        plan->rsa_sig_len = (size_t)EVP_PKEY_get_size(key);
    /* Random bytes stand for the hash of a document: the MSSP cannot tell, and no two
     * tests ask for the same signature. */
    if (RAND_bytes(hash, sizeof hash) != 1) {
        snprintf(detail->text, sizeof detail->text, "no random bytes for the test value");
        goto out;
    }
    if (plan->alg == MSS_ALG_RSA_PKCS1) {
        plan->tbs_len = sha256_digest_info(hash, plan->tbs);
    } else {
        memcpy(plan->tbs, hash, sizeof hash);
        plan->tbs_len = sizeof hash;
    }
    rc = plan->tbs_len > 0 ? 0 : -1;
out:
    X509_free(x);
    return rc;
}

/* Is the signature in RES one by K's key over the plan's value? As the module checks:
 * the raw value (taken out of a CMS when that is how it came), RSA left-padded to the
 * modulus length; ECDSA as DER or r||s. */
static mss_error check_signature(const key_facts *k, const sign_plan *plan,
                                 const mss_sign_result *res, mss_detail *detail)
{
    const unsigned char *raw = res->raw_signature ? res->raw_signature : res->signature;
    size_t raw_len = res->raw_signature ? res->raw_signature_len : res->signature_len;
    if (raw == NULL || raw_len == 0 || (plan->rsa_sig_len && raw_len > plan->rsa_sig_len)) {
        snprintf(detail->text, sizeof detail->text,
                 "the MSSP returned no usable signature value (%zu bytes)", raw_len);
        return MSS_ERR_SIGNATURE_INVALID;
    }
    if (plan->rsa_sig_len == 0)
        return mss_verify_signature(k->der, k->der_len, plan->alg, plan->tbs, plan->tbs_len,
                                    raw, raw_len, detail);
    unsigned char *padded = calloc(1, plan->rsa_sig_len);
    if (padded == NULL)
        return MSS_ERR_NOMEM;
    memcpy(padded + (plan->rsa_sig_len - raw_len), raw, raw_len);
    mss_error e = mss_verify_signature(k->der, k->der_len, plan->alg, plan->tbs, plan->tbs_len,
                                       padded, plan->rsa_sig_len, detail);
    free(padded);
    return e;
}

/* The MSSP's clock against ours, from the Instant of the answer that just came: a
 * warning when they differ by more than SELFTEST_MAX_CLOCK_SKEW_S (certificate dates and
 * the MSSP's time limits are judged by these clocks). Once a run is enough. */
static void check_clock(tool_ctx *ctx, const char *instant, time_t now)
{
    time_t theirs;
    if (instant == NULL || xs_datetime_parse(instant, &theirs) != 0) {
        if (ctx->verbose)
            printf("    the MSSP's answer has no readable Instant (%s); clocks not compared\n",
                   instant ? instant : "none");
        return;
    }
    double skew = difftime(theirs, now);
    double size = skew < 0 ? -skew : skew;
    if (ctx->verbose)
        printf("    the MSSP's clock: %s, %.0f s %s this computer's\n", instant, size,
               skew >= 0 ? "ahead of" : "behind");
    if (size <= SELFTEST_MAX_CLOCK_SKEW_S || ctx->clock_warned)
        return;
    ctx->clock_warned = 1;
    char ours[40];
    mss_cert_time_text(now, ours, sizeof ours);
    fprintf(stderr,
            "mss-tool: warning: the MSSP's clock (Instant %s) is %.0f minutes %s this "
            "computer's (%s); set this computer's clock (NTP): certificate dates are "
            "judged by it\n",
            instant, size / 60, skew > 0 ? "ahead of" : "behind", ours);
}

/* The request, the wait for the phone and the check; fills OUT. */
static void sign_and_check(tool_ctx *ctx, mss_client *client, const mss_conf_user *u,
                           const key_facts *k, selftest_outcome *out)
{
    sign_plan plan;
    char code[5], text[PHONE_TEXT_SIZE];
    if (make_plan(k, &plan, &out->detail) != 0) {
        out->err = MSS_ERR_FORMAT;
        return;
    }
    /* The 4 digits the phone shows too (the FiCom eventId), as the module sends them. */
    if (mss_verification_code(plan.tbs, plan.tbs_len, code) != MSS_OK) {
        out->err = MSS_ERR_ARGS;
        return;
    }
    phone_text_format(text, SELFTEST_WHO, k->role == MSS_KEY_SIGN, k->key->label, code);
    mss_service event_id = {.uri = (char *)MSS_SERVICE_URI_EVENT_ID, .value = code};
    mss_sign_request req = {
        .msisdn = u->msisdn,
        .dtbs = plan.tbs,
        .dtbs_len = plan.tbs_len,
        .mime_type = "application/octet-stream",
        .dtbd = text,
        .profile = k->key->profile,
        .format = plan.alg == MSS_ALG_RSA_PSS ? MSS_FORMAT_KIURU_PKCS1 MSS_FORMAT_SUFFIX_PSS
                                              : MSS_FORMAT_KIURU_PKCS1,
        .services = &event_id,
        .n_services = 1,
    };
    /* Before the request: the person compares this with the phone before the PIN. */
    printf("%s %s: check that your phone shows code %s, then enter your PIN\n", u->name,
           mss_key_role_name(k->role), code);
    if (ctx->verbose)
        printf("    %s (%s), profile %s, phone text \"%s\"\n", plan.alg_name, u->msisdn,
               k->key->profile, text);
    fflush(stdout);

    mss_sign_result res;
    out->sent = 1;
    out->err = mss_client_sign(client, &req, &res, &out->detail);
    out->transaction_started = res.mssp_trans_id != NULL;
    if (ctx->verbose && res.mssp_trans_id)
        printf("    MSSP_TransID %s\n", res.mssp_trans_id);
    if (out->err == MSS_OK) {
        check_clock(ctx, res.mssp_instant, time(NULL));
        out->err = check_signature(k, &plan, &res, &out->detail);
    }
    mss_sign_result_clear(&res);
}

selftest_verdict selftest_key(tool_ctx *ctx, mss_client *client, const mss_conf_user *u,
                              mss_key_role role)
{
    key_facts k;
    selftest_outcome out;
    char what[512], fix[512];
    selftest_verdict verdict;

    memset(&out, 0, sizeof out);
    if (key_facts_collect(ctx->conf, u, role, time(NULL), &k) != 0) {
        fprintf(stderr, "mss-tool: out of memory\n");
        return SELFTEST_FAILED;
    }
    out.user = u;
    out.key = &k;
    if (k.state == KEY_NOT_ENROLLED) {
        printf("%s %s \"%s\": skipped: no cached certificate; run mss-tool enroll %s\n",
               u->name, mss_key_role_name(role), k.key->label, u->name);
        key_facts_clear(&k);
        return SELFTEST_SKIPPED;
    }
    /* As the module does: a key outside its certificate's dates is never sent. */
    out.refused_locally = !key_state_usable(k.state);
    if (!out.refused_locally)
        sign_and_check(ctx, client, u, &k, &out);
    selftest_words(ctx, &out, what, sizeof what, fix, sizeof fix);
    verdict = out.sent && out.err == MSS_OK ? SELFTEST_OK : SELFTEST_FAILED;
    printf("%s %s \"%s\": %s: %s%s%s\n", u->name, mss_key_role_name(role), k.key->label,
           verdict == SELFTEST_OK ? "OK" : "FAILED", what, fix[0] ? "; " : "", fix);
    /* It works today; show's warning says for how long. */
    if (verdict == SELFTEST_OK && k.state == KEY_EXPIRING)
        fprintf(stderr, "mss-tool: warning: %s\n", k.warning);
    if (ctx->verbose && verdict != SELFTEST_OK && out.sent)
        printf("    MSS status %d/%d, HTTP %ld, MSSP's reason \"%s\", %s: %s\n",
               out.detail.status, out.detail.subcode, out.detail.http_status,
               out.detail.reason, mss_error_string(out.err), out.detail.text);
    fflush(stdout);
    key_facts_clear(&k);
    return verdict;
}
