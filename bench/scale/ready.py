#!/usr/bin/env python3
"""Time from starting `sourcekeep run` to its READY=1, the way systemd sees it (not a test).

Usage: ready.py BIN CONFIG [TIMEOUT_S]
Binds a notify socket, starts the daemon with NOTIFY_SOCKET pointing at it, prints every
datagram with the seconds since exec, then the READY time, and stops the daemon with SIGTERM.
bench/scale/run.sh runs it on the synthetic catalog (docs/performance.md#scale).
"""
import os, signal, socket, subprocess, sys, tempfile, time

binary, config = sys.argv[1], sys.argv[2]
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600
folder = tempfile.mkdtemp(prefix="sk-ready-")
path = os.path.join(folder, "notify.sock")
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(0.5)
env = dict(os.environ, NOTIFY_SOCKET=path)
start = time.monotonic()
daemon = subprocess.Popen([binary, "run", "--config", config], env=env,
                          stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "stderr"), "w"))
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
daemon.send_signal(signal.SIGTERM)
try:
    daemon.wait(60)
except subprocess.TimeoutExpired:
    daemon.kill()
os.unlink(path)
print(f"READY after {ready:.3f} s" if ready is not None else "no READY")
sys.exit(0 if ready is not None else 1)
