/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refmssp phone list|approve|cancel DIR …: the person at the phone, on the command
 * line. Answers pending requests of users with the manual (or a delay) policy.
 */
#include "commands.h"
#include "files.h"
#include "flow.h"
#include "phone_token.h"
#include "store.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static void usage_phone(FILE *out)
{
    fprintf(out,
            "Usage: refmssp phone list DIR [MSISDN]\n"
            "       refmssp phone approve DIR MSISDN [--pin PIN] [--trans-id ID]\n"
            "       refmssp phone cancel DIR MSISDN [--trans-id ID]\n"
            "       refmssp phone url DIR NAME|MSISDN\n"
            "\n"
            "list     the pending signature requests (all, or one phone's): MSSP_TransID,\n"
            "         event ID, seconds left, and the text to be displayed\n"
            "approve  the user approves the request: with --pin the PIN is checked (a wrong\n"
            "         PIN counts; the third blocks the key: 402); without, it is taken as right\n"
            "cancel   the user cancels: the request ends with 401 USER_CANCEL\n"
            "url      the user's phone page address with its secret token (whoever has it\n"
            "         can answer that user's requests)\n"
            "\n"
            "Each phone has at most one pending request; --trans-id names it explicitly.\n"
            "Exit status: 0 done, 1 nothing pending or an error, 3 wrong PIN.\n");
}

/* DataToBeDisplayed on one line, at most 110 characters shown. */
static void print_text(const char *text)
{
    if (text == NULL) {
        printf("-");
        return;
    }
    size_t shown = 0;
    for (const char *p = text; *p != '\0' && shown < 110; p++, shown++)
        putchar((unsigned char)*p < 0x20 ? ' ' : *p);
}

static int phone_list(rm_store *store, const char *msisdn)
{
    char **ids = NULL;
    size_t n = 0;
    flow_settle_all(store);
    if (store_tx_pending_ids(store, msisdn, &ids, &n) != 0) {
        fprintf(stderr, "refmssp: cannot read the transactions\n");
        return 1;
    }
    printf("%-16s %-26s %-10s %-6s %s\n", "MSISDN", "MSSP_TRANSID", "EVENT_ID", "LEFT_S",
           "TEXT");
    long long now = flow_now_ms();
    for (size_t i = 0; i < n; i++) {
        store_tx tx;
        if (store_tx_find(store, ids[i], &tx) != 1)
            continue;
        long long left = (tx.deadline_ms - now) / 1000;
        printf("%-16s %-26s %-10s %-6lld ", tx.msisdn, tx.mssp_trans_id,
               tx.event_id ? tx.event_id : "-", left > 0 ? left : 0);
        print_text(tx.dtbd);
        putchar('\n');
        store_tx_clear(&tx);
    }
    store_ids_free(ids, n);
    return 0;
}

static int phone_answer(int argc, char **argv, int approve)
{
    static const struct option opts[] = {
        {"pin", required_argument, NULL, 'p'},
        {"trans-id", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pin = NULL, *trans_id = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (!approve) {
                fprintf(stderr, "refmssp phone cancel: --pin is only for approve\n");
                return 2;
            }
            pin = optarg;
            break;
        case 't': trans_id = optarg; break;
        case 'h': usage_phone(stdout); return 0;
        default: usage_phone(stderr); return 2;
        }
    }
    if (optind + 2 != argc) {
        fprintf(stderr, "refmssp phone: DIR and MSISDN are needed (see refmssp phone --help)\n");
        return 2;
    }
    const char *msisdn = argv[optind + 1];
    if (!rm_msisdn_valid(msisdn)) {
        fprintf(stderr, "refmssp phone: MSISDN must be '+' and 3 to 15 digits\n");
        return 2;
    }
    if (pin != NULL && !flow_pin_valid(pin)) {
        fprintf(stderr, "refmssp phone: a PIN is 4 to 8 digits\n");
        return 2;
    }
    rm_store *store = NULL;
    if (rm_open_dir_store(argv[optind], &store) != 0)
        return 1;
    /* A CMS signature carries the test CA too (as the server's do); without it, only
     * the signer's certificate. */
    char ca_path[PATH_MAX];
    char *ca_pem = NULL;
    if (srv_path_join(ca_path, sizeof ca_path, argv[optind], "ca.pem") == 0 &&
        srv_read_file(ca_path, 64 * 1024, &ca_pem, NULL) == 0)
        flow_set_cms_chain(ca_pem);
    int tries = 0;
    phone_result r = flow_phone_answer(store, msisdn, trans_id, approve, pin, &tries);
    store_close(store);
    flow_set_cms_chain(NULL);
    free(ca_pem);
    switch (r) {
    case PHONE_SIGNED:
        printf("refmssp: %s approved the request; signed\n", msisdn);
        return 0;
    case PHONE_CANCELED:
        printf("refmssp: %s cancelled the request (401)\n", msisdn);
        return 0;
    case PHONE_WRONG_PIN:
        printf("refmssp: wrong PIN; %d %s left\n", tries, tries == 1 ? "try" : "tries");
        return 3;
    case PHONE_PIN_BLOCKED:
        printf("refmssp: wrong PIN; the key is now blocked (402) until 'refmssp user unblock'\n");
        return 3;
    case PHONE_NOTHING:
        fprintf(stderr, "refmssp: no pending request for %s\n", msisdn);
        return 1;
    case PHONE_ERROR:
        break;
    }
    fprintf(stderr, "refmssp: cannot answer the request (database error)\n");
    return 1;
}

/* refmssp phone url DIR NAME|MSISDN */
static int phone_url(const char *dir, const char *who)
{
    rm_store *store = NULL;
    if (rm_open_dir_store(dir, &store) != 0)
        return 1;
    store_user user;
    int found = store_get_user(store, who, &user);
    store_close(store);
    if (found <= 0) {
        fprintf(stderr, found == 0 ? "refmssp: no user %s\n" : "refmssp: cannot read user %s\n",
                who);
        return 1;
    }
    char url[512], err[512] = "the user has no phone token";
    int rc = user.phone_token != NULL &&
                     rm_phone_url(dir, user.phone_token, url, sizeof url, err, sizeof err) == 0
                 ? 0 : 1;
    if (rc == 0)
        printf("%s\n", url);
    else
        fprintf(stderr, "refmssp: %s\n", err);
    OPENSSL_cleanse(url, sizeof url);
    store_user_clear(&user);
    return rc;
}

int rm_cmd_phone(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_phone(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "approve") == 0 || strcmp(sub, "cancel") == 0) {
        optind = 1;
        return phone_answer(argc - 1, argv + 1, strcmp(sub, "approve") == 0);
    }
    if (strcmp(sub, "url") == 0) {
        if (argc != 4) {
            fprintf(stderr, "refmssp phone url: expected DIR NAME|MSISDN\n");
            return 2;
        }
        return phone_url(argv[2], argv[3]);
    }
    if (strcmp(sub, "list") != 0) {
        fprintf(stderr, "refmssp phone: unknown command '%s' (see refmssp phone --help)\n", sub);
        return 2;
    }
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "refmssp phone list: expected DIR [MSISDN]\n");
        return 2;
    }
    rm_store *store = NULL;
    if (rm_open_dir_store(argv[2], &store) != 0)
        return 1;
    int rc = phone_list(store, argc == 4 ? argv[3] : NULL);
    store_close(store);
    return rc;
}
