/* SPDX-License-Identifier: BSD-3-Clause */
/* Listening sockets; see listen.h. */
#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int srv_listen_parse(const char *text, srv_listen_addr *out, char *err, size_t err_len)
{
    char host[64];
    const char *port;
    memset(out, 0, sizeof *out);
    if (text == NULL || strlen(text) >= sizeof host + 8) {
        snprintf(err, err_len, "listen address missing or too long");
        return -1;
    }
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':' || (size_t)(close - text - 1) >= sizeof host) {
            snprintf(err, err_len, "'%s' is not [ADDR]:PORT", text);
            return -1;
        }
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon == NULL || (size_t)(colon - text) >= sizeof host) {
            snprintf(err, err_len, "'%s' is not ADDR:PORT", text);
            return -1;
        }
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = '\0';
        port = colon + 1;
    }
    char *end = NULL;
    errno = 0;
    long p = strtol(port, &end, 10);
    if (*port == '\0' || *end != '\0' || errno != 0 || p < 0 || p > 65535) {
        snprintf(err, err_len, "'%s': port must be a number from 0 to 65535", text);
        return -1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    if (getaddrinfo(host, port, &hints, &res) != 0 || res == NULL) {
        snprintf(err, err_len, "'%s': '%s' is not a numeric IP address", text, host);
        return -1;
    }
    memcpy(&out->sa, res->ai_addr, res->ai_addrlen);
    out->sa_len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int srv_listen_addr_is_loopback(const srv_listen_addr *addr)
{
    if (addr->sa.ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)&addr->sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (addr->sa.ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&addr->sa;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return 1;
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127;
    }
    return 0;
}

int srv_listen_open(const srv_listen_addr *addr, char *err, size_t err_len)
{
    char shown[96];
    int fd = socket(addr->sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, err_len, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (addr->sa.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)&addr->sa, addr->sa_len) != 0 || listen(fd, 64) != 0) {
        int e = errno;
        char host[64] = "?", port[16] = "?";
        getnameinfo((const struct sockaddr *)&addr->sa, addr->sa_len, host, sizeof host, port,
                    sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
        snprintf(shown, sizeof shown, "%s port %s", host, port);
        if (e == EADDRINUSE)
            snprintf(err, err_len, "%s is already in use (another refmssp running?)", shown);
        else
            snprintf(err, err_len, "cannot listen on %s: %s", shown, strerror(e));
        close(fd);
        return -1;
    }
    return fd;
}

int srv_listen_url(int fd, const char *path, char *buf, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t ss_len = sizeof ss;
    char host[64], port[16];
    if (getsockname(fd, (struct sockaddr *)&ss, &ss_len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, ss_len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return -1;
    int n = ss.ss_family == AF_INET6 ? snprintf(buf, len, "https://[%s]:%s%s", host, port, path)
                                     : snprintf(buf, len, "https://%s:%s%s", host, port, path);
    return (n < 0 || (size_t)n >= len) ? -1 : 0;
}
