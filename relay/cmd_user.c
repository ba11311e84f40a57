/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-relay user add|list|remove DIR …: who may use the relay. 'add' gives the user a
 * credential of their own (a client certificate from the relay's CA, or a bearer
 * token), writes it with the desktop's mss-pkcs11.conf for handing over, and lists the
 * user in users.conf: only the certificate's or the token's SHA-256 is kept there.
 * The desktop's files hold no AP key and no AP_PWD. Changes of users.conf are made
 * under a lock on DIR, so two admins at once cannot lose each other's change.
 */
#include "commands.h"

#include "cli.h"
#include "file_set.h"
#include "files.h"
#include "mss_conf.h"
#include "pki.h"
#include "random_hex.h"
#include "relay_conf.h"
#include "users.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

/* How long 'user add|remove' waits for another one to finish with users.conf. */
#define LOCK_WAIT_MS 10000
#define CA_COPY_NAME "relay-ca.pem"
#define USER_CA_COPY_NAME "mssp-user-ca.pem"

static void usage_user(FILE *out)
{
    fprintf(out,
            "Usage: mss-relay user add DIR NAME --msisdn +NUMBER [OPTIONS]\n"
            "       mss-relay user list DIR\n"
            "       mss-relay user remove DIR NAME\n"
            "\n"
            "add      let NAME in: a client certificate from the relay's CA (or, with --token, a\n"
            "         bearer token), and the desktop's mss-pkcs11.conf beside it, to hand over\n"
            "list     the users, their phones and how they authenticate (no secrets)\n"
            "remove   refuse NAME from now on (its certificate or token no longer counts)\n"
            "\n"
            "Options of add:\n"
            "  --msisdn +NUMBER      a phone of the user (required; repeat for more)\n"
            "  --token               a bearer token (NAME.token) instead of a certificate\n"
            "  --module-conf FILE    write the desktop's configuration here (default\n"
            "                        DIR/users/NAME/mss-pkcs11.conf); the credential and\n"
            "                        " CA_COPY_NAME " go beside it, named in it relatively\n"
            "  --authn-profile URI   the authentication key's signature profile (default:\n"
            "                        authn_profile in [desktop] of mss-relay.conf)\n"
            "  --sign-profile URI    the same for the signing key\n");
}

/* flock on DIR itself, tried until LOCK_WAIT_MS: every blocking call has a deadline.
 * The descriptor (close it to unlock), or -1. */
static int lock_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "mss-relay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += 50) {
        if (errno != EWOULDBLOCK || waited >= LOCK_WAIT_MS) {
            fprintf(stderr, "mss-relay: %s: %s\n", dir,
                    errno == EWOULDBLOCK ? "another 'mss-relay user' holds the users file; "
                                           "try again" : strerror(errno));
            close(fd);
            return -1;
        }
        nanosleep(&(struct timespec){0, 50 * 1000000L}, NULL);
    }
    return fd;
}

typedef struct add_job {
    const char *dir;
    const char *name;
    const char *msisdns[RELAY_USER_MAX_MSISDNS];
    size_t n_msisdns;
    int token;
    const char *module_conf;
    const char *profiles[MSS_KEY_ROLES];
    relay_conf conf;
    char folder[PATH_MAX];     /* where the desktop's files go */
    char conf_path[PATH_MAX];
    srv_file_set files;
    relay_user user;
    char err[PATH_MAX + 256];
} add_job;

static int say(add_job *job)
{
    fprintf(stderr, "mss-relay: %s\n", job->err);
    return -1;
}

static int folder_path(add_job *job, const char *name, char path[PATH_MAX])
{
    if (srv_path_join(path, PATH_MAX, job->folder, name) == 0)
        return 0;
    snprintf(job->err, sizeof job->err, "%s/%s: the path is too long", job->folder, name);
    return -1;
}

/* The folder for the desktop's files: beside --module-conf, or DIR/users/NAME (new). */
static int prepare_folder(add_job *job)
{
    struct stat st;
    if (job->module_conf != NULL) {
        const char *slash = strrchr(job->module_conf, '/');
        snprintf(job->folder, sizeof job->folder, "%.*s",
                 slash ? (int)(slash - job->module_conf) : 1, slash ? job->module_conf : ".");
        if (job->folder[0] == '\0')
            snprintf(job->folder, sizeof job->folder, "/");
        snprintf(job->conf_path, sizeof job->conf_path, "%s", job->module_conf);
    } else {
        char users_dir[PATH_MAX];
        if (srv_path_join(users_dir, sizeof users_dir, job->dir, "users") != 0 ||
            srv_path_join(job->folder, sizeof job->folder, users_dir, job->name) != 0 ||
            srv_path_join(job->conf_path, sizeof job->conf_path, job->folder,
                          MSS_CONF_FILE_NAME) != 0) {
            snprintf(job->err, sizeof job->err, "%s: the path is too long", job->dir);
            return say(job);
        }
        if (stat(users_dir, &st) != 0 &&
            srv_file_set_mkdir(&job->files, users_dir, 0700, job->err, sizeof job->err) != 0)
            return say(job);
        if (srv_file_set_mkdir(&job->files, job->folder, 0700, job->err, sizeof job->err) != 0)
            return say(job);
    }
    if (lstat(job->conf_path, &st) == 0) {
        snprintf(job->err, sizeof job->err, "%s exists already; choose another --module-conf",
                 job->conf_path);
        return say(job);
    }
    return 0;
}

static int sha256_of(const unsigned char *data, size_t len, unsigned char out[RELAY_SHA256_LEN])
{
    unsigned int n = 0;
    return EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

/* A key and a clientAuth certificate from the relay's CA: NAME.key (0600), NAME.pem. */
static int issue_certificate(add_job *job)
{
    X509 *ca_cert = NULL, *cert = NULL;
    EVP_PKEY *ca_key = NULL, *key = NULL;
    unsigned char *der = NULL;
    size_t der_len = 0;
    char cert_file[80], key_file[80], cert_path[PATH_MAX], key_path[PATH_MAX];
    if (job->conf.user_ca_key == NULL) {
        snprintf(job->err, sizeof job->err, "%s: [relay] user_ca_key is not set: the relay's "
                 "CA key is needed to issue a certificate (or use --token)", job->conf.path);
        return say(job);
    }
    if (pki_load_pair(job->conf.user_ca, job->conf.user_ca_key, &ca_cert, &ca_key, job->err,
                      sizeof job->err) != 0)
        return say(job);
    pki_name subject = {.cn = job->name, .org = "mss-relay user"};
    snprintf(job->err, sizeof job->err, "cannot make the key and certificate of %s", job->name);
    key = pki_key_generate(PKI_KEY_EC_P256);
    cert = key ? pki_issue(PKI_CERT_TLS_CLIENT, &subject, key, ca_cert, ca_key, job->err,
                           sizeof job->err)
               : NULL;
    snprintf(cert_file, sizeof cert_file, "%s.pem", job->name);
    snprintf(key_file, sizeof key_file, "%s.key", job->name);
    int rc = cert != NULL && pki_cert_to_der(cert, &der, &der_len) == 0 &&
                     sha256_of(der, der_len, job->user.cert_sha256) == 0 &&
                     folder_path(job, cert_file, cert_path) == 0 &&
                     folder_path(job, key_file, key_path) == 0 &&
                     srv_file_set_write_cert(&job->files, cert_path, cert, job->err,
                                             sizeof job->err) == 0 &&
                     srv_file_set_write_key(&job->files, key_path, key, job->err,
                                            sizeof job->err) == 0
                 ? 0 : say(job);
    job->user.has_cert = rc == 0;
    free(der);
    X509_free(cert);
    EVP_PKEY_free(key);
    X509_free(ca_cert);
    EVP_PKEY_free(ca_key);
    return rc;
}

/* A random token written once, to NAME.token (0600); only its SHA-256 is kept. */
static int make_token(add_job *job)
{
    char token[RELAY_TOKEN_HEX_LEN + 2], file[80], path[PATH_MAX];
    int rc = -1;
    if (random_hex(token, RELAY_TOKEN_HEX_LEN + 1, RELAY_TOKEN_HEX_LEN / 2) != 0) {
        snprintf(job->err, sizeof job->err, "no randomness for a token");
    } else if (relay_token_digest(token, job->user.token_sha256) == 0) {
        job->user.has_token = 1;
        strcat(token, "\n");
        snprintf(file, sizeof file, "%s.token", job->name);
        if (folder_path(job, file, path) == 0)
            rc = srv_file_set_write(&job->files, path, token, strlen(token), 0600, job->err,
                                    sizeof job->err);
    }
    OPENSSL_cleanse(token, sizeof token);
    return rc == 0 ? 0 : say(job);
}

/* A certificate file FROM copied into the folder as NAME. */
static int copy_cert(add_job *job, const char *from, const char *name)
{
    char *pem = NULL, path[PATH_MAX];
    size_t len = 0;
    if (srv_read_file(from, 64 * 1024, &pem, &len) != 0) {
        snprintf(job->err, sizeof job->err, "%s: %s", from, strerror(errno));
        return say(job);
    }
    int rc = folder_path(job, name, path) == 0 &&
                     srv_file_set_write(&job->files, path, pem, len, 0644, job->err,
                                        sizeof job->err) == 0
                 ? 0 : -1;
    free(pem);
    return rc == 0 ? 0 : say(job);
}

/* The relay's CA, which the desktop verifies the relay with, and the MSSP's CA of the
 * users' certificates when the relay names one, which the desktop checks its users'
 * certificates with at enrolment. */
static int copy_cas(add_job *job)
{
    if (copy_cert(job, job->conf.user_ca, CA_COPY_NAME) != 0)
        return -1;
    if (job->conf.user_ca_file != NULL &&
        copy_cert(job, job->conf.user_ca_file, USER_CA_COPY_NAME) != 0)
        return -1;
    return 0;
}

/* One [user] section per phone: the module's sections have one MSISDN each. The first is
 * called NAME, the next NAME-2, NAME-3, … */
static int add_desktop_users(add_job *job, mss_conf *c)
{
    for (size_t i = 0; i < job->n_msisdns; i++) {
        char section[80];
        snprintf(section, sizeof section, i == 0 ? "%s" : "%s-%zu", job->name, i + 1);
        mss_conf_user *u = mss_conf_add_user(c, section, job->err, sizeof job->err);
        if (u == NULL || mss_conf_set_str(&u->msisdn, job->msisdns[i]) != 0)
            return -1;
        for (int r = 0; r < MSS_KEY_ROLES; r++)
            if (job->profiles[r] != NULL &&
                mss_conf_user_set_key(u, (mss_key_role)r, job->profiles[r], NULL, 0) != 0)
                return -1;
    }
    return 0;
}

/* The desktop's mss-pkcs11.conf, by conf/'s writer: the relay's URL and CA, the user's
 * own credential, the module's AP_ID; relative paths, so the folder can be copied to
 * the desktop as it is. */
static int write_desktop_conf(add_job *job)
{
    char file[80];
    mss_conf *c = mss_conf_new();
    snprintf(job->err, sizeof job->err, "out of memory");
    int rc = c != NULL && mss_conf_set_str(&c->url, job->conf.desktop_url) == 0 &&
                     mss_conf_set_str(&c->ca_file, CA_COPY_NAME) == 0 &&
                     mss_conf_set_str(&c->ap_id, job->conf.module_ap_id) == 0 &&
                     (job->conf.user_ca_file == NULL ||
                      mss_conf_set_str(&c->user_ca_file, USER_CA_COPY_NAME) == 0)
                 ? 0 : -1;
    if (rc == 0 && job->token) {
        snprintf(file, sizeof file, "%s.token", job->name);
        rc = mss_conf_set_str(&c->token_file, file);
    } else if (rc == 0) {
        snprintf(file, sizeof file, "%s.pem", job->name);
        rc = mss_conf_set_str(&c->client_cert, file);
        snprintf(file, sizeof file, "%s.key", job->name);
        rc = rc == 0 ? mss_conf_set_str(&c->client_key, file) : -1;
    }
    if (rc == 0)
        rc = add_desktop_users(job, c);
    if (rc == 0)
        rc = mss_conf_write(c, job->conf_path, job->err, sizeof job->err);
    if (rc == 0)
        srv_file_set_add(&job->files, job->conf_path);
    else
        say(job);
    mss_conf_free(c);
    return rc;
}

/* Add the user to users.conf under the lock: the last step, so that a user is listed
 * only when every file of theirs was made. */
static int list_user(add_job *job)
{
    relay_users users;
    if (relay_users_load(job->dir, &users, job->err, sizeof job->err) != 0)
        return say(job);
    job->user.name = (char *)job->name;
    for (size_t i = 0; i < job->n_msisdns; i++)
        job->user.msisdns[i] = (char *)job->msisdns[i];
    job->user.n_msisdns = job->n_msisdns;
    char why[200];
    int rc = relay_users_add(&users, &job->user, why, sizeof why);
    if (rc != 0)
        snprintf(job->err, sizeof job->err, "cannot add %s: %s", job->name, why);
    else
        rc = relay_users_save(job->dir, &users, job->err, sizeof job->err);
    relay_users_clear(&users);
    return rc == 0 ? 0 : say(job);
}

/* Nothing is made for a user the relay would refuse to list. */
static int check_new_user(add_job *job)
{
    relay_users users;
    if (relay_users_load(job->dir, &users, job->err, sizeof job->err) != 0)
        return say(job);
    int taken = relay_users_by_name(&users, job->name) != NULL;
    relay_users_clear(&users);
    if (taken) {
        snprintf(job->err, sizeof job->err, "there is a user %s already (remove it first)",
                 job->name);
        return say(job);
    }
    return 0;
}

static void print_added(const add_job *job)
{
    printf("mss-relay: user %s added (", job->name);
    for (size_t i = 0; i < job->n_msisdns; i++)
        printf("%s%s", i ? " " : "", job->msisdns[i]);
    printf(") with a %s.\n", job->token ? "bearer token" : "client certificate");
    printf("Hand over the files in %s:\n", job->folder);
    printf("  %-22s the desktop's configuration (no AP secret in it)\n", MSS_CONF_FILE_NAME);
    printf("  %-22s the relay's CA\n", CA_COPY_NAME);
    if (job->conf.user_ca_file != NULL)
        printf("  %-22s the MSSP's CA of the users' certificates\n", USER_CA_COPY_NAME);
    char file[160];
    if (job->token)
        snprintf(file, sizeof file, "%s.token", job->name);
    else
        snprintf(file, sizeof file, "%s.pem, %s.key", job->name, job->name);
    printf("  %-22s %s\n", file,
           job->token ? "the user's token, its only copy: install it owned by the user, 0600"
                      : "the user's certificate and key (the key 0600, owned by the user)");
    printf("On the desktop they go together into one folder, e.g. ~/.config/mss-pkcs11/.\n");
}

static int parse_add(add_job *job, int argc, char **argv)
{
    static const struct option opts[] = {
        {"msisdn", required_argument, NULL, 'm'},
        {"token", no_argument, NULL, 't'},
        {"module-conf", required_argument, NULL, 'c'},
        {"authn-profile", required_argument, NULL, 'A'},
        {"sign-profile", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (job->n_msisdns == RELAY_USER_MAX_MSISDNS) {
                fprintf(stderr, "mss-relay user add: at most %d --msisdn\n",
                        RELAY_USER_MAX_MSISDNS);
                return 2;
            }
            if (!mss_conf_msisdn_valid(optarg)) {
                fprintf(stderr, "mss-relay user add: --msisdn must be '+' and 3 to 15 digits\n");
                return 2;
            }
            job->msisdns[job->n_msisdns++] = optarg;
            break;
        case 't': job->token = 1; break;
        case 'c': job->module_conf = optarg; break;
        case 'A': job->profiles[MSS_KEY_AUTHN] = optarg; break;
        case 'S': job->profiles[MSS_KEY_SIGN] = optarg; break;
        case 'h': usage_user(stdout); return 0;
        default: usage_user(stderr); return 2;
        }
    }
    if (optind + 2 != argc) {
        fprintf(stderr, "mss-relay user add: DIR and NAME are needed (see mss-relay user --help)\n");
        return 2;
    }
    job->dir = argv[optind];
    job->name = argv[optind + 1];
    if (!mss_conf_user_name_valid(job->name)) {
        fprintf(stderr, "mss-relay user add: NAME must be 1 to 64 of A-Z a-z 0-9 _ . -\n");
        return 2;
    }
    if (job->n_msisdns == 0) {
        fprintf(stderr, "mss-relay user add: --msisdn is required\n");
        return 2;
    }
    return -1;
}

/* argv[0] is "add". */
static int user_add(int argc, char **argv)
{
    add_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        fprintf(stderr, "mss-relay: out of memory\n");
        return 1;
    }
    int rc = parse_add(job, argc, argv);
    if (rc >= 0) {
        free(job);
        return rc;
    }
    rc = 1;
    int lock = -1;
    if (relay_conf_load(job->dir, &job->conf, job->err, sizeof job->err) != 0) {
        say(job);
        goto out;
    }
    if (job->profiles[MSS_KEY_AUTHN] == NULL)
        job->profiles[MSS_KEY_AUTHN] = job->conf.authn_profile;
    if (job->profiles[MSS_KEY_SIGN] == NULL)
        job->profiles[MSS_KEY_SIGN] = job->conf.sign_profile;
    if (job->profiles[MSS_KEY_AUTHN] == NULL && job->profiles[MSS_KEY_SIGN] == NULL) {
        fprintf(stderr, "mss-relay user add: no signature profile: give --authn-profile or "
                "--sign-profile, or set them in [desktop] of %s\n", job->conf.path);
        rc = 2;
        goto out;
    }
    if ((lock = lock_dir(job->dir)) < 0 || check_new_user(job) != 0)
        goto out;
    int made = prepare_folder(job) == 0 &&
               (job->token ? make_token(job) : issue_certificate(job)) == 0 &&
               copy_cas(job) == 0 && write_desktop_conf(job) == 0 && list_user(job) == 0;
    if (!made) {
        srv_file_set_undo(&job->files);
        fprintf(stderr, "mss-relay: user %s was not added; nothing was left behind\n",
                job->name);
        goto out;
    }
    print_added(job);
    rc = 0;
out:
    if (lock >= 0)
        close(lock);
    relay_conf_clear(&job->conf);
    OPENSSL_cleanse(job, sizeof *job);
    free(job);
    return rc;
}

static int user_list(const char *dir)
{
    relay_users users;
    char err[PATH_MAX + 256];
    if (relay_users_load(dir, &users, err, sizeof err) != 0) {
        fprintf(stderr, "mss-relay: %s\n", err);
        return 1;
    }
    printf("%-24s %-22s %s\n", "NAME", "AUTHENTICATES WITH", "MSISDN");
    for (size_t i = 0; i < users.n; i++) {
        const relay_user *u = &users.users[i];
        printf("%-24s %-22s", u->name,
               u->has_cert && u->has_token ? "certificate, token"
               : u->has_cert              ? "certificate"
                                          : "token");
        for (size_t m = 0; m < u->n_msisdns; m++)
            printf(" %s", u->msisdns[m]);
        printf("\n");
    }
    relay_users_clear(&users);
    return 0;
}

/* The copies 'user add' kept in DIR/users/NAME for handing over: of no use once the user
 * is gone, and the key in them should not linger. Only the names add writes. */
static void remove_handover(const char *dir, const char *name)
{
    char folder[PATH_MAX], users_dir[PATH_MAX], file[80], path[PATH_MAX];
    if (srv_path_join(users_dir, sizeof users_dir, dir, "users") != 0 ||
        srv_path_join(folder, sizeof folder, users_dir, name) != 0)
        return;
    const char *const suffixes[] = {".pem", ".key", ".token"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(file, sizeof file, "%s%s", name, suffixes[i]);
        if (srv_path_join(path, sizeof path, folder, file) == 0)
            unlink(path);
    }
    const char *const fixed[] = {CA_COPY_NAME, USER_CA_COPY_NAME, MSS_CONF_FILE_NAME};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (srv_path_join(path, sizeof path, folder, fixed[i]) == 0)
            unlink(path);
    if (rmdir(folder) == 0)
        printf("mss-relay: removed %s (the files kept for handing over)\n", folder);
}

static int user_remove(const char *dir, const char *name)
{
    relay_users users;
    char err[PATH_MAX + 256];
    int lock = lock_dir(dir);
    if (lock < 0)
        return 1;
    int rc = 1;
    if (relay_users_load(dir, &users, err, sizeof err) != 0) {
        fprintf(stderr, "mss-relay: %s\n", err);
    } else if (relay_users_remove(&users, name) != 0) {
        fprintf(stderr, "mss-relay: no user %s\n", name);
    } else if (relay_users_save(dir, &users, err, sizeof err) != 0) {
        fprintf(stderr, "mss-relay: %s\n", err);
    } else {
        printf("mss-relay: user %s removed: its certificate or token is refused from now on\n",
               name);
        remove_handover(dir, name);
        rc = 0;
    }
    relay_users_clear(&users);
    close(lock);
    return rc;
}

static int run_list(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") != 0)
        return user_list(argv[1]);
    fprintf(stderr, "mss-relay user list: expected DIR (see mss-relay user --help)\n");
    return 2;
}

static int run_remove(int argc, char **argv)
{
    if (argc == 3)
        return user_remove(argv[1], argv[2]);
    fprintf(stderr, "mss-relay user remove: expected DIR NAME (see mss-relay user --help)\n");
    return 2;
}

int relay_cmd_user(int argc, char **argv)
{
    static const srv_cli_command commands[] = {
        {"add", user_add}, {"list", run_list}, {"remove", run_remove},
    };
    return srv_cli_dispatch("mss-relay user", argc, argv, commands,
                            sizeof commands / sizeof commands[0], usage_user, 0);
}
