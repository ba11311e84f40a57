/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mssp_load: load for refmssp's capacity benchmark, over HTTPS with the AP's client
 * certificate from refmssp's set-up folder DIR (ap.pem, ap.key, ca.pem, ap_pwd, and the
 * url and ap_id of DIR/mss-pkcs11.conf), as the module connects. Every connection is
 * kept alive for all its requests. Prints figures; the exit status says only whether
 * the run worked (every request answered as expected).
 *
 *   mssp_load create DIR N IDS_FILE [PID]
 *       N asynchClientServer MSS_Signature requests (TimeOut 600 s) for the phones
 *       +999600000001 … (tests/bench/seed_users makes them, policy manual: each request
 *       stays pending), over 8 connections; the MSSP_TransIDs go to IDS_FILE. With PID
 *       (refmssp's), its VmRSS before and after.
 *   mssp_load status DIR SECONDS IDS_FILE [CONNECTIONS]
 *       MSS_StatusQuery for the transactions of IDS_FILE (round robin) on CONNECTIONS
 *       (default 64) concurrent connections for SECONDS; count, rate, p50, p99, max.
 *
 * Requests go only to the url of DIR's configuration, which refmssp init puts on the
 * loopback address; the run is bounded by N or SECONDS.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define FIRST_MSISDN 999600000001ULL
#define CREATE_CONNECTIONS 8
#define MAX_CONNECTIONS 256
#define MAX_SECONDS 3600
#define MAX_CREATE 1000000
/* Base64 of a SHA-256 DigestInfo (the bytes a PKCS#1 v1.5 signature covers). */
#define DTBS_B64 "MDEwDQYJYIZIAWUDBAIBBQAEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f"
#define NS_ENV "http://www.w3.org/2003/05/soap-envelope"
#define NS_MSS "http://uri.etsi.org/TS102204/v1.1.2#"

typedef struct setup {
    char url[512];
    char ap_id[256];
    char ap_pwd[256];
    char cert[PATH_MAX], key[PATH_MAX], ca[PATH_MAX];
} setup;

/* ------------------------------------------------------------------ DIR */

static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* The value of "KEY = VALUE" in FILE's first section. 0 or -1. */
static int conf_value(const char *file, const char *key, char *out, size_t len)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return -1;
    char line[1024];
    size_t key_len = strlen(key);
    int rc = -1;
    while (rc != 0 && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, key_len) != 0 || strncmp(line + key_len, " = ", 3) != 0)
            continue;
        chomp(line);
        if (snprintf(out, len, "%s", line + key_len + 3) < (int)len)
            rc = 0;
    }
    fclose(f);
    return rc;
}

static int load_setup(const char *dir, setup *s)
{
    char conf[PATH_MAX], pwd_file[PATH_MAX];
    snprintf(conf, sizeof conf, "%s/mss-pkcs11.conf", dir);
    snprintf(pwd_file, sizeof pwd_file, "%s/ap_pwd", dir);
    snprintf(s->cert, sizeof s->cert, "%s/ap.pem", dir);
    snprintf(s->key, sizeof s->key, "%s/ap.key", dir);
    snprintf(s->ca, sizeof s->ca, "%s/ca.pem", dir);
    if (conf_value(conf, "url", s->url, sizeof s->url) != 0 ||
        conf_value(conf, "ap_id", s->ap_id, sizeof s->ap_id) != 0) {
        fprintf(stderr, "mssp_load: %s: no url or ap_id (a folder made by 'refmssp init'?)\n",
                conf);
        return -1;
    }
    FILE *f = fopen(pwd_file, "r");
    if (f == NULL || fgets(s->ap_pwd, sizeof s->ap_pwd, f) == NULL) {
        fprintf(stderr, "mssp_load: cannot read %s\n", pwd_file);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    fclose(f);
    chomp(s->ap_pwd);
    return 0;
}

/* refmssp's resident memory in kB (VmRSS of /proc/PID/status), -1 when unknown. */
static long vm_rss_kb(long pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return kb;
}

/* ------------------------------------------------------------------ HTTP */

typedef struct body {
    char data[16384];
    size_t len;
} body;

static size_t on_data(char *ptr, size_t size, size_t n, void *user)
{
    body *b = user;
    size_t bytes = size * n;
    size_t room = sizeof b->data - 1 - b->len;
    size_t take = bytes < room ? bytes : room;
    memcpy(b->data + b->len, ptr, take);
    b->len += take;
    b->data[b->len] = '\0';
    return bytes;
}

typedef struct client {
    CURL *curl;
    struct curl_slist *headers;
    body resp;
} client;

static int client_open(client *c, const setup *s)
{
    memset(c, 0, sizeof *c);
    c->curl = curl_easy_init();
    c->headers = curl_slist_append(NULL, "Content-Type: application/soap+xml; charset=utf-8");
    if (c->curl == NULL || c->headers == NULL)
        return -1;
    curl_easy_setopt(c->curl, CURLOPT_URL, s->url);
    curl_easy_setopt(c->curl, CURLOPT_SSLCERT, s->cert);
    curl_easy_setopt(c->curl, CURLOPT_SSLKEY, s->key);
    curl_easy_setopt(c->curl, CURLOPT_CAINFO, s->ca);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &c->resp);
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    return 0;
}

static void client_close(client *c)
{
    curl_slist_free_all(c->headers);
    curl_easy_cleanup(c->curl);
}

/* POST XML; 0 when HTTP 200 came back (the body in c->resp). */
static int client_post(client *c, const char *xml)
{
    c->resp.len = 0;
    c->resp.data[0] = '\0';
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, xml);
    long http = 0;
    if (curl_easy_perform(c->curl) != CURLE_OK)
        return -1;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &http);
    return http == 200 ? 0 : -1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void instant(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The value of attribute NAME="…" in TEXT into OUT. 0 or -1. */
static int attribute(const char *text, const char *name, char *out, size_t len)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "%s=\"", name);
    const char *p = strstr(text, pattern);
    if (p == NULL)
        return -1;
    p += strlen(pattern);
    const char *end = strchr(p, '"');
    if (end == NULL || (size_t)(end - p) >= len)
        return -1;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return 0;
}

/* ------------------------------------------------------------------ create */

typedef struct create_job {
    const setup *s;
    unsigned long n;
    atomic_ulong next;
    atomic_ulong errors;
    char (*ids)[40];
} create_job;

static void *create_worker(void *arg)
{
    create_job *job = arg;
    client c;
    if (client_open(&c, job->s) != 0) {
        atomic_fetch_add(&job->errors, 1);
        return NULL;
    }
    char xml[4096], when[32];
    for (unsigned long i; (i = atomic_fetch_add(&job->next, 1)) < job->n;) {
        instant(when, sizeof when);
        snprintf(xml, sizeof xml,
                 "<env:Envelope xmlns:env=\"" NS_ENV "\" xmlns:mss=\"" NS_MSS "\"><env:Body>"
                 "<MSS_Signature><mss:MSS_SignatureReq MajorVersion=\"1\" MinorVersion=\"1\""
                 " MessagingMode=\"asynchClientServer\" TimeOut=\"600\">"
                 "<mss:AP_Info AP_ID=\"%s\" AP_TransID=\"L%lu\" AP_PWD=\"%s\" Instant=\"%s\"/>"
                 "<mss:MSSP_Info><mss:MSSP_ID/></mss:MSSP_Info>"
                 "<mss:MobileUser><mss:MSISDN>+%llu</mss:MSISDN></mss:MobileUser>"
                 "<mss:DataToBeSigned MimeType=\"application/octet-stream\" Encoding=\"base64\">"
                 DTBS_B64 "</mss:DataToBeSigned></mss:MSS_SignatureReq></MSS_Signature>"
                 "</env:Body></env:Envelope>",
                 job->s->ap_id, i, job->s->ap_pwd, when, FIRST_MSISDN + i);
        char code[8] = "";
        if (client_post(&c, xml) != 0 ||
            attribute(c.resp.data, "MSSP_TransID", job->ids[i], sizeof job->ids[i]) != 0 ||
            attribute(c.resp.data, "Value", code, sizeof code) != 0 || strcmp(code, "100") != 0) {
            if (atomic_fetch_add(&job->errors, 1) == 0)
                fprintf(stderr, "mssp_load: request %lu: %.300s\n", i, c.resp.data);
            job->ids[i][0] = '\0';
        }
    }
    client_close(&c);
    return NULL;
}

static int run_create(const setup *s, unsigned long n, const char *ids_file, long pid)
{
    create_job job = {.s = s, .n = n};
    job.ids = calloc(n, sizeof *job.ids);
    if (job.ids == NULL)
        return 1;
    long rss_before = pid > 0 ? vm_rss_kb(pid) : -1;
    pthread_t threads[CREATE_CONNECTIONS];
    double start = now_ms();
    for (int i = 0; i < CREATE_CONNECTIONS; i++)
        pthread_create(&threads[i], NULL, create_worker, &job);
    for (int i = 0; i < CREATE_CONNECTIONS; i++)
        pthread_join(threads[i], NULL);
    double elapsed = now_ms() - start;
    unsigned long errors = atomic_load(&job.errors);
    FILE *f = fopen(ids_file, "w");
    for (unsigned long i = 0; f != NULL && i < n; i++)
        if (job.ids[i][0] != '\0')
            fprintf(f, "%s\n", job.ids[i]);
    if (f == NULL || fclose(f) != 0) {
        fprintf(stderr, "mssp_load: cannot write %s\n", ids_file);
        errors++;
    }
    free(job.ids);
    printf("pending: %lu asynchClientServer requests in %.1f s (%.0f/s) over %d connections,"
           " %lu failed\n", n, elapsed / 1000.0, n / (elapsed / 1000.0), CREATE_CONNECTIONS,
           errors);
    if (pid > 0) {
        long rss_after = vm_rss_kb(pid);
        printf("refmssp VmRSS: %.1f MB with %lu pending (%.1f MB before)\n", rss_after / 1024.0,
               n - errors, rss_before / 1024.0);
    }
    return errors == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ status */

typedef struct status_job {
    const setup *s;
    char (*ids)[40];
    size_t n_ids;
    double until_ms;
    atomic_ulong next;
    atomic_ulong errors;
} status_job;

typedef struct status_worker {
    status_job *job;
    double *latencies;      /* ms */
    size_t count, cap;
} status_worker;

static void *status_main(void *arg)
{
    status_worker *w = arg;
    status_job *job = w->job;
    client c;
    if (client_open(&c, job->s) != 0) {
        atomic_fetch_add(&job->errors, 1);
        return NULL;
    }
    char xml[2048], when[32];
    while (now_ms() < job->until_ms) {
        unsigned long i = atomic_fetch_add(&job->next, 1);
        instant(when, sizeof when);
        snprintf(xml, sizeof xml,
                 "<env:Envelope xmlns:env=\"" NS_ENV "\" xmlns:mss=\"" NS_MSS "\"><env:Body>"
                 "<MSS_StatusQuery><mss:MSS_StatusReq MajorVersion=\"1\" MinorVersion=\"1\""
                 " MSSP_TransID=\"%s\"><mss:AP_Info AP_ID=\"%s\" AP_TransID=\"Q%lu\""
                 " AP_PWD=\"%s\" Instant=\"%s\"/><mss:MSSP_Info><mss:MSSP_ID/></mss:MSSP_Info>"
                 "</mss:MSS_StatusReq></MSS_StatusQuery></env:Body></env:Envelope>",
                 job->ids[i % job->n_ids], job->s->ap_id, i, job->s->ap_pwd, when);
        double t0 = now_ms();
        int rc = client_post(&c, xml);
        double took = now_ms() - t0;
        char code[8] = "";
        if (rc != 0 || attribute(c.resp.data, "Value", code, sizeof code) != 0 ||
            strcmp(code, "504") != 0) {
            if (atomic_fetch_add(&job->errors, 1) == 0)
                fprintf(stderr, "mssp_load: status query: %.300s\n", c.resp.data);
            continue;
        }
        if (w->count == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 1024;
            double *grown = realloc(w->latencies, cap * sizeof *grown);
            if (grown == NULL)
                break;
            w->latencies = grown;
            w->cap = cap;
        }
        w->latencies[w->count++] = took;
    }
    client_close(&c);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int read_ids(const char *file, char (**ids)[40], size_t *n)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return -1;
    char line[64];
    size_t cap = 0;
    *ids = NULL;
    *n = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        chomp(line);
        size_t len = strlen(line);
        if (len == 0 || len >= 40)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 1024;
            char (*grown)[40] = realloc(*ids, cap * sizeof **ids);
            if (grown == NULL)
                break;
            *ids = grown;
        }
        memcpy((*ids)[(*n)++], line, len + 1);
    }
    fclose(f);
    return *n > 0 ? 0 : -1;
}

static int run_status(const setup *s, unsigned seconds, const char *ids_file,
                      unsigned connections)
{
    status_job job = {.s = s};
    if (read_ids(ids_file, &job.ids, &job.n_ids) != 0) {
        fprintf(stderr, "mssp_load: no MSSP_TransIDs in %s (run 'mssp_load create' first)\n",
                ids_file);
        return 1;
    }
    status_worker *workers = calloc(connections, sizeof *workers);
    pthread_t *threads = calloc(connections, sizeof *threads);
    if (workers == NULL || threads == NULL)
        return 1;
    double start = now_ms();
    job.until_ms = start + seconds * 1000.0;
    for (unsigned i = 0; i < connections; i++) {
        workers[i].job = &job;
        pthread_create(&threads[i], NULL, status_main, &workers[i]);
    }
    size_t total = 0;
    for (unsigned i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        total += workers[i].count;
    }
    double elapsed = now_ms() - start;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (unsigned i = 0; all != NULL && i < connections; i++) {
        memcpy(all + k, workers[i].latencies, workers[i].count * sizeof *all);
        k += workers[i].count;
        free(workers[i].latencies);
    }
    unsigned long errors = atomic_load(&job.errors);
    if (all != NULL && total > 0) {
        qsort(all, total, sizeof *all, cmp_double);
        printf("status queries: %zu in %.1f s (%.0f/s) on %u keep-alive connections over %zu"
               " pending transactions, %lu failed; latency p50 %.2f ms, p99 %.2f ms,"
               " max %.2f ms\n", total, elapsed / 1000.0, total / (elapsed / 1000.0),
               connections, job.n_ids, errors, all[total / 2], all[(total * 99) / 100],
               all[total - 1]);
    } else {
        printf("status queries: none answered, %lu failed\n", errors);
    }
    free(all);
    free(workers);
    free(threads);
    free(job.ids);
    return errors == 0 && total > 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ main */

static int usage(void)
{
    fprintf(stderr, "usage: mssp_load create DIR N IDS_FILE [REFMSSP_PID]\n"
                    "       mssp_load status DIR SECONDS IDS_FILE [CONNECTIONS]\n");
    return 2;
}

/* A decimal in 1..MAX, else 0. */
static unsigned long number(const char *text, unsigned long max)
{
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    return end != text && *end == '\0' && v >= 1 && v <= max ? v : 0;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6)
        return usage();
    setup s;
    memset(&s, 0, sizeof s);
    if (load_setup(argv[2], &s) != 0)
        return 1;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 1;
    int rc;
    if (strcmp(argv[1], "create") == 0) {
        unsigned long n = number(argv[3], MAX_CREATE);
        long pid = argc == 6 ? (long)number(argv[5], LONG_MAX) : 0;
        rc = n == 0 || (argc == 6 && pid == 0) ? usage() : run_create(&s, n, argv[4], pid);
    } else if (strcmp(argv[1], "status") == 0) {
        unsigned long seconds = number(argv[3], MAX_SECONDS);
        unsigned long conns = argc == 6 ? number(argv[5], MAX_CONNECTIONS) : 64;
        rc = seconds == 0 || conns == 0 ? usage()
                                        : run_status(&s, (unsigned)seconds, argv[4],
                                                     (unsigned)conns);
    } else {
        rc = usage();
    }
    curl_global_cleanup();
    return rc;
}
