/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * p11_sign_bench: the same PKCS#11 loop against any module (mss-pkcs11, SoftHSM), so that
 * their figures compare. Prints figures; asserts nothing (a benchmark, not a test).
 * tests/bench/run-bench.sh (make bench) drives it.
 *
 *   p11_sign_bench MODULE KEY_LABEL COUNT
 *       COUNT x CKM_SHA256_RSA_PKCS with the private key KEY_LABEL of the first slot,
 *       in words (the first form; scripts call it).
 *   p11_sign_bench sign MODULE --key LABEL [OPTIONS]
 *       the signing loop; one line "result key=value ...".
 *   p11_sign_bench startup MODULE [--runs N]
 *       dlopen .. C_Initialize + C_GetSlotList .. C_Finalize, each run in a new process.
 *   p11_sign_bench footprint MODULE --key LABEL --counts N1,N2 [OPTIONS]
 *       VmRSS before dlopen, after C_Initialize + C_GetSlotList, after N1 and N2 signatures.
 *
 * Options of sign and footprint: --mech rsa|ecdsa (default rsa), --token LABEL or
 * --tokens PREFIX (default: every token), --pin PIN (C_Login; none by default),
 * --threads N (sign: thread i signs on the i-th token, modulo their number), --count N
 * (signatures per thread), --rotate (one thread over the tokens in turn), --times FILE
 * (sign: per signature "token<TAB>returned_epoch_ms<TAB>duration_ms").
 *
 * MSS_PKCS11_CONF names mss-pkcs11's configuration, SOFTHSM2_CONF SoftHSM's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "bench_module.h"
#include "bench_sign.h"
#include "bench_startup.h"
#include "bench_stats.h"

#define MAX_SLOTS 256
#define MAX_COUNT 1000000L

static void usage(void)
{
    fprintf(stderr,
            "usage: p11_sign_bench MODULE KEY_LABEL COUNT\n"
            "       p11_sign_bench sign MODULE --key LABEL [--mech rsa|ecdsa] [--token LABEL|--tokens PREFIX]\n"
            "                      [--pin PIN] [--threads N] [--count N] [--rotate] [--times FILE]\n"
            "       p11_sign_bench startup MODULE [--runs N]\n"
            "       p11_sign_bench footprint MODULE --key LABEL --counts N1,N2 [--mech ...] [--token ...] [--pin PIN]\n");
}

/* A whole decimal number in [min, max], or -1 after a message naming what. */
static long parse_count(const char *text, long min, long max, const char *what)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "p11_sign_bench: %s must be a number from %ld to %ld, not '%s'\n", what,
                min, max, text);
        return -1;
    }
    return v;
}

/* The options of every command, each used by some. */
typedef struct options {
    const char *module, *key, *token, *pin, *times;
    bench_match match;
    bench_mech mech;
    long threads, count, runs, counts[2];
    int rotate;
} options;

static int parse_counts(const char *text, long counts[2])
{
    char first[32];
    const char *comma = strchr(text, ',');
    if (comma == NULL || (size_t)(comma - text) >= sizeof first) {
        fprintf(stderr, "p11_sign_bench: --counts takes N1,N2, not '%s'\n", text);
        return -1;
    }
    memcpy(first, text, (size_t)(comma - text));
    first[comma - text] = '\0';
    counts[0] = parse_count(first, 0, MAX_COUNT, "--counts N1");
    counts[1] = parse_count(comma + 1, 0, MAX_COUNT, "--counts N2");
    if (counts[0] < 0 || counts[1] < 0)
        return -1;
    if (counts[1] < counts[0]) {
        fprintf(stderr, "p11_sign_bench: --counts N1,N2 needs N1 <= N2\n");
        return -1;
    }
    return 0;
}

/* argv[0] is the command, argv[1] the module. */
static int parse_options(int argc, char **argv, options *o)
{
    static const struct option long_opts[] = {
        { "key", required_argument, NULL, 'k' },    { "mech", required_argument, NULL, 'm' },
        { "token", required_argument, NULL, 't' },  { "tokens", required_argument, NULL, 'T' },
        { "pin", required_argument, NULL, 'p' },    { "threads", required_argument, NULL, 'n' },
        { "count", required_argument, NULL, 'c' },  { "runs", required_argument, NULL, 'r' },
        { "counts", required_argument, NULL, 'C' }, { "rotate", no_argument, NULL, 'R' },
        { "times", required_argument, NULL, 'o' },  { NULL, 0, NULL, 0 },
    };
    *o = (options){ .match = BENCH_MATCH_ANY, .mech = BENCH_MECH_SHA256_RSA_PKCS, .threads = 1,
                    .count = 100, .runs = 50 };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        switch (c) {
        case 'k': o->key = optarg; break;
        case 'm':
            if (bench_mech_parse(optarg, &o->mech) != 0) {
                fprintf(stderr, "p11_sign_bench: --mech is rsa or ecdsa, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 't': o->token = optarg; o->match = BENCH_MATCH_EXACT; break;
        case 'T': o->token = optarg; o->match = BENCH_MATCH_PREFIX; break;
        case 'p': o->pin = optarg; break;
        case 'n':
            if ((o->threads = parse_count(optarg, 1, MAX_SLOTS, "--threads")) < 0)
                return -1;
            break;
        case 'c':
            if ((o->count = parse_count(optarg, 1, MAX_COUNT, "--count")) < 0)
                return -1;
            break;
        case 'r':
            if ((o->runs = parse_count(optarg, 1, 100000, "--runs")) < 0)
                return -1;
            break;
        case 'C':
            if (parse_counts(optarg, o->counts) != 0)
                return -1;
            break;
        case 'R': o->rotate = 1; break;
        case 'o': o->times = optarg; break;
        default: usage(); return -1;
        }
    }
    if (optind != argc - 1) {
        usage();
        return -1;
    }
    o->module = argv[optind];
    return 0;
}

/* Load and initialise the module and find the tokens the options name. */
static int open_module(const options *o, bench_module *m, CK_SLOT_ID *slots, size_t *n_slots)
{
    if (bench_module_load(o->module, m) != 0)
        return -1;
    if (bench_module_init(m) != 0) {
        m->f = NULL; /* no C_Finalize for a module that did not initialise */
        bench_module_close(m);
        return -1;
    }
    if (bench_find_slots(m, o->match, o->token, slots, MAX_SLOTS, n_slots) != 0) {
        bench_module_close(m);
        return -1;
    }
    return 0;
}

static bench_sign_plan plan_of(const options *o, bench_module *m, const CK_SLOT_ID *slots,
                               size_t n_slots, long count)
{
    return (bench_sign_plan){ .module = m, .slots = slots, .n_slots = n_slots, .pin = o->pin,
                              .key_label = o->key, .mech = o->mech, .threads = (int)o->threads,
                              .count = count, .rotate = o->rotate };
}

static int write_times(const char *path, bench_module *m, const CK_SLOT_ID *slots,
                       const bench_sign_result *r, size_t n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char label[33];
        bench_token_label(m, slots[r->slot_index[i]], label, sizeof label);
        fprintf(f, "%s\t%.3f\t%.3f\n", label, r->returned_wall[i], r->duration_ms[i]);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int cmd_sign(const options *o)
{
    if (o->key == NULL) {
        fprintf(stderr, "p11_sign_bench: sign needs --key LABEL\n");
        return 2;
    }
    bench_module m;
    CK_SLOT_ID slots[MAX_SLOTS];
    size_t n_slots = 0;
    if (open_module(o, &m, slots, &n_slots) != 0)
        return 1;
    bench_sign_plan plan = plan_of(o, &m, slots, n_slots, o->count);
    size_t n = (size_t)(o->rotate ? 1 : o->threads) * (size_t)o->count;
    bench_sign_result r = { 0 };
    r.duration_ms = calloc(n, sizeof *r.duration_ms);
    r.returned_wall = calloc(n, sizeof *r.returned_wall);
    r.slot_index = calloc(n, sizeof *r.slot_index);
    int rc = 1;
    if (r.duration_ms == NULL || r.returned_wall == NULL || r.slot_index == NULL)
        fprintf(stderr, "p11_sign_bench: out of memory\n");
    else if (bench_sign_run(&plan, &r) == 0 &&
             (o->times == NULL || write_times(o->times, &m, slots, &r, n) == 0))
        rc = 0;
    if (rc == 0) {
        bench_summary s = bench_summarise(r.duration_ms, n);
        printf("result mech=%s threads=%ld tokens=%zu signatures=%zu seconds=%.3f rate=%.1f "
               "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
               o->mech == BENCH_MECH_SHA256_RSA_PKCS ? "rsa" : "ecdsa",
               o->rotate ? 1 : o->threads, n_slots, n, r.elapsed_ms / 1000.0,
               (double)n / (r.elapsed_ms / 1000.0), s.p50, s.p99, s.max);
    }
    free(r.duration_ms);
    free(r.returned_wall);
    free(r.slot_index);
    bench_module_close(&m);
    return rc;
}

static int cmd_startup(const options *o)
{
    bench_startup_result r;
    if (bench_startup(o->module, (int)o->runs, &r) != 0)
        return 1;
    printf("result runs=%ld slots=%lu median_ms=%.3f median_init_ms=%.3f max_ms=%.3f\n", o->runs,
           r.slots, r.median_total_ms, r.median_init_ms, r.max_total_ms);
    return 0;
}

static int cmd_footprint(const options *o)
{
    if (o->key == NULL || o->counts[1] == 0) {
        fprintf(stderr, "p11_sign_bench: footprint needs --key LABEL and --counts N1,N2\n");
        return 2;
    }
    long host = bench_rss_kib();
    bench_module m;
    CK_SLOT_ID slots[MAX_SLOTS];
    size_t n_slots = 0;
    if (open_module(o, &m, slots, &n_slots) != 0)
        return 1;
    long ready = bench_rss_kib();
    long after[2];
    long done = 0;
    for (int i = 0; i < 2; i++) {
        /* no per-signature records: they would count as the module's memory */
        bench_sign_result r = { 0 };
        bench_sign_plan plan = plan_of(o, &m, slots, n_slots, o->counts[i] - done);
        if (plan.count > 0 && bench_sign_run(&plan, &r) != 0) {
            bench_module_close(&m);
            return 1;
        }
        done = o->counts[i];
        after[i] = bench_rss_kib();
    }
    printf("result rss_host_kib=%ld rss_ready_kib=%ld first=%ld rss_first_kib=%ld second=%ld "
           "rss_second_kib=%ld\n",
           host, ready, o->counts[0], after[0], o->counts[1], after[1]);
    bench_module_close(&m);
    return 0;
}

/* The first form, kept as it was for the scripts that call it. */
static int cmd_classic(char **argv)
{
    long count = parse_count(argv[3], 1, 100000, "COUNT");
    if (count < 0)
        return 2;
    bench_module m;
    if (bench_module_load(argv[1], &m) != 0)
        return 1;
    double t0 = bench_now_ms();
    if (bench_module_init(&m) != 0)
        return 1;
    double init_ms = bench_now_ms() - t0;
    CK_SLOT_ID slot;
    size_t n_slots = 0;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE key;
    if (bench_find_slots(&m, BENCH_MATCH_ANY, NULL, &slot, 1, &n_slots) != 0 ||
        bench_open_signer(&m, slot, NULL, argv[2], &s, &key) != 0) {
        bench_module_close(&m);
        return 1;
    }
    /* C_FindObjects: what a host pays to find the key again */
    CK_OBJECT_CLASS klass = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE tmpl[] = { { CKA_CLASS, &klass, sizeof klass },
                            { CKA_LABEL, argv[2], strlen(argv[2]) } };
    int lookups = 1000;
    t0 = bench_now_ms();
    for (int i = 0; i < lookups; i++) {
        CK_OBJECT_HANDLE found;
        CK_ULONG n = 0;
        m.f->C_FindObjectsInit(s, tmpl, 2);
        m.f->C_FindObjects(s, &found, 1, &n);
        m.f->C_FindObjectsFinal(s);
    }
    double find_us = (bench_now_ms() - t0) * 1000.0 / lookups;
    m.f->C_CloseSession(s);

    options o = { .key = argv[2], .mech = BENCH_MECH_SHA256_RSA_PKCS, .threads = 1 };
    bench_sign_plan plan = plan_of(&o, &m, &slot, 1, count);
    bench_sign_result r = { 0 };
    r.duration_ms = calloc((size_t)count, sizeof *r.duration_ms);
    if (r.duration_ms == NULL || bench_sign_run(&plan, &r) != 0) {
        free(r.duration_ms);
        bench_module_close(&m);
        return 1;
    }
    bench_summary sum = bench_summarise(r.duration_ms, (size_t)count);
    double p95 = r.duration_ms[(size_t)(0.95 * (double)(count - 1) + 0.5)];
    printf("C_Initialize: %.2f ms; C_FindObjects (init+find+final): %.1f us\n", init_ms, find_us);
    printf("C_Sign (CKM_SHA256_RSA_PKCS, %s): %ld signatures in %.0f ms: %.1f/s; "
           "per signature p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
           argv[2], count, r.elapsed_ms, (double)count / (r.elapsed_ms / 1000.0), sum.p50, p95,
           sum.max);
    free(r.duration_ms);
    bench_module_close(&m);
    return 0;
}

int main(int argc, char **argv)
{
    /* The host has libcrypto loaded and working before it loads a module, as a browser
     * or ssh does; what loading the module adds is then the module's own. */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    if (OPENSSL_init_crypto(0, NULL) != 1 || EVP_Digest("", 0, md, &md_len, EVP_sha256(), NULL) != 1) {
        fprintf(stderr, "p11_sign_bench: OpenSSL does not start\n");
        return 1;
    }
    if (argc < 2) {
        usage();
        return 2;
    }
    int (*command)(const options *) = NULL;
    if (strcmp(argv[1], "sign") == 0)
        command = cmd_sign;
    else if (strcmp(argv[1], "startup") == 0)
        command = cmd_startup;
    else if (strcmp(argv[1], "footprint") == 0)
        command = cmd_footprint;
    else if (argc == 4)
        return cmd_classic(argv);
    if (command == NULL) {
        usage();
        return 2;
    }
    options o;
    if (parse_options(argc - 1, argv + 1, &o) != 0)
        return 2;
    return command(&o);
}
