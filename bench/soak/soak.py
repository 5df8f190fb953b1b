#!/usr/bin/env python3
"""Helpers for bench/soak/run.sh (stdlib only). Subcommands:

  digest DIR MINUTE FIRST_HOST HOSTS PORT   write DIR/soak-MINUTE.md (new + old farm URLs)
  notify SOCKET LOG                         systemd notify listener: one "epoch message" line per datagram
  gap LOG                                   "max_gap last_gap pings ready" of WATCHDOG=1 after READY=1
  sample PID OUT                            every 2 s: "epoch rss_kb fds threads" of PID until it exits
  counts CATALOG                            "links snapshots" (read-only)
  clients BIN CONFIG SOCKET LOG             control-socket clients coming and going, until killed
  journal STORAGE_DIR                       every journaled capture/check with a warc_file is in the catalog
  verdict SAMPLES START WARMUP_S            RSS and fd flatness after warm-up (PASS/FAIL lines)
"""
import glob
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time

# ---- digests -----------------------------------------------------------------------------
# Each minute cites NEW_PER_MINUTE new links of these kinds (the last slot rotates through the
# misbehaving kinds, "huge" only every tenth minute) and OLD_PER_MINUTE links cited before.
FIRST_DIGEST_LINKS = 40
NEW_PER_MINUTE = 9
OLD_PER_MINUTE = 5
BASE_KINDS = ["a", "a", "a", "change", "flaky", "redir", "r429"]
ROTATING = ["reset", "drip", "loop", "chain", "gone", "drip", "reset", "a"]
FIRST_KINDS = (["a"] * 12 + ["change"] * 4 + ["flaky"] * 4 + ["redir"] * 3 + ["r429"] * 4 +
               ["reset"] * 3 + ["drip"] * 3 + ["loop"] * 2 + ["chain"] * 2 + ["gone"] * 2 + ["huge"])


def links_of(minute, first, hosts, port):
    """The (kind, n) links first cited in digest `minute`, as URLs."""
    if minute == 0:
        kinds = FIRST_KINDS
        base = 0
    else:
        kinds = BASE_KINDS + [ROTATING[minute % len(ROTATING)], "huge" if minute % 10 == 5 else "a"]
        base = FIRST_DIGEST_LINKS + (minute - 1) * NEW_PER_MINUTE
    urls = []
    for i, kind in enumerate(kinds):
        n = base + i
        urls.append(f"http://127.0.0.{first + n % hosts}:{port}/{kind}/{n}")
    return urls


def cmd_digest(out_dir, minute, first, hosts, port):
    minute, first, hosts, port = int(minute), int(first), int(hosts), int(port)
    new = links_of(minute, first, hosts, port)
    rnd = random.Random(minute)
    old = []
    if minute > 0:
        earlier = [u for m in range(minute) for u in links_of(m, first, hosts, port)]
        old = rnd.sample(earlier, min(OLD_PER_MINUTE, len(earlier)))
    today = time.strftime("%Y-%m-%d", time.gmtime())
    lines = [f"# Soak digest {minute:04d} {today}", ""]
    for i, url in enumerate(new + old):
        lines += [f"## Entry {minute}-{i}", "", "> **分类：** soak", f"> **来源：** [Farm {i}]({url})", "",
                  f"**核心洞察：** entry {i} of minute {minute}.", ""]
    lines += [f"See also {old[0]} in passing." if old else "", ""]
    path = os.path.join(out_dir, f"soak-{minute:04d}.md")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines))
    os.rename(tmp, path)  # the watcher sees a complete file
    print(f"{len(new)} new, {len(old)} old")


# ---- systemd notify ----------------------------------------------------------------------
def cmd_notify(path, log):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(path):
        os.unlink(path)
    s.bind(path)
    with open(log, "a", buffering=1) as f:
        while True:
            data = s.recv(65536)
            f.write(f"{time.time():.3f} {data.decode(errors='replace').replace(chr(10), '|')}\n")


def gaps(log):
    ready, pings = None, []
    for line in open(log):
        t, _, msg = line.rstrip("\n").partition(" ")
        fields = msg.split("|")
        if ready is None and "READY=1" in fields:
            ready = float(t)
        if "WATCHDOG=1" in fields:
            pings.append(float(t))
    if ready is None:
        return 0.0, 0.0, 0, False
    points = [ready] + [p for p in pings if p >= ready]
    # The gap still open counts too: a daemon that stopped pinging shows a growing gap.
    points.append(time.time())
    diffs = [b - a for a, b in zip(points, points[1:])]
    return max(diffs), diffs[-1], len(pings), True


def cmd_gap(log):
    g, last, n, ready = gaps(log)
    print(f"{g:.1f} {last:.1f} {n} {'ready' if ready else 'not-ready'}")


# ---- process and catalog -----------------------------------------------------------------
def proc_sample(pid):
    rss = threads = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds, threads


def cmd_sample(pid, out):
    with open(out, "a", buffering=1) as f:
        while True:
            try:
                rss, fds, threads = proc_sample(pid)
            except (FileNotFoundError, ProcessLookupError):
                return
            f.write(f"{time.time():.1f} {rss} {fds} {threads}\n")
            time.sleep(2)


def ro(catalog):
    return sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=10)


def cmd_counts(catalog):
    try:
        db = ro(catalog)
        links = db.execute("SELECT count(*) FROM link").fetchone()[0]
        snaps = db.execute("SELECT count(*) FROM snapshot").fetchone()[0]
        db.close()
        print(f"{links} {snaps}")
    except sqlite3.Error:
        print("? ?")


# ---- control-socket clients --------------------------------------------------------------
def cmd_clients(binary, config, sock, log):
    out = open(log, "a", buffering=1)
    lock = threading.Lock()
    busy = {"ingest": 0, "check": 0}

    def note(kind, rc, t0, extra=""):
        with lock:
            out.write(f"{time.time():.1f} {kind} rc={rc} {time.time() - t0:.1f}s {extra}\n")

    def cli(kind, args, timeout):
        t0 = time.time()
        try:
            p = subprocess.run([binary] + args + ["--config", config], capture_output=True, timeout=timeout)
            tail = p.stderr.decode(errors="replace").strip().splitlines()[-1:] if p.returncode else []
            note(kind, p.returncode, t0, " ".join(tail)[:200])
        except subprocess.TimeoutExpired:
            note(kind, "timeout", t0)
        finally:
            if kind in busy:
                with lock:
                    busy[kind] -= 1

    def raw(kind):
        t0 = time.time()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(sock)
            if kind == "raw-idle":  # connect and say nothing; the daemon hangs up after 10 s
                s.settimeout(20)
                got = s.recv(4096)
                note(kind, "closed-by-daemon" if got == b"" else "data", t0)
            elif kind == "raw-half-line":  # half a request, then go away
                s.sendall(b'{"v":1,"comm')
                time.sleep(random.uniform(0, 2))
                note(kind, "left", t0)
            elif kind == "raw-half-idle":  # half a request, then silence
                s.sendall(b'{"v":1,"command":"sta')
                s.settimeout(20)
                got = s.recv(4096)
                note(kind, "closed-by-daemon" if got == b"" else "data", t0)
            elif kind == "raw-connect-close":
                note(kind, "left", t0)
            elif kind == "raw-status":  # a well-formed request, reply read to the end
                s.sendall(b'{"v":1,"command":"status"}\n')
                s.settimeout(20)
                buf = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                ok = b'"type":"status"' in buf or b'"type" : "status"' in buf
                note(kind, "ok" if ok else "bad:" + buf[:80].decode(errors="replace"), t0)
            elif kind == "raw-status-noread":  # asks, never reads the reply, leaves
                s.sendall(b'{"v":1,"command":"status"}\n')
                time.sleep(3)
                note(kind, "left", t0)
        except OSError as e:
            note(kind, f"oserror:{e}", t0)
        finally:
            s.close()

    rnd = random.Random(13)
    choices = (["status"] * 3 + ["ingest", "check"] +
               ["raw-idle", "raw-half-line", "raw-half-idle", "raw-connect-close", "raw-status",
                "raw-status-noread"])
    while True:
        kind = rnd.choice(choices)
        if kind == "status":
            threading.Thread(target=cli, args=(kind, ["status"], 60), daemon=True).start()
        elif kind in ("ingest", "check"):
            with lock:
                if busy[kind] >= 2:
                    continue
                busy[kind] += 1
            threading.Thread(target=cli, args=(kind, [kind, "now"], 900), daemon=True).start()
        else:
            threading.Thread(target=raw, args=(kind,), daemon=True).start()
        time.sleep(rnd.uniform(2, 8))


# ---- end checks --------------------------------------------------------------------------
def cmd_journal(storage):
    db = ro(os.path.join(storage, "catalog.sqlite"))
    have = set(db.execute("SELECT warc_file, warc_offset FROM snapshot"))
    events, archived, missing = 0, 0, []
    for path in sorted(glob.glob(os.path.join(storage, "journal", "*.jsonl"))):
        for line in open(path):
            try:
                e = json.loads(line)
            except ValueError:
                missing.append(("unparsable journal line", line[:120]))
                continue
            if e.get("event") not in ("capture", "check"):
                continue
            events += 1
            if e.get("warc_file"):
                archived += 1
                if (e["warc_file"], e.get("warc_offset")) not in have:
                    missing.append((e["event"], e.get("url"), e["warc_file"], e.get("warc_offset")))
    print(f"journal: {events} capture/check events, {archived} with a warc_file, "
          f"{len(missing)} not in the catalog; catalog: {len(have)} snapshots")
    for m in missing[:10]:
        print("  missing:", m)
    sys.exit(1 if missing or archived == 0 else 0)


def cmd_verdict(samples, start, warmup):
    start, warmup = float(start), float(warmup)
    rows = [tuple(map(float, l.split())) for l in open(samples) if len(l.split()) == 4]
    after = [r for r in rows if r[0] >= start + warmup]
    failed = False
    if len(after) < 6:
        print(f"FAIL  rss/fds: only {len(after)} samples after the {warmup:.0f} s warm-up")
        sys.exit(1)
    third = (after[-1][0] - after[0][0]) / 3
    first = [r for r in after if r[0] <= after[0][0] + third]
    last = [r for r in after if r[0] >= after[-1][0] - third]
    rss_f, rss_l = max(r[1] for r in first) / 1024, max(r[1] for r in last) / 1024
    limit = rss_f * 1.2 + 8
    ok = rss_l <= limit
    failed |= not ok
    print(f"{'PASS' if ok else 'FAIL'}  RSS flat: last-third max {rss_l:.1f} MB <= first-third max "
          f"{rss_f:.1f} MB x 1.2 + 8 MB = {limit:.1f} MB (warm-up {warmup:.0f} s, {len(after)} samples every 2 s)")
    fmax_f, fmax_l = max(r[2] for r in first), max(r[2] for r in last)
    fmin_f, fmin_l = min(r[2] for r in first), min(r[2] for r in last)
    ok = fmax_l <= fmax_f + 4 and fmin_l <= fmin_f + 4
    failed |= not ok
    print(f"{'PASS' if ok else 'FAIL'}  fds flat: last third {fmin_l:.0f}-{fmax_l:.0f} vs first third "
          f"{fmin_f:.0f}-{fmax_f:.0f} (each end may rise by at most 4); all after warm-up "
          f"{min(r[2] for r in after):.0f}-{max(r[2] for r in after):.0f}")
    sys.exit(1 if failed else 0)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"digest": cmd_digest, "notify": cmd_notify, "gap": cmd_gap, "sample": cmd_sample,
     "counts": cmd_counts, "clients": cmd_clients, "journal": cmd_journal,
     "verdict": cmd_verdict}[cmd](*args)


if __name__ == "__main__":
    main()
