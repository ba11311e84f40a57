#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A minimal HTTPS proxy for the tests: answers HTTP CONNECT, tunnels the bytes both
ways, and writes one line per tunnel ("CONNECT host:port") to a log, so a test can see
that a client really went through it. It never sees inside the TLS it carries.

    connect_proxy.py PORT_FILE LOG_FILE

Listens on 127.0.0.1 on a free port, written to PORT_FILE once it listens; runs until
killed. Anything but CONNECT gets 405.
"""
import socket
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, log):
    try:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 8192:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split()
        if len(parts) != 3 or parts[0] != "CONNECT" or ":" not in parts[1]:
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, port = parts[1].rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)), timeout=30)
        upstream.settimeout(None)
        with open(log, "a") as f:
            f.write("CONNECT %s\n" % parts[1])
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)
    except OSError:
        pass
    finally:
        client.close()


def main():
    port_file, log = sys.argv[1], sys.argv[2]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % listener.getsockname()[1])
    import os
    os.rename(port_file + ".tmp", port_file)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, log), daemon=True).start()


if __name__ == "__main__":
    main()
