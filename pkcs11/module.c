/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The one module instance: C_Initialize, C_Finalize, C_GetInfo, the global lock and
 * fork detection.
 *
 * Thread safety does not depend on what the caller passes to C_Initialize: the module
 * always uses its own pthread locks (NSS passes its own mutex callbacks, OpenSSH passes
 * NULL; both get the same module). No thread of our own is ever started.
 *
 * Fork: a pthread_atfork child handler (registered at the first C_Initialize) gives
 * the child fresh locks and abandons the parent's instance without freeing it — its
 * libcurl handles and sockets belong to the parent and must not be shut down from
 * here. The pid that initialised is recorded too, so every call in a child sees "not
 * initialised" until the child's own C_Initialize starts a clean instance.
 */
#include "module.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mlog.h"

/* How long C_Finalize waits for a cancelled C_Sign to return (it polls every 100 ms). */
#define P11_FINALIZE_DRAIN_S 10

enum { P11_UNINIT = 0, P11_READY, P11_FINALIZING };

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cond = PTHREAD_COND_INITIALIZER; /* inflight / state changes */
static p11_module g_module;
static int g_state = P11_UNINIT;
/* An instance that had to be given up without freeing it (the parent's, in a fork
 * child; one a stuck signature still used at C_Finalize). Kept here so it stays
 * reachable: deliberately abandoned memory, not a leak. */
static p11_module g_abandoned __attribute__((used)); /* stores must stay */

p11_module *p11_mod(void)
{
    return &g_module;
}

void p11_lock(void)
{
    pthread_mutex_lock(&g_lock);
}

void p11_unlock(void)
{
    pthread_mutex_unlock(&g_lock);
}

CK_RV p11_ready(void)
{
    CK_RV rv = CKR_OK;

    p11_lock();
    if (g_state != P11_READY || g_module.pid != getpid())
        rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    p11_unlock();
    return rv;
}

void p11_pad(unsigned char *field, size_t width, const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;

    if (n > width)
        n = width;
    memset(field, ' ', width);
    if (n > 0)
        memcpy(field, s, n);
}

/* Spec: either all four mutex callbacks or none, and pReserved must be NULL. */
static CK_RV check_init_args(CK_VOID_PTR args)
{
    const CK_C_INITIALIZE_ARGS *a = args;
    int n;

    if (a == NULL)
        return CKR_OK;
    if (a->pReserved != NULL)
        return CKR_ARGUMENTS_BAD;
    n = (a->CreateMutex != NULL) + (a->DestroyMutex != NULL) + (a->LockMutex != NULL) +
        (a->UnlockMutex != NULL);
    if (n != 0 && n != 4)
        return CKR_ARGUMENTS_BAD;
    /* Callbacks with or without CKF_OS_LOCKING_OK, and CKF_LIBRARY_CANT_CREATE_OS_THREADS,
     * are all fine: we lock with pthreads and never create threads. */
    return CKR_OK;
}

/* In a fork child: drop everything inherited, free nothing (the parent's libcurl
 * handles and sockets are the parent's). */
static void forget_parent_instance(void)
{
    if (g_module.slots != NULL || g_module.conf != NULL)
        g_abandoned = g_module;
    memset(&g_module, 0, sizeof g_module);
    g_state = P11_UNINIT;
    mlog_forget();
}

/* The pthread_atfork child handler: the child has one thread, and the locks may have
 * been held by parent threads that do not exist here, so they are replaced too.
 * Running at fork time (instead of at the child's C_Initialize) means no call in the
 * child ever reads module state without the lock. The module is linked -z nodelete,
 * so the handler stays valid after dlclose. */
static void child_after_fork(void)
{
    pthread_mutex_t fresh_lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t fresh_cond = PTHREAD_COND_INITIALIZER;

    g_lock = fresh_lock;
    g_cond = fresh_cond;
    forget_parent_instance(); /* also replaces the log's lock */
}

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, child_after_fork);
}

/* Read the configuration; a missing or broken one leaves conf NULL (no slots). */
static mss_conf *load_configuration(void)
{
    char path[PATH_MAX];
    char err[512];
    mss_conf *conf = NULL;

    mlog_configure(MSS_LOG_WARNING, NULL);
    if (mss_conf_find(path, sizeof path) != 0) {
        mlog_error("configuration file path is too long; the module exposes no slots");
        return NULL;
    }
    if (mss_conf_load(path, &conf, err, sizeof err) != 0) {
        /* Installed for p11-kit, the module is loaded into every program that asks
         * p11-kit for modules; without a configuration of its own the user has not set
         * it up, and that is no error worth printing in all of them. */
        const char *env = getenv("MSS_PKCS11_CONF");
        struct stat sb;
        if ((env == NULL || *env == '\0') && stat(path, &sb) != 0) {
            mlog_info("no configuration (%s); the module exposes no slots", err);
            return NULL;
        }
        mlog_error("configuration not loaded: %s; the module exposes no slots", err);
        return NULL;
    }
    mlog_configure(conf->log_level, conf->log_file);
    mlog_info("configuration %s: %zu user(s)", path, conf->n_users);
    return conf;
}

static void free_instance(p11_module *m)
{
    p11_objects_free(m);
    p11_slots_free(m);
    mss_conf_free(m->conf);
    free(m->sessions);
    memset(m, 0, sizeof *m);
}

CK_RV p11_initialize(CK_VOID_PTR args)
{
    CK_RV rv = check_init_args(args);
    pid_t pid = getpid();

    if (rv != CKR_OK)
        return rv;
    pthread_once(&atfork_once, register_atfork);

    p11_lock();
    /* A child made without fork() (clone, or a fork before our handler existed). */
    if (g_state != P11_UNINIT && g_module.pid != pid)
        forget_parent_instance();
    while (g_state == P11_FINALIZING)
        pthread_cond_wait(&g_cond, &g_lock);
    if (g_state == P11_READY) {
        p11_unlock();
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    memset(&g_module, 0, sizeof g_module);
    g_module.pid = pid;
    g_module.conf = load_configuration();
    if (p11_slots_build(&g_module) != 0 || p11_objects_build(&g_module) != 0) {
        free_instance(&g_module);
        p11_unlock();
        return CKR_HOST_MEMORY;
    }
    g_module.initialized = 1;
    g_state = P11_READY;
    p11_unlock();
    mlog_info("initialised: %zu slot(s), %zu object(s)", g_module.n_slots, g_module.n_objects);
    return CKR_OK;
}

CK_RV p11_finalize(void)
{
    struct timespec deadline;

    p11_lock();
    if (g_state != P11_READY || g_module.pid != getpid()) {
        p11_unlock();
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    g_state = P11_FINALIZING;
    g_module.initialized = 0;
    /* Cancels any pending C_Sign: its cancel callback sees the session closing. */
    p11_sessions_close_all_locked(&g_module);

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += P11_FINALIZE_DRAIN_S;
    while (g_module.inflight > 0) {
        if (pthread_cond_timedwait(&g_cond, &g_lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (g_module.inflight == 0) {
        free_instance(&g_module);
    } else {
        /* A signature thread still uses the slots: leaking beats a use-after-free. */
        mlog_error("C_Finalize: %u signature(s) still running; state left allocated",
                   g_module.inflight);
        g_abandoned = g_module;
        memset(&g_module, 0, sizeof g_module);
    }
    g_state = P11_UNINIT;
    pthread_cond_broadcast(&g_cond);
    p11_unlock();
    mlog_close();
    return CKR_OK;
}

CK_RV p11_get_info(CK_INFO_PTR info, CK_BYTE version_major, CK_BYTE version_minor)
{
    memset(info, 0, sizeof *info);
    info->cryptokiVersion.major = version_major;
    info->cryptokiVersion.minor = version_minor;
    p11_pad(info->manufacturerID, sizeof info->manufacturerID, P11_MANUFACTURER);
    info->flags = 0;
    p11_pad(info->libraryDescription, sizeof info->libraryDescription,
            P11_LIBRARY_DESCRIPTION);
    info->libraryVersion.major = P11_VERSION_MAJOR;
    info->libraryVersion.minor = P11_VERSION_MINOR;
    return CKR_OK;
}

void p11_inflight_begin(void)
{
    /* Caller holds g_lock (see sign.c): checked together with the session's state. */
    g_module.inflight++;
}

void p11_inflight_end(void)
{
    p11_lock();
    if (g_module.inflight > 0)
        g_module.inflight--;
    pthread_cond_broadcast(&g_cond);
    p11_unlock();
}
