/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sign kind of operation (op.c runs it): output-length answers that never touch
 * the network, and the one remote signature per operation.
 *
 * The remote call runs in the calling thread without the instance lock. It holds the
 * slot's sign_lock, because a SIM answers a second concurrent request for the same
 * phone number with 406; waiting for that lock can be cancelled too. The returned
 * signature is verified against the key's certificate before a single byte is given
 * to the caller: the MSSP is not trusted to have signed what we asked.
 *
 * What the MSSP is sent (the protocol profile, <mss/verify.h>): PKCS#1 v1.5 the DigestInfo,
 * RSA-PSS and ECDSA the bare hash; the format URI says which.
 */
#include "module.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mech.h"
#include "mlog.h"
#include "phone_text.h"
#include "prompt.h"
#include "timed_wait.h"

/* ------------------------------------------------------------ length answers */

/* NULL buffer → the length, CKR_OK; short buffer → the length, CKR_BUFFER_TOO_SMALL.
 * Both keep the operation active and must never start a remote signature
 * (pkcs11-tool and NSS probe like this). Returns 1 when the answer is final. */
static int answer_length(const p11_op *op, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len, CK_RV *rv)
{
    CK_ULONG need = (CK_ULONG)p11_key_sig_len(op->key->key);

    if (sig == NULL) {
        *sig_len = need;
        *rv = CKR_OK;
        return 1;
    }
    if (*sig_len < need) {
        *sig_len = need;
        *rv = CKR_BUFFER_TOO_SMALL;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ the remote signature */

/* Polled by lock_slot every 100 ms. */
static int sign_cancelled(void *ctx)
{
    p11_session *s = ctx;

    return atomic_load(&s->closing) || atomic_load(&s->cancel_sign);
}

/* What one remote signature waits on: its session, and the person's prompt. */
typedef struct sign_wait {
    p11_session *session;
    p11_prompt *prompt;
} sign_wait;

/* Polled by the client at least every 50 ms while it waits: the session's cancels,
 * and the prompt's Cancel. */
static int sign_wait_cancelled(void *ctx)
{
    sign_wait *w = ctx;

    return sign_cancelled(w->session) || p11_prompt_cancelled(w->prompt);
}

/* The MSS TimeOut of the configuration: how long a request can stay on the phone. */
static unsigned phone_timeout_s(const mss_conf *conf)
{
    return conf->timeout_s ? conf->timeout_s : MSS_CLIENT_DEFAULT_TIMEOUT_S;
}

/* Show the person what to confirm before the request leaves. */
static p11_prompt *show_prompt(const p11_session *s, const p11_key *key, const char *code)
{
    const mss_conf *conf = s->module->conf;
    p11_prompt_info info = {
        .token_label = s->slot->user->label,
        .role = key->role,
        .code = code,
        .msisdn = s->slot->user->msisdn,
        .timeout_s = phone_timeout_s(conf),
        .program = program_invocation_short_name,
    };

    return p11_prompt_start(conf, &info);
}

static p11_prompt_outcome prompt_outcome(CK_RV rv)
{
    if (rv == CKR_OK)
        return P11_PROMPT_SIGNED;
    return rv == CKR_FUNCTION_CANCELED || rv == CKR_SESSION_CLOSED ? P11_PROMPT_CANCELLED
                                                                   : P11_PROMPT_FAILED;
}

/* Wait for this phone number's previous signature to finish; cancellable. */
static CK_RV lock_slot(p11_session *s)
{
    const mss_conf *conf = s->module->conf;
    time_t give_up = time(NULL) + (time_t)conf->timeout_s + 60;

    for (;;) {
        /* Wake every 100 ms to see whether the operation was cancelled meanwhile. */
        struct timespec ts = timespec_after_ms(100);
        int r = pthread_mutex_timedlock(&s->slot->sign_lock, &ts);
        if (r == 0)
            return CKR_OK;
        if (r != ETIMEDOUT)
            return CKR_GENERAL_ERROR;
        if (sign_cancelled(s))
            return CKR_FUNCTION_CANCELED;
        if (time(NULL) > give_up) {
            mlog_error("another signature for this phone number is still running");
            return CKR_FUNCTION_FAILED;
        }
    }
}

/* The slot's client, made at the first real signature: nothing touches the network
 * (or even libcurl) before that. Caller holds sign_lock. */
static CK_RV slot_client(const mss_conf *conf, p11_slot *slot, mss_client **out)
{
    mss_client_options opts;
    mss_detail detail;
    mss_error err;

    if (slot->client == NULL) {
        /* Checked before libcurl is first initialised, which is when it would open the
         * file. */
        const char *hazard = mss_conf_privileged_env_hazard();
        if (hazard != NULL) {
            mlog_error("privileged process with %s set in the environment: libcurl would "
                       "write the TLS secrets to the file it names; no signature",
                       hazard);
            return CKR_DEVICE_ERROR;
        }
        memset(&opts, 0, sizeof opts);
        mss_conf_client_options(conf, &opts);
        opts.log = mlog_client_line;
        opts.log_ctx = NULL;
        err = mss_client_new(&opts, &slot->client, &detail);
        if (err != MSS_OK) {
            mlog_error("cannot create the MSSP client: %s: %s", mss_error_string(err),
                       detail.text);
            slot->client = NULL;
            return CKR_DEVICE_ERROR;
        }
    }
    *out = slot->client;
    return CKR_OK;
}

/* Check the MSSP's signature against the certificate and copy it out in the PKCS#11
 * form: RSA left-padded to the modulus length, ECDSA as fixed-width r||s. */
static CK_RV accept_signature(const p11_key *key, const p11_mech *m,
                              const unsigned char *tbs, size_t tbs_len,
                              const mss_sign_result *res, CK_BYTE_PTR sig,
                              CK_ULONG_PTR sig_len)
{
    size_t k = p11_key_sig_len(key);
    unsigned char *out;
    mss_detail why = {0};
    mss_error err;
    /* The raw signature value: what came back, or what libmssclient took out of a CMS
     * without signed attributes. */
    const unsigned char *raw = res->raw_signature ? res->raw_signature : res->signature;
    size_t raw_len = res->raw_signature ? res->raw_signature_len : res->signature_len;

    if (raw == NULL || raw_len == 0 || (key->key_type == CKK_RSA && raw_len > k)) {
        mlog_error("MSSP returned an invalid signature (length %zu, expected %zu)", raw_len, k);
        return p11_rv_from_mss(MSS_ERR_FORMAT, 0);
    }
    out = calloc(1, k);
    if (out == NULL)
        return CKR_HOST_MEMORY;
    if (key->key_type == CKK_EC) {
        err = mss_ecdsa_to_raw(raw, raw_len, k / 2, out);
        if (err != MSS_OK)
            snprintf(why.text, sizeof why.text, "not an ECDSA signature for a %zu-byte field", k / 2);
    } else {
        memcpy(out + (k - raw_len), raw, raw_len);
        err = MSS_OK;
    }
    if (err == MSS_OK) {
        const mss_verify_key *verifier = p11_key_verifier(key, &why);

        err = verifier != NULL
                  ? mss_verify_with_key(verifier, m->family->alg, tbs, tbs_len, out, k, &why)
                  : MSS_ERR_FORMAT;
    }
    if (err != MSS_OK) {
        mlog_error("MSSP returned an invalid signature: %s (%s)", mss_error_string(err),
                   why.text);
        free(out);
        return p11_rv_from_mss(err == MSS_ERR_NOMEM ? err : MSS_ERR_SIGNATURE_INVALID, 0);
    }
    memcpy(sig, out, k);
    *sig_len = (CK_ULONG)k;
    free(out);
    return CKR_OK;
}

static CK_RV remote_sign_locked(p11_session *s, const p11_key *key, const p11_mech *m,
                                const unsigned char *tbs, size_t tbs_len, CK_BYTE_PTR sig,
                                CK_ULONG_PTR sig_len)
{
    char code[5], dtbd[PHONE_TEXT_SIZE];
    mss_sign_request req;
    mss_sign_result res;
    mss_detail detail;
    mss_client *client;
    mss_error err;
    CK_RV rv;

    rv = slot_client(s->module->conf, s->slot, &client);
    if (rv != CKR_OK)
        return rv;
    /* The same 4 digits on the desktop and, as the FiCom eventId, on the phone
     * (formula in mss/verify.h: last two bytes of SHA-256 over the DataToBeSigned). */
    if (mss_verification_code(tbs, tbs_len, code) != MSS_OK)
        return CKR_GENERAL_ERROR;
    phone_text_format(dtbd, program_invocation_short_name, key->role == MSS_KEY_SIGN,
                      key->label, code);

    memset(&req, 0, sizeof req);
    req.msisdn = s->slot->user->msisdn;
    req.dtbs = tbs;
    req.dtbs_len = tbs_len;
    req.mime_type = "application/octet-stream";
    req.dtbd = dtbd;
    req.profile = key->profile;
    req.format = m->family->alg == MSS_ALG_RSA_PSS
                     ? MSS_FORMAT_KIURU_PKCS1 MSS_FORMAT_SUFFIX_PSS
                     : MSS_FORMAT_KIURU_PKCS1;
    mss_service event_id = {.uri = (char *)MSS_SERVICE_URI_EVENT_ID, .value = code};
    req.services = &event_id;
    req.n_services = 1;
    sign_wait wait = {.session = s, .prompt = show_prompt(s, key, code)};
    req.cancel = sign_wait_cancelled;
    req.cancel_ctx = &wait;

    mlog_info("slot %lu: requesting a %s signature with the %s key, code %s",
              (unsigned long)s->slot->id, m->family->name, mss_key_role_name(key->role),
              code);
    memset(&res, 0, sizeof res);
    err = mss_client_sign(client, &req, &res, &detail);
    if (err == MSS_OK) {
        rv = accept_signature(key, m, tbs, tbs_len, &res, sig, sig_len);
    } else if (err == MSS_ERR_CANCELED && p11_prompt_cancelled(wait.prompt)) {
        rv = CKR_FUNCTION_CANCELED;
        s->slot->phone_busy_until = time(NULL) + (time_t)phone_timeout_s(s->module->conf);
        mlog_info("slot %lu: cancelled on the desktop prompt", (unsigned long)s->slot->id);
    } else if (detail.status == 406 && time(NULL) < s->slot->phone_busy_until) {
        /* A program that retries at once (pkcs11-tool falls back to C_SignFinal) meets
         * the request the person just cancelled, still on the phone: the person's
         * answer is what it must hear, not "busy". */
        rv = CKR_FUNCTION_CANCELED;
        mlog_info("slot %lu: the phone still shows the request cancelled on the desktop",
                  (unsigned long)s->slot->id);
    } else {
        rv = p11_rv_from_mss(err, detail.status);
        mlog_warn("slot %lu: signature failed: %s, status %d/%d: %s",
                  (unsigned long)s->slot->id, mss_error_string(err), detail.status,
                  detail.subcode, detail.text);
    }
    p11_prompt_end(wait.prompt, prompt_outcome(rv));
    mss_sign_result_clear(&res);
    return rv;
}

/* One remote signature. Registered as in flight so C_Finalize waits for it (after
 * cancelling it) instead of freeing the slot under it. */
static CK_RV remote_sign(p11_session *s, const p11_key *key, const p11_mech *m,
                         const unsigned char *tbs, size_t tbs_len, CK_BYTE_PTR sig,
                         CK_ULONG_PTR sig_len)
{
    p11_module *mod = s->module;
    unsigned long generation;
    CK_RV rv;

    p11_module_lock(mod);
    if (atomic_load(&s->closing)) {
        p11_module_unlock(mod);
        return CKR_SESSION_CLOSED;
    }
    generation = p11_inflight_begin_locked(mod);
    p11_module_unlock(mod);

    rv = lock_slot(s);
    if (rv == CKR_OK) {
        rv = remote_sign_locked(s, key, m, tbs, tbs_len, sig, sig_len);
        pthread_mutex_unlock(&s->slot->sign_lock);
    }
    p11_inflight_end(mod, generation);
    /* Whatever the client made of it, a closed session is what the caller must hear. */
    if (rv != CKR_OK && atomic_load(&s->closing))
        rv = CKR_SESSION_CLOSED;
    return rv;
}

/* ------------------------------------------------------------ the sign kind */

static CK_RV sign_finish(p11_session *s, const p11_op *op, const unsigned char *tbs,
                         size_t tbs_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    /* C_SignInit checked the certificate; it may have expired since. C_Sign has no
     * key-permission code, so this late refusal is the generic one (docs/errors.md). */
    if (!p11_key_valid_at(op->key->key, time(NULL)))
        return CKR_FUNCTION_FAILED;
    return remote_sign(s, op->key->key, op->mech, tbs, tbs_len, sig, sig_len);
}

const p11_op_kind p11_op_sign = {
    .key_class = CKO_PRIVATE_KEY,
    .offset = offsetof(p11_session, sign),
    .remote = 1,
    .needs_valid_cert = 1,
    .early = answer_length,
    .finish = sign_finish,
};
