/*
 * The sign operation, common to every mechanism: key and mechanism checks at
 * C_SignInit, output-length answers that never touch the network, and the one
 * remote signature per operation.
 *
 * The remote call runs in the calling thread without the global lock. It holds the
 * slot's sign_lock, because a SIM answers a second concurrent request for the same
 * phone number with 406; waiting for that lock can be cancelled too. The returned
 * signature is verified against the key's certificate before a single byte is given
 * to the caller: the MSSP is not trusted to have signed what we asked.
 */
#include "module.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>

#include "digest_info.h"
#include "mech.h"
#include "mlog.h"

/* The DataToBeDisplayed limit of TS 102 204 deployments. */
#define P11_DTBD_MAX 110

/* ------------------------------------------------------------ mechanism registry */

static const p11_mech *const mechanisms[] = {
    &p11_mech_rsa_pkcs,
    &p11_mech_sha256_rsa_pkcs,
};

#define N_MECHS (sizeof mechanisms / sizeof mechanisms[0])

size_t p11_mech_count(void)
{
    return N_MECHS;
}

CK_MECHANISM_TYPE p11_mech_type(size_t i)
{
    return i < N_MECHS ? mechanisms[i]->type : CKM_VENDOR_DEFINED;
}

static const p11_mech *mech_find(CK_MECHANISM_TYPE type)
{
    size_t i;

    for (i = 0; i < N_MECHS; i++)
        if (mechanisms[i]->type == type)
            return mechanisms[i];
    return NULL;
}

int p11_mech_known(CK_MECHANISM_TYPE type)
{
    return mech_find(type) != NULL;
}

/* ------------------------------------------------------------ operation state */

void p11_sign_reset(p11_sign_op *op)
{
    if (op->mech != NULL && op->state != NULL)
        op->mech->free_state(op->state);
    memset(op, 0, sizeof *op);
}

CK_RV p11_sign_init(p11_session *s, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key)
{
    const p11_object *o = p11_object_get(s->slot, key);
    const p11_mech *m;
    CK_RV rv = CKR_OK;

    pthread_mutex_lock(&s->op_lock);
    if (mech == NULL) { /* PKCS#11 3.0: a NULL mechanism ends the active operation */
        p11_sign_reset(&s->sign);
        goto out;
    }
    if (s->sign.active) {
        rv = CKR_OPERATION_ACTIVE;
        goto out;
    }
    m = mech_find(mech->mechanism);
    if (m == NULL) {
        rv = CKR_MECHANISM_INVALID;
        goto out;
    }
    if (o == NULL || o->klass == CKO_CERTIFICATE) {
        rv = CKR_KEY_HANDLE_INVALID;
        goto out;
    }
    if (o->klass != CKO_PRIVATE_KEY) { /* the public key has CKA_SIGN false */
        rv = CKR_KEY_FUNCTION_NOT_PERMITTED;
        goto out;
    }
    if (m->key_type != CKK_RSA) { /* every key here is RSA (object.c) */
        rv = CKR_KEY_TYPE_INCONSISTENT;
        goto out;
    }
    rv = m->init(mech, &s->sign.state);
    if (rv != CKR_OK)
        goto out;
    s->sign.mech = m;
    s->sign.key = o;
    s->sign.active = 1;
    s->sign.multipart = 0;
out:
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

/* The signature is always the size of the modulus. */
static CK_ULONG signature_len(const p11_sign_op *op)
{
    return (op->key->key->bits + 7) / 8;
}

/* NULL buffer → the length, CKR_OK; short buffer → the length, CKR_BUFFER_TOO_SMALL.
 * Both keep the operation active and must never start a remote signature
 * (pkcs11-tool and NSS probe like this). Returns 1 when the answer is final. */
static int answer_length(const p11_sign_op *op, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len,
                         CK_RV *rv)
{
    CK_ULONG need = signature_len(op);

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

/*
 * The verification code shown on the desktop and sent as the FiCom eventId, so the
 * phone displays the same 4 digits: the last two bytes of SHA-256 over the DigestInfo,
 * read big-endian, modulo 10000, zero-padded to 4 digits. Anyone can recompute it
 * from the data being signed; it only lets the user see that the request on the phone
 * is the one this program made.
 */
static void verification_code(const unsigned char *di, size_t di_len, char out[5])
{
    unsigned char h[SHA256_DIGEST_LENGTH];
    unsigned v;

    SHA256(di, di_len, h);
    v = ((unsigned)h[SHA256_DIGEST_LENGTH - 2] << 8) | h[SHA256_DIGEST_LENGTH - 1];
    snprintf(out, 5, "%04u", v % 10000);
}

/* The longest prefix of s with at most max bytes that does not split a UTF-8 char. */
static size_t utf8_clip(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* "<program>: Sign in with <label>? Code 1234", at most P11_DTBD_MAX bytes. */
static void display_text(const p11_key *key, const char *code, char *out, size_t size)
{
    const char *prog = program_invocation_short_name;
    const char *verb = key->role == MSS_KEY_SIGN ? "Sign with" : "Sign in with";
    char tail[32];
    size_t room, prog_len, label_len;
    int used;

    snprintf(tail, sizeof tail, "? Code %s", code);
    prog_len = utf8_clip(prog != NULL ? prog : "", 24);
    used = snprintf(out, size, "%.*s%s%s ", (int)prog_len, prog != NULL ? prog : "",
                    prog_len > 0 ? ": " : "", verb);
    if (used < 0 || (size_t)used >= size)
        used = 0;
    room = P11_DTBD_MAX - (size_t)used - strlen(tail);
    label_len = utf8_clip(key->label, room);
    snprintf(out + used, size - (size_t)used, "%.*s%s", (int)label_len, key->label, tail);
}

static int sign_cancelled(void *ctx)
{
    const p11_session *s = ctx;

    return atomic_load(&s->closing);
}

/* Wait for this phone number's previous signature to finish; cancellable. */
static CK_RV lock_slot(p11_session *s)
{
    const mss_conf *conf = p11_mod()->conf;
    time_t give_up = time(NULL) + (time_t)conf->timeout_s + 60;

    for (;;) {
        struct timespec ts;
        int r;

        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        r = pthread_mutex_timedlock(&s->slot->sign_lock, &ts);
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
static CK_RV slot_client(p11_slot *slot, mss_client **out)
{
    mss_client_options opts;
    mss_error err;

    if (slot->client == NULL) {
        memset(&opts, 0, sizeof opts);
        mss_conf_client_options(p11_mod()->conf, &opts);
        opts.log = mlog_client_line;
        opts.log_ctx = NULL;
        err = mss_client_new(&opts, &slot->client);
        if (err != MSS_OK) {
            mlog_error("cannot create the MSSP client: %s", mss_error_string(err));
            slot->client = NULL;
            return CKR_DEVICE_ERROR;
        }
    }
    *out = slot->client;
    return CKR_OK;
}

/* Check the signature against the certificate and copy it out, left-padded to the
 * modulus length (PKCS#1 signatures are exactly that long). */
static CK_RV accept_signature(const p11_key *key, const unsigned char *di, size_t di_len,
                              const mss_sign_result *res, CK_BYTE_PTR sig,
                              CK_ULONG_PTR sig_len)
{
    size_t k = (key->bits + 7) / 8;
    unsigned char *padded;
    char why[256] = "";
    mss_error err;

    if (res->signature == NULL || res->signature_len == 0 || res->signature_len > k) {
        mlog_error("MSSP returned an invalid signature (length %zu, expected %zu)",
                   res->signature_len, k);
        return CKR_DEVICE_ERROR;
    }
    padded = calloc(1, k);
    if (padded == NULL)
        return CKR_HOST_MEMORY;
    memcpy(padded + (k - res->signature_len), res->signature, res->signature_len);
    err = mss_verify_rsa_pkcs1(key->cert, key->cert_len, di, di_len, padded, k, why,
                               sizeof why);
    if (err != MSS_OK) {
        mlog_error("MSSP returned an invalid signature: %s (%s)", mss_error_string(err),
                   why);
        free(padded);
        return CKR_DEVICE_ERROR;
    }
    memcpy(sig, padded, k);
    *sig_len = (CK_ULONG)k;
    free(padded);
    return CKR_OK;
}

static CK_RV remote_sign_locked(p11_session *s, const p11_key *key, const unsigned char *di,
                                size_t di_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    char code[5], dtbd[P11_DTBD_MAX + 64];
    mss_sign_request req;
    mss_sign_result res;
    mss_client *client;
    mss_error err;
    CK_RV rv;

    rv = slot_client(s->slot, &client);
    if (rv != CKR_OK)
        return rv;
    verification_code(di, di_len, code);
    display_text(key, code, dtbd, sizeof dtbd);

    memset(&req, 0, sizeof req);
    req.msisdn = s->slot->user->msisdn;
    req.dtbs = di;
    req.dtbs_len = di_len;
    req.mime_type = "application/octet-stream";
    req.dtbd = dtbd;
    req.profile = key->profile;
    req.format = MSS_FORMAT_KIURU_PKCS1;
    req.event_id = code;
    req.cancel = sign_cancelled;
    req.cancel_ctx = s;

    mlog_info("slot %lu: requesting a signature with the %s key, code %s",
              (unsigned long)s->slot->id,
              mss_key_role_name(key->role), code);
    memset(&res, 0, sizeof res);
    err = mss_client_sign(client, &req, &res);
    if (err == MSS_OK) {
        rv = accept_signature(key, di, di_len, &res, sig, sig_len);
    } else {
        rv = p11_rv_from_mss(err, res.status_code);
        mlog_warn("slot %lu: signature failed: %s, status %d/%d: %s",
                  (unsigned long)s->slot->id, mss_error_string(err), res.status_code,
                  res.status_subcode, mss_client_last_error(client));
    }
    mss_sign_result_clear(&res);
    return rv;
}

/* One remote signature. Registered as in flight so C_Finalize waits for it (after
 * cancelling it) instead of freeing the slot under it. */
static CK_RV remote_sign(p11_session *s, const p11_key *key, const unsigned char *di,
                         size_t di_len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    CK_RV rv;

    p11_lock();
    if (atomic_load(&s->closing)) {
        p11_unlock();
        return CKR_SESSION_CLOSED;
    }
    p11_inflight_begin();
    p11_unlock();

    rv = lock_slot(s);
    if (rv == CKR_OK) {
        rv = remote_sign_locked(s, key, di, di_len, sig, sig_len);
        pthread_mutex_unlock(&s->slot->sign_lock);
    }
    p11_inflight_end();
    return rv;
}

/* Turn the mechanism's input into a DigestInfo and sign it remotely. */
static CK_RV finish(p11_session *s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    unsigned char di[P11_DIGEST_INFO_MAX];
    size_t di_len = 0;
    CK_RV rv;

    rv = s->sign.mech->digest_info(s->sign.state, di, &di_len);
    if (rv != CKR_OK)
        return rv;
    return remote_sign(s, s->sign.key->key, di, di_len, sig, sig_len);
}

/* ------------------------------------------------------------ C_Sign* */

CK_RV p11_sign(p11_session *s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig,
               CK_ULONG_PTR sig_len)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!s->sign.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (s->sign.multipart) {
        rv = CKR_OPERATION_ACTIVE; /* started with C_SignUpdate: finish with C_SignFinal */
    } else if (!answer_length(&s->sign, sig, sig_len, &rv)) {
        rv = s->sign.mech->update(s->sign.state, data, len);
        if (rv == CKR_OK)
            rv = finish(s, sig, sig_len);
        p11_sign_reset(&s->sign); /* one real attempt per operation, whatever the result */
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_sign_update(p11_session *s, CK_BYTE_PTR data, CK_ULONG len)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!s->sign.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else {
        rv = s->sign.mech->update(s->sign.state, data, len);
        if (rv == CKR_OK)
            s->sign.multipart = 1;
        else
            p11_sign_reset(&s->sign);
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}

CK_RV p11_sign_final(p11_session *s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len)
{
    CK_RV rv;

    pthread_mutex_lock(&s->op_lock);
    if (!s->sign.active) {
        rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (!answer_length(&s->sign, sig, sig_len, &rv)) {
        rv = finish(s, sig, sig_len);
        p11_sign_reset(&s->sign);
    }
    pthread_mutex_unlock(&s->op_lock);
    return rv;
}
