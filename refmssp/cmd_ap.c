/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp ap add|list DIR …: further application providers. 'add' issues the AP a
 * TLS client certificate from DIR's CA, makes it a password (and, with --auth basic or
 * hmac, a Basic password or an API key of its own) and appends an [ap NAME] section
 * (bound to that certificate by its SHA-256) to refmssp.conf; a running server reads it
 * at its next start.
 */
#include "commands.h"
#include "files.h"
#include "hex.h"
#include "pki.h"
#include "random_hex.h"
#include "rm_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

static void usage_ap(FILE *out)
{
    fprintf(out,
            "Usage: refmssp ap add DIR NAME --ap-id URI [--profiles \"URI …\"]\n"
            "                     [--auth cert|basic|cert-or-basic|hmac]\n"
            "       refmssp ap list DIR\n"
            "\n"
            "add    a further AP: writes DIR/ap-NAME.pem and ap-NAME.key (its TLS client\n"
            "       certificate from DIR's CA; the key 0600), DIR/ap-NAME_pwd (its AP_PWD,\n"
            "       0600) and appends an [ap NAME] section to DIR/refmssp.conf bound to the\n"
            "       certificate's SHA-256 fingerprint. Restart 'refmssp run' to use it.\n"
            "list   the APs of DIR/refmssp.conf (never their passwords)\n"
            "\n"
            "Options of add:\n"
            "  --ap-id URI        the AP_ID the AP sends (required; unique)\n"
            "  --profiles \"URI …\" the signature profiles it may use (default: all);\n"
            "                     others are refused with 104\n"
            "  --auth MODE        cert (default): its client certificate; basic: HTTP Basic\n"
            "                     with user NAME and a password of its own\n"
            "                     (DIR/ap-NAME_basic_pwd, not the AP_PWD); cert-or-basic:\n"
            "                     either; hmac: REST requests signed with an API key\n"
            "                     (DIR/ap-NAME_api_key, 0600; the module's api_key_file)\n"
            "\n"
            "NAME: 1 to %d of A-Z a-z 0-9 _ - (not '%s'). AP_ID and AP_PWD in every message\n"
            "are checked too: a request whose AP_ID is another AP's gets 104.\n",
            RM_AP_NAME_MAX, RM_DEFAULT_AP_NAME);
}

/* Printable text without line breaks or '#' (it becomes one refmssp.conf value). */
static int value_ok(const char *s)
{
    if (*s == '\0' || *s == ' ' || *s == '\t')
        return 0;
    for (const char *p = s; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '#')
            if (*p != '\t')
                return 0;
    size_t n = strlen(s);
    return s[n - 1] != ' ' && s[n - 1] != '\t';
}

static int load_conf(const char *dir, char *path, rm_conf *conf)
{
    char err[512];
    if (srv_path_join(path, PATH_MAX, dir, RM_CONF_FILE) != 0) {
        fprintf(stderr, "refmssp: %s: path too long\n", dir);
        return -1;
    }
    if (rm_conf_load(path, conf, err, sizeof err) != 0) {
        fprintf(stderr, "refmssp: %s\n", err);
        return -1;
    }
    return 0;
}

/* The files ap add writes, removed again when a later step fails. */
typedef struct ap_files {
    char cert[PATH_MAX], key[PATH_MAX], pwd[PATH_MAX], basic_pwd[PATH_MAX], api_key[PATH_MAX];
    int wrote_cert, wrote_key, wrote_pwd, wrote_basic_pwd, wrote_api_key;
} ap_files;

static void remove_written(const ap_files *f)
{
    if (f->wrote_cert)
        unlink(f->cert);
    if (f->wrote_key)
        unlink(f->key);
    if (f->wrote_pwd)
        unlink(f->pwd);
    if (f->wrote_basic_pwd)
        unlink(f->basic_pwd);
    if (f->wrote_api_key)
        unlink(f->api_key);
}

static int write_file(const char *path, const char *text, mode_t mode, int *wrote)
{
    if (srv_write_new_file(path, text, strlen(text), mode) != 0) {
        fprintf(stderr, "refmssp: %s: %s\n", path, strerror(errno));
        return -1;
    }
    *wrote = 1;
    return 0;
}

/* A key and client certificate for NAME from DIR's CA, written to F; the
 * certificate's SHA-256 in FP[65]. */
static int issue_ap_cert(const char *dir, const char *name, ap_files *f, char fp[65])
{
    X509 *ca_cert = NULL, *cert = NULL;
    EVP_PKEY *ca_key = NULL, *key = NULL;
    char *cert_pem = NULL, *key_pem = NULL;
    int rc = -1;
    char cn[64], err[256];
    snprintf(cn, sizeof cn, "refmssp AP %s", name);
    pki_name subject = {.cn = cn, .org = "refmssp test"};
    if (rm_load_dir_ca(dir, &ca_cert, &ca_key) != 0)
        goto out;
    key = pki_rsa_generate(2048);
    cert = key ? pki_issue(PKI_CERT_TLS_CLIENT, &subject, key, ca_cert, ca_key, err, sizeof err)
               : NULL;
    if (cert == NULL) {
        fprintf(stderr, "refmssp: AP certificate: %s\n", key ? err : "key generation failed");
        goto out;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    if (X509_digest(cert, EVP_sha256(), md, &md_len) != 1 || md_len != 32) {
        fprintf(stderr, "refmssp: cannot compute the certificate's fingerprint\n");
        goto out;
    }
    hex_encode(md, md_len, fp);
    cert_pem = pki_cert_to_pem(cert);
    key_pem = pki_key_to_pem(key);
    if (cert_pem == NULL || key_pem == NULL) {
        fprintf(stderr, "refmssp: cannot encode the AP certificate or key\n");
        goto out;
    }
    if (write_file(f->cert, cert_pem, 0644, &f->wrote_cert) == 0 &&
        write_file(f->key, key_pem, 0600, &f->wrote_key) == 0)
        rc = 0;
out:
    if (key_pem != NULL) {
        OPENSSL_cleanse(key_pem, strlen(key_pem));
        free(key_pem);
    }
    free(cert_pem);
    X509_free(cert);
    EVP_PKEY_free(key);
    X509_free(ca_cert);
    EVP_PKEY_free(ca_key);
    return rc;
}

/* Append TEXT to refmssp.conf; *OLD_SIZE is its size before (to undo). */
static int append_conf(const char *path, const char *text, off_t *old_size)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        fprintf(stderr, "refmssp: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *old_size = st.st_size;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int rc = n == (ssize_t)len ? 0 : -1;
    if (rc != 0) {
        fprintf(stderr, "refmssp: %s: cannot append: %s\n", path,
                n < 0 ? strerror(errno) : "short write");
        if (ftruncate(fd, *old_size) != 0)
            fprintf(stderr, "refmssp: %s: could not undo a partial append\n", path);
    }
    if (close(fd) != 0 && rc == 0) {
        fprintf(stderr, "refmssp: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    return rc;
}

static int ap_add_run(const char *dir, const char *name, const char *ap_id,
                      const char *profiles, const char *auth)
{
    char conf_path[PATH_MAX];
    rm_conf conf;
    if (load_conf(dir, conf_path, &conf) != 0)
        return 1;
    int clash = 0;
    for (size_t i = 1; i < conf.n_aps; i++)
        if (strcmp(conf.aps[i].name, name) == 0)
            clash = 1;
    if (clash || rm_conf_find_ap(&conf, ap_id) >= 0) {
        fprintf(stderr, "refmssp ap add: %s already has %s\n", conf_path,
                clash ? "an AP of this NAME" : "an AP with this AP_ID");
        rm_conf_clear(&conf);
        return 1;
    }
    rm_conf_clear(&conf);

    ap_files f;
    memset(&f, 0, sizeof f);
    char file[PATH_MAX];
    snprintf(file, sizeof file, "ap-%s.pem", name);
    int bad = srv_path_join(f.cert, sizeof f.cert, dir, file);
    snprintf(file, sizeof file, "ap-%s.key", name);
    bad |= srv_path_join(f.key, sizeof f.key, dir, file);
    snprintf(file, sizeof file, "ap-%s_pwd", name);
    bad |= srv_path_join(f.pwd, sizeof f.pwd, dir, file);
    snprintf(file, sizeof file, "ap-%s_basic_pwd", name);
    bad |= srv_path_join(f.basic_pwd, sizeof f.basic_pwd, dir, file);
    snprintf(file, sizeof file, "ap-%s_api_key", name);
    bad |= srv_path_join(f.api_key, sizeof f.api_key, dir, file);
    if (bad) {
        fprintf(stderr, "refmssp: %s: path too long\n", dir);
        return 1;
    }

    /* 128 random bits each; SHA-256 in hex. The Basic password and the API key are
     * second secrets: the AP_PWD travels in every message and must not open the HTTP
     * level too. The API key is 256 bits: HMAC-SHA256's own strength. */
    char pwd[2 * 16 + 1], basic_pwd[2 * 16 + 1] = "", api_key[2 * 32 + 1] = "", fp[65];
    const rm_ap scheme = {.auth = (char *)auth};
    int basic = rm_ap_allows_basic(&scheme), hmac = rm_ap_allows_hmac(&scheme);
    if (random_hex(pwd, sizeof pwd, 16) != 0 ||
        (basic && random_hex(basic_pwd, sizeof basic_pwd, 16) != 0) ||
        (hmac && random_hex(api_key, sizeof api_key, 32) != 0)) {
        fprintf(stderr, "refmssp: no randomness for the AP password\n");
        return 1;
    }

    int rc = 1;
    char section[4096], pwd_line[80], basic_line[80] = "", key_line[96] = "";
    snprintf(pwd_line, sizeof pwd_line, "%s\n", pwd);
    if (issue_ap_cert(dir, name, &f, fp) != 0 ||
        write_file(f.pwd, pwd_line, 0600, &f.wrote_pwd) != 0)
        goto out;
    if (basic) {
        snprintf(pwd_line, sizeof pwd_line, "%s\n", basic_pwd);
        if (write_file(f.basic_pwd, pwd_line, 0600, &f.wrote_basic_pwd) != 0)
            goto out;
        snprintf(basic_line, sizeof basic_line, "basic_user = %s\nbasic_pwd = %s\n", name,
                 basic_pwd);
    }
    if (hmac) {
        snprintf(pwd_line, sizeof pwd_line, "%s\n", api_key);
        if (write_file(f.api_key, pwd_line, 0600, &f.wrote_api_key) != 0)
            goto out;
        snprintf(key_line, sizeof key_line, "api_key = %s\n", api_key);
    }
    int len = snprintf(section, sizeof section,
                       "\n# added by 'refmssp ap add'\n[ap %s]\nap_id = %s\nap_pwd = %s\n"
                       "auth = %s\n%s%s%s%s%scert_fingerprint = sha256:%s\n",
                       name, ap_id, pwd, auth,
                       profiles ? "profiles = " : "", profiles ? profiles : "",
                       profiles ? "\n" : "", basic_line, key_line, fp);
    if (len < 0 || (size_t)len >= sizeof section) {
        fprintf(stderr, "refmssp ap add: --ap-id or --profiles is too long\n");
        goto out;
    }
    off_t old_size = 0;
    if (append_conf(conf_path, section, &old_size) != 0)
        goto out;
    /* The file must still load; otherwise take the section out again. */
    if (load_conf(dir, conf_path, &conf) != 0) {
        if (truncate(conf_path, old_size) != 0)
            fprintf(stderr, "refmssp: %s: could not remove the new section\n", conf_path);
        goto out;
    }
    rm_conf_clear(&conf);
    printf("AP '%s' added to %s\n"
           "  AP_ID             %s\n"
           "  client cert/key   %s %s\n"
           "  AP_PWD            in %s\n"
           "  cert fingerprint  sha256:%s\n",
           name, conf_path, ap_id, f.cert, f.key, f.pwd, fp);
    if (basic)
        printf("  HTTP Basic        user %s, password in %s\n", name, f.basic_pwd);
    if (hmac)
        printf("  HMAC API key      in %s (REST requests only)\n", f.api_key);
    printf("Restart 'refmssp run %s' to serve it.\n", dir);
    rc = 0;
out:
    OPENSSL_cleanse(pwd, sizeof pwd);
    OPENSSL_cleanse(basic_pwd, sizeof basic_pwd);
    OPENSSL_cleanse(basic_line, sizeof basic_line);
    OPENSSL_cleanse(api_key, sizeof api_key);
    OPENSSL_cleanse(key_line, sizeof key_line);
    OPENSSL_cleanse(pwd_line, sizeof pwd_line);
    OPENSSL_cleanse(section, sizeof section);
    if (rc != 0)
        remove_written(&f);
    return rc;
}

static int ap_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"ap-id", required_argument, NULL, 'i'}, {"profiles", required_argument, NULL, 'p'},
        {"auth", required_argument, NULL, 'a'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *ap_id = NULL, *profiles = NULL, *auth = "cert";
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'i': ap_id = optarg; break;
        case 'p': profiles = optarg; break;
        case 'a': auth = optarg; break;
        case 'h': usage_ap(stdout); return 0;
        default: usage_ap(stderr); return 2;
        }
    }
    if (argc - optind != 2) {
        usage_ap(stderr);
        return 2;
    }
    const char *dir = argv[optind], *name = argv[optind + 1];
    if (!rm_ap_name_valid(name)) {
        fprintf(stderr, "refmssp ap add: NAME must be 1 to %d of A-Z a-z 0-9 _ - (not '%s')\n",
                RM_AP_NAME_MAX, RM_DEFAULT_AP_NAME);
        return 2;
    }
    if (ap_id == NULL || !value_ok(ap_id) || strpbrk(ap_id, " \t") != NULL) {
        fprintf(stderr, "refmssp ap add: --ap-id URI is required (one word, no '#')\n");
        return 2;
    }
    if (profiles != NULL && !value_ok(profiles)) {
        fprintf(stderr, "refmssp ap add: --profiles must be URIs separated by spaces\n");
        return 2;
    }
    const rm_ap scheme = {.auth = (char *)auth};
    if (!rm_ap_auth_known(&scheme)) {
        fprintf(stderr, "refmssp ap add: --auth must be cert, basic, cert-or-basic or hmac\n");
        return 2;
    }
    return ap_add_run(dir, name, ap_id, profiles, auth);
}

static int ap_list(const char *dir)
{
    char path[PATH_MAX];
    rm_conf conf;
    if (load_conf(dir, path, &conf) != 0)
        return 1;
    printf("%-16s %-36s %-14s %-18s %s\n", "NAME", "AP_ID", "AUTH", "CERTIFICATE", "PROFILES");
    for (size_t i = 0; i < conf.n_aps; i++) {
        const rm_ap *ap = &conf.aps[i];
        char binding[24];
        if (ap->cert_fingerprint != NULL)
            snprintf(binding, sizeof binding, "sha256:%.8s...", ap->cert_fingerprint);
        else if (ap->cert_subject != NULL)
            snprintf(binding, sizeof binding, "by subject");
        else
            snprintf(binding, sizeof binding, rm_ap_allows_cert(ap) ? "any unbound" : "-");
        printf("%-16s %-36s %-14s %-18s %s\n", ap->name ? ap->name : RM_DEFAULT_AP_NAME,
               ap->ap_id, ap->auth ? ap->auth : "cert", binding,
               ap->profiles ? ap->profiles : "(all)");
    }
    rm_conf_clear(&conf);
    return 0;
}

int rm_cmd_ap(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_ap(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    optind = 1;
    if (strcmp(sub, "add") == 0)
        return ap_add(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0) {
        if (argc == 3 && strcmp(argv[2], "--help") == 0) {
            usage_ap(stdout);
            return 0;
        }
        if (argc != 3) {
            usage_ap(stderr);
            return 2;
        }
        return ap_list(argv[2]);
    }
    fprintf(stderr, "refmssp ap: unknown command '%s' (try refmssp ap --help)\n", sub);
    return 2;
}
