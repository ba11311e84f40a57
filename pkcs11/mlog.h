/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The module log: one place every part of the module writes to, and the log callback
 * handed to libmssclient. Level and destination come from the configuration
 * (log_level, log_file); the environment overrides both so a user can debug a module
 * loaded by someone else's program:
 *
 *   MSS_PKCS11_DEBUG=1..3   level warning/info/debug, to stderr
 *   MSS_PKCS11_LOG=path     write to this file instead (append)
 *
 * except in a privileged process (mss_conf_privileged), where the environment is the
 * caller's and is ignored. The file is opened without following a symlink, must be a
 * regular file, and is created 0600. Control characters in a line (from a path, an
 * MSSP's answer) are written as '?', so no value can forge a line.
 *
 * Lines never contain PINs, AP_PWD or key material; callers only pass public facts.
 */
#ifndef MSS_P11_MLOG_H
#define MSS_P11_MLOG_H

#include <mss/client.h> /* MSS_LOG_* levels */

/* (Re)configure from the configuration's values; env overrides apply on top.
 * file NULL: stderr. Safe to call again (closes a previously opened file). */
void mlog_configure(int level, const char *file);

/* Close the log file (C_Finalize). Logging afterwards goes to stderr at warning level
 * (or the level MSS_PKCS11_DEBUG sets). */
void mlog_close(void);

/* Forget an inherited log file without closing it (fork child). */
void mlog_forget(void);

int mlog_enabled(int level);

void mlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define mlog_error(...) mlog(MSS_LOG_ERROR, __VA_ARGS__)
#define mlog_warn(...) mlog(MSS_LOG_WARNING, __VA_ARGS__)
#define mlog_info(...) mlog(MSS_LOG_INFO, __VA_ARGS__)
#define mlog_debug(...) mlog(MSS_LOG_DEBUG, __VA_ARGS__)

/* An mss_log_fn: libmssclient's lines go to the same place, prefixed "mss-pkcs11/mssclient". */
void mlog_client_line(int level, const char *line, void *ctx);

#endif
