#!/usr/bin/env python3
"""The daemon over one full check cycle (not a test; docs/performance.md#scale).

Usage: cycle.py BIN CONFIG JOURNAL_DIR [TIMEOUT_S]
Starts `sourcekeep run` with a notify socket, waits for READY=1, then follows the journal until
a `check` run has finished (the daemon's start-up ingest runs first; CONFIG's check_every and
recheck_interval decide when the check comes and which links are due), then stops the daemon
with SIGTERM. Run it under /usr/bin/time: the daemon is its child, so the peak RSS reported is
the daemon's over the whole cycle. bench/scale/run.sh runs it at SCALE with every link due.
"""
import glob, json, os, select, sys, time
from notified_daemon import NotifiedDaemon

binary, config, journal = sys.argv[1], sys.argv[2], sys.argv[3]
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 7200


def journal_files():
    return sorted(glob.glob(os.path.join(journal, "*.jsonl")))


# Only events written after the start count: remember where each journal file ended.
offsets = {path: os.path.getsize(path) for path in journal_files()}


def new_events():
    for path in journal_files():
        with open(path, "rb") as f:
            f.seek(offsets.get(path, 0))
            data = f.read()
        complete = data.rfind(b"\n") + 1
        offsets[path] = offsets.get(path, 0) + complete
        for line in data[:complete].splitlines():
            try:
                yield json.loads(line)
            except ValueError:
                continue


run = NotifiedDaemon(binary, config, "sk-cycle-")
start, sock, daemon = run.start, run.sock, run.process
ready = check_started = finished = None
while time.monotonic() - start < timeout and daemon.poll() is None and finished is None:
    # Wait on the notify socket, so READY is timed to the datagram; the journal every 0.5 s.
    if select.select([sock], [], [], 0.5)[0]:
        if "READY=1" in sock.recv(4096).decode().split("\n") and ready is None:
            ready = time.monotonic() - start
    for event in new_events():
        at = time.monotonic() - start
        if event.get("event") == "run.start":
            print(f"{at:8.1f} s  run.start {event.get('command')}")
            if event.get("command") == "check":
                check_started = at
        elif event.get("event") == "run.finish":
            counts = {k: v for k, v in event.items() if isinstance(v, int) and not isinstance(v, bool)}
            print(f"{at:8.1f} s  run.finish {event.get('command')} {counts}")
            if event.get("command") == "check" and check_started is not None:
                finished = at
stopped = run.stop()
print(f"READY after {ready:.3f} s" if ready is not None else "no READY")
if not stopped:
    sys.exit(1)
if finished is None:
    print(f"no check run finished within {timeout:.0f} s (see {run.folder}/stderr)")
    sys.exit(1)
print(f"check cycle: {finished - check_started:.1f} s, stopped with SIGTERM, exit {daemon.returncode}")
