/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Module configuration and the on-disk certificate cache.
 *
 * Shared by the PKCS#11 module (which only reads), mss-tool (which enrolls, i.e.
 * writes the cache) and refmssp (which writes the configuration for its test set-up).
 * Nothing here touches the network. Every program that reads or writes the file goes
 * through this library, so the format and its defaults live in one place. The format
 * is documented in docs/mss-pkcs11.conf.5; in short:
 *
 *   [mssp]
 *   url = https://127.0.0.1:9443/mss   (or a failover list: URLs separated by spaces, ≤ 8)
 *   ca_file = /path/ca.pem
 *   user_ca_file = /path/users-ca.pem   (CA that issues the users' certificates)
 *   trust_on_first_use = yes            (instead of user_ca_file: trust what the
 *                                        first enrolment brings)
 *   client_cert = /path/ap.pem
 *   client_key = /path/ap.key
 *   ap_id = http://ap.example
 *   ap_pwd_file = /path/secret         (or ap_pwd = …)
 *   token_file = /path/token           (a bearer token for mss-relay: the file's first
 *                                       line, sent as Authorization: Bearer; the file
 *                                       is the user's own, mode 0600)
 *   binding = soap                      (or rest: the JSON binding, Kiuru's; rest-swisscom:
 *                                       Swisscom's, url its base)
 *   auth = tls                          (or basic, or hmac: how requests authenticate at the
 *                                        HTTP level; basic when http_user is given alone)
 *   http_user = ap                      (auth = basic: HTTP Basic toward the MSSP, with
 *   http_password_file = /path/secret    the first line of this secret file)
 *   api_key_file = /path/secret         (auth = hmac, binding = rest: the API key that signs
 *                                        each request, the first line of this secret file)
 *   messaging_mode = synch              (or asynchClientServer)
 *   timeout = 120                       (MSS TimeOut, seconds)
 *   poll_first_ms = 2000
 *   poll_interval_ms = 2000
 *   connect_timeout_ms = 10000
 *   proxy = http://proxy.example:3128   (or none; default: the environment's,
 *                                        none in a privileged process)
 *   prompt = auto                       (notify, tty, command or none)
 *   prompt_command = /path/program      (for prompt = command)
 *   cache_dir = /path/cache
 *   log_level = warning                 (error, warning, info, debug)
 *   log_file = /path/log                (default: stderr)
 *
 *   [user demo]
 *   msisdn = +99900000001
 *   label = Demo User                  (token label; default "MSS <msisdn>", at most 32 bytes)
 *   authn_profile = mss:refmssp:authn:loa3:sim
 *   authn_label = Authentication key
 *   sign_profile = mss:refmssp:sign:loa4:sim
 *   sign_label = Signing key
 *   sign_pss = yes                     (the MSSP can sign RSA-PSS with this key; default no)
 */
#ifndef MSS_CONF_H
#define MSS_CONF_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <mss/client.h>

struct x509_st; /* OpenSSL's X509, for the readers that hand over a parsed certificate */

/* Upper bounds that keep a hostile file from costing much. */
#define MSS_CONF_MAX_USERS 64
#define MSS_CONF_MAX_SIZE (256 * 1024)
/* The token label is a 32-byte CK_TOKEN_INFO field. */
#define MSS_CONF_MAX_TOKEN_LABEL 32

/* ---- Defaults: the one place the file's implicit values are spelled out ---- */

/* The file's name, in each folder mss_conf_find looks in. */
#define MSS_CONF_FILE_NAME "mss-pkcs11.conf"
/* Key labels when a [user] section gives no authn_label / sign_label. */
#define MSS_CONF_DEFAULT_AUTHN_LABEL "Authentication key"
#define MSS_CONF_DEFAULT_SIGN_LABEL "Signing key"
/* The token label when a [user] section gives none: this prefix and the MSISDN. */
#define MSS_CONF_DEFAULT_TOKEN_LABEL_PREFIX "MSS "

typedef enum mss_key_role { MSS_KEY_AUTHN = 0, MSS_KEY_SIGN = 1, MSS_KEY_ROLES = 2 } mss_key_role;

/* "authn" or "sign". */
const char *mss_key_role_name(mss_key_role role);

/* The label a key of this role gets when the file names none. */
const char *mss_conf_default_key_label(mss_key_role role);

/* "error", "warning", "info" or "debug" for MSS_LOG_*; NULL for anything else. */
const char *mss_conf_log_level_name(int level);

/* The MSS_LOG_* level of a name above: 0, or -1 for an unknown name. */
int mss_conf_log_level_parse(const char *name, int *level);

/* The wire format of the requests (docs/mss-pkcs11.conf.5, binding =). */
typedef enum mss_conf_binding {
    MSS_CONF_BINDING_SOAP = 0,  /* TS 102 204's SOAP 1.2; the default */
    MSS_CONF_BINDING_REST,      /* JSON (mss/rest.h), Kiuru's: one URL for everything */
    MSS_CONF_BINDING_REST_SWISSCOM, /* JSON, Swisscom's fields and /rest/service/ paths */
    MSS_CONF_BINDINGS
} mss_conf_binding;

/* "soap", "rest" or "rest-swisscom"; NULL for anything else. */
const char *mss_conf_binding_name(mss_conf_binding binding);
/* The binding of a name above: 0, or -1 for an unknown name. */
int mss_conf_binding_parse(const char *name, mss_conf_binding *binding);
/* libmssclient's binding for it (mss_client_options.binding). */
const mss_binding *mss_conf_binding_of(mss_conf_binding binding);
/* mss_client_options.proxy for a configured `proxy =` VALUE: "none" is "" (no proxy, not
 * even the environment's), anything else as it is; NULL stays NULL. */
const char *mss_conf_proxy_option(const char *value);

/* How requests authenticate at the HTTP level (docs/mss-pkcs11.conf.5, auth =). The TLS
 * client certificate, when configured, is sent whichever it is. */
typedef enum mss_conf_auth {
    MSS_CONF_AUTH_TLS = 0,      /* nothing beyond TLS; the default */
    MSS_CONF_AUTH_BASIC,        /* HTTP Basic: http_user and http_password_file */
    MSS_CONF_AUTH_HMAC,         /* the REST API key of api_key_file (mss/rest.h) */
    MSS_CONF_AUTHS
} mss_conf_auth;

/* "tls", "basic" or "hmac"; NULL for anything else. */
const char *mss_conf_auth_name(mss_conf_auth auth);
/* The scheme of a name above: 0, or -1 for an unknown name. */
int mss_conf_auth_parse(const char *name, mss_conf_auth *auth);

/* Where the "confirm on your phone" prompt shows (docs/mss-pkcs11.conf.5). AUTO: a
 * desktop notification when the session bus answers, else the terminal, else nothing. */
typedef enum mss_conf_prompt {
    MSS_PROMPT_AUTO = 0,
    MSS_PROMPT_NOTIFY,
    MSS_PROMPT_TTY,
    MSS_PROMPT_COMMAND,
    MSS_PROMPT_NONE,
    MSS_PROMPT_MODES
} mss_conf_prompt;

/* "auto", "notify", "tty", "command" or "none"; NULL for anything else. */
const char *mss_conf_prompt_name(mss_conf_prompt mode);
/* The mode of a name above: 0, or -1 for an unknown name. */
int mss_conf_prompt_parse(const char *name, mss_conf_prompt *mode);

/* 1 when S is "+" and 3 to 15 digits (E.164), the form the file requires. */
int mss_conf_msisdn_valid(const char *s);

/* 1 when S may name a [user NAME] section (and its cache folder): [A-Za-z0-9_.-]{1,64},
 * not "." or "..". */
int mss_conf_user_name_valid(const char *s);

typedef struct mss_conf_key {
    int present;            /* 1 when a profile is configured for this role */
    char *profile;          /* signature profile URI sent with each request */
    char *label;            /* CKA_LABEL of the key's objects; set by mss_conf_load when present */
    int pss;                /* 1: the MSSP signs RSA-PSS with this key (authn_pss / sign_pss) */
} mss_conf_key;

typedef struct mss_conf_user {
    char *name;             /* the [user NAME] section name: [A-Za-z0-9_.-]{1,64} */
    char *msisdn;           /* international format, "+" and 3..15 digits */
    char *label;            /* token label; always set by mss_conf_load */
    mss_conf_key keys[MSS_KEY_ROLES];
} mss_conf_user;

typedef struct mss_conf {
    char *path;             /* the file this came from (NULL when built in memory) */
    char *url;              /* one URL or a failover list, as written (the client splits it) */
    char *ca_file;
    char *user_ca_file;     /* trust anchor(s) for the users' certificates (mss-tool enroll) */
    int trust_on_first_use; /* 1: no user_ca_file; the first enrolled certificate is kept */
    char *client_cert;
    char *client_key;
    char *ap_id;
    char *ap_pwd;           /* secret: never logged */
    char *ap_pwd_file;      /* where ap_pwd was read from; NULL: given inline (or not at all) */
    char *token_file;       /* where bearer_token was read from; NULL: none */
    char *bearer_token;     /* secret: mss-relay's bearer token; never logged */
    char *http_user;        /* HTTP Basic user toward the MSSP; NULL: none */
    char *http_password_file; /* where http_password was read from */
    char *http_password;    /* secret: the HTTP Basic password; never logged */
    mss_conf_auth auth;     /* as given, or BASIC when http_user is given without it */
    char *api_key_file;     /* where api_key was read from (auth = hmac) */
    char *api_key;          /* secret: the REST HMAC API key; never logged */
    mss_conf_binding binding; /* SOAP unless binding = rest */
    mss_messaging_mode mode;
    unsigned timeout_s;     /* 0: not given (the client's default) */
    unsigned poll_first_ms;
    unsigned poll_interval_ms;
    unsigned connect_timeout_ms;
    int allow_plain_http;
    char *proxy;            /* NULL: not given; "none" or a proxy URL */
    mss_conf_prompt prompt; /* where the prompt shows; default auto */
    char *prompt_command;   /* the program of prompt = command */
    char *cache_dir;
    int log_level;          /* MSS_LOG_* */
    char *log_file;         /* NULL: stderr */
    mss_conf_user *users;
    size_t n_users;
} mss_conf;

/* ---- The process and the files it trusts (docs/security.md) ---- */

/*
 * 1 when the process runs with privileges its caller does not have: set-user-ID or
 * set-group-ID (the kernel's AT_SECURE), or real and effective user or group ids
 * differ. Its environment and home folder are then the caller's and are not used:
 * mss_conf_getenv gives NULL, mss_conf_find gives the system file, and the cache
 * defaults to the system folder.
 */
int mss_conf_privileged(void);

/* secure_getenv(name), or NULL in a privileged process: the one way libmssconf and
 * the module read the environment. */
const char *mss_conf_getenv(const char *name);

/*
 * In a privileged process, the name of a variable set in the environment that a
 * library below us would act on regardless (libcurl reads SSLKEYLOGFILE with plain
 * getenv and appends the TLS secrets to that file, as root); NULL when there is none
 * or the process is not privileged. The module refuses to reach the network then.
 */
const char *mss_conf_privileged_env_hazard(void);

/* Checks of mss_conf_open beyond the ones it always makes (a regular file, the final
 * component not a symlink). */
#define MSS_CONF_FILE_NOT_WRITABLE 1u /* refuse a file its group or others may write */
#define MSS_CONF_FILE_SECRET 2u       /* refuse a file others may read */
#define MSS_CONF_FILE_PERSONAL 4u     /* refuse a file not owned by the effective user, or
                                       * that its group or others may read or write */

/*
 * Open path with flags (O_RDONLY, or O_WRONLY|O_APPEND|O_CREAT; a new file is 0600)
 * without following a final symlink and without waiting on a FIFO or device, then
 * check the opened file: a regular file, and the rules in checks. 0 and *fd (close it),
 * or -1, *fd = -1 and the reason in why ("is a symbolic link (not followed)", "is
 * writable by others (mode 0646); chmod o-w it"); the caller names the file.
 */
int mss_conf_open(const char *path, int flags, unsigned checks, int *fd, char *why,
                  size_t why_len);

/*
 * Read a whole file of at most MAX bytes into a malloc'd, NUL-terminated buffer,
 * opened by mss_conf_open with CHECKS (MSS_CONF_FILE_*); a file with a NUL byte is
 * refused. 0, or -1 with a reason (not naming the file) in err. With mode non-NULL,
 * also returns the file's permission bits. (The configuration, the AP password file,
 * the certificate cache and the relay's key file are read with it.)
 */
int mss_conf_read_file(const char *path, size_t max, unsigned checks, char **text, mode_t *mode,
                       char *err, size_t err_len);

/*
 * A secret held in a file (a password, a token): the first line of PATH, read with
 * mss_conf_read_file and CHECKS (MSS_CONF_FILE_SECRET and the others the caller wants),
 * at most MSS_CONF_SECRET_FILE_MAX bytes. 0 and *SECRET (malloc'd; wipe it with
 * OPENSSL_cleanse before free), or -1 with a reason (not naming the file) in err: the
 * file's checks, or "the first line is empty". The file's text is wiped either way.
 */
#define MSS_CONF_SECRET_FILE_MAX 4096
int mss_conf_read_secret_line(const char *path, unsigned checks, char **secret, char *err,
                              size_t err_len);

/*
 * Replace PATH with DATA atomically: a temporary file in the same folder with exactly
 * MODE, written, fsync'ed, renamed over PATH, and the folder synced. On error the
 * temporary file is removed, PATH is untouched, and err names the file and reason.
 * (The configuration, the certificate cache and the relay's users file are written
 * with it.)
 */
int mss_conf_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                          char *err, size_t err_len);

/* ---- Reading ---- */

/*
 * Find the configuration file: $MSS_PKCS11_CONF, else
 * $XDG_CONFIG_HOME/mss-pkcs11/mss-pkcs11.conf (or ~/.config/… when HOME is set and the
 * file exists), else SYSCONFDIR/mss-pkcs11.conf. In a privileged process
 * (mss_conf_privileged) always SYSCONFDIR/mss-pkcs11.conf. Writes the path into buf.
 * Returns 0, or -1 when buf is too small.
 */
int mss_conf_find(char *buf, size_t len);

/* Where mss_conf_find looks, in its order, for a message when no file was found: one
 * place a line, indented two spaces: "  $MSS_PKCS11_CONF = PATH" alone when the variable
 * is set, else "  $MSS_PKCS11_CONF (not set)" and the files. Cut short when buf is too
 * small. */
void mss_conf_search_text(char *buf, size_t len);

/*
 * Parse a configuration file. On error returns -1, writes a one-line reason naming
 * the file and line into err, and *out stays NULL. Relative paths in the file are
 * resolved against the file's folder. Labels the file leaves out get their defaults.
 * Files go through mss_conf_open: the configuration must not be writable by others
 * (nor readable by others when it holds ap_pwd); ap_pwd_file, and client_key (only
 * checked here; libcurl reads it later), must be neither.
 */
int mss_conf_load(const char *path, mss_conf **out, char *err, size_t err_len);
void mss_conf_free(mss_conf *conf);

/* Fill client options from the configuration (pointers into conf; no copies). */
void mss_conf_client_options(const mss_conf *conf, mss_client_options *opts);

/* ---- Building in memory (for the writer) ---- */

/* An empty configuration with the reader's defaults (asynchClientServer, warning).
 * NULL when out of memory. Free with mss_conf_free. */
mss_conf *mss_conf_new(void);

/* Replace the string in *field with a copy of value (NULL: clear it). 0, or -1 when
 * out of memory (the field is then unchanged). */
int mss_conf_set_str(char **field, const char *value);

/* Append an empty [user NAME] section; the caller fills msisdn, label and keys.
 * NULL with a reason in err when the name is invalid or taken, or there are too many. */
mss_conf_user *mss_conf_add_user(mss_conf *conf, const char *name, char *err, size_t err_len);

/* Configure one key of a user: profile (required), label (NULL: none written, the
 * reader's default applies) and whether the MSSP signs RSA-PSS with it. 0 or -1 (memory). */
int mss_conf_user_set_key(mss_conf_user *user, mss_key_role role, const char *profile,
                          const char *label, int pss);

/* ---- Writing ---- */

/*
 * The file text for conf, in the order and spelling docs/mss-pkcs11.conf.5 shows;
 * malloc'd into *text. Values are written as they are (paths are not made relative).
 * ap_pwd_file is written in place of ap_pwd when both are set. Refuses (-1 + reason)
 * a value the reader would change or misread: empty, with control characters, or with
 * leading or trailing blanks. It does not check the meaning; mss_conf_write does.
 */
int mss_conf_format(const mss_conf *conf, char **text, char *err, size_t err_len);

/*
 * Write conf to path atomically: the text is checked by the reader's own rules first
 * (a file the module would refuse is never written), then goes to a temporary file in
 * the same folder, is synced and renamed over path. The file is 0600 when it holds a
 * secret (an inline ap_pwd), else 0644. On error: -1 + reason, and path is untouched.
 */
int mss_conf_write(const mss_conf *conf, const char *path, char *err, size_t err_len);

/* Flags of mss_conf_put_user. */
#define MSS_CONF_PUT_REPLACE 1u /* an existing [user NAME] section is replaced */

/*
 * Add one user section to the existing file at path, keeping the rest of the file
 * (comments included) as it is; with MSS_CONF_PUT_REPLACE an existing section of that
 * name is replaced in place, without it that is an error. The result is checked like
 * mss_conf_write and written atomically; the file's permissions are kept, narrowed to
 * 0600 when it holds a secret. On error: -1 + reason, and the file is untouched.
 */
int mss_conf_put_user(const char *path, const mss_conf_user *user, unsigned flags, char *err,
                      size_t err_len);

/* ---- The certificate cache ---- */

/*
 * One PEM file per key, <cache_dir>/<user>/<role>.pem.
 * read: returns 0 and a malloc'd DER copy, or -1 (no file, unreadable, not a cert, or
 * refused by mss_conf_open with MSS_CONF_FILE_NOT_WRITABLE).
 * write: atomically replaces the file (temp file + fsync + rename), folders 0700, file 0644.
 */
int mss_cache_path(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   char *buf, size_t len);
int mss_cache_read(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                   unsigned char **der, size_t *der_len);
int mss_cache_write(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                    const unsigned char *der, size_t der_len, char *err, size_t err_len);
/* mss_cache_read that also hands over the certificate as OpenSSL parsed it (the caller
 * frees *cert with X509_free): with OpenSSL 3 each parse costs a decoder chain, so a
 * reader that needs the certificate's fields (the module, at C_Initialize) parses once. */
int mss_cache_read_cert(const mss_conf *conf, const mss_conf_user *user, mss_key_role role,
                        unsigned char **der, size_t *der_len, struct x509_st **cert);

/* ---- Checking a user's certificate (mss-tool enroll, show; the module's expiry check) ---- */

/* mss-tool show warns this many days before a certificate expires. */
#define MSS_CERT_WARN_DAYS 30

/* Room for a SHA-256 fingerprint as openssl prints it: 32 × "AB", ':' between, NUL. */
#define MSS_CERT_FP_SIZE 96

typedef enum mss_cert_verdict {
    MSS_CERT_OK = 0,
    MSS_CERT_NO_TRUST,       /* neither user_ca_file nor trust_on_first_use = yes */
    MSS_CERT_BAD_ANCHOR,     /* user_ca_file cannot be read or holds no certificate */
    MSS_CERT_UNREADABLE,     /* not one DER X.509 certificate, or a broken extension */
    MSS_CERT_NOT_YET_VALID,
    MSS_CERT_EXPIRED,
    MSS_CERT_WRONG_USAGE,    /* keyUsage lacks the role's bit (or is missing) */
    MSS_CERT_UNTRUSTED       /* does not chain to user_ca_file (X.509 strict rules) */
} mss_cert_verdict;

/* 0 when conf says what to trust (user_ca_file, or trust_on_first_use = yes); else -1
 * and a reason naming both keys in why. */
int mss_cert_trust_configured(const mss_conf *conf, char *why, size_t why_len);

/*
 * May DER be the certificate of a key of ROLE, at time NOW? In this order: it parses;
 * it is valid at NOW; its keyUsage has digitalSignature (authn) or nonRepudiation
 * (sign); it chains to user_ca_file under X509_V_FLAG_X509_STRICT at NOW (skipped with
 * trust_on_first_use). Anything else than MSS_CERT_OK comes with a one-line reason.
 */
mss_cert_verdict mss_cert_check(const mss_conf *conf, mss_key_role role,
                                const unsigned char *der, size_t der_len, time_t now,
                                char *why, size_t why_len);

/* The certificate's validity period. 0, or -1 when DER is not a certificate. */
int mss_cert_dates(const unsigned char *der, size_t der_len, time_t *not_before,
                   time_t *not_after);

/* mss_cert_dates of a certificate already parsed. */
int mss_cert_dates_of(const struct x509_st *cert, time_t *not_before, time_t *not_after);

/* T as "2026-01-31 12:00:00 UTC" (how certificate dates are shown everywhere). */
void mss_cert_time_text(time_t t, char *buf, size_t len);

/* SHA-256 of DER as "AB:CD:…" (what openssl x509 -fingerprint -sha256 prints). */
void mss_cert_fingerprint(const unsigned char *der, size_t der_len,
                          char out[MSS_CERT_FP_SIZE]);

/* Room for a serial number as hex digits: 64 bytes (RFC 5280 allows 20), a '-', NUL. */
#define MSS_CERT_SERIAL_SIZE 132

/* The serial number as openssl x509 -serial prints it: uppercase hex, two digits a
 * byte, no separators ("0A1B"). 0, or -1 when DER is not a certificate or the serial
 * is longer than 64 bytes. */
int mss_cert_serial(const unsigned char *der, size_t der_len, char out[MSS_CERT_SERIAL_SIZE]);

/* The subject as an RFC 2253 string, UTF-8 kept as it is ("CN=Demo User,O=refmssp"):
 * malloc'd, or NULL when DER is not a certificate (or out of memory). */
char *mss_cert_subject(const unsigned char *der, size_t der_len);

#endif /* MSS_CONF_H */
