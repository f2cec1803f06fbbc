#!/usr/bin/env python3
"""attack.py - the clients attack.sh needs that curl cannot be: slow ones and raw ones.

  attack.py trickle PORT SECONDS N CERT KEY CA [SRC]
      N connections of each kind at once for SECONDS, each reopened when the hub closes it:
      a TLS ClientHello one byte every 0.5 s; an idle TCP connection; a completed handshake
      (with CERT) that trickles a request head one byte every 0.5 s; and with TRICKLE_KINDS
      naming "body", a request head then its body one byte every 0.5 s.  SRC: source address.
      Prints how many connections it opened and how many the hub closed.
  attack.py raw PORT CERT KEY CA HEXBYTES [FILE]
      One request (given as hex, then FILE's bytes) over TLS; prints the answer.
"""
import os
import socket
import ssl
import sys
import threading
import time

HELLO = bytes.fromhex("16030100c4010000c00303") + bytes(32) + bytes.fromhex("00")


def tls_ctx(cert, key, ca):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.check_hostname = False
    return ctx


def trickle(port, seconds, n, cert, key, ca, src):
    end = time.time() + seconds
    stats = {"opened": 0, "closed": 0}
    lock = threading.Lock()
    ctx = tls_ctx(cert, key, ca)

    def count(k):
        with lock:
            stats[k] += 1

    def connect():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if src:
            s.bind((src, 0))
        s.settimeout(2)
        s.connect(("127.0.0.1", port))
        count("opened")
        return s

    def hold(kind):
        while time.time() < end:
            try:
                s = connect()
            except OSError:
                time.sleep(0.2)
                continue
            try:
                if kind == "head":
                    s = ctx.wrap_socket(s, server_hostname="localhost")
                    data = b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + \
                        b"a" * 1000
                elif kind == "body":
                    s = ctx.wrap_socket(s, server_hostname="localhost")
                    s.sendall(b"POST /v1/returns HTTP/1.1\r\nHost: localhost\r\n"
                              b"Content-Length: 1000000\r\n\r\n")
                    data = b"<" * 1000
                elif kind == "hello":
                    data = HELLO
                else:
                    data = b""
                i = 0
                s.settimeout(0.5)
                while time.time() < end:
                    if i < len(data):
                        s.send(data[i:i + 1])
                        i += 1
                    try:
                        if s.recv(1) == b"":
                            count("closed")
                            break
                    except socket.timeout:
                        continue
                    except (ssl.SSLWantReadError,):
                        continue
            except (OSError, ssl.SSLError):
                if time.time() < end:
                    count("closed")
            finally:
                try:
                    s.close()
                except OSError:
                    pass

    kinds = os.environ.get("TRICKLE_KINDS", "hello,idle,head").split(",")
    threads = [threading.Thread(target=hold, args=(k,)) for k in kinds for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("opened %d closed-by-hub %d" % (stats["opened"], stats["closed"]))


def raw(port, cert, key, ca, hexbytes, path):
    ctx = tls_ctx(cert, key, ca)
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                        server_hostname="localhost")
    s.sendall(bytes.fromhex(hexbytes))
    if path:
        with open(path, "rb") as f:
            s.sendall(f.read())
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
            head, sep, body = out.partition(b"\r\n\r\n")
            if sep and not head.startswith(b"HTTP/1.1 100"):
                n = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
                     if l.lower().startswith(b"content-length:")]
                if n and len(body) >= n[0]:
                    break
            elif sep:
                out = body
    except (socket.timeout, ssl.SSLError, OSError):
        pass
    sys.stdout.write(out.decode("latin-1"))


if __name__ == "__main__":
    if sys.argv[1] == "trickle":
        trickle(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5],
                sys.argv[6], sys.argv[7], sys.argv[8] if len(sys.argv) > 8 else None)
    else:
        raw(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6],
            sys.argv[7] if len(sys.argv) > 7 else None)
