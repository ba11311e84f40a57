/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-relay init DIR: the relay's CA (which certifies the relay itself and the users'
 * desktops), its TLS certificate, the key that seals transaction IDs, copies of the
 * upstream AP credentials, mss-relay.conf and an empty users.conf. The options are all
 * checked before anything is written; on any failure every file made is removed again,
 * and the configuration written is read back by the relay's own reader before it counts.
 */
#include "commands.h"

#include "file_set.h"
#include "files.h"
#include "listen.h"
#include "mss_conf.h"
#include "pki.h"
#include "token_keys.h"
#include "users.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

/* Certificates and keys copied in are small; an AP_PWD file is one line. */
#define COPIED_FILE_MAX (256 * 1024)

typedef struct init_job {
    const relay_init_options *o;
    char dir[PATH_MAX];
    srv_file_set files;
    int chmodded;               /* an existing empty DIR was narrowed to 0700 from: */
    mode_t old_mode;
    EVP_PKEY *ca_key;
    X509 *ca_cert;
    char err[PATH_MAX + 256];
} init_job;

static int say(init_job *job)
{
    fprintf(stderr, "mss-relay: %s\n", job->err);
    return -1;
}

static int job_path(init_job *job, const char *name, char path[PATH_MAX])
{
    if (srv_path_join(path, PATH_MAX, job->dir, name) == 0)
        return 0;
    snprintf(job->err, sizeof job->err, "%s/%s: the path is too long", job->dir, name);
    return say(job);
}

static int is_printable_line(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* The host in an ADDR:PORT or [ADDR]:PORT, for the certificate. */
static void listen_host(const char *listen, char *host, size_t len)
{
    const char *colon = strrchr(listen, ':');
    size_t n = colon != NULL ? (size_t)(colon - listen) : strlen(listen);
    if (n >= 2 && listen[0] == '[' && listen[n - 1] == ']') {
        listen++;
        n -= 2;
    }
    snprintf(host, len, "%.*s", (int)n, listen);
}

/* Everything the options say, checked before DIR is touched. */
static int check_options(const relay_init_options *o)
{
    const char *problem = NULL;
    srv_listen_addr addr;
    char why[160] = "";
    if (o->n_upstream_urls == 0)
        problem = "--upstream-url is required";
    for (size_t i = 0; i < o->n_upstream_urls && problem == NULL; i++)
        if (strncmp(o->upstream_urls[i], "https://", 8) != 0 ||
            strpbrk(o->upstream_urls[i], " \t") != NULL || !is_printable_line(o->upstream_urls[i]) ||
            strlen(o->upstream_urls[i]) > 250)
            problem = "--upstream-url must be an https:// URL without blanks";
    if (problem == NULL && (o->ap_id == NULL || o->ap_id[0] == '\0' || !is_printable_line(o->ap_id)))
        problem = "--ap-id is required (the AP_ID the MSSP knows you by)";
    if (problem == NULL && o->upstream_ca == NULL)
        problem = "--upstream-ca is required (the MSSP's certificate is always verified)";
    if (problem == NULL && (o->ap_cert == NULL) != (o->ap_key == NULL))
        problem = "--ap-cert and --ap-key go together";
    char listen_problem[200];
    if (problem == NULL && o->listen != NULL &&
        srv_listen_parse(o->listen, &addr, why, sizeof why) != 0) {
        snprintf(listen_problem, sizeof listen_problem, "--listen: %s", why);
        problem = listen_problem;
    }
    char host[128];
    listen_host(o->listen ? o->listen : RELAY_DEFAULT_LISTEN, host, sizeof host);
    if (problem == NULL && o->public_name == NULL &&
        (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0))
        problem = "--public-name is needed with a --listen on every address (desktops need a "
                  "name to reach the relay by)";
    if (problem == NULL && o->public_name != NULL &&
        (o->public_name[0] == '\0' || strlen(o->public_name) > 128 ||
         strpbrk(o->public_name, " \t/:[]@") != NULL || !is_printable_line(o->public_name)))
        problem = "--public-name must be a host name or an IPv4 address";
    const char *profiles[] = {o->authn_profile, o->sign_profile};
    for (size_t i = 0; i < 2 && problem == NULL; i++)
        if (profiles[i] != NULL && (profiles[i][0] == '\0' || strpbrk(profiles[i], " \t#") != NULL ||
                                    !is_printable_line(profiles[i])))
            problem = "a signature profile must be a URI without blanks";
    if (problem != NULL) {
        fprintf(stderr, "mss-relay init: %s\n", problem);
        return -1;
    }
    return 0;
}

/* DIR: made (0700) when missing; an existing one must be an empty folder. */
static int prepare_dir(init_job *job)
{
    const char *dir = job->o->dir;
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            snprintf(job->err, sizeof job->err, "%s: %s", dir, strerror(errno));
        if (errno != ENOENT ||
            srv_file_set_mkdir(&job->files, dir, 0700, job->err, sizeof job->err) != 0)
            return say(job);
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(job->err, sizeof job->err, "%s is not a directory", dir);
        return say(job);
    } else {
        DIR *d = opendir(dir);
        struct dirent *e;
        int empty = d != NULL;
        while (d != NULL && (e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                empty = 0;
        if (d != NULL)
            closedir(d);
        if (!empty) {
            snprintf(job->err, sizeof job->err, "%s is not empty; refusing to touch an "
                     "existing set-up (choose a new or empty DIR)", dir);
            return say(job);
        }
        if (chmod(dir, 0700) != 0) {
            snprintf(job->err, sizeof job->err, "%s: %s", dir, strerror(errno));
            return say(job);
        }
        job->chmodded = 1;
        job->old_mode = st.st_mode & 07777;
    }
    if (realpath(dir, job->dir) == NULL) {
        snprintf(job->err, sizeof job->err, "%s: %s", dir, strerror(errno));
        return say(job);
    }
    return 0;
}

static int make_ca(init_job *job)
{
    char path[PATH_MAX];
    pki_name subject = {.cn = "mss-relay CA", .org = "mss-relay"};
    job->ca_key = pki_key_generate(PKI_KEY_EC_P256);
    job->ca_cert = job->ca_key != NULL ? pki_issue(PKI_CERT_CA, &subject, job->ca_key, NULL,
                                                   job->ca_key, job->err, sizeof job->err)
                                       : NULL;
    if (job->ca_cert == NULL) {
        if (job->ca_key == NULL)
            snprintf(job->err, sizeof job->err, "CA key generation failed");
        return say(job);
    }
    if (job_path(job, "ca.pem", path) != 0 ||
        srv_file_set_write_cert(&job->files, path, job->ca_cert, job->err, sizeof job->err) != 0)
        return say(job);
    if (job_path(job, "ca.key", path) != 0 ||
        srv_file_set_write_key(&job->files, path, job->ca_key, job->err, sizeof job->err) != 0)
        return say(job);
    return 0;
}

static int make_server_cert(init_job *job)
{
    char path[PATH_MAX], host[128];
    listen_host(job->o->listen ? job->o->listen : RELAY_DEFAULT_LISTEN, host, sizeof host);
    /* 127.0.0.1 and localhost are in every server certificate already. */
    const char *name = job->o->public_name;
    if (name == NULL && strcmp(host, "127.0.0.1") != 0 && strcmp(host, "localhost") != 0)
        name = host;
    pki_name subject = {.cn = name ? name : "localhost", .org = "mss-relay", .host_name = name};
    EVP_PKEY *key = pki_key_generate(PKI_KEY_EC_P256);
    X509 *cert = key != NULL ? pki_issue(PKI_CERT_SERVER, &subject, key, job->ca_cert, job->ca_key,
                                         job->err, sizeof job->err)
                             : NULL;
    int rc = -1;
    if (cert == NULL) {
        if (key == NULL)
            snprintf(job->err, sizeof job->err, "server key generation failed");
        say(job);
    } else if (job_path(job, "server.pem", path) == 0 &&
               srv_file_set_write_cert(&job->files, path, cert, job->err, sizeof job->err) == 0 &&
               job_path(job, "server.key", path) == 0 &&
               srv_file_set_write_key(&job->files, path, key, job->err, sizeof job->err) == 0) {
        rc = 0;
    } else if (job->err[0] != '\0') {
        say(job);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

static int make_token_keys(init_job *job)
{
    char path[PATH_MAX], why[160];
    if (job_path(job, "token_keys", path) != 0)
        return -1;
    if (relay_token_keys_create(path, why, sizeof why) != 0) {
        snprintf(job->err, sizeof job->err, "%s %s", path, why);
        return say(job);
    }
    srv_file_set_add(&job->files, path);
    return 0;
}

/* Copy FROM into DIR/NAME with MODE; the text read is wiped when it is a secret. */
static int copy_in(init_job *job, const char *from, const char *name, mode_t mode)
{
    char path[PATH_MAX], *text = NULL, why[160];
    if (mss_conf_read_file(from, COPIED_FILE_MAX, 0, &text, NULL, why, sizeof why) != 0) {
        snprintf(job->err, sizeof job->err, "%s: %s", from, why);
        return say(job);
    }
    size_t len = strlen(text);
    int rc = -1;
    if (len == 0)
        snprintf(job->err, sizeof job->err, "%s is empty", from);
    else if (job_path(job, name, path) == 0)
        rc = srv_file_set_write(&job->files, path, text, len, mode, job->err, sizeof job->err);
    if (mode == 0600)
        OPENSSL_cleanse(text, len);
    free(text);
    return rc == 0 ? 0 : say(job);
}

/* The AP password file can be read and its first line is not empty. */
static int check_ap_pwd_file(init_job *job)
{
    const char *file = job->o->ap_pwd_file;
    char *text = NULL, why[160];
    if (mss_conf_read_file(file, COPIED_FILE_MAX, 0, &text, NULL, why, sizeof why) != 0) {
        snprintf(job->err, sizeof job->err, "%s: %s (--ap-pwd-file)", file, why);
        return -1;
    }
    size_t len = strlen(text);
    int empty = strcspn(text, "\r\n") == 0;
    if (empty)
        snprintf(job->err, sizeof job->err, "%s: the first line is empty (--ap-pwd-file)", file);
    OPENSSL_cleanse(text, len);
    free(text);
    return empty ? -1 : 0;
}

/* The upstream files are what they claim: the CA file holds a certificate, the AP key
 * is the key of the AP certificate. A mistake shows now, not at the first request. */
static int check_upstream_files(init_job *job)
{
    const relay_init_options *o = job->o;
    X509 *ca = NULL, *cert = NULL;
    EVP_PKEY *key = NULL;
    FILE *f = fopen(o->upstream_ca, "r");
    if (f != NULL) {
        ca = PEM_read_X509(f, NULL, NULL, NULL);
        fclose(f);
    }
    if (ca == NULL)
        snprintf(job->err, sizeof job->err, "%s: not a PEM certificate (--upstream-ca)",
                 o->upstream_ca);
    X509 *user_ca = NULL;
    if (ca != NULL && o->user_cert_ca != NULL) {
        if ((f = fopen(o->user_cert_ca, "r")) != NULL) {
            user_ca = PEM_read_X509(f, NULL, NULL, NULL);
            fclose(f);
        }
        if (user_ca == NULL) {
            snprintf(job->err, sizeof job->err, "%s: not a PEM certificate (--user-cert-ca)",
                     o->user_cert_ca);
            X509_free(ca);
            ca = NULL;
        }
        X509_free(user_ca);
    }
    if (ca != NULL && o->ap_cert != NULL) {
        if ((f = fopen(o->ap_cert, "r")) != NULL) {
            cert = PEM_read_X509(f, NULL, NULL, NULL);
            fclose(f);
        }
        if ((f = fopen(o->ap_key, "r")) != NULL) {
            key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
            fclose(f);
        }
        if (cert == NULL)
            snprintf(job->err, sizeof job->err, "%s: not a PEM certificate (--ap-cert)",
                     o->ap_cert);
        else if (key == NULL)
            snprintf(job->err, sizeof job->err, "%s: not an unencrypted PEM private key "
                     "(--ap-key)", o->ap_key);
        else if (X509_check_private_key(cert, key) != 1)
            snprintf(job->err, sizeof job->err, "%s is not the key of %s", o->ap_key,
                     o->ap_cert);
    }
    int ok = ca != NULL && (o->ap_cert == NULL || (cert != NULL && key != NULL &&
                                                   X509_check_private_key(cert, key) == 1));
    if (ok && o->ap_pwd_file != NULL)
        ok = check_ap_pwd_file(job) == 0;
    ERR_clear_error();
    X509_free(ca);
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok ? 0 : say(job);
}

static int copy_upstream(init_job *job)
{
    const relay_init_options *o = job->o;
    if (copy_in(job, o->upstream_ca, "upstream-ca.pem", 0644) != 0)
        return -1;
    if (o->ap_cert != NULL && (copy_in(job, o->ap_cert, "upstream-ap.pem", 0644) != 0 ||
                               copy_in(job, o->ap_key, "upstream-ap.key", 0600) != 0))
        return -1;
    if (o->ap_pwd_file != NULL && copy_in(job, o->ap_pwd_file, "upstream-ap_pwd", 0600) != 0)
        return -1;
    if (o->user_cert_ca != NULL && copy_in(job, o->user_cert_ca, "mssp-user-ca.pem", 0644) != 0)
        return -1;
    return 0;
}

/* "key = value\n", or nothing when VALUE is NULL (an option not given). */
static void put_key(FILE *f, const char *key, const char *value)
{
    if (value != NULL)
        fprintf(f, "%s = %s\n", key, value);
}

/* mss-relay.conf: what init made and was told, every other key shown commented out with
 * its default. (relay_conf_load reads it back before init counts as done.) */
static void print_conf(FILE *f, const relay_init_options *o, const char *urls,
                       const char *desktop_url)
{
    fprintf(f, "# mss-relay configuration, made by 'mss-relay init'; every key: mss-relay(8).\n"
               "# Relative paths are taken from this folder.\n[relay]\n");
    put_key(f, "listen", o->listen ? o->listen : RELAY_DEFAULT_LISTEN);
    fprintf(f, "server_cert = server.pem\nserver_key = server.key\nuser_ca = ca.pem\n"
               "user_ca_key = ca.key\ntoken_keys = token_keys\naudit_log = audit.log\n"
               "# text_prefix = ACME:\n# max_text_chars = 110\n"
               "# user_requests_per_minute = 10\n# msisdn_requests_per_minute = 10\n"
               "# max_pending_per_msisdn = 1\n# max_connections = 256\n\n[upstream]\n");
    put_key(f, "url", urls);
    put_key(f, "ap_id", o->ap_id);
    put_key(f, "ca_file", "upstream-ca.pem");
    put_key(f, "client_cert", o->ap_cert ? "upstream-ap.pem" : NULL);
    put_key(f, "client_key", o->ap_cert ? "upstream-ap.key" : NULL);
    put_key(f, "ap_pwd_file", o->ap_pwd_file ? "upstream-ap_pwd" : NULL);
    fprintf(f, "# binding = soap\n"
               "# status_url = https://mssp.example/rest/service/status\n"
               "# profile_url = https://mssp.example/rest/service/profile\n"
               "# receipt_url = https://mssp.example/rest/service/receipt\n"
               "# http_user = ap\n# http_password_file = upstream-http_pwd\n"
               "# proxy = none\n# connect_timeout_ms = 10000\n# request_timeout_ms = 30000\n"
               "\n[desktop]\n");
    put_key(f, "url", desktop_url);
    put_key(f, "module_ap_id", RELAY_DEFAULT_MODULE_AP_ID);
    put_key(f, "authn_profile", o->authn_profile);
    put_key(f, "sign_profile", o->sign_profile);
    put_key(f, "user_ca_file", o->user_cert_ca ? "mssp-user-ca.pem" : NULL);
}

static int make_conf(init_job *job)
{
    const relay_init_options *o = job->o;
    char urls[RELAY_MAX_UPSTREAM_URLS * 260] = "", desktop[320] = "", path[PATH_MAX];
    for (size_t i = 0; i < o->n_upstream_urls; i++)
        snprintf(urls + strlen(urls), sizeof urls - strlen(urls), "%s%.250s", i ? " " : "",
                 o->upstream_urls[i]);
    if (o->public_name != NULL) {
        const char *listen = o->listen ? o->listen : RELAY_DEFAULT_LISTEN;
        snprintf(desktop, sizeof desktop, "https://%.128s:%s/mss", o->public_name,
                 strrchr(listen, ':') + 1);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f != NULL)
        print_conf(f, o, urls, desktop[0] ? desktop : NULL);
    int rc = f != NULL && fclose(f) == 0 ? 0 : -1;
    if (rc != 0)
        snprintf(job->err, sizeof job->err, "out of memory");
    else if (job_path(job, RELAY_CONF_FILE, path) != 0)
        rc = -1;
    else
        rc = srv_file_set_write(&job->files, path, text, len, 0644, job->err, sizeof job->err);
    free(text);
    return rc == 0 ? 0 : say(job);
}

static int make_users(init_job *job)
{
    relay_users none = {.users = NULL};
    char *text = NULL, path[PATH_MAX];
    if (relay_users_format(&none, &text) != 0) {
        snprintf(job->err, sizeof job->err, "out of memory");
        return say(job);
    }
    int rc = job_path(job, RELAY_USERS_FILE, path) == 0 &&
                     srv_file_set_write(&job->files, path, text, strlen(text), 0644, job->err,
                                        sizeof job->err) == 0
                 ? 0 : -1;
    free(text);
    if (rc != 0 && job->err[0] != '\0')
        say(job);
    return rc;
}

/* The relay's reader has the last word: a set-up it would refuse does not count. */
static int check_result(init_job *job)
{
    relay_conf conf;
    relay_users users;
    if (relay_conf_load(job->dir, &conf, job->err, sizeof job->err) != 0)
        return say(job);
    int rc = relay_users_load(job->dir, &users, job->err, sizeof job->err) == 0 ? 0 : say(job);
    if (rc == 0) {
        printf("mss-relay: created in %s:\n"
               "  ca.pem, ca.key            the relay's CA (EC P-256): the relay and its users\n"
               "  server.pem, server.key    the relay's TLS certificate (desktops reach %s)\n"
               "  token_keys                seals transaction IDs; every instance needs the same\n"
               "  upstream-*                the AP credentials for %s\n"
               "  mss-relay.conf            settings (mss-relay(8)); users.conf: no users yet\n"
               "Add users with: mss-relay user add %s NAME --msisdn +NUMBER\n"
               "Then serve with: mss-relay run %s\n",
               job->dir, conf.desktop_url, conf.upstream_urls[0], job->dir, job->dir);
        relay_users_clear(&users);
    }
    relay_conf_clear(&conf);
    return rc;
}

int relay_cmd_init(const relay_init_options *o)
{
    if (check_options(o) != 0)
        return 2;
    init_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        fprintf(stderr, "mss-relay: out of memory\n");
        return 1;
    }
    job->o = o;
    int ok = check_upstream_files(job) == 0 && prepare_dir(job) == 0 && make_ca(job) == 0 && make_server_cert(job) == 0 &&
             make_token_keys(job) == 0 && copy_upstream(job) == 0 && make_conf(job) == 0 &&
             make_users(job) == 0 && check_result(job) == 0;
    if (!ok) {
        srv_file_set_undo(&job->files);
        if (job->chmodded)
            chmod(o->dir, job->old_mode);
        fprintf(stderr, "mss-relay: init failed; nothing was left behind\n");
    }
    X509_free(job->ca_cert);
    EVP_PKEY_free(job->ca_key);
    free(job);
    return ok ? 0 : 1;
}
