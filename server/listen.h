/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Listening sockets of the servers (refmssp, mss-relay): parse "ADDR:PORT" /
 * "[ADDR]:PORT", tell loopback from the rest, bind with clear errors (a busy port says so).
 */
#ifndef MSS_SERVER_LISTEN_H
#define MSS_SERVER_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

typedef struct srv_listen_addr {
    struct sockaddr_storage sa;
    socklen_t sa_len;
} srv_listen_addr;

/* Parse a numeric address and port. 0, or -1 with a reason in err. */
int srv_listen_parse(const char *text, srv_listen_addr *out, char *err, size_t err_len);

/* 1 for 127.0.0.0/8, ::1 and IPv4-mapped 127.x; 0 otherwise. */
int srv_listen_addr_is_loopback(const srv_listen_addr *addr);

/* Bind and listen; returns the socket, or -1 with a reason in err. */
int srv_listen_open(const srv_listen_addr *addr, char *err, size_t err_len);

/* "https://ADDR:PORT" + PATH for the socket's bound address (IPv6 in brackets). */
int srv_listen_url(int fd, const char *path, char *buf, size_t len);

#endif /* MSS_SERVER_LISTEN_H */
