#!/usr/bin/env python3
"""A loopback web farm that misbehaves on purpose, for the soak run (stdlib only).

    farm.py PORT FIRST_HOST HOSTS

Listens on 127.0.0.FIRST_HOST .. 127.0.0.(FIRST_HOST+HOSTS-1), all on PORT, and prints
"ready" once every listener is up. Paths (N is any integer, it seeds the page):

  /a/N        a normal article (~8 KB), always the same bytes
  /change/N   an article whose text changes every minute (drift, new snapshots)
  /huge/N     a 6 MB body that changes every minute (over the soak's max_body_mb: truncated)
  /flaky/N    5xx bursts: 500/502/503 for one minute in three, else the article
  /r429/N     every other request is 429 with Retry-After (2 s; 600 s when N % 4 == 0)
  /reset/N    the connection is reset (RST): before any byte, or after half a header
  /drip/N     a slow drip: headers, then one byte every 0.25 s (N even: 80 bytes, ends;
              N odd: 20,000 bytes, never ends within any sane timeout)
  /loop/N     a redirect loop /loop/N -> /loop/N/b -> /loop/N
  /chain/N/K  an endless redirect chain K -> K+1
  /redir/N    a 301 to /a/(N+100000)
  /gone/N     404
"""
import hashlib
import http.server
import random
import socket
import socketserver
import struct
import sys
import threading
import time

WORDS = ("archive link citation digest article soak daemon farm memory socket watchdog "
         "snapshot catalog record header body redirect retry minute change stable").split()

counters = {}
counters_lock = threading.Lock()


def bump(key):
    with counters_lock:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]


def article(n, salt=""):
    rnd = random.Random(f"{n}/{salt}")
    title = f"Soak article {n} " + " ".join(rnd.choice(WORDS) for _ in range(4))
    paras = []
    for _ in range(18):
        paras.append("<p>" + " ".join(rnd.choice(WORDS) for _ in range(70)) + ".</p>")
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title>"
            f"<meta property=\"og:site_name\" content=\"Soak Farm\"></head><body><article>"
            f"<h1>{title}</h1>{''.join(paras)}</article></body></html>").encode()


def minute():
    return int(time.time() // 60)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "soakfarm/1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, code, body, ctype="text/html; charset=utf-8", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, code, location):
        self.send_response(code)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        kind = parts[0]
        try:
            n = int(parts[1])
        except (IndexError, ValueError):
            return self.send_body(404, b"not found")
        bump(kind)
        if kind == "a":
            return self.send_body(200, article(n))
        if kind == "change":
            return self.send_body(200, article(n, f"m{minute()}"))
        if kind == "huge":
            self.send_response(200)
            size = 6 * 1024 * 1024
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            block = hashlib.sha256(f"{n}/{minute()}".encode()).hexdigest().encode() * 2048  # 128 KB
            try:
                for _ in range(size // len(block)):
                    self.wfile.write(block)
            except OSError:
                pass
            return
        if kind == "flaky":
            if (minute() + n) % 3 == 0:
                return self.send_body(random.choice((500, 502, 503)), b"<h1>try later</h1>")
            return self.send_body(200, article(n))
        if kind == "r429":
            if bump(("path", self.path)) % 2 == 1:
                wait = "600" if n % 4 == 0 else "2"
                return self.send_body(429, b"slow down", extra=(("Retry-After", wait),))
            return self.send_body(200, article(n))
        if kind == "reset":
            if n % 2:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Ty")
                self.wfile.flush()
            return self.reset()
        if kind == "drip":
            total = 80 if n % 2 == 0 else 20000
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            try:
                for _ in range(total):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass
            self.close_connection = True
            return
        if kind == "loop":
            if len(parts) > 2:
                return self.redirect(302, f"/loop/{n}")
            return self.redirect(302, f"/loop/{n}/b")
        if kind == "chain":
            k = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
            return self.redirect(302, f"/chain/{n}/{k + 1}")
        if kind == "redir":
            return self.redirect(301, f"/a/{n + 100000}")
        if kind == "gone":
            return self.send_body(404, b"<h1>gone</h1>")
        return self.send_body(404, b"not found")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    port, first, hosts = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    servers = []
    for i in range(hosts):
        s = Server((f"127.0.0.{first + i}", port), Handler)
        threading.Thread(target=s.serve_forever, daemon=True).start()
        servers.append(s)
    print("ready", flush=True)
    try:
        while True:
            time.sleep(60)
            with counters_lock:
                print("requests", dict(sorted((k, v) for k, v in counters.items() if isinstance(k, str))), flush=True)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
