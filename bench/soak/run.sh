#!/usr/bin/env bash
# Soak run (issue #13, "Go further: Soak"): `sourcekeep run` (release build) for SOAK_MINUTES
# with check_every = "1m" against a loopback farm that misbehaves on purpose (farm.py: resets,
# slow drips, 5xx bursts, redirect loops and endless chains, huge changing bodies, 429 with
# Retry-After, plus normal and changing articles), a new digest every minute, and control-socket
# clients coming and going (CLI status / ingest now / check now, raw connections that go idle,
# leave mid-line or never read the reply). Every minute it prints elapsed time, the daemon's
# RSS, open fds, threads, links, snapshots and the largest gap between WATCHDOG=1 pings so far.
# At the end: PASS/FAIL per criterion, exit 1 on any FAIL. Loopback only (127.0.0.121-128),
# bounded, and everything it started is killed on exit. Logs stay in $SOAK_DIR.
set -uo pipefail
cd "$(dirname "$0")/../.."

MINUTES=${SOAK_MINUTES:-30}
SOAK_DIR=$(realpath -m "${SOAK_DIR:-.build/soak}")
PORT=${SOAK_PORT:-18613}
FIRST=121
HOSTS=8
WATCHDOG_USEC=20000000                      # WatchdogSec = 20 s: the daemon pings every 10 s
GAP_LIMIT=${SOAK_GAP_LIMIT:-11.5}           # half WatchdogSec + the ping timer's 10 % leeway + 0.5 s
WARMUP_S=$(( MINUTES >= 30 ? 300 : (MINUTES * 60 / 6 > 60 ? MINUTES * 60 / 6 : 60) ))
HERE=$PWD/bench/soak
BIN=${SOAK_BIN:-$PWD/.build/release/sourcekeep}
[ -x "$BIN" ] || { echo "soak: $BIN missing (make release)" >&2; exit 1; }

rm -rf "$SOAK_DIR" && mkdir -p "$SOAK_DIR/digests" || exit 1
cd "$SOAK_DIR" || exit 1
CONFIG=$SOAK_DIR/sourcekeep.toml
STORE=$SOAK_DIR/data

PIDS=()
DAEMON=""
CLIENTS=""
cleanup() {
  [ -n "$CLIENTS" ] && kill -- -"$CLIENTS" 2>/dev/null
  [ -n "$DAEMON" ] && kill "$DAEMON" 2>/dev/null && sleep 1 && kill -9 "$DAEMON" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

H="python3 $HERE/soak.py"
cat >"$CONFIG" <<TOML
[digests]
paths = ["digests"]
[storage]
dir = "data"
[fetch]
allow_private_networks = true
concurrency = 16
per_host_concurrency = 2
per_host_interval_ms = 100
connect_timeout_s = 5
timeout_s = 15
max_body_mb = 4
retries = 2
link_deadline_s = 60
[health]
recheck_interval = "1m"
[schedule]
ingest_every = "2m"
check_every = "1m"
TOML

python3 "$HERE/farm.py" "$PORT" "$FIRST" "$HOSTS" >farm.log 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do grep -q ready farm.log 2>/dev/null && break; sleep 0.1; done
grep -q ready farm.log || { echo "soak: the farm did not start"; cat farm.log; exit 1; }

$H notify "$SOAK_DIR/notify.sock" notify.log 2>notify.err &
PIDS+=($!)
for _ in $(seq 50); do [ -S notify.sock ] && break; sleep 0.1; done

$H digest digests 0 "$FIRST" "$HOSTS" "$PORT" >/dev/null
NOTIFY_SOCKET=$SOAK_DIR/notify.sock WATCHDOG_USEC=$WATCHDOG_USEC "$BIN" run --config "$CONFIG" >daemon.out 2>daemon.log &
DAEMON=$!
START=$(date +%s)
$H sample "$DAEMON" samples.txt &
PIDS+=($!)
for _ in $(seq 300); do grep -q 'READY=1' notify.log 2>/dev/null && break; sleep 0.1; done
grep -q 'READY=1' notify.log || { echo "soak: no READY=1 from the daemon"; tail daemon.log; exit 1; }
setsid $H clients "$BIN" "$CONFIG" "$STORE/control.sock" clients.log &
CLIENTS=$!

echo "soak: $MINUTES min, daemon pid $DAEMON, farm 127.0.0.$FIRST-$((FIRST + HOSTS - 1)):$PORT, logs in $SOAK_DIR"
printf '%-6s %8s %5s %5s %6s %6s %8s %6s  %s\n' elapsed RSS_MB fds thr links snaps maxgap_s pings status
CRASHED=0
for m in $(seq 1 "$MINUTES"); do
  while [ $(( $(date +%s) - START )) -lt $(( m * 60 )) ]; do
    kill -0 "$DAEMON" 2>/dev/null || break 2
    sleep 1
  done
  [ "$m" -lt "$MINUTES" ] && $H digest digests "$m" "$FIRST" "$HOSTS" "$PORT" >/dev/null
  if ! kill -0 "$DAEMON" 2>/dev/null; then break; fi
  rss=$(awk '/^VmRSS:/{print $2}' /proc/"$DAEMON"/status)
  thr=$(awk '/^Threads:/{print $2}' /proc/"$DAEMON"/status)
  fds=$(ls /proc/"$DAEMON"/fd | wc -l)
  read -r links snaps < <($H counts "$STORE/catalog.sqlite")
  read -r gap _ pings _ < <($H gap notify.log)
  st=$(grep -o 'STATUS=[^|]*' notify.log | tail -1 | cut -c8- | cut -c1-60)
  printf '%3d:00 %8.1f %5d %5d %6s %6s %8s %6s  %s\n' "$m" "$(echo "$rss" | awk '{print $1/1024}')" \
    "$fds" "$thr" "$links" "$snaps" "$gap" "$pings" "$st"
done

kill -0 "$DAEMON" 2>/dev/null || CRASHED=1
kill -- -"$CLIENTS" 2>/dev/null; CLIENTS=""
echo
echo "== verdicts"
FAILS=0
verdict() { # PASS|FAIL text
  echo "$1  $2"; [ "$1" = PASS ] || FAILS=$((FAILS + 1))
}
if [ "$CRASHED" = 1 ]; then
  wait "$DAEMON"; rc=$?
  verdict FAIL "daemon alive for $MINUTES min: it exited (status $rc) after $(( $(date +%s) - START )) s; tail of daemon.log:"
  tail -20 daemon.log | sed 's/^/      /'
  DAEMON=""
else
  verdict PASS "daemon alive for $MINUTES min (no crash, no restart)"
fi

$H verdict samples.txt "$START" "$WARMUP_S" >verdict.txt; cat verdict.txt
FAILS=$((FAILS + $(grep -c '^FAIL' verdict.txt)))

read -r gap _ pings ready < <($H gap notify.log)
if [ "$ready" = ready ] && awk -v g="$gap" -v l="$GAP_LIMIT" 'BEGIN{exit !(g <= l)}'; then
  verdict PASS "watchdog: largest gap between pings $gap s <= $GAP_LIMIT s ($pings pings, WatchdogSec 20 s)"
else
  verdict FAIL "watchdog: largest gap between pings $gap s > $GAP_LIMIT s ($pings pings, $ready)"
fi

if [ -n "$DAEMON" ]; then
  if timeout 30 "$BIN" status --config "$CONFIG" >status.txt 2>&1; then
    verdict PASS "daemon answers status at the end ($(grep -m1 -i 'activity\|daemon' status.txt | tr -s ' ' | cut -c1-80))"
  else
    verdict FAIL "daemon answers status at the end: $(tail -2 status.txt)"
  fi
  kill -TERM "$DAEMON"
  for _ in $(seq 60); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$DAEMON" 2>/dev/null; then
    verdict FAIL "SIGTERM: the daemon was still running 30 s later (killed)"
    kill -9 "$DAEMON"
  else
    wait "$DAEMON"; rc=$?
    if [ "$rc" = 0 ]; then verdict PASS "SIGTERM: the daemon stopped, exit 0"; else verdict FAIL "SIGTERM: exit $rc"; fi
  fi
  DAEMON=""
fi

if "$BIN" verify --config "$CONFIG" >verify.txt 2>&1; then
  verdict PASS "verify clean: $(tail -1 verify.txt | cut -c1-100)"
else
  verdict FAIL "verify: exit $?; $(tail -3 verify.txt | tr '\n' ' ' | cut -c1-300)"
fi

if $H journal "$STORE" >journal-check.txt 2>&1; then
  verdict PASS "$(head -1 journal-check.txt)"
else
  verdict FAIL "$(cat journal-check.txt | head -5)"
fi

echo
echo "== for the record (not criteria)"
echo "clients: $(awk '{print $2, $3}' clients.log | sort | uniq -c | awk '{printf "%s %s x%d; ", $2, $3, $1}')"
echo "daemon log lines by priority: $(grep -o '^<[0-9]>' daemon.log | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
grep -E '^<[0-3]>' daemon.log | cut -c1-200 | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
echo "journal events: $(cat "$STORE"/journal/*.jsonl | python3 -c 'import sys,json,collections; c=collections.Counter(json.loads(l)["event"] for l in sys.stdin); print(dict(c))')"
echo "check/capture statuses: $(cat "$STORE"/journal/*.jsonl | python3 -c 'import sys,json,collections; c=collections.Counter(e.get("status") for e in map(json.loads, sys.stdin) if e["event"] in ("capture","check")); print(dict(c))')"
echo "archive: $(du -sh "$STORE/warc" | cut -f1); farm: $(tail -1 farm.log | cut -c1-300)"

echo
if [ "$FAILS" = 0 ]; then echo "soak: PASS ($MINUTES min)"; exit 0; fi
echo "soak: FAIL ($FAILS criteria)"; exit 1
