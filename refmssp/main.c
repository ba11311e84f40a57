/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp — the reference Mobile Signature Service Provider with a SIM emulator.
 * This file only parses the command line and dispatches to the sub-commands.
 */
#include "cli.h"
#include "commands.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void usage_main(FILE *out)
{
    fprintf(out,
            "Usage: refmssp COMMAND [OPTIONS]\n"
            "\n"
            "The reference MSSP (ETSI TS 102 204 over SOAP 1.2) with a SIM emulator, for tests\n"
            "and development of mss-pkcs11 and of application providers.\n"
            "\n"
            "Commands:\n"
            "  init DIR    create a test CA, certificates, a demo user and configuration in DIR\n"
            "  run DIR     serve the set-up in DIR until SIGTERM or SIGINT\n"
            "  user ...    add, list, remove, block, unblock SIM users\n"
            "  phone ...   list, approve or cancel pending requests as the user's phone\n"
            "  ap ...      add or list application providers (client certificate, AP_PWD)\n"
            "\n"
            "  refmssp COMMAND --help   shows the options of a command\n"
            "  refmssp --version        shows the version\n");
}

static void usage_init(FILE *out)
{
    fprintf(out,
            "Usage: refmssp init DIR [--port N] [--msisdn +NUMBER]\n"
            "\n"
            "Creates DIR (mode 0700) if missing and writes into it:\n"
            "  ca.pem ca.key              the test CA\n"
            "  server.pem server.key      the server certificate (127.0.0.1, localhost)\n"
            "  ap.pem ap.key              the AP's TLS client certificate\n"
            "  refmssp.db                 users, keys, transactions: demo (RSA-2048),\n"
            "                             demo-ec (+99900000002, EC P-256) and demo-pss\n"
            "                             (+99900000003, RSA-2048 with PSS), PIN 1234\n"
            "  refmssp.conf ap_pwd        server settings and the AP password\n"
            "  mss-pkcs11.conf            the PKCS#11 module configuration for this server\n"
            "Refuses to touch a DIR that already holds any of these.\n"
            "\n"
            "Options:\n"
            "  --port N          port to listen on (default %d)\n"
            "  --msisdn NUMBER   the demo user's phone number (default %s)\n",
            RM_DEFAULT_PORT, RM_DEFAULT_MSISDN);
}

static void usage_run(FILE *out)
{
    fprintf(out,
            "Usage: refmssp run DIR [--listen ADDR:PORT] [--allow-remote]\n"
            "\n"
            "Serves https://ADDR:PORT/mss (any path is accepted) with the set-up in DIR,\n"
            "and the phone page at https://ADDR:PORT/phone?msisdn=%%2BNUMBER.\n"
            "Prints 'refmssp: listening on https://ADDR:PORT/mss' on stderr once ready and one\n"
            "access line per request. SIGTERM or SIGINT stop it cleanly (exit 0).\n"
            "\n"
            "Options:\n"
            "  --listen ADDR:PORT   address to listen on (default: 'listen' in refmssp.conf);\n"
            "                       IPv6 as [::1]:PORT; port 0 picks a free port\n"
            "  --allow-remote       allow a non-loopback address\n");
}

static int parse_port(const char *text, unsigned *port)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || v < 1 || v > 65535)
        return -1;
    *port = (unsigned)v;
    return 0;
}

static int main_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"msisdn", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned port = RM_DEFAULT_PORT;
    const char *msisdn = RM_DEFAULT_MSISDN;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (parse_port(optarg, &port) != 0) {
                fprintf(stderr, "refmssp init: --port must be a number from 1 to 65535\n");
                return 2;
            }
            break;
        case 'm':
            if (!rm_msisdn_valid(optarg)) {
                fprintf(stderr, "refmssp init: --msisdn must be '+' and 3 to 15 digits\n");
                return 2;
            }
            msisdn = optarg;
            break;
        case 'h':
            usage_init(stdout);
            return 0;
        default:
            usage_init(stderr);
            return 2;
        }
    }
    const char *dir = srv_cli_single_operand(argc, argv, "refmssp", "init", "DIR");
    return dir != NULL ? rm_cmd_init(dir, port, msisdn) : 2;
}

static int main_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"allow-remote", no_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *listen = NULL;
    int allow_remote = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen = optarg;
            break;
        case 'r':
            allow_remote = 1;
            break;
        case 'h':
            usage_run(stdout);
            return 0;
        default:
            usage_run(stderr);
            return 2;
        }
    }
    const char *dir = srv_cli_single_operand(argc, argv, "refmssp", "run", "DIR");
    return dir != NULL ? rm_cmd_run(dir, listen, allow_remote) : 2;
}

int main(int argc, char **argv)
{
    static const srv_cli_command commands[] = {
        {"init", main_init}, {"run", main_run}, {"user", rm_cmd_user},
        {"phone", rm_cmd_phone}, {"ap", rm_cmd_ap},
    };
    return srv_cli_dispatch("refmssp", argc, argv, commands,
                            sizeof commands / sizeof commands[0], usage_main, 1);
}
