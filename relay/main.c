/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mss-relay — the organisation's gateway to its MSSP: desktops hold credentials of
 * their own, the relay alone holds the application provider's. This file only parses
 * the command line and dispatches to the sub-commands.
 */
#include "cli.h"
#include "commands.h"

#include <getopt.h>
#include <stdio.h>

static void usage_main(FILE *out)
{
    fprintf(out,
            "Usage: mss-relay COMMAND [OPTIONS]\n"
            "\n"
            "An MSSP toward the desktops' PKCS#11 modules (ETSI TS 102 204 over SOAP 1.2), the\n"
            "application provider toward the real MSSP: each desktop user has credentials of\n"
            "their own and may reach only their own phone.\n"
            "\n"
            "Commands:\n"
            "  init DIR    create the relay's CA, TLS identity, token key and configuration\n"
            "  user ...    add, list or remove the users allowed in\n"
            "  run DIR     serve the set-up in DIR until SIGTERM or SIGINT\n"
            "\n"
            "  mss-relay COMMAND --help   shows the options of a command\n"
            "  mss-relay --version        shows the version\n");
}

static void usage_init(FILE *out)
{
    fprintf(out,
            "Usage: mss-relay init DIR --upstream-url URL [--upstream-url URL2 ...]\n"
            "           --ap-id URI --upstream-ca FILE [--ap-cert FILE --ap-key FILE]\n"
            "           [--ap-pwd-file FILE] [--listen ADDR:PORT] [--public-name HOST]\n"
            "           [--authn-profile URI] [--sign-profile URI] [--user-cert-ca FILE]\n"
            "\n"
            "Creates DIR (mode 0700; an existing DIR must be empty) and writes into it:\n"
            "  ca.pem ca.key              the relay's CA: it certifies the relay and its users\n"
            "  server.pem server.key      the relay's TLS certificate (127.0.0.1, localhost,\n"
            "                             and --public-name)\n"
            "  token_keys                 the key that seals transaction IDs (share it with\n"
            "                             every instance of this relay)\n"
            "  upstream-ca.pem            copies of the upstream credentials: the MSSP's CA,\n"
            "  upstream-ap.pem .key       the AP certificate and key,\n"
            "  upstream-ap_pwd            the AP_PWD\n"
            "  mssp-user-ca.pem           a copy of --user-cert-ca\n"
            "  mss-relay.conf users.conf  the relay's settings and (no) users\n"
            "Secret files are 0600. Nothing is left behind when a step fails.\n"
            "\n"
            "Options:\n"
            "  --upstream-url URL    the MSSP's https:// URL; repeat for URLs tried in turn\n"
            "  --ap-id URI           the AP_ID the MSSP knows this organisation by\n"
            "  --upstream-ca FILE    PEM CA(s) that verify the MSSP's TLS certificate\n"
            "  --ap-cert FILE        the AP's TLS client certificate (PEM), with --ap-key\n"
            "  --ap-key FILE         its private key (PEM, unencrypted)\n"
            "  --ap-pwd-file FILE    a file whose first line is the AP_PWD\n"
            "  --listen ADDR:PORT    where the relay listens (default %s)\n"
            "  --public-name HOST    the name desktops reach the relay by (its certificate\n"
            "                        and the desktops' url; default: the listen address)\n"
            "  --authn-profile URI   the signature profile of users' authentication keys\n"
            "  --sign-profile URI    the same for their signing keys\n"
            "  --user-cert-ca FILE   the CA of the users' certificates at the MSSP, which\n"
            "                        desktops check them with when they enrol (mss-tool)\n",
            RELAY_DEFAULT_LISTEN);
}

static void usage_run(FILE *out)
{
    fprintf(out,
            "Usage: mss-relay run DIR\n"
            "\n"
            "Serves the set-up in DIR (mss-relay.conf, users.conf) until SIGTERM or SIGINT.\n");
}

static int main_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"upstream-url", required_argument, NULL, 'u'},
        {"ap-id", required_argument, NULL, 'i'},
        {"ap-cert", required_argument, NULL, 'c'},
        {"ap-key", required_argument, NULL, 'k'},
        {"ap-pwd-file", required_argument, NULL, 'p'},
        {"upstream-ca", required_argument, NULL, 'C'},
        {"listen", required_argument, NULL, 'l'},
        {"public-name", required_argument, NULL, 'n'},
        {"authn-profile", required_argument, NULL, 'A'},
        {"sign-profile", required_argument, NULL, 'S'},
        {"user-cert-ca", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    relay_init_options o = {.dir = NULL};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'u':
            if (o.n_upstream_urls == RELAY_MAX_UPSTREAM_URLS) {
                fprintf(stderr, "mss-relay init: at most %d --upstream-url\n",
                        RELAY_MAX_UPSTREAM_URLS);
                return 2;
            }
            o.upstream_urls[o.n_upstream_urls++] = optarg;
            break;
        case 'i': o.ap_id = optarg; break;
        case 'c': o.ap_cert = optarg; break;
        case 'k': o.ap_key = optarg; break;
        case 'p': o.ap_pwd_file = optarg; break;
        case 'C': o.upstream_ca = optarg; break;
        case 'l': o.listen = optarg; break;
        case 'n': o.public_name = optarg; break;
        case 'A': o.authn_profile = optarg; break;
        case 'S': o.sign_profile = optarg; break;
        case 'U': o.user_cert_ca = optarg; break;
        case 'h': usage_init(stdout); return 0;
        default: usage_init(stderr); return 2;
        }
    }
    o.dir = srv_cli_single_operand(argc, argv, "mss-relay", "init", "DIR");
    return o.dir != NULL ? relay_cmd_init(&o) : 2;
}

static int main_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage_run(stdout);
            return 0;
        }
        usage_run(stderr);
        return 2;
    }
    const char *dir = srv_cli_single_operand(argc, argv, "mss-relay", "run", "DIR");
    return dir != NULL ? relay_cmd_run(dir) : 2;
}

int main(int argc, char **argv)
{
    static const srv_cli_command commands[] = {
        {"init", main_init}, {"user", relay_cmd_user}, {"run", main_run},
    };
    return srv_cli_dispatch("mss-relay", argc, argv, commands,
                            sizeof commands / sizeof commands[0], usage_main, 1);
}
