/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How a server waits for its stop: SIGTERM and SIGINT are blocked before any thread
 * exists, so every server thread inherits the mask and only the waiting thread
 * receives them (a handler would run in whichever thread the kernel picks); SIGPIPE is
 * ignored, so a client that goes away is an error on its connection, not the end of
 * the server.
 */
#ifndef MSS_SERVER_STOP_SIGNALS_H
#define MSS_SERVER_STOP_SIGNALS_H

/* Call first in main's thread, before any other thread starts. */
void srv_stop_signals_block(void);

/* Wait for SIGTERM or SIGINT; returns which ("SIGTERM" or "SIGINT"). */
const char *srv_stop_signals_wait(void);

#endif /* MSS_SERVER_STOP_SIGNALS_H */
