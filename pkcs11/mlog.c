/* SPDX-License-Identifier: BSD-3-Clause */
/* The module log (see mlog.h). */
#include "mlog.h"
#include "mss_conf.h" /* the level names */

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int log_level = MSS_LOG_WARNING;
static FILE *log_file; /* NULL: stderr */

static const char *level_name(int level)
{
    const char *name = mss_conf_log_level_name(level);
    return name != NULL ? name : mss_conf_log_level_name(MSS_LOG_DEBUG);
}

/* MSS_PKCS11_DEBUG: a single digit 1..3; anything else is ignored rather than guessed. */
static int env_level(int fallback)
{
    const char *v = getenv("MSS_PKCS11_DEBUG");
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

void mlog_configure(int level, const char *file)
{
    const char *env_file = getenv("MSS_PKCS11_LOG");
    int from_env = getenv("MSS_PKCS11_DEBUG") != NULL;
    const char *path;

    pthread_mutex_lock(&log_lock);
    close_file_locked();
    log_level = env_level(level);
    /* MSS_PKCS11_DEBUG alone means "to stderr"; MSS_PKCS11_LOG names a file. */
    path = env_file != NULL && env_file[0] != '\0' ? env_file : (from_env ? NULL : file);
    if (path != NULL) {
        log_file = fopen(path, "ae");
        if (log_file == NULL)
            fprintf(stderr, "mss-pkcs11: cannot open log file %s; logging to stderr\n", path);
        else
            setvbuf(log_file, NULL, _IOLBF, 0);
    }
    pthread_mutex_unlock(&log_lock);
}

void mlog_close(void)
{
    pthread_mutex_lock(&log_lock);
    close_file_locked();
    log_level = env_level(MSS_LOG_WARNING);
    pthread_mutex_unlock(&log_lock);
}

void mlog_forget(void)
{
    /* In a fork child the lock may have been held by a parent thread: start over. */
    pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
    log_lock = fresh;
    log_file = NULL;
    log_level = env_level(MSS_LOG_WARNING);
}

int mlog_enabled(int level)
{
    return level <= log_level;
}

static void write_line(int level, const char *origin, const char *msg)
{
    FILE *out;
    char stamp[32] = "";
    struct timespec ts;
    struct tm tm;

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
    (void)ctx;
    if (mlog_enabled(level))
        write_line(level, "mss-pkcs11/mssclient", line);
}
