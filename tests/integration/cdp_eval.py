#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Evaluate JavaScript in a page of a headless Chromium over the DevTools protocol.

    cdp_eval.py PORT URL_PART EXPRESSION [--wait SECONDS]

Finds the page whose URL contains URL_PART (waiting for the browser to come up),
evaluates EXPRESSION there and prints the JSON of its value. With --wait it
re-evaluates every 100 ms until the value is truthy, and fails (exit 1) if that does
not happen within SECONDS. Only the standard library: a minimal WebSocket client
(RFC 6455: one text frame out, masked; frames in, unmasked) is enough for the
DevTools protocol on loopback.
"""
import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.request


def find_page(port, url_part, deadline):
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                for target in json.load(r):
                    if target.get("type") == "page" and url_part in target.get("url", ""):
                        return target["webSocketDebuggerUrl"]
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"cdp_eval: no page with '{url_part}' on port {port}")
        time.sleep(0.1)


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise OSError("connection closed")
        data += chunk
    return data


class Socket:
    def __init__(self, ws_url):
        rest = ws_url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += read_exact(self.sock, 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise OSError("WebSocket upgrade refused: " + head.decode(errors="replace"))
        self.next_id = 0

    def send(self, text):
        data = text.encode()
        n = len(data)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        message = b""
        while True:
            b0, b1 = read_exact(self.sock, 2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", read_exact(self.sock, 2))[0]
            elif n == 127:
                n = struct.unpack("!Q", read_exact(self.sock, 8))[0]
            payload = read_exact(self.sock, n)
            if b0 & 0x0F in (0x8, 0x9, 0xA):   # close, ping, pong: not expected here
                if b0 & 0x0F == 0x8:
                    raise OSError("WebSocket closed")
                continue
            message += payload
            if b0 & 0x80:
                return message.decode()

    def evaluate(self, expression):
        self.next_id += 1
        self.send(json.dumps({"id": self.next_id, "method": "Runtime.evaluate",
                              "params": {"expression": expression, "returnByValue": True,
                                         "awaitPromise": True}}))
        while True:
            reply = json.loads(self.recv())
            if reply.get("id") == self.next_id:
                result = reply.get("result", {})
                if "exceptionDetails" in result:
                    raise RuntimeError(json.dumps(result["exceptionDetails"])[:400])
                return result.get("result", {}).get("value")


def main():
    args = sys.argv[1:]
    wait = None
    if "--wait" in args:
        i = args.index("--wait")
        wait = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    port, url_part, expression = args
    deadline = time.monotonic() + (wait if wait is not None else 15)
    ws = Socket(find_page(port, url_part, time.monotonic() + 15))
    while True:
        try:
            value = ws.evaluate(expression)
        except RuntimeError:
            if wait is None:
                raise
            value = None   # the page is not there yet: keep waiting
        if wait is None or value:
            print(json.dumps(value))
            return
        if time.monotonic() > deadline:
            print(json.dumps(value))
            sys.exit(f"cdp_eval: still false after {wait} s: {expression}")
        time.sleep(0.1)


if __name__ == "__main__":
    main()
