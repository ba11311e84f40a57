/* SPDX-License-Identifier: BSD-3-Clause */
/* The module log (see mlog.h). */
#include "mlog.h"
#include "mss_conf.h" /* the level names, the environment, opening files */

#include <stdatomic.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
/* Read by every entry point's trace without the lock while C_Initialize / C_Finalize may
 * set it under the lock: an atomic, so that read is not a data race (ThreadSanitizer). */
static atomic_int log_level = MSS_LOG_WARNING;
static FILE *log_file; /* NULL: stderr */

static const char *level_name(int level)
{
    const char *name = mss_conf_log_level_name(level);
    return name != NULL ? name : mss_conf_log_level_name(MSS_LOG_DEBUG);
}

/* MSS_PKCS11_DEBUG: a single digit 1..3; anything else is ignored rather than guessed.
 * Like every variable, it is not read in a privileged process (mss_conf_getenv). */
static int env_level(int fallback)
{
    const char *v = mss_conf_getenv("MSS_PKCS11_DEBUG");
    if (v == NULL || v[0] < '1' || v[0] > '3' || v[1] != '\0')
        return fallback;
    return v[0] - '0';
}

static void close_file_locked(void)
{
    if (log_file != NULL)
        fclose(log_file);
    log_file = NULL;
}

/* A value that came from someone else (a path, an MSSP's id) must not start a line
 * of its own or drive the terminal that shows the log: every control character
 * becomes '?'. In place; the one place every log line passes. */
static void make_printable(char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

/* Append to path, created 0600: the log may say which keys signed what. A symlink
 * planted at path, a FIFO or anything but a regular file is refused (mss_conf_open). */
static FILE *open_log(const char *path)
{
    char why[160], shown[512];
    int fd;
    FILE *f = NULL;

    if (mss_conf_open(path, O_WRONLY | O_APPEND | O_CREAT, 0, &fd, why, sizeof why) == 0) {
        f = fdopen(fd, "a");
        if (f == NULL) {
            snprintf(why, sizeof why, "cannot use it");
            close(fd);
        }
    }
    if (f == NULL) {
        snprintf(shown, sizeof shown, "%s", path);
        make_printable(shown);
        fprintf(stderr, "mss-pkcs11: log file %s: %s; logging to stderr\n", shown, why);
        return NULL;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

void mlog_configure(int level, const char *file)
{
    const char *env_file = mss_conf_getenv("MSS_PKCS11_LOG");
    int from_env = mss_conf_getenv("MSS_PKCS11_DEBUG") != NULL;
    const char *path;

    pthread_mutex_lock(&log_lock);
    close_file_locked();
    atomic_store(&log_level, env_level(level));
    /* MSS_PKCS11_DEBUG alone means "to stderr"; MSS_PKCS11_LOG names a file. */
    path = env_file != NULL && env_file[0] != '\0' ? env_file : (from_env ? NULL : file);
    if (path != NULL)
        log_file = open_log(path);
    pthread_mutex_unlock(&log_lock);
}

void mlog_close(void)
{
    pthread_mutex_lock(&log_lock);
    close_file_locked();
    atomic_store(&log_level, env_level(MSS_LOG_WARNING));
    pthread_mutex_unlock(&log_lock);
}

void mlog_forget(void)
{
    /* In a fork child the lock may have been held by a parent thread: start over. */
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    log_lock = fresh;
    log_file = NULL;
    atomic_store(&log_level, env_level(MSS_LOG_WARNING));
}

int mlog_enabled(int level)
{
    return level <= atomic_load(&log_level);
}

/* msg is the caller's buffer, made printable here. */
static void write_line(int level, const char *origin, char *msg)
{
    FILE *out;
    char stamp[32] = "";
    struct timespec ts;
    struct tm tm;

    make_printable(msg);
    pthread_mutex_lock(&log_lock);
    out = log_file != NULL ? log_file : stderr;
    if (log_file != NULL && clock_gettime(CLOCK_REALTIME, &ts) == 0 &&
        localtime_r(&ts.tv_sec, &tm) != NULL)
        strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S ", &tm);
    fprintf(out, "%s%s[%ld]: %s: %s\n", stamp, origin, (long)getpid(), level_name(level), msg);
    pthread_mutex_unlock(&log_lock);
}

void mlog(int level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (!mlog_enabled(level))
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    write_line(level, "mss-pkcs11", msg);
}

void mlog_client_line(int level, const char *line, void *ctx)
{
    char msg[1024];

    (void)ctx;
    if (!mlog_enabled(level))
        return;
    snprintf(msg, sizeof msg, "%s", line);
    write_line(level, "mss-pkcs11/mssclient", msg);
}
