/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp run DIR: load the set-up made by init, serve until SIGTERM or SIGINT,
 * then stop the daemon, close the database and return 0.
 */
#include "commands.h"
#include "files.h"
#include "stop_signals.h"
#include "flow.h"
#include "hex.h"
#include "key_cache.h"
#include "log.h"
#include "rm_conf.h"
#include "server.h"
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define PEM_MAX_SIZE (64 * 1024)

typedef struct run_files {
    rm_conf conf;
    char *ca_pem;
    char *cert_pem;
    char *key_pem;   /* secret */
    rm_store *store;
} run_files;

static int read_pem(const char *dir, const char *name, char **out)
{
    char path[PATH_MAX];
    if (srv_path_join(path, sizeof path, dir, name) != 0) {
        rm_log_error("%s/%s: path too long", dir, name);
        return -1;
    }
    if (srv_read_file(path, PEM_MAX_SIZE, out, NULL) != 0) {
        rm_log_error("%s: %s", path, strerror(errno));
        return -1;
    }
    if (strstr(*out, "-----BEGIN ") == NULL) {
        rm_log_error("%s: not a PEM file", path);
        free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/*
 * A default AP without a binding of its own is bound to DIR/ap.pem, the client
 * certificate 'refmssp init' made for it: any other certificate of the test CA (a
 * user's, say) must not pass as the AP. 0, or -1 after logging why.
 */
static int bind_default_ap(const char *dir, rm_conf *conf)
{
    const rm_ap *ap = &conf->aps[0];
    if (!rm_ap_allows_cert(ap) || ap->cert_fingerprint != NULL || ap->cert_subject != NULL)
        return 0;
    char *pem = NULL;
    if (read_pem(dir, "ap.pem", &pem) != 0) {
        rm_log_error("the default AP accepts certificates but has no ap_cert_fingerprint, "
                     "and DIR/ap.pem cannot be read to bind it");
        return -1;
    }
    BIO *bio = BIO_new_mem_buf(pem, -1);
    X509 *cert = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    free(pem);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    int ok = cert != NULL && X509_digest(cert, EVP_sha256(), md, &md_len) == 1 && md_len == 32;
    X509_free(cert);
    if (!ok) {
        rm_log_error("%s/ap.pem: not a certificate", dir);
        return -1;
    }
    char fp[65], err[256];
    hex_encode(md, md_len, fp);
    if (rm_conf_bind_default_ap(conf, fp, err, sizeof err) != 0) {
        rm_log_error("%s", err);
        return -1;
    }
    return 0;
}

static int load_files(const char *dir, run_files *f)
{
    struct stat st;
    errno = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rm_log_error("%s: %s (make one with 'refmssp init %s')", dir,
                     errno ? strerror(errno) : "not a directory", dir);
        return -1;
    }
    char path[PATH_MAX], err[512];
    if (srv_path_join(path, sizeof path, dir, RM_CONF_FILE) != 0 ||
        rm_conf_load(path, &f->conf, err, sizeof err) != 0) {
        rm_log_error("%s", err);
        return -1;
    }
    if (bind_default_ap(dir, &f->conf) != 0)
        return -1;
    if (read_pem(dir, "ca.pem", &f->ca_pem) != 0 || read_pem(dir, "server.pem", &f->cert_pem) != 0 ||
        read_pem(dir, "server.key", &f->key_pem) != 0)
        return -1;
    if (srv_path_join(path, sizeof path, dir, RM_DB_FILE) != 0 ||
        store_open(path, 0, &f->store, err, sizeof err) != 0) {
        rm_log_error("%s", err);
        return -1;
    }
    /* Without it the server still works, with SQLite's checkpoints inside requests. */
    if (store_checkpoint_in_background(f->store, err, sizeof err) != 0)
        rm_log_error("%s", err);
    return 0;
}

static void release_files(run_files *f)
{
    store_close(f->store);
    rm_conf_clear(&f->conf);
    if (f->key_pem != NULL)
        OPENSSL_cleanse(f->key_pem, strlen(f->key_pem));
    free(f->key_pem);
    free(f->cert_pem);
    free(f->ca_pem);
    memset(f, 0, sizeof *f);
}

int rm_cmd_run(const char *dir, const char *listen, int allow_remote)
{
    run_files f;
    memset(&f, 0, sizeof f);
    if (load_files(dir, &f) != 0) {
        release_files(&f);
        return 1;
    }
    srv_stop_signals_block();   /* before any thread exists */

    rm_server_options opts = {
        .listen = listen != NULL ? listen : f.conf.listen,
        .allow_remote = allow_remote,
        .cert_pem = f.cert_pem,
        .key_pem = f.key_pem,
        .ca_pem = f.ca_pem,
        .ops = {.store = f.store, .conf = &f.conf},
    };
    /* Requests a stopped (or killed) server left pending cannot be answered any more. */
    int expired = 0;
    if (store_tx_expire_all(f.store, &expired) == 0 && expired > 0) {
        store_audit(f.store, "expired", NULL, "pending transactions of the previous run");
        rm_log_error("%d pending transaction(s) of the previous run expired (208)", expired);
    }
    flow_set_cms_chain(f.ca_pem);
    rm_server *server = NULL;
    char err[512];
    if (rm_server_start(&opts, &server, err, sizeof err) != 0) {
        rm_log_error("%s", err);
        release_files(&f);
        return 1;
    }
    store_audit(f.store, "start", NULL, rm_server_url(server));
    fprintf(stderr, "refmssp: listening on %s\n", rm_server_url(server));

    rm_log_error("%s received, stopping", srv_stop_signals_wait(NULL, NULL));
    rm_server_stop(server);
    store_audit(f.store, "stop", NULL, NULL);
    release_files(&f);
    key_cache_clear();
    return 0;
}
