/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process's one module instance and its lifetime: C_Initialize, C_Finalize and
 * fork detection. This is the only file with global module state; everything else
 * is handed the instance (module.h).
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
#include "p11_entry.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mlog.h"

/* How long C_Finalize waits for a cancelled C_Sign to return (it polls every 100 ms). */
#define P11_FINALIZE_DRAIN_S 10

enum { P11_UNINIT = 0, P11_READY, P11_FINALIZING };

/* The instance; its lock also guards g_state and g_pid. */
static p11_module g_module = P11_MODULE_INIT;
static pthread_cond_t g_state_cond = PTHREAD_COND_INITIALIZER; /* g_state changes */
static int g_state = P11_UNINIT;
static pid_t g_pid;                 /* the process that called C_Initialize */
/* An instance that had to be given up without freeing it (the parent's, in a fork
 * child; one a stuck signature still used at C_Finalize). Kept here so it stays
 * reachable: deliberately abandoned memory, not a leak. */
static p11_module g_abandoned __attribute__((used)); /* stores must stay */

static int ready_locked(void)
{
    return g_state == P11_READY && g_pid == getpid();
}

CK_RV p11_instance(p11_module **out)
{
    CK_RV rv = CKR_OK;

    p11_module_lock(&g_module);
    if (!ready_locked())
        rv = CKR_CRYPTOKI_NOT_INITIALIZED;
    p11_module_unlock(&g_module);
    *out = rv == CKR_OK ? &g_module : NULL;
    return rv;
}

CK_RV p11_ready(void)
{
    p11_module *m;

    return p11_instance(&m);
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

/* Keep what the instance holds reachable in g_abandoned and start empty. */
static void abandon_instance(void)
{
    g_abandoned = g_module; /* a copy of the lock too, never used */
    p11_module_forget(&g_module);
}

/* In a fork child: drop everything inherited, free nothing (the parent's libcurl
 * handles and sockets are the parent's). */
static void forget_parent_instance(void)
{
    if (g_module.slots != NULL || g_module.conf != NULL)
        abandon_instance();
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

    g_module.lock = fresh_lock;
    g_module.cond = fresh_cond;
    g_state_cond = fresh_cond;
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
    /* su, sudo: the environment is the caller's, so mss_conf_find and the log ignore it. */
    if (mss_conf_privileged())
        mlog_info("privileged process: environment ignored, system configuration only");
    if (mss_conf_find(path, sizeof path) != 0) {
        mlog_error("configuration file path is too long; the module exposes no slots");
        return NULL;
    }
    if (mss_conf_load(path, &conf, err, sizeof err) != 0) {
        /* Installed for p11-kit, the module is loaded into every program that asks
         * p11-kit for modules; without a configuration of its own the user has not set
         * it up, and that is no error worth printing in all of them. */
        const char *env = mss_conf_getenv("MSS_PKCS11_CONF");
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

CK_RV p11_initialize(CK_VOID_PTR args)
{
    CK_RV rv = check_init_args(args);
    pid_t pid = getpid();

    if (rv != CKR_OK)
        return rv;
    pthread_once(&atfork_once, register_atfork);

    p11_module_lock(&g_module);
    /* A child made without fork() (clone, or a fork before our handler existed). */
    if (g_state != P11_UNINIT && g_pid != pid)
        forget_parent_instance();
    while (g_state == P11_FINALIZING)
        pthread_cond_wait(&g_state_cond, &g_module.lock);
    if (g_state == P11_READY) {
        p11_module_unlock(&g_module);
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    if (p11_module_load(&g_module, load_configuration()) != 0) {
        p11_module_unlock(&g_module);
        return CKR_HOST_MEMORY;
    }
    g_pid = pid;
    g_state = P11_READY;
    p11_module_unlock(&g_module);
    mlog_info("initialised: %zu slot(s), %zu object(s)", g_module.n_slots, g_module.n_objects);
    return CKR_OK;
}

CK_RV p11_finalize(void)
{
    p11_module_lock(&g_module);
    if (!ready_locked()) {
        p11_module_unlock(&g_module);
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    g_state = P11_FINALIZING;
    /* Cancels any pending C_Sign: its cancel callback sees the session closing. */
    p11_sessions_close_all_locked(&g_module);
    if (p11_inflight_drain_locked(&g_module, P11_FINALIZE_DRAIN_S) == 0) {
        p11_module_unload(&g_module);
    } else {
        /* A signature thread still uses the slots: leaking beats a use-after-free. */
        mlog_error("C_Finalize: %u signature(s) still running; state left allocated",
                   g_module.inflight);
        abandon_instance();
    }
    g_state = P11_UNINIT;
    pthread_cond_broadcast(&g_state_cond);
    p11_module_unlock(&g_module);
    mlog_close();
    return CKR_OK;
}
