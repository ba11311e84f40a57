/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How a server waits for its stop: SIGTERM, SIGINT and SIGHUP are blocked before any
 * thread exists, so every server thread inherits the mask and only the waiting thread
 * receives them (a handler would run in whichever thread the kernel picks); SIGPIPE is
 * ignored, so a client that goes away is an error on its connection, not the end of
 * the server. SIGHUP does not stop a server (logrotate sends it to have logs reopened).
 */
#ifndef MSS_SERVER_STOP_SIGNALS_H
#define MSS_SERVER_STOP_SIGNALS_H

/* Call first in main's thread, before any other thread starts. */
void srv_stop_signals_block(void);

/* Wait for SIGTERM or SIGINT, returning which ("SIGTERM" or "SIGINT"). Each SIGHUP on
 * the way calls ON_HUP (may be NULL) and waits on. */
const char *srv_stop_signals_wait(void (*on_hup)(void *ctx), void *ctx);

#endif /* MSS_SERVER_STOP_SIGNALS_H */
