#!/usr/bin/env python3
"""Time from starting `sourcekeep run` to its READY=1, the way systemd sees it (not a test).

Usage: ready.py BIN CONFIG [TIMEOUT_S]
Binds a notify socket, starts the daemon with NOTIFY_SOCKET pointing at it, prints every
datagram with the seconds since exec, then the READY time, and stops the daemon with SIGTERM.
bench/scale/run.sh runs it on the synthetic catalog (docs/performance.md#scale).
"""
import sys, socket, time
from notified_daemon import NotifiedDaemon

binary, config = sys.argv[1], sys.argv[2]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600
run = NotifiedDaemon(binary, config, "sk-ready-")
run.sock.settimeout(0.5)
start, sock, daemon = run.start, run.sock, run.process
ready = None
while time.monotonic() - start < timeout and daemon.poll() is None:
    try:
        data = sock.recv(4096).decode()
    except socket.timeout:
        continue
    at = time.monotonic() - start
    print(f"{at:8.3f} s  {data.replace(chr(10), ' | ')}")
    if "READY=1" in data.split("\n"):
        ready = at
        break
stopped = run.stop()
print(f"READY after {ready:.3f} s" if ready is not None else "no READY")
sys.exit(0 if ready is not None and stopped else 1)
