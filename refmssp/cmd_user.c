/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp user add|list|remove|block|unblock DIR …: the admin's view of the SIM
 * users. Works on DIR's database directly, also while 'refmssp run' serves it.
 */
#include "commands.h"
#include "files.h"
#include "phone_token.h"
#include "pki.h"
#include "store.h"
#include "users.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static void usage_user(FILE *out)
{
    fprintf(out,
            "Usage: refmssp user add DIR NAME --msisdn +NUMBER [OPTIONS]\n"
            "       refmssp user list DIR\n"
            "       refmssp user remove|block|unblock DIR NAME|MSISDN\n"
            "\n"
            "add      a user with an authentication and a signing key, certified by DIR's CA\n"
            "list     the users, their keys, policies and PIN counters\n"
            "remove   a user and its keys (its finished transactions stay in the log)\n"
            "block    the user's requests get 403 CARD_BLOCKED\n"
            "unblock  lift a block and reset the PIN counters (after 3 wrong PINs: 402)\n"
            "\n"
            "Options of add:\n"
            "  --msisdn +NUMBER      the phone number (required)\n"
            "  --authn TYPE          authentication key: rsa2048 (default), rsa3072, ecp256,\n"
            "                        ecp384\n"
            "  --sign TYPE           signing key, the same types (default rsa2048)\n"
            "  --pss                 the RSA keys may also sign RSA-PSS (MSS_Format + #rsa-pss)\n"
            "  --policy POLICY       approve (default): sign at once; delay:MS: after MS ms;\n"
            "                        manual: wait for 'refmssp phone approve' or the phone page\n"
            "  --ecdsa-raw           ECDSA signatures as raw r||s (default: DER)\n"
            "  --pin PIN             the user's PIN, 4 to 8 digits (default %s)\n"
            "  --label TEXT          token label and certificate CN (default: NAME)\n"
            "  --authn-profile URI   (default %s)\n"
            "  --sign-profile URI    (default %s)\n"
            "  --module-conf FILE    also append a [user NAME] section to this module\n"
            "                        configuration (mss-pkcs11.conf)\n",
            RM_DEFAULT_PIN, RM_AUTHN_PROFILE, RM_SIGN_PROFILE);
}

int rm_open_dir_store(const char *dir, rm_store **out)
{
    char path[PATH_MAX], err[512];
    if (srv_path_join(path, sizeof path, dir, RM_DB_FILE) != 0) {
        fprintf(stderr, "refmssp: %s: path too long\n", dir);
        return -1;
    }
    if (store_open(path, 0, out, err, sizeof err) != 0) {
        fprintf(stderr, "refmssp: %s\n", err);
        return -1;
    }
    return 0;
}

int rm_load_dir_ca(const char *dir, X509 **cert, EVP_PKEY **key)
{
    char cert_path[PATH_MAX], key_path[PATH_MAX], err[PATH_MAX + 64];
    *cert = NULL;
    *key = NULL;
    if (srv_path_join(cert_path, sizeof cert_path, dir, "ca.pem") != 0 ||
        srv_path_join(key_path, sizeof key_path, dir, "ca.key") != 0) {
        fprintf(stderr, "refmssp: %s: path too long\n", dir);
        return -1;
    }
    if (pki_load_pair(cert_path, key_path, cert, key, err, sizeof err) != 0) {
        fprintf(stderr, "refmssp: %s\n", err);
        return -1;
    }
    return 0;
}

static int parse_type(const char *opt, const char *text, pki_key_type *out)
{
    if (pki_key_type_parse(text, out) == 0)
        return 0;
    fprintf(stderr, "refmssp user add: %s must be rsa2048, rsa3072, ecp256 or ecp384\n", opt);
    return -1;
}

/* "phone page: URL" of a user just added; only a note when it cannot be made. */
static void print_phone_url(const char *dir, rm_store *store, const char *name)
{
    store_user user;
    char url[512], err[512] = "the user has no phone token";
    if (store_get_user(store, name, &user) != 1) {
        fprintf(stderr, "refmssp: cannot read user %s back\n", name);
        return;
    }
    if (user.phone_token != NULL &&
        rm_phone_url(dir, user.phone_token, url, sizeof url, err, sizeof err) == 0)
        printf("refmssp: phone page: %s\n", url);
    else
        fprintf(stderr, "refmssp: no phone page URL: %s (see 'refmssp phone url')\n", err);
    OPENSSL_cleanse(url, sizeof url);
    store_user_clear(&user);
}

static int user_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"msisdn", required_argument, NULL, 'm'}, {"authn", required_argument, NULL, 'a'},
        {"sign", required_argument, NULL, 's'}, {"pss", no_argument, NULL, 'P'},
        {"policy", required_argument, NULL, 'p'}, {"ecdsa-raw", no_argument, NULL, 'r'},
        {"pin", required_argument, NULL, 'n'}, {"label", required_argument, NULL, 'l'},
        {"authn-profile", required_argument, NULL, 'A'},
        {"sign-profile", required_argument, NULL, 'S'},
        {"module-conf", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    rm_user_spec spec = {.authn_type = PKI_KEY_RSA2048, .sign_type = PKI_KEY_RSA2048};
    const char *module_conf = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': spec.msisdn = optarg; break;
        case 'a': if (parse_type("--authn", optarg, &spec.authn_type) != 0) return 2; break;
        case 's': if (parse_type("--sign", optarg, &spec.sign_type) != 0) return 2; break;
        case 'P': spec.pss = 1; break;
        case 'p': spec.policy = optarg; break;
        case 'r': spec.ecdsa_raw = 1; break;
        case 'n': spec.pin = optarg; break;
        case 'l': spec.label = optarg; break;
        case 'A': spec.authn_profile = optarg; break;
        case 'S': spec.sign_profile = optarg; break;
        case 'c': module_conf = optarg; break;
        case 'h': usage_user(stdout); return 0;
        default: usage_user(stderr); return 2;
        }
    }
    if (optind + 2 != argc) {
        fprintf(stderr, "refmssp user add: DIR and NAME are needed (see refmssp user --help)\n");
        return 2;
    }
    const char *dir = argv[optind];
    spec.name = argv[optind + 1];
    char err[512];
    if (spec.msisdn == NULL) {
        fprintf(stderr, "refmssp user add: --msisdn is required\n");
        return 2;
    }
    if (rm_user_spec_check(&spec, err, sizeof err) != 0) {
        fprintf(stderr, "refmssp user add: %s\n", err);
        return 2;
    }
    X509 *ca_cert = NULL;
    EVP_PKEY *ca_key = NULL;
    rm_store *store = NULL;
    int rc = 1;
    if (rm_load_dir_ca(dir, &ca_cert, &ca_key) != 0 || rm_open_dir_store(dir, &store) != 0)
        goto out;
    if (store_begin(store) != 0) {
        fprintf(stderr, "refmssp: the database is busy\n");
        goto out;
    }
    if (rm_user_create(store, ca_cert, ca_key, &spec, err, sizeof err) != 0) {
        store_rollback(store);
        fprintf(stderr, "refmssp: %s\n", err);
        goto out;
    }
    /* The module configuration first: if it fails, nothing is committed. */
    if (module_conf != NULL && rm_user_conf_append(module_conf, &spec, err, sizeof err) != 0) {
        store_rollback(store);
        fprintf(stderr, "refmssp: %s\n", err);
        goto out;
    }
    if (store_commit(store) != 0) {
        fprintf(stderr, "refmssp: cannot commit the new user\n");
        goto out;
    }
    printf("refmssp: user %s (%s) added: authn %s, sign %s%s, policy %s%s\n", spec.name,
           spec.msisdn, pki_key_type_name(spec.authn_type), pki_key_type_name(spec.sign_type),
           spec.pss ? " (PSS)" : "", spec.policy ? spec.policy : "approve",
           module_conf ? "; module configuration updated" : "");
    print_phone_url(dir, store, spec.name);
    rc = 0;
out:
    store_close(store);
    X509_free(ca_cert);
    EVP_PKEY_free(ca_key);
    return rc;
}

static int user_list(rm_store *store)
{
    store_user *users = NULL;
    size_t n = 0;
    if (store_list_users(store, &users, &n) != 0) {
        fprintf(stderr, "refmssp: cannot read the users\n");
        return 1;
    }
    printf("%-16s %-16s %-12s %-8s %-22s %-22s\n", "NAME", "MSISDN", "POLICY", "STATE",
           "AUTHN (PIN failures)", "SIGN (PIN failures)");
    for (size_t i = 0; i < n; i++) {
        store_key *keys = NULL;
        size_t nk = 0;
        char desc[2][40] = {"-", "-"};
        if (store_user_keys(store, users[i].id, &keys, &nk) == 0) {
            for (size_t k = 0; k < nk; k++) {
                int slot = strcmp(keys[k].role, "sign") == 0;
                snprintf(desc[slot], sizeof desc[slot], "%s%s (%d)%s", keys[k].key_type,
                         keys[k].pss ? "+pss" : "", keys[k].pin_failures,
                         keys[k].pin_failures >= STORE_PIN_TRIES ? " BLOCKED" : "");
            }
        }
        store_keys_free(keys, nk);
        printf("%-16s %-16s %-12s %-8s %-22s %-22s%s\n", users[i].name, users[i].msisdn,
               users[i].policy, users[i].blocked ? "blocked" : "active", desc[0], desc[1],
               users[i].ecdsa_raw ? " ecdsa-raw" : "");
    }
    store_users_free(users, n);
    return 0;
}

/* remove, block, unblock: one user named by NAME or MSISDN. */
static int user_change(rm_store *store, const char *cmd, const char *who)
{
    store_user user;
    int found = store_get_user(store, who, &user);
    if (found <= 0) {
        fprintf(stderr, found == 0 ? "refmssp: no user %s\n" : "refmssp: cannot read user %s\n",
                who);
        return 1;
    }
    int rc;
    if (strcmp(cmd, "remove") == 0)
        rc = store_remove_user(store, user.id) == 1 ? 0 : -1;
    else
        rc = store_set_user_blocked(store, user.id, strcmp(cmd, "block") == 0);
    if (rc == 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "user %s: %s", user.name, cmd);
        store_audit(store, "user-change", user.msisdn, detail);
        printf("refmssp: user %s (%s): %s%s\n", user.name, user.msisdn,
               strcmp(cmd, "remove") == 0 ? "removed"
               : strcmp(cmd, "block") == 0 ? "blocked" : "unblocked",
               strcmp(cmd, "unblock") == 0 ? ", PIN counters reset" : "");
    } else {
        fprintf(stderr, "refmssp: cannot %s user %s\n", cmd, user.name);
    }
    store_user_clear(&user);
    return rc == 0 ? 0 : 1;
}

int rm_cmd_user(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_user(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0) {
        optind = 1;
        return user_add(argc - 1, argv + 1);
    }
    int is_list = strcmp(sub, "list") == 0;
    if (!is_list && strcmp(sub, "remove") != 0 && strcmp(sub, "block") != 0 &&
        strcmp(sub, "unblock") != 0) {
        fprintf(stderr, "refmssp user: unknown command '%s' (see refmssp user --help)\n", sub);
        return 2;
    }
    if (argc != (is_list ? 3 : 4)) {
        fprintf(stderr, "refmssp user %s: expected %s (see refmssp user --help)\n", sub,
                is_list ? "DIR" : "DIR NAME|MSISDN");
        return 2;
    }
    rm_store *store = NULL;
    if (rm_open_dir_store(argv[2], &store) != 0)
        return 1;
    int rc = is_list ? user_list(store) : user_change(store, sub, argv[3]);
    store_close(store);
    return rc;
}
