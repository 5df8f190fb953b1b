#!/usr/bin/env bash
# Fetcher benchmark (not a test): a loopback link farm of 5,000 URLs over 50 hosts
# (127.0.0.11-60), 20 KB bodies, 20 ms server latency, fetched by sourcekeep
# (concurrency 64, per_host_concurrency 2, per_host_interval_ms 0) and by
# `curl --parallel --parallel-max 64` in the same run. Prints wall time, ratio,
# transfers/s, peak RSS and CPU time. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."

URLS=${URLS:-5000}
HOSTS=${HOSTS:-50}
FIRST=11
PORT=${PORT:-18481}
PAR=64
WORK=$(mktemp -d)
trap 'kill $FARM 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v curl >/dev/null || { echo "curl missing: apt-get install curl" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }

swift build -c release --product bench-probe >/dev/null
BIN="$(swift build -c release --show-bin-path)/bench-probe"

python3 bench/fetch/farm.py "$PORT" "$HOSTS" "$FIRST" 20 20 >"$WORK/farm.log" 2>&1 &
FARM=$!
for _ in $(seq 50); do grep -q ready "$WORK/farm.log" 2>/dev/null && break; sleep 0.1; done

: >"$WORK/urls.txt"
: >"$WORK/curl.cfg"
for i in $(seq 0 $((URLS - 1))); do
  u="http://127.0.0.$((FIRST + i % HOSTS)):$PORT/page/$i"
  echo "$u" >>"$WORK/urls.txt"
  printf 'url = "%s"\noutput = "/dev/null"\n' "$u" >>"$WORK/curl.cfg"
done

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  local wall rss user sys
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$WORK/$name.time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident/{print $2}' "$WORK/$name.time")
  user=$(awk -F': ' '/User time/{print $2}' "$WORK/$name.time")
  sys=$(awk -F': ' '/System time/{print $2}' "$WORK/$name.time")
  printf '%-10s wall %6.2f s  %7.0f transfers/s  peak RSS %6.1f MB  CPU %5.2f s (user %s, sys %s)\n' \
    "$name" "$wall" "$(echo "$URLS / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" \
    "$(echo "$user + $sys" | bc -l)" "$user" "$sys"
  echo "$wall" >"$WORK/$name.wall"
}

echo "farm: $URLS URLs over $HOSTS hosts, 20 KB bodies, 20 ms latency; parallel $PAR"
measure sourcekeep "$BIN" "$WORK/urls.txt" --allow-private \
  --concurrency $PAR --per-host-concurrency 2 --per-host-interval-ms 0
sed 's/^/  sourcekeep: /' "$WORK/sourcekeep.out"
measure curl curl --parallel --parallel-max $PAR -s -K "$WORK/curl.cfg"
printf 'ratio sourcekeep/curl wall: %.2f (goal <= 1.30)\n' \
  "$(echo "$(cat "$WORK/sourcekeep.wall") / $(cat "$WORK/curl.wall")" | bc -l)"
