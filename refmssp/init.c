/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp init DIR: everything a newcomer needs in one step — the test CA, the
 * server and AP certificates, a demo user with an authentication and a signing key,
 * refmssp's own configuration and the PKCS#11 module configuration pointing at it.
 * On any failure every file created so far is removed again.
 */
#include "commands.h"
#include "file_set.h"
#include "files.h"
#include "mss_conf.h"
#include "pki.h"
#include "random_hex.h"
#include "rm_conf.h"
#include "store.h"
#include "users.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

typedef struct init_job {
    char dir[PATH_MAX];
    unsigned port;
    const char *msisdn;
    srv_file_set files;         /* what was made so far, removed on failure */
    int made_db;                /* the database is ours: its side files go with it */
    EVP_PKEY *ca_key;
    X509 *ca_cert;
} init_job;

static const char *const init_files[] = {
    RM_DB_FILE, "ca.pem", "ca.key", "server.pem", "server.key", "ap.pem", "ap.key",
    RM_CONF_FILE, "ap_pwd", MSS_CONF_FILE_NAME,
};

static int job_path(const init_job *job, const char *name, char *buf)
{
    if (srv_path_join(buf, PATH_MAX, job->dir, name) != 0) {
        fprintf(stderr, "refmssp: %s/%s: path too long\n", job->dir, name);
        return -1;
    }
    return 0;
}

static int write_created(init_job *job, const char *name, const char *text, mode_t mode)
{
    char path[PATH_MAX], err[PATH_MAX + 64];
    if (job_path(job, name, path) != 0)
        return -1;
    if (srv_file_set_write(&job->files, path, text, strlen(text), mode, err, sizeof err) != 0) {
        fprintf(stderr, "refmssp: %s\n", err);
        return -1;
    }
    return 0;
}

/* A key (0600) or a certificate (0644) into DIR/NAME. */
static int write_pem(init_job *job, const char *name, EVP_PKEY *key, X509 *cert)
{
    char path[PATH_MAX], err[PATH_MAX + 64];
    if (job_path(job, name, path) != 0)
        return -1;
    int rc = key != NULL ? srv_file_set_write_key(&job->files, path, key, err, sizeof err)
                         : srv_file_set_write_cert(&job->files, path, cert, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "refmssp: %s\n", err);
    return rc;
}

/* Make a key, have the CA certify it, write both. */
static int make_tls_pair(init_job *job, pki_cert_kind kind, const char *cn, const char *cert_name,
                         const char *key_name)
{
    char err[256];
    pki_name subject = {.cn = cn, .org = "refmssp test"};
    EVP_PKEY *key = pki_rsa_generate(2048);
    X509 *cert = key ? pki_issue(kind, &subject, key, job->ca_cert, job->ca_key, err, sizeof err)
                     : NULL;
    int rc = -1;
    if (cert == NULL)
        fprintf(stderr, "refmssp: %s: %s\n", cert_name, key ? err : "key generation failed");
    else if (write_pem(job, cert_name, NULL, cert) == 0 && write_pem(job, key_name, key, NULL) == 0)
        rc = 0;
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

static int make_ca(init_job *job)
{
    char err[256];
    pki_name subject = {.cn = "refmssp test CA", .org = "refmssp test"};
    job->ca_key = pki_rsa_generate(2048);
    if (job->ca_key == NULL) {
        fprintf(stderr, "refmssp: CA key generation failed\n");
        return -1;
    }
    job->ca_cert = pki_issue(PKI_CERT_CA, &subject, job->ca_key, NULL, job->ca_key, err,
                             sizeof err);
    if (job->ca_cert == NULL) {
        fprintf(stderr, "refmssp: CA certificate: %s\n", err);
        return -1;
    }
    if (write_pem(job, "ca.pem", NULL, job->ca_cert) != 0 ||
        write_pem(job, "ca.key", job->ca_key, NULL) != 0)
        return -1;
    return 0;
}

/* The demo users: RSA (slot 0 of the module), EC P-256, RSA with PSS. */
static void demo_specs(const init_job *job, rm_user_spec specs[3])
{
    memset(specs, 0, 3 * sizeof specs[0]);
    specs[0] = (rm_user_spec){.name = "demo", .msisdn = job->msisdn, .label = "Demo User",
                              .authn_type = PKI_KEY_RSA2048, .sign_type = PKI_KEY_RSA2048};
    specs[1] = (rm_user_spec){.name = "demo-ec", .msisdn = RM_DEMO_EC_MSISDN,
                              .label = "Demo EC User", .authn_type = PKI_KEY_EC_P256,
                              .sign_type = PKI_KEY_EC_P256};
    specs[2] = (rm_user_spec){.name = "demo-pss", .msisdn = RM_DEMO_PSS_MSISDN,
                              .label = "Demo PSS User", .authn_type = PKI_KEY_RSA2048,
                              .sign_type = PKI_KEY_RSA2048, .pss = 1};
}

static int make_database(init_job *job)
{
    char path[PATH_MAX], err[256];
    if (job_path(job, RM_DB_FILE, path) != 0)
        return -1;
    rm_store *store = NULL;
    if (store_open(path, 1, &store, err, sizeof err) != 0) {
        fprintf(stderr, "refmssp: %s\n", err);
        return -1;
    }
    srv_file_set_add(&job->files, path);
    job->made_db = 1;
    rm_user_spec specs[3];
    demo_specs(job, specs);
    int rc = -1;
    if (store_begin(store) != 0) {
        fprintf(stderr, "refmssp: cannot write the database\n");
    } else {
        rc = 0;
        for (size_t i = 0; i < 3 && rc == 0; i++) {
            if (rm_user_create(store, job->ca_cert, job->ca_key, &specs[i], err, sizeof err) != 0) {
                fprintf(stderr, "refmssp: %s\n", err);
                rc = -1;
            }
        }
        if (rc == 0 && store_commit(store) != 0)
            rc = -1;
    }
    if (rc != 0)
        store_rollback(store);
    store_close(store);
    return rc;
}

/* refmssp's own configuration and the AP password file: refmssp's format, not the
 * module's. */
static int make_server_conf(init_job *job, const char *pwd)
{
    char text[1024];
    snprintf(text, sizeof text,
             "# refmssp configuration (made by 'refmssp init')\n"
             "listen = 127.0.0.1:%u\n"
             "ap_id = " RM_AP_ID "\n"
             "ap_pwd = %s\n"
             "mssp_id = " RM_MSSP_ID "\n",
             job->port, pwd);
    int rc = write_created(job, RM_CONF_FILE, text, 0600);
    if (rc == 0) {
        snprintf(text, sizeof text, "%s\n", pwd);
        rc = write_created(job, "ap_pwd", text, 0600);
    }
    OPENSSL_cleanse(text, sizeof text);
    return rc;
}

/* Set *field to DIR/name: the files of this set-up, by absolute path. (prepare_dir has
 * made sure that paths in DIR fit.) */
static int set_job_path(const init_job *job, char **field, const char *name)
{
    char path[PATH_MAX];
    return srv_path_join(path, sizeof path, job->dir, name) == 0 &&
                   mss_conf_set_str(field, path) == 0 ? 0 : -1;
}

/* The module's [mssp] section: refmssp on this port, its CA (for the TLS server and, as
 * user_ca_file, for the users' certificates: refmssp issues both), the AP's certificate
 * and password; short polls, because the SIM answers at once. */
static int fill_mssp(const init_job *job, mss_conf *c)
{
    char url[64];
    snprintf(url, sizeof url, "https://127.0.0.1:%u/mss", job->port);
    if (mss_conf_set_str(&c->url, url) != 0 || mss_conf_set_str(&c->ap_id, RM_AP_ID) != 0 ||
        set_job_path(job, &c->ca_file, "ca.pem") != 0 ||
        set_job_path(job, &c->user_ca_file, "ca.pem") != 0 ||
        set_job_path(job, &c->client_cert, "ap.pem") != 0 ||
        set_job_path(job, &c->client_key, "ap.key") != 0 ||
        set_job_path(job, &c->ap_pwd_file, "ap_pwd") != 0 ||
        set_job_path(job, &c->cache_dir, "cache") != 0)
        return -1;
    c->mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    c->timeout_s = 60;
    c->poll_first_ms = 200;
    c->poll_interval_ms = 200;
    return 0;
}

/* The PKCS#11 module configuration: [mssp] and one [user] per demo user. */
static int make_module_conf(init_job *job)
{
    char path[PATH_MAX], err[512] = "cannot build the module configuration: out of memory";
    rm_user_spec specs[3];
    demo_specs(job, specs);
    if (job_path(job, MSS_CONF_FILE_NAME, path) != 0)
        return -1;
    mss_conf *c = mss_conf_new();
    int rc = c != NULL && fill_mssp(job, c) == 0 ? 0 : -1;
    for (size_t i = 0; i < 3 && rc == 0; i++)
        rc = rm_user_conf_add(c, &specs[i], err, sizeof err);
    if (rc == 0)
        rc = mss_conf_write(c, path, err, sizeof err);
    if (rc == 0)
        srv_file_set_add(&job->files, path);
    else
        fprintf(stderr, "refmssp: %s\n", err);
    mss_conf_free(c);
    return rc;
}

static int make_configs(init_job *job)
{
    char pwd[2 * 16 + 1];   /* 128 random bits */
    if (random_hex(pwd, sizeof pwd, 16) != 0) {
        fprintf(stderr, "refmssp: no randomness for the AP password\n");
        return -1;
    }
    int rc = make_server_conf(job, pwd);
    OPENSSL_cleanse(pwd, sizeof pwd);
    return rc == 0 ? make_module_conf(job) : -1;
}

/* Create DIR (0700) when missing, refuse a DIR that already holds any output file. */
static int prepare_dir(init_job *job, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        char err[PATH_MAX + 64];
        if (errno != ENOENT) {
            fprintf(stderr, "refmssp: %s: %s\n", dir, strerror(errno));
            return -1;
        }
        if (srv_file_set_mkdir(&job->files, dir, 0700, err, sizeof err) != 0) {
            fprintf(stderr, "refmssp: %s\n", err);
            return -1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "refmssp: %s is not a directory\n", dir);
        return -1;
    }
    if (realpath(dir, job->dir) == NULL) {
        fprintf(stderr, "refmssp: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < sizeof init_files / sizeof init_files[0]; i++) {
        char path[PATH_MAX];
        if (job_path(job, init_files[i], path) != 0)
            return -1;
        if (lstat(path, &st) == 0) {
            fprintf(stderr, "refmssp: %s already exists; refusing to overwrite an existing "
                            "set-up (choose an empty DIR)\n", path);
            return -1;
        }
    }
    return 0;
}

/* Remove what was made, and SQLite's side files of the database. */
static void undo(init_job *job)
{
    char db[PATH_MAX], side[PATH_MAX + 8];
    if (job->made_db && srv_path_join(db, sizeof db, job->dir, RM_DB_FILE) == 0) {
        snprintf(side, sizeof side, "%s-wal", db);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", db);
        unlink(side);
    }
    srv_file_set_undo(&job->files);
}

int rm_cmd_init(const char *dir, unsigned port, const char *msisdn)
{
    init_job *job = calloc(1, sizeof *job);
    if (job == NULL) {
        fprintf(stderr, "refmssp: out of memory\n");
        return 1;
    }
    job->port = port;
    job->msisdn = msisdn;
    int ok = prepare_dir(job, dir) == 0 && make_ca(job) == 0 &&
             make_tls_pair(job, PKI_CERT_SERVER, "localhost", "server.pem", "server.key") == 0 &&
             make_tls_pair(job, PKI_CERT_TLS_CLIENT, "ap.refmssp.test", "ap.pem", "ap.key") == 0 &&
             make_database(job) == 0 && make_configs(job) == 0;
    if (!ok) {
        undo(job);
        fprintf(stderr, "refmssp: init failed; nothing was left behind\n");
    } else {
        printf("refmssp: created in %s:\n", job->dir);
        printf("  ca.pem, ca.key            test CA (RSA-2048)\n");
        printf("  server.pem, server.key    server certificate for 127.0.0.1 / localhost\n");
        printf("  ap.pem, ap.key            AP client certificate (%s)\n", RM_AP_ID);
        printf("  %-25s users, keys, transactions; demo user %s with\n", RM_DB_FILE, msisdn);
        printf("                            %s (authn) and %s (sign), RSA-2048;\n",
               RM_AUTHN_PROFILE, RM_SIGN_PROFILE);
        printf("                            demo-ec %s (EC P-256), demo-pss %s (RSA, PSS);\n",
               RM_DEMO_EC_MSISDN, RM_DEMO_PSS_MSISDN);
        printf("                            every PIN is %s\n", RM_DEFAULT_PIN);
        printf("  %-25s server settings (listen 127.0.0.1:%u)\n", RM_CONF_FILE, port);
        printf("  ap_pwd                    the AP password\n");
        printf("  mss-pkcs11.conf           module configuration (MSS_PKCS11_CONF=%s/mss-pkcs11.conf)\n",
               job->dir);
        printf("Start the server with: refmssp run %s\n", job->dir);
    }
    X509_free(job->ca_cert);
    EVP_PKEY_free(job->ca_key);
    free(job);
    return ok ? 0 : 1;
}
