/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libmssclient's transport against a real refmssp on loopback (the unit tests use an
 * in-process stand-in, which shares the client's assumptions; this one does not):
 *
 *   - a CA that did not issue refmssp's certificate: MSS_ERR_TLS, and no request
 *     reaches refmssp (its access log gains no line);
 *   - a client certificate of another PKI, or none: refmssp's fault 104;
 *   - the MSSP's TimeOut: the 208 fault arrives after TimeOut and before our own
 *     deadline, in asynchClientServer and in synch mode;
 *   - a cancel while polling and while a synch request is held: MSS_ERR_CANCELED,
 *     and how long after the flag turned true (printed; asserted only to be the
 *     cancel's doing, not the deadline's);
 *   - keep-alive: one client doing 5 signatures (10 HTTP requests) uses exactly one
 *     TCP connection, counted twice (connect() calls, and /proc/net/tcp samples); a
 *     fresh client per signature uses 5 (the control that shows both counts can tell
 *     the difference);
 *   - mss_client_call through a list whose first URL refuses: refmssp sees the
 *     forwarding client's AP_ID, not the one in the forwarded message;
 *   - our own deadline (TimeOut + 10 s) when the MSSP stops answering (SIGSTOP).
 *
 * Run by tests/integration/test_client_transport.sh, which starts refmssp and sets
 * REFMSSP_DIR (its state: certificates, ap_pwd, mss-pkcs11.conf), REFMSSP_LOG,
 * REFMSSP_PID, MSS_URL, FOREIGN_DIR (a second, unrelated test PKI) and the MSISDNs of
 * the manual-policy users.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mss/mss.h>

#define DEMO_MSISDN "+99900000001"
#define MAX_CONNS 512

static struct {
    char dir[512], foreign[512];
    char url[256], ap_id[256], ap_pwd[128];
    char ca[600], cert[600], key[600];
    char foreign_ca[600], foreign_cert[600], foreign_key[600];
    const char *log_path;
    unsigned port;
    pid_t refmssp_pid;
} env;

/* ------------------------------------------------------------ counting connect() */

/*
 * Every connect() libcurl makes goes through here (the executable's definition wins
 * over libc's for the shared libcurl), so connections to refmssp's port are counted
 * exactly, independently of what /proc/net/tcp still shows afterwards.
 */
static atomic_uint connects_to_mssp;

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
    static connect_fn real_connect;
    if (real_connect == NULL)
        real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
    if (addr != NULL && env.port != 0) {
        unsigned port = 0;
        if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
            port = ntohs(((const struct sockaddr_in *)(const void *)addr)->sin_port);
        else if (addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
            port = ntohs(((const struct sockaddr_in6 *)(const void *)addr)->sin6_port);
        if (port == env.port)
            atomic_fetch_add(&connects_to_mssp, 1);
    }
    return real_connect(fd, addr, len);
}

/* ------------------------------------------------------------ helpers */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* The value of "key = value" in a key = value file (first match), or "" . */
static void read_setting(const char *path, const char *key, char *out, size_t out_len)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t klen = strlen(key);

    assert_non_null(f);
    out[0] = '\0';
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, klen) == 0 && strncmp(line + klen, " = ", 3) == 0) {
            const char *value = line + klen + 3;
            size_t n = strcspn(value, "\r\n");
            assert_true(n < out_len);
            memcpy(out, value, n);
            out[n] = '\0';
            break;
        }
    }
    fclose(f);
}

static void read_first_line(const char *path, char *out, size_t out_len)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(out, (int)out_len, f));
    out[strcspn(out, "\r\n")] = '\0';
    fclose(f);
}

/* refmssp's access lines so far (one per answered request: "... http=NNN ..."). */
static unsigned access_lines(void)
{
    FILE *f = fopen(env.log_path, "r");
    char line[2048];
    unsigned n = 0;

    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL)
        if (strstr(line, " http=") != NULL)
            n++;
    fclose(f);
    return n;
}

/* The last access line, for a look at what refmssp answered. */
static void last_access_line(char *out, size_t out_len)
{
    FILE *f = fopen(env.log_path, "r");
    char line[2048];

    assert_non_null(f);
    out[0] = '\0';
    while (fgets(line, sizeof line, f) != NULL)
        if (strstr(line, " http=") != NULL)
            snprintf(out, out_len, "%s", line);
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
}

/* Options for the real AP (refmssp's CA and AP certificate); tests change parts. */
static mss_client_options base_options(void)
{
    mss_client_options o;
    memset(&o, 0, sizeof o);
    o.url = env.url;
    o.ca_file = env.ca;
    o.client_cert = env.cert;
    o.client_key = env.key;
    o.ap_id = env.ap_id;
    o.ap_pwd = env.ap_pwd;
    o.mode = MSS_MODE_ASYNCH_CLIENT_SERVER;
    o.timeout_s = 30;
    o.poll_first_ms = 50;
    o.poll_interval_ms = 50;
    o.connect_timeout_ms = 2000;
    o.status_timeout_ms = 5000;
    return o;
}

static mss_client *new_client(const mss_client_options *o)
{
    mss_detail detail;
    mss_client *c = NULL;
    assert_int_equal(mss_client_new(o, &c, &detail), MSS_OK);
    assert_non_null(c);
    return c;
}

/* A SHA-256 DigestInfo, what an RSA PKCS#1 v1.5 key signs. */
static const unsigned char *digest_info(size_t *len)
{
    static unsigned char di[51] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48,
                                   0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    for (size_t i = 19; i < sizeof di; i++)
        di[i] = (unsigned char)(i * 7);
    *len = sizeof di;
    return di;
}

static mss_sign_request sign_request(const char *msisdn)
{
    mss_sign_request r;
    memset(&r, 0, sizeof r);
    r.msisdn = msisdn;
    r.dtbs = digest_info(&r.dtbs_len);
    r.dtbd = "client transport test";
    return r;
}

static const char *need_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "client_transport_test: %s is not set (run test_client_transport.sh)\n",
                name);
        exit(1);
    }
    return v;
}

/* ------------------------------------------------------------ 1. TLS verification */

static void test_foreign_ca_is_refused_before_any_request(void **state)
{
    mss_detail detail;
    (void)state;
    mss_profile_resp resp;

    /* Control: the right CA gets an answer, and refmssp logs exactly one line for it. */
    mss_client_options o = base_options();
    mss_client *c = new_client(&o);
    unsigned before = access_lines();
    memset(&resp, 0, sizeof resp);
    assert_int_equal(mss_client_profile_query(c, DEMO_MSISDN, &resp, &detail), MSS_OK);
    assert_true(resp.n_profiles > 0);
    mss_profile_resp_clear(&resp);
    mss_client_free(c);
    assert_int_equal(access_lines(), before + 1);

    o.ca_file = env.foreign_ca;
    c = new_client(&o);
    before = access_lines();
    memset(&resp, 0, sizeof resp);
    assert_int_equal(mss_client_profile_query(c, DEMO_MSISDN, &resp, &detail), MSS_ERR_TLS);
    printf("# foreign CA: %s\n", detail.text);
    assert_non_null(strstr(detail.text, "certificate"));
    mss_client_free(c);
    /* A control request after it: refmssp writes a request's line before answering, so
     * once the control's answer is in, any line the refused client caused is there too. */
    o.ca_file = base_options().ca_file;
    c = new_client(&o);
    memset(&resp, 0, sizeof resp);
    assert_int_equal(mss_client_profile_query(c, DEMO_MSISDN, &resp, &detail), MSS_OK);
    mss_profile_resp_clear(&resp);
    mss_client_free(c);
    assert_int_equal(access_lines(), before + 1);
}

/* ------------------------------------------------------------ 2. client certificates */

/* refmssp requests a client certificate in the handshake but decides per request
 * (server.c): a foreign or missing one is fault 104 over HTTP 500, not a TLS alert. */
static void expect_fault_104(const mss_client_options *o, const char *what)
{
    mss_detail detail;
    mss_client *c = new_client(o);
    mss_profile_resp resp;
    char line[2048];
    unsigned before = access_lines();

    memset(&resp, 0, sizeof resp);
    assert_int_equal(mss_client_profile_query(c, DEMO_MSISDN, &resp, &detail), MSS_ERR_FAULT);
    assert_int_equal(detail.status, 104);
    printf("# %s: %s\n", what, detail.text);
    mss_client_free(c);
    assert_int_equal(access_lines(), before + 1);
    last_access_line(line, sizeof line);
    printf("#   refmssp logged: %s\n", line);
    assert_non_null(strstr(line, "status=104 http=500"));
}

static void test_foreign_client_certificate_gets_fault_104(void **state)
{
    (void)state;
    mss_client_options o = base_options();
    o.client_cert = env.foreign_cert;
    o.client_key = env.foreign_key;
    expect_fault_104(&o, "foreign AP certificate");
}

static void test_missing_client_certificate_gets_fault_104(void **state)
{
    (void)state;
    mss_client_options o = base_options();
    o.client_cert = NULL;
    o.client_key = NULL;
    expect_fault_104(&o, "no AP certificate");
}

/* ------------------------------------------------------------ 3. TimeOut → 208 */

static void expect_expiry(mss_messaging_mode mode)
{
    mss_detail detail;
    mss_client_options o = base_options();
    o.mode = mode;
    o.timeout_s = 2;
    o.poll_first_ms = 200;
    o.poll_interval_ms = 200;
    mss_client *c = new_client(&o);
    mss_sign_request req = sign_request(need_env("EXPIRING_MSISDN"));
    mss_sign_result res;

    uint64_t start = now_ms();
    mss_error rc = mss_client_sign(c, &req, &res, &detail);
    uint64_t took = now_ms() - start;
    printf("# %s, TimeOut 2 s: %s, status %d/%d after %llu ms\n", mss_mode_name(mode),
           mss_error_string(rc), detail.status, detail.subcode, (unsigned long long)took);
    /* refmssp ends the transaction with the fault 208/2082 (of the status query in
     * asynch mode, of the held MSS_Signature in synch mode). */
    assert_int_equal(rc, MSS_ERR_FAULT);
    assert_int_equal(detail.status, 208);
    assert_int_equal(detail.subcode, 2082);
    /* Never before TimeOut; and refmssp's 208, not our own deadline (TimeOut + 10 s,
     * which would be MSS_ERR_TIMEOUT), ended it. */
    assert_true(took >= 2000);
    assert_true(took < 12000);
    mss_sign_result_clear(&res);
    mss_client_free(c);
}

static void test_mssp_timeout_asynch_gives_208(void **state)
{
    (void)state;
    expect_expiry(MSS_MODE_ASYNCH_CLIENT_SERVER);
}

static void test_mssp_timeout_synch_gives_208(void **state)
{
    (void)state;
    expect_expiry(MSS_MODE_SYNCH);
}

/* ------------------------------------------------------------ 4. cancel */

typedef struct cancel_flag {
    atomic_int raised;
    atomic_uint_fast64_t raised_at_ms;
    int (*ready)(const struct cancel_flag *f); /* the state in which to cancel */
    const char *msisdn;
    unsigned lines_before;
} cancel_flag;

static int cancel_requested(void *ctx)
{
    cancel_flag *f = ctx;
    return atomic_load(&f->raised);
}

/* Another thread raises the flag once the request is where the test wants to cancel it,
 * as a UI's cancel button would. */
static void *raise_when_ready(void *arg)
{
    cancel_flag *f = arg;
    for (unsigned i = 0; i < 6000 && !f->ready(f); i++)
        sleep_ms(10); /* the bound guards a hang only */
    atomic_store(&f->raised_at_ms, now_ms());
    atomic_store(&f->raised, 1);
    return NULL;
}

/* asynchClientServer: polling, with a status query's answer in hand. refmssp logs a
 * request before it answers, so the line of the second status query (three lines with
 * the signature request's) is the first sign that the client has read the answer to the
 * first one. */
static int client_is_polling(const cancel_flag *f)
{
    return access_lines() - f->lines_before >= 3;
}

/* synch: refmssp holds the request (its phone shows it), nothing answered yet. */
static int mssp_holds_the_request(const cancel_flag *f)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' phone list '%s' '%s' 2>/dev/null | grep -q '^%s '",
             need_env("REFMSSP"), need_env("REFMSSP_DIR"), f->msisdn, f->msisdn);
    return system(cmd) == 0;
}

/* A cancelled request would otherwise end only at TimeOut (20 s) + our margin: returning
 * within 10 s of the flag is the cancel's doing, however loaded the machine. The time it
 * took is printed. */
#define ENDED_BY_THE_CANCEL_MS 10000u

static void expect_prompt_cancel(mss_messaging_mode mode, const char *msisdn)
{
    mss_detail detail;
    mss_client_options o = base_options();
    o.mode = mode;
    o.timeout_s = 20;
    o.poll_first_ms = 100;
    o.poll_interval_ms = 100;
    mss_client *c = new_client(&o);
    mss_sign_request req = sign_request(msisdn);
    cancel_flag flag = {
        .ready = mode == MSS_MODE_SYNCH ? mssp_holds_the_request : client_is_polling,
        .msisdn = msisdn,
        .lines_before = access_lines(),
    };
    mss_sign_result res;
    pthread_t th;

    req.cancel = cancel_requested;
    req.cancel_ctx = &flag;
    unsigned polls_before = flag.lines_before;
    assert_int_equal(pthread_create(&th, NULL, raise_when_ready, &flag), 0);
    mss_error rc = mss_client_sign(c, &req, &res, &detail);
    uint64_t returned = now_ms();
    pthread_join(th, NULL);
    uint64_t latency = returned - atomic_load(&flag.raised_at_ms);
    printf("# cancel in %s: %s %llu ms after the flag; status %d, MSSP_TransID %s, "
           "%u requests answered before\n",
           mss_mode_name(mode), mss_error_string(rc), (unsigned long long)latency,
           detail.status, res.mssp_trans_id ? res.mssp_trans_id : "(none)",
           access_lines() - polls_before);
    assert_int_equal(rc, MSS_ERR_CANCELED);
    assert_true(atomic_load(&flag.raised));
    assert_true(latency < ENDED_BY_THE_CANCEL_MS);
    if (mode == MSS_MODE_ASYNCH_CLIENT_SERVER) {
        /* It was polling: a transaction id, and 504 was the last status seen. */
        assert_non_null(res.mssp_trans_id);
        assert_int_equal(detail.status, 504);
        assert_true(access_lines() - polls_before >= 2);
    } else {
        /* Held by the MSSP: nothing answered yet. */
        assert_null(res.mssp_trans_id);
        assert_int_equal(access_lines(), polls_before);
    }
    mss_sign_result_clear(&res);
    mss_client_free(c);
}

static void test_cancel_while_polling(void **state)
{
    (void)state;
    expect_prompt_cancel(MSS_MODE_ASYNCH_CLIENT_SERVER, need_env("CANCEL_POLL_MSISDN"));
}

static void test_cancel_while_synch_request_is_held(void **state)
{
    (void)state;
    expect_prompt_cancel(MSS_MODE_SYNCH, need_env("CANCEL_SYNCH_MSISDN"));
}

/* ------------------------------------------------------------ 5. connection reuse */

/* One TCP socket to or from refmssp's port, as /proc/net/tcp{,6} shows it. */
typedef struct tcp_conn {
    unsigned client_port;   /* the ephemeral port: identifies the connection */
    int client_side;        /* 1: our end (remote port = refmssp's), 0: refmssp's end */
    unsigned state;         /* 01 ESTABLISHED, 06 TIME_WAIT, 08 CLOSE_WAIT, ... */
    unsigned long inode;    /* 0 for TIME_WAIT (no process owns it) */
} tcp_conn;

typedef struct conn_table {
    tcp_conn c[MAX_CONNS];
    size_t n;
} conn_table;

static void read_proc_net(const char *path, conn_table *t)
{
    FILE *f = fopen(path, "r");
    char line[512];

    if (f == NULL)
        return; /* no IPv6 */
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) != NULL) {
        char local[64], remote[64];
        unsigned state, uid;
        unsigned long inode;
        /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
        if (sscanf(line, " %*u: %63s %63s %x %*s %*s %*s %u %*u %lu", local, remote, &state,
                   &uid, &inode) != 5)
            continue;
        const char *lp = strrchr(local, ':'), *rp = strrchr(remote, ':');
        if (lp == NULL || rp == NULL)
            continue;
        unsigned lport = (unsigned)strtoul(lp + 1, NULL, 16);
        unsigned rport = (unsigned)strtoul(rp + 1, NULL, 16);
        if (state == 0x0A) /* LISTEN */
            continue;
        if ((rport == env.port || lport == env.port) && t->n < MAX_CONNS) {
            tcp_conn *c = &t->c[t->n++];
            c->client_side = rport == env.port;
            c->client_port = c->client_side ? lport : rport;
            c->state = state;
            c->inode = inode;
        }
    }
    fclose(f);
}

static void snapshot(conn_table *t)
{
    t->n = 0;
    read_proc_net("/proc/net/tcp", t);
    read_proc_net("/proc/net/tcp6", t);
}

static int has_port(const conn_table *t, unsigned port)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->c[i].client_port == port)
            return 1;
    return 0;
}

/* Is this socket inode one of this process's open file descriptors? */
static int inode_is_ours(unsigned long inode)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int ours = 0;
    char want[64], path[300], target[128];

    if (inode == 0 || d == NULL) {
        if (d != NULL)
            closedir(d);
        return 0;
    }
    snprintf(want, sizeof want, "socket:[%lu]", inode);
    while (!ours && (e = readdir(d)) != NULL) {
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            ours = strcmp(target, want) == 0;
        }
    }
    closedir(d);
    return ours;
}

/* Our (client) ends of connections to refmssp that are ESTABLISHED and owned by us. */
static unsigned ours_established(const conn_table *t)
{
    unsigned n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->c[i].client_side && t->c[i].state == 0x01 && inode_is_ours(t->c[i].inode))
            n++;
    return n;
}

/*
 * Closed connections cannot be counted afterwards: libcurl and refmssp end them in a
 * way that leaves no TIME_WAIT entry on either side (we looked: none). So a thread
 * samples /proc/net/tcp every 5 ms while the signatures run and collects the
 * ephemeral ports it sees; each connection lives at least poll_first_ms (200 ms here,
 * the wait between MSS_Signature and the first status query), many samples' worth.
 */
typedef struct port_sampler {
    conn_table baseline;          /* ports that existed before: not counted */
    unsigned ports[MAX_CONNS];    /* new client ports seen */
    size_t n_ports;
    unsigned samples;
    atomic_int stop;
    pthread_t thread;
} port_sampler;

static void *sample_ports(void *arg)
{
    port_sampler *s = arg;
    static conn_table now; /* only this thread uses it while sampling */

    while (!atomic_load(&s->stop)) {
        snapshot(&now);
        s->samples++;
        for (size_t i = 0; i < now.n; i++) {
            unsigned port = now.c[i].client_port;
            int known = has_port(&s->baseline, port);
            for (size_t j = 0; !known && j < s->n_ports; j++)
                known = s->ports[j] == port;
            if (!known && s->n_ports < MAX_CONNS)
                s->ports[s->n_ports++] = port;
        }
        sleep_ms(5);
    }
    return NULL;
}

static void sampler_start(port_sampler *s)
{
    memset(s, 0, sizeof *s);
    snapshot(&s->baseline);
    assert_int_equal(pthread_create(&s->thread, NULL, sample_ports, s), 0);
}

static void sampler_stop(port_sampler *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
}

static void sign_demo(mss_client *c)
{
    mss_detail detail;
    mss_sign_request req = sign_request(DEMO_MSISDN);
    mss_sign_result res;
    assert_int_equal(mss_client_sign(c, &req, &res, &detail), MSS_OK);
    assert_int_equal(detail.status, 500);
    assert_true(res.signature_len == 256);
    mss_sign_result_clear(&res);
}

static void test_one_client_keeps_one_connection(void **state)
{
    (void)state;
    static port_sampler sampler;
    static conn_table table;
    mss_client_options o = base_options();
    o.poll_first_ms = 200; /* keeps each connection open long enough to be sampled */

    /* One client, 5 signatures: MSS_Signature + at least one MSS_StatusQuery each. */
    unsigned lines = access_lines(), connects = atomic_load(&connects_to_mssp);
    sampler_start(&sampler);
    mss_client *c = new_client(&o);
    for (int i = 0; i < 5; i++)
        sign_demo(c);
    sampler_stop(&sampler);
    snapshot(&table); /* while the client (and its connection) is alive */
    unsigned alive = ours_established(&table);
    mss_client_free(c);
    snapshot(&table);
    unsigned after_free = ours_established(&table);
    unsigned requests = access_lines() - lines;
    unsigned connected = atomic_load(&connects_to_mssp) - connects;
    printf("# one client, 5 signatures: %u HTTP requests, %u connect() calls, %zu connections "
           "in %u samples of /proc/net/tcp; ours ESTABLISHED: %u before free, %u after\n",
           requests, connected, sampler.n_ports, sampler.samples, alive, after_free);
    assert_true(requests >= 10);
    assert_int_equal(connected, 1);
    assert_int_equal(sampler.n_ports, 1);
    assert_int_equal(alive, 1);
    assert_int_equal(after_free, 0);

    /* Control: a fresh client per signature must show up as 5 connections in both
     * counts, or the counting could not see a client that reconnects. */
    lines = access_lines();
    connects = atomic_load(&connects_to_mssp);
    sampler_start(&sampler);
    for (int i = 0; i < 5; i++) {
        c = new_client(&o);
        sign_demo(c);
        mss_client_free(c);
    }
    sampler_stop(&sampler);
    snapshot(&table);
    requests = access_lines() - lines;
    connected = atomic_load(&connects_to_mssp) - connects;
    printf("# control, a fresh client per signature: %u HTTP requests, %u connect() calls, "
           "%zu connections in %u samples; ours ESTABLISHED after: %u\n",
           requests, connected, sampler.n_ports, sampler.samples, ours_established(&table));
    assert_true(requests >= 10);
    assert_int_equal(connected, 5);
    assert_int_equal(sampler.n_ports, 5);
    assert_int_equal(ours_established(&table), 0);
}

/* ------------------------------------------------------------ 6. our own deadline */

/* Stops refmssp (SIGSTOP) as soon as the MSS_Signature was answered, so neither a
 * status nor the MSSP's own expiry can come: only our deadline ends the wait. */
static atomic_int mssp_stopped;

static void stop_mssp_after_signature(int level, const char *line, void *ctx)
{
    (void)level, (void)ctx;
    /* No assertion here: a failing one would jump out of the library's call. */
    if (strstr(line, "MSS_Signature to ") != NULL && strstr(line, ": status 100,") != NULL &&
        !atomic_load(&mssp_stopped))
        atomic_store(&mssp_stopped, kill(env.refmssp_pid, SIGSTOP) == 0 ? 1 : -1);
}

static void test_own_deadline_when_mssp_goes_silent(void **state)
{
    mss_detail detail;
    (void)state;
    mss_client_options o = base_options();
    o.timeout_s = 1;             /* our deadline: 1 s + the 10 s margin */
    o.poll_first_ms = 100;
    o.poll_interval_ms = 100;
    o.status_timeout_ms = 1000;  /* each status query gives up after 1 s + connect */
    o.connect_timeout_ms = 1000;
    o.log = stop_mssp_after_signature;
    mss_client *c = new_client(&o);
    mss_sign_request req = sign_request(need_env("STALLED_MSISDN"));
    mss_sign_result res;

    uint64_t start = now_ms();
    mss_error rc = mss_client_sign(c, &req, &res, &detail);
    uint64_t took = now_ms() - start;
    if (atomic_load(&mssp_stopped) == 1)
        kill(env.refmssp_pid, SIGCONT);
    printf("# refmssp stopped after MSS_Signature, TimeOut 1 s: %s after %llu ms (%s)\n",
           mss_error_string(rc), (unsigned long long)took, detail.text);
    assert_int_equal(atomic_load(&mssp_stopped), 1);
    assert_int_equal(rc, MSS_ERR_TIMEOUT);
    assert_non_null(res.mssp_trans_id);
    assert_true(took >= 11000);
    assert_true(took < 12500);
    mss_sign_result_clear(&res);
    mss_client_free(c);
}

/* ------------------------------------------------------------ 6. forwarding (mss_client_call) */

/* A loopback port that refuses connections: a listening socket, closed again. */
static unsigned refusing_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t len = sizeof addr;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 1), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

/*
 * A gateway forwards what its own client sent: refmssp must see the forwarding client's
 * AP (its AP_ID, AP_PWD and certificate), never the AP_Info in the message. A desktop's
 * AP_ID that refmssp does not know would be fault 104; a wrong AP_PWD fault 104 too.
 */
static void test_call_forwards_with_the_clients_ap_info(void **state)
{
    mss_detail detail;
    (void)state;
    char urls[600], want[400], line[2048];
    snprintf(urls, sizeof urls, "https://127.0.0.1:%u/mss %s", refusing_port(), env.url);
    mss_client_options o = base_options();
    o.url = urls;
    mss_client *c = new_client(&o);
    assert_int_equal(mss_client_url_count(c), 2);

    size_t di_len;
    const unsigned char *di = digest_info(&di_len);
    char *dtbs = NULL;
    assert_int_equal(mss_base64_encode(di, di_len, &dtbs), MSS_OK);
    mss_message req = {.type = MSS_MSG_SIGNATURE_REQ}, resp;
    mss_signature_req *sr = &req.u.signature_req;
    sr->hdr.major_version = 1;
    sr->hdr.minor_version = 1;
    sr->hdr.ap_id = (char *)"http://desktop.invalid/";
    sr->hdr.ap_pwd = (char *)"the-desktop-has-no-secret";
    sr->hdr.ap_trans_id = (char *)"_desktop";
    sr->hdr.ap_instant = (char *)"2020-01-01T00:00:00Z";
    sr->mode = MSS_MODE_SYNCH;
    sr->timeout_s = 30;
    sr->msisdn = (char *)DEMO_MSISDN;
    sr->dtbs.text = dtbs;
    sr->dtbs.mime_type = (char *)"application/octet-stream";
    sr->dtbs.encoding = (char *)"base64";
    sr->mss_format = (char *)MSS_FORMAT_KIURU_PKCS1;

    unsigned before = access_lines();
    int used = -1;
    assert_int_equal(mss_client_call(c, &req, MSS_URL_FIRST_REACHABLE, 40000, &resp, &used, &detail),
                     MSS_OK);
    printf("# forwarded MSS_Signature: status %d from URL %d\n", detail.status, used);
    assert_int_equal(used, 1);
    assert_int_equal(resp.type, MSS_MSG_SIGNATURE_RESP);
    assert_int_equal(detail.status, 500);
    assert_true(resp.u.signature_resp.signature.value_len == 256);
    mss_message_clear(&resp);
    assert_int_equal(access_lines(), before + 1);
    last_access_line(line, sizeof line);
    snprintf(want, sizeof want, " ap=%s ", env.ap_id);
    assert_non_null(strstr(line, want));
    assert_null(strstr(line, "desktop"));

    /* A fault is MSS_ERR_FAULT with the fault in *resp. */
    sr->msisdn = (char *)"+99900000999";
    assert_int_equal(mss_client_call(c, &req, 1, 40000, &resp, &used, &detail), MSS_ERR_FAULT);
    printf("# unknown user: %s\n", detail.text);
    assert_int_equal(resp.type, MSS_MSG_FAULT);
    assert_int_equal(resp.u.fault.code, detail.status);
    assert_true(detail.status >= 100 && detail.status < 200);
    mss_message_clear(&resp);
    free(dtbs);
    mss_client_free(c);
}

/* ------------------------------------------------------------ setup */

static int setup(void **state)
{
    (void)state;
    char conf[600], path[600];

    snprintf(env.dir, sizeof env.dir, "%s", need_env("REFMSSP_DIR"));
    snprintf(env.foreign, sizeof env.foreign, "%s", need_env("FOREIGN_DIR"));
    env.log_path = need_env("REFMSSP_LOG");
    env.refmssp_pid = (pid_t)atol(need_env("REFMSSP_PID"));
    snprintf(env.url, sizeof env.url, "%s", need_env("MSS_URL"));
    snprintf(conf, sizeof conf, "%s/refmssp.conf", env.dir);
    read_setting(conf, "ap_id", env.ap_id, sizeof env.ap_id);
    snprintf(path, sizeof path, "%s/ap_pwd", env.dir);
    read_first_line(path, env.ap_pwd, sizeof env.ap_pwd);
    snprintf(env.ca, sizeof env.ca, "%s/ca.pem", env.dir);
    snprintf(env.cert, sizeof env.cert, "%s/ap.pem", env.dir);
    snprintf(env.key, sizeof env.key, "%s/ap.key", env.dir);
    snprintf(env.foreign_ca, sizeof env.foreign_ca, "%s/ca.pem", env.foreign);
    snprintf(env.foreign_cert, sizeof env.foreign_cert, "%s/ap.pem", env.foreign);
    snprintf(env.foreign_key, sizeof env.foreign_key, "%s/ap.key", env.foreign);
    /* https://127.0.0.1:PORT/mss */
    const char *colon = strrchr(env.url, ':');
    assert_non_null(colon);
    env.port = (unsigned)atoi(colon + 1);
    assert_true(env.port > 0 && env.port < 65536);
    assert_true(env.ap_id[0] != '\0' && env.ap_pwd[0] != '\0');
    assert_true(env.refmssp_pid > 1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_foreign_ca_is_refused_before_any_request),
        cmocka_unit_test(test_foreign_client_certificate_gets_fault_104),
        cmocka_unit_test(test_missing_client_certificate_gets_fault_104),
        cmocka_unit_test(test_mssp_timeout_asynch_gives_208),
        cmocka_unit_test(test_mssp_timeout_synch_gives_208),
        cmocka_unit_test(test_cancel_while_polling),
        cmocka_unit_test(test_cancel_while_synch_request_is_held),
        cmocka_unit_test(test_one_client_keeps_one_connection),
        cmocka_unit_test(test_call_forwards_with_the_clients_ap_info),
        cmocka_unit_test(test_own_deadline_when_mssp_goes_silent),
    };
    setvbuf(stdout, NULL, _IOLBF, 0);
    return cmocka_run_group_tests_name("client_transport", tests, setup, NULL);
}
