/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for refmssp's request handling without the HTTP server: the phone
 * page (phone_handle: method, URL, token, form bodies) and the TS 102 204 operations
 * (ops_handle_request, and ops_handle_resumed for a synch request that waited), run
 * against a real SQLite store.
 *
 * Set up once (LLVMFuzzerInitialize) in a scratch folder under TMPDIR: refmssp.conf with
 * the default AP and a second, Basic-only AP that may use the authn profile only; and
 * refmssp.db with a test CA and three users:
 *   demo     +99900000001  policy manual (waits for the phone page); EC authn key,
 *                          RSA sign key that may sign PSS; also the scenario user
 *   demo-ec  +99900000002  policy approve, EC P-256 keys, raw ECDSA
 *   blocked  +99900000003  blocked by an admin
 * Every PIN is 1234. The PIN records are rewritten with one PBKDF2 iteration (a record
 * carries its own count) so that a PIN check costs microseconds, and each user gets a
 * fixed phone page token (TOKEN_* below), so inputs can carry them.
 *
 * An input is up to MAX_RECORDS records separated by form feeds (0x0c), handled in
 * order. A record's first byte picks the handler (byte % 4):
 *   0  phone page: "METHOD\nURL\nTOKEN\nBODY" (no third newline: no token, no body)
 *   1  operation, the transport authenticated as the default AP; the rest is the body
 *   2  the same, authenticated as the second AP
 *   3  the same, without transport authentication
 * "@TX@" in a record stands for the MSSP_TransID of the latest signature transaction
 * this input opened. Every input runs inside one SQLite transaction that is rolled back
 * afterwards, so each starts from the same state and the database does not grow; no
 * input waits: a synch request held for the phone is resumed as soon as its transaction
 * ends, or at the end of the input (as when the server stops).
 *
 * Checks besides the sanitizers: every reply has a status in 100..599, a content type
 * and a NUL-free body of the length it claims; JSON replies are well-formed JSON without
 * a raw '<'; an operation's reply decodes as a response (HTTP 200, same status) or a
 * fault (HTTP 500, same code) without an AP_PWD, and a response goes only to an AP the
 * transport authenticated, for a profile that AP may use; the phone page answers 403
 * exactly when the token is none of the users', lists only the token's own pending
 * requests, and ends no other phone's transaction.
 *
 * With FUZZ_REFMSSP_TRACE set in the environment every reply is shown in brief on stderr
 * (to see what a seed or a reproducer does: run the fuzzer binary on the file).
 *
 * Built and run by run-fuzz.sh (FUZZ_TARGET=fuzz_refmssp) with clang -fsanitize=fuzzer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <mss/mss.h>

#include "../../refmssp/commands.h"
#include "../../refmssp/flow.h"
#include "../../refmssp/mss_ops.h"
#include "../../refmssp/phone_page.h"
#include "../../server/pki.h"
#include "../../refmssp/rm_conf.h"
#include "../../refmssp/store.h"
#include "../../refmssp/users.h"

#define MAX_RECORDS 8
#define RECORD_SEP '\f'
#define TX_MARK "@TX@"

#define DEMO_MSISDN "+99900000001"
#define EC_MSISDN "+99900000002"
#define BLOCKED_MSISDN "+99900000003"
#define SECOND_AP_ID "http://second.refmssp.test"

/* The phone page tokens the users get (32 lower-case hex digits each). */
static const struct {
    const char *msisdn;
    const char *token;
} phones[] = {
    {DEMO_MSISDN, "0123456789abcdef0123456789abcdef"},
    {EC_MSISDN, "fedcba9876543210fedcba9876543210"},
    {BLOCKED_MSISDN, "00112233445566778899aabbccddeeff"},
};
#define N_PHONES (sizeof phones / sizeof phones[0])

static char dir[256];
static char db_path[300];
static rm_store *store;
static rm_conf conf;
static char *ca_pem;
static int trace;            /* FUZZ_REFMSSP_TRACE set: each reply in brief on stderr */

static void broken(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_refmssp: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* ------------------------------------------------------------------ set-up */

static void remove_state(void)
{
    static const char *const names[] = {"refmssp.db", "refmssp.db-wal", "refmssp.db-shm",
                                        RM_CONF_FILE};
    if (store != NULL)
        store_close(store);
    store = NULL;
    rm_conf_clear(&conf);
    free(ca_pem);
    ca_pem = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[320];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* A PIN record as flow_pin_hash writes it, but with one PBKDF2 iteration. */
static void cheap_pin_record(const char *pin, char *out, size_t out_len)
{
    unsigned char salt[16], dk[32];
    char salt_hex[33], dk_hex[65];
    if (RAND_bytes(salt, sizeof salt) != 1)
        broken("set-up", "no randomness");
    for (size_t i = 0; i < sizeof salt; i++)
        snprintf(salt_hex + 2 * i, 3, "%02x", salt[i]);
    if (PKCS5_PBKDF2_HMAC(pin, (int)strlen(pin), (const unsigned char *)salt_hex,
                          (int)strlen(salt_hex), 1, EVP_sha256(), sizeof dk, dk) != 1)
        broken("set-up", "PBKDF2 failed");
    for (size_t i = 0; i < sizeof dk; i++)
        snprintf(dk_hex + 2 * i, 3, "%02x", dk[i]);
    snprintf(out, out_len, "pbkdf2-sha256$1$%s$%s", salt_hex, dk_hex);
    if (!flow_pin_check(pin, out) || flow_pin_check("0000", out))
        broken("set-up", "the one-iteration PIN record does not check");
}

/* The user of MSISDN gets POLICY, the cheap PIN record, its fixed token, and is
 * blocked when BLOCKED. */
static void tune_user(const char *msisdn, const char *policy, int ecdsa_raw, int blocked)
{
    long long uid = 0;
    char record[FLOW_PIN_RECORD_MAX], digest[65];
    const char *token = NULL;
    for (size_t i = 0; i < N_PHONES; i++)
        if (strcmp(phones[i].msisdn, msisdn) == 0)
            token = phones[i].token;
    unsigned char md[32];
    unsigned md_len = 0;
    if (token == NULL || EVP_Digest(token, strlen(token), md, &md_len, EVP_sha256(), NULL) != 1)
        broken("set-up", "token digest");
    for (unsigned i = 0; i < md_len; i++)
        snprintf(digest + 2 * i, 3, "%02x", md[i]);
    cheap_pin_record(RM_DEFAULT_PIN, record, sizeof record);
    if (store_find_user(store, msisdn, &uid) != 1 ||
        store_set_user_options(store, uid, policy, ecdsa_raw, record) != 0 ||
        store_set_phone_token(store, uid, token, digest) != 0 ||
        (blocked && store_set_user_blocked(store, uid, 1) != 0))
        broken("set-up: cannot tune user", msisdn);
}

static void make_users(void)
{
    char err[256];
    pki_name ca_name = {.cn = "fuzz_refmssp CA", .org = "refmssp test"};
    EVP_PKEY *ca_key = pki_key_generate(PKI_KEY_RSA2048);
    X509 *ca = ca_key ? pki_issue(PKI_CERT_CA, &ca_name, ca_key, NULL, ca_key, err, sizeof err)
                      : NULL;
    if (ca == NULL)
        broken("set-up: test CA", ca_key ? err : "key generation failed");
    ca_pem = pki_cert_to_pem(ca);
    if (ca_pem == NULL)
        broken("set-up", "CA to PEM");
    flow_set_cms_chain(ca_pem);
    const rm_user_spec specs[] = {
        {.name = "demo", .msisdn = DEMO_MSISDN, .authn_type = PKI_KEY_EC_P256,
         .sign_type = PKI_KEY_RSA2048, .pss = 1, .policy = "manual"},
        {.name = "demo-ec", .msisdn = EC_MSISDN, .authn_type = PKI_KEY_EC_P256,
         .sign_type = PKI_KEY_EC_P256, .ecdsa_raw = 1},
        {.name = "blocked", .msisdn = BLOCKED_MSISDN, .authn_type = PKI_KEY_EC_P256,
         .sign_type = PKI_KEY_EC_P256},
    };
    if (store_begin(store) != 0)
        broken("set-up", "BEGIN");
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (rm_user_create(store, ca, ca_key, &specs[i], err, sizeof err) != 0)
            broken("set-up: rm_user_create", err);
    tune_user(DEMO_MSISDN, "manual", 0, 0);
    tune_user(EC_MSISDN, "approve", 1, 0);
    tune_user(BLOCKED_MSISDN, "approve", 0, 1);
    if (store_commit(store) != 0)
        broken("set-up", "COMMIT");
    X509_free(ca);
    EVP_PKEY_free(ca_key);
}

static void make_conf(void)
{
    char path[320], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, RM_CONF_FILE);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        broken("set-up: cannot write", path);
    fprintf(f, "listen = 127.0.0.1:9443\n"
               "ap_id = " RM_AP_ID "\n"
               "ap_pwd = 5ec7e7a9f00d\n"
               "mssp_id = " RM_MSSP_ID "\n"
               "[ap second]\n"
               "ap_id = " SECOND_AP_ID "\n"
               "ap_pwd = 5ec7e7a9beef\n"
               "auth = basic\n"
               "basic_pwd = ba51cba51c\n"
               "profiles = " RM_AUTHN_PROFILE "\n");
    if (fclose(f) != 0 || rm_conf_load(path, &conf, err, sizeof err) != 0)
        broken("set-up: refmssp.conf", err);
    if (conf.n_aps != 2 || rm_conf_find_ap(&conf, SECOND_AP_ID) != 1)
        broken("set-up", "refmssp.conf does not have the two APs");
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    trace = getenv("FUZZ_REFMSSP_TRACE") != NULL;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fuzz_refmssp.XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        broken("set-up: mkdtemp", dir);
    atexit(remove_state);
    snprintf(db_path, sizeof db_path, "%s/refmssp.db", dir);
    char err[256];
    if (store_open(db_path, 1, &store, err, sizeof err) != 0)
        broken("set-up: store_open", err);
    make_users();
    make_conf();
    return 0;
}

/* ------------------------------------------------------------------ oracles */

/* A minimal strict JSON syntax check (RFC 8259, UTF-8 not checked). */
static int json_value(const char **p, const char *end, int depth);

static void json_ws(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r'))
        (*p)++;
}

static int json_lit(const char **p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - *p) < n || memcmp(*p, word, n) != 0)
        return -1;
    *p += n;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int json_string(const char **p, const char *end)
{
    if (*p >= end || **p != '"')
        return -1;
    for ((*p)++; *p < end; (*p)++) {
        unsigned char c = (unsigned char)**p;
        if (c == '"') {
            (*p)++;
            return 0;
        }
        if (c < 0x20)
            return -1;
        if (c != '\\')
            continue;
        if (++*p >= end)
            return -1;
        if (**p == 'u') {
            for (int i = 0; i < 4; i++) {
                char h = ++*p < end ? **p : '\0';
                if (!is_digit(h) && !(h >= 'a' && h <= 'f') && !(h >= 'A' && h <= 'F'))
                    return -1;
            }
        } else if (strchr("\"\\/bfnrt", **p) == NULL || **p == '\0') {
            return -1;
        }
    }
    return -1;
}

static int json_number(const char **p, const char *end)
{
    const char *s = *p;
    if (s < end && *s == '-')
        s++;
    if (s < end && *s == '0')
        s++;
    else if (s < end && is_digit(*s))
        while (s < end && is_digit(*s))
            s++;
    else
        return -1;
    if (s < end && *s == '.') {
        if (++s >= end || !is_digit(*s))
            return -1;
        while (s < end && is_digit(*s))
            s++;
    }
    if (s < end && (*s == 'e' || *s == 'E')) {
        if (++s < end && (*s == '+' || *s == '-'))
            s++;
        if (s >= end || !is_digit(*s))
            return -1;
        while (s < end && is_digit(*s))
            s++;
    }
    *p = s;
    return 0;
}

/* An object (CLOSE '}') or array (']') after its opening character. */
static int json_members(const char **p, const char *end, char close, int depth)
{
    (*p)++;
    json_ws(p, end);
    if (*p < end && **p == close) {
        (*p)++;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            if (json_string(p, end) != 0)
                return -1;
            json_ws(p, end);
            if (*p >= end || **p != ':')
                return -1;
            (*p)++;
        }
        if (json_value(p, end, depth + 1) != 0)
            return -1;
        json_ws(p, end);
        if (*p < end && **p == ',') {
            (*p)++;
            json_ws(p, end);
            continue;
        }
        if (*p < end && **p == close) {
            (*p)++;
            return 0;
        }
        return -1;
    }
}

static int json_value(const char **p, const char *end, int depth)
{
    json_ws(p, end);
    if (*p >= end || depth > 32)
        return -1;
    switch (**p) {
    case '{': return json_members(p, end, '}', depth);
    case '[': return json_members(p, end, ']', depth);
    case '"': return json_string(p, end);
    case 't': return json_lit(p, end, "true");
    case 'f': return json_lit(p, end, "false");
    case 'n': return json_lit(p, end, "null");
    default: return json_number(p, end);
    }
}

static int json_valid(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    if (json_value(&p, end, 0) != 0)
        return 0;
    json_ws(&p, end);
    return p == end;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The form value of "token" as the page's form decoding reads it (the first
 * "token=" field; '+' a space, %XX a byte); NULL when absent or malformed. */
static char *form_token(const char *body, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end - i >= 6 && memcmp(body + i, "token=", 6) == 0) {
            char *out = malloc(end - i);
            size_t o = 0;
            if (out == NULL)
                abort();
            for (size_t j = i + 6; j < end; j++) {
                int c = (unsigned char)body[j];
                if (c == '%') {
                    int hi = j + 2 < end ? hex_value(body[j + 1]) : -1;
                    int lo = j + 2 < end ? hex_value(body[j + 2]) : -1;
                    if (hi < 0 || lo < 0) {
                        free(out);
                        return NULL;
                    }
                    c = hi * 16 + lo;
                    j += 2;
                } else if (c == '+') {
                    c = ' ';
                }
                if (c == 0) {
                    free(out);
                    return NULL;
                }
                out[o++] = (char)c;
            }
            out[o] = '\0';
            return out;
        }
        i = end + 1;
    }
    return NULL;
}

/* The MSISDN whose phone TOKEN opens, or NULL. */
static const char *token_owner(const char *token)
{
    for (size_t i = 0; token != NULL && i < N_PHONES; i++)
        if (strcmp(token, phones[i].token) == 0)
            return phones[i].msisdn;
    return NULL;
}

/* ------------------------------------------------------------------ one input */

typedef struct held {
    char *body;
    size_t len;
    char trans_id[40];
    int ap;                  /* the AP it came in as (conf.aps index) */
} held;

typedef struct run {
    char last_tx[40];        /* what "@TX@" stands for; "" before the first */
    held held[MAX_RECORDS];
    size_t n_held;
} run;

static void check_status_and_body(int status, const char *type, const char *body, size_t len,
                                  const char *who)
{
    if (status < 100 || status > 599)
        broken(who, "an HTTP status outside 100..599");
    if (type == NULL || type[0] == '\0')
        broken(who, "a reply without a content type");
    if (body == NULL || len == 0)
        broken(who, "a reply without a body");
    if (strlen(body) != len)
        broken(who, "a body whose length is not what the reply says");
}

/* The status a decoded response carries. */
static int response_status(const mss_message *m, const char **profile)
{
    *profile = NULL;
    switch (m->type) {
    case MSS_MSG_SIGNATURE_RESP:
        *profile = m->u.signature_resp.signature_profile;
        return m->u.signature_resp.status.code;
    case MSS_MSG_STATUS_RESP: return m->u.status_resp.status.code;
    case MSS_MSG_PROFILE_RESP: return m->u.profile_resp.status.code;
    case MSS_MSG_RECEIPT_RESP: return m->u.receipt_resp.status.code;
    default: return -1;
    }
}

static void show(const char *who, int status, int code, const char *body, size_t len)
{
    if (trace)
        fprintf(stderr, "fuzz_refmssp: %s: HTTP %d, MSS %d: %.*s\n", who, status, code,
                (int)(len < 300 ? len : 300), body != NULL ? body : "");
}

/* The reply to an operation. AP: the AP a resumed request came in as, or -1 for a new
 * request (then the reply names it, and TRANSPORT must have authenticated it). */
static void check_ops_reply(run *r, const ops_reply *rep, unsigned long long transport, int ap)
{
    show(rep->operation, rep->http_status, rep->mss_status, rep->body, rep->body_len);
    if (rep->operation[0] == '\0')
        broken("operation", "the reply names no operation for the access log");
    check_status_and_body(rep->http_status, "application/soap+xml", rep->body, rep->body_len,
                          "operation");
    if (rep->http_status != 200 && rep->http_status != 500)
        broken("operation", "an HTTP status other than 200 (response) or 500 (fault)");
    mss_message m;
    mss_detail why;
    memset(&m, 0, sizeof m);
    if (mss_soap_decode(rep->body, rep->body_len, &m, &why) != MSS_OK)
        broken("operation: the reply does not decode", why.text);
    const mss_header *h = mss_message_header(&m);
    if (h != NULL && h->ap_pwd != NULL && h->ap_pwd[0] != '\0')
        broken("operation", "the reply carries an AP_PWD");
    if (rep->http_status == 500) {
        if (m.type != MSS_MSG_FAULT)
            broken("operation", "HTTP 500 without a fault");
        if (m.u.fault.code != rep->mss_status)
            broken("operation", "the fault's code is not the one logged");
    } else {
        const char *profile = NULL;
        int status = response_status(&m, &profile);
        if (status < 0)
            broken("operation", "HTTP 200 without a response");
        if (status != rep->mss_status)
            broken("operation", "the response's status is not the one logged");
        if (ap < 0)
            ap = rm_conf_find_ap(&conf, rep->ap_id);
        if (ap < 0 || (transport & (1ULL << ap)) == 0)
            broken("operation: a response for an AP the transport did not authenticate",
                   rep->ap_id);
        if (profile != NULL && !rm_ap_profile_allowed(&conf.aps[ap], profile))
            broken("operation: a signature for a profile the AP may not use", profile);
        if (m.type == MSS_MSG_PROFILE_RESP)
            for (size_t i = 0; i < m.u.profile_resp.n_profiles; i++)
                if (!rm_ap_profile_allowed(&conf.aps[ap], m.u.profile_resp.profiles[i]))
                    broken("operation: a profile listed the AP may not use",
                           m.u.profile_resp.profiles[i]);
        if (m.type == MSS_MSG_SIGNATURE_RESP && m.u.signature_resp.mssp_trans_id != NULL)
            snprintf(r->last_tx, sizeof r->last_tx, "%s", m.u.signature_resp.mssp_trans_id);
    }
    mss_message_clear(&m);
}

/* 1 when transaction ID is pending in the store (SETTLE: brought up to date first, as
 * the server's ticker would); its MSISDN into msisdn when not NULL. */
static int tx_pending(const char *id, int settle, char *msisdn, size_t msisdn_len)
{
    store_tx tx;
    if (settle)
        flow_settle(store, id);
    if (store_tx_find(store, id, &tx) != 1)
        return 0;
    int pending = tx.state == STORE_TX_PENDING;
    if (msisdn != NULL)
        snprintf(msisdn, msisdn_len, "%s", tx.msisdn);
    store_tx_clear(&tx);
    return pending;
}

/* Resume the held synch requests whose transaction has ended (ALL: every one). */
static void resume_held(run *r, int all)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->n_held; i++) {
        held *h = &r->held[i];
        if (!all && tx_pending(h->trans_id, 1, NULL, 0)) {
            r->held[kept++] = *h;
            continue;
        }
        ops_ctx ctx = {.store = store, .conf = &conf, .transport_aps = 0};
        ops_reply rep;
        ops_request request = {.body = h->body, .body_len = h->len};
        ops_handle_resumed(&ctx, &request, h->trans_id, &rep);
        if (rep.wait_trans_id[0] != '\0')
            broken("resumed", "a resumed request waits again");
        /* the AP was checked when the request came in */
        check_ops_reply(r, &rep, 1ULL << h->ap, h->ap);
        ops_reply_clear(&rep);
        free(h->body);
    }
    r->n_held = kept;
}

static void operation(run *r, const char *body, size_t len, unsigned long long transport)
{
    ops_ctx ctx = {.store = store, .conf = &conf, .transport_aps = transport};
    ops_reply rep;
    ops_request request = {.body = body, .body_len = len};
    ops_handle_request(&ctx, &request, &rep);
    if (rep.wait_trans_id[0] != '\0') {
        show("held for the phone", 0, 0, rep.wait_trans_id, strlen(rep.wait_trans_id));
        /* a synch request the server holds until the phone answers */
        if (rep.body != NULL)
            broken("operation", "a held request has a reply already");
        if (!tx_pending(rep.wait_trans_id, 0, NULL, 0))
            broken("operation", "a request waits for a transaction that is not pending");
        int ap = rm_conf_find_ap(&conf, rep.ap_id);
        if (ap < 0 || (transport & (1ULL << ap)) == 0)
            broken("operation: a request of an unauthenticated AP waits", rep.ap_id);
        held *h = &r->held[r->n_held++];
        h->ap = ap;
        h->body = malloc(len + 1);
        if (h->body == NULL)
            abort();
        memcpy(h->body, body, len);
        h->body[len] = '\0';
        h->len = len;
        snprintf(h->trans_id, sizeof h->trans_id, "%s", rep.wait_trans_id);
        snprintf(r->last_tx, sizeof r->last_tx, "%s", rep.wait_trans_id);
    } else {
        check_ops_reply(r, &rep, transport, -1);
    }
    ops_reply_clear(&rep);
}

/* A NUL-terminated copy of [s, s + n) up to its first NUL. */
static char *field(const char *s, size_t n)
{
    const char *nul = memchr(s, '\0', n);
    size_t len = nul != NULL ? (size_t)(nul - s) : n;
    char *out = malloc(len + 1);
    if (out == NULL)
        abort();
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

static void phone(const char *rec, size_t len)
{
    const char *end = rec + len, *nl1 = memchr(rec, '\n', len);
    const char *nl2 = nl1 ? memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1)) : NULL;
    const char *nl3 = nl2 ? memchr(nl2 + 1, '\n', (size_t)(end - nl2 - 1)) : NULL;
    char *method = field(rec, nl1 ? (size_t)(nl1 - rec) : len);
    char *url = nl1 ? field(nl1 + 1, (size_t)((nl2 ? nl2 : end) - nl1 - 1)) : field("", 0);
    char *token = nl3 ? field(nl2 + 1, (size_t)(nl3 - nl2 - 1)) : NULL;
    const char *body = nl3 ? nl3 + 1 : NULL;
    size_t body_len = nl3 ? (size_t)(end - nl3 - 1) : 0;

    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int listing = is_get && strcmp(url, "/phone/pending.json") == 0;
    int answering = !is_get && strcmp(method, "POST") == 0 && strcmp(url, "/phone/answer") == 0;
    char *form = answering ? form_token(body != NULL ? body : "", body_len) : NULL;
    const char *owner = token_owner(listing ? token : form);

    /* what is pending before, and whose (as stored, not settled) */
    char **ids = NULL;
    size_t n = 0;
    if (store_tx_pending_ids(store, NULL, &ids, &n) != 0)
        broken("phone", "store_tx_pending_ids");
    char (*whose)[24] = calloc(n + 1, sizeof *whose);
    if (whose == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        (void)tx_pending(ids[i], 0, whose[i], sizeof whose[i]);

    phone_reply rep;
    phone_handle(store, method, url, token, body, body_len, &rep);
    show("phone", rep.http_status, 0, rep.body, rep.body_len);
    check_status_and_body(rep.http_status, rep.content_type, rep.body, rep.body_len, "phone");
    if (strncmp(rep.content_type, "application/json", 16) == 0) {
        if (!json_valid(rep.body, rep.body_len))
            broken("phone: a JSON reply that is not JSON", rep.body);
        if (memchr(rep.body, '<', rep.body_len) != NULL)
            broken("phone: a raw '<' in a JSON reply", rep.body);
    }
    if ((listing || answering) && (rep.http_status == 403) != (owner == NULL))
        broken(owner == NULL ? "phone: an unknown token was let in"
                             : "phone: a user's own token was refused", rep.body);
    if (!listing && !answering && rep.http_status == 403)
        broken("phone: 403 on a path without a token", url);

    for (size_t i = 0; i < n; i++) {
        char needle[80];
        snprintf(needle, sizeof needle, "\"trans_id\":\"%s\"", ids[i]);
        int listed = listing && rep.http_status == 200 && strstr(rep.body, needle) != NULL;
        /* as the store has it: only the handler's own settling counts */
        int still = tx_pending(ids[i], 0, NULL, 0);
        if (listed && (owner == NULL || strcmp(whose[i], owner) != 0))
            broken("phone: the list shows another phone's request", ids[i]);
        if (!still && (owner == NULL || strcmp(whose[i], owner) != 0))
            broken("phone: a request of another phone was ended", ids[i]);
    }
    free(whose);
    store_ids_free(ids, n);
    free(rep.body);
    free(form);
    free(method);
    free(url);
    free(token);
}

/* REC[0..LEN) with every "@TX@" replaced by TX (a malloc'd copy, NUL-terminated). */
static char *substitute(const char *rec, size_t len, const char *tx, size_t *out_len)
{
    size_t mark = strlen(TX_MARK), tx_len = strlen(tx), count = 0;
    for (size_t i = 0; i + mark <= len; i++)
        if (memcmp(rec + i, TX_MARK, mark) == 0) {
            count++;
            i += mark - 1;
        }
    size_t size = len + count * tx_len + 1;
    char *out = malloc(size), *o = out;
    if (out == NULL)
        abort();
    for (size_t i = 0; i < len;) {
        if (count > 0 && i + mark <= len && memcmp(rec + i, TX_MARK, mark) == 0) {
            memcpy(o, tx, tx_len);
            o += tx_len;
            i += mark;
        } else {
            *o++ = rec[i++];
        }
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    run r;
    memset(&r, 0, sizeof r);
    if (store_begin(store) != 0)
        broken("store_begin", "cannot start the input's transaction");
    const char *p = (const char *)data, *end = p + size;
    for (int k = 0; k < MAX_RECORDS && p < end; k++) {
        const char *sep = memchr(p, RECORD_SEP, (size_t)(end - p));
        const char *stop = sep != NULL ? sep : end;
        size_t len = 0;
        char *rec = substitute(p, (size_t)(stop - p), r.last_tx[0] ? r.last_tx : TX_MARK, &len);
        if (len > 0) {
            switch ((unsigned char)rec[0] % 4) {
            case 0: phone(rec + 1, len - 1); break;
            case 1: operation(&r, rec + 1, len - 1, 1ULL << 0); break;
            case 2: operation(&r, rec + 1, len - 1, 1ULL << 1); break;
            default: operation(&r, rec + 1, len - 1, 0); break;
            }
        }
        free(rec);
        resume_held(&r, 0);
        p = sep != NULL ? sep + 1 : end;
    }
    resume_held(&r, 1);
    store_rollback(store);
    return 0;
}
