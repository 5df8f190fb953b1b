#!/usr/bin/env bash
# Web view benchmark (not a test): a store of 2,000 captured articles (~60 KB each, from
# bench/capture/farm.py over loopback), then `wrk` for 30 s each against sourcekeep's web view
# (`sourcekeep serve`: /, a digest page, a readable copy, an id_ original) and against pywb 2.x
# replaying the same WARC files in the same run (its rewritten replay and its id_ original).
# Prints requests/s, p50/p99 latency, the CPU seconds each server used during each run (and so
# requests per CPU-second, a figure other load on the machine does not move much), the load
# average, and each server's peak RSS. Loopback only.
# Env: PAGES (2000), DURATION (30s), CONNECTIONS (16), THREADS (2), BIN, PYWB_VENV.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/farm.sh

PAGES=${PAGES:-2000}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
HOSTS=20
FIRST=71
FARM_PORT=${FARM_PORT:-18492}
SK_PORT=${SK_PORT:-18493}
PYWB_PORT=${PYWB_PORT:-18494}
VENV=$(realpath -m "${PYWB_VENV:-.venv-pywb}") # absolute: used after cd
WORK=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
if [ ! -x "$VENV/bin/wayback" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "pywb>=2.8,<3"
fi

if [ -z "${BIN:-}" ]; then # BIN=PATH: that binary instead of building the release one
  swift build -c release --product sourcekeep >/dev/null
  BIN="$(swift build -c release --show-bin-path)/sourcekeep"
fi

# 1. The store: ingest 2,000 farm articles.
python3 bench/capture/farm.py "$FARM_PORT" "$HOSTS" "$FIRST" 60 0 "$PAGES" >"$WORK/farm.log" 2>&1 &
pids+=($!)
wait_for_farm "$WORK/farm.log"
mkdir -p "$WORK/sk/digests"
farm_digest "$WORK/sk/digests/2026-02-17.md" "$PAGES" "$FIRST" "$HOSTS" "$FARM_PORT"
farm_config "$WORK/sk/sourcekeep.toml"
cat >>"$WORK/sk/sourcekeep.toml" <<TOML
[web]
listen = "127.0.0.1:$SK_PORT"
TOML
(cd "$WORK/sk" && "$BIN" ingest now --config sourcekeep.toml | tail -3)
kill "${pids[0]}" 2>/dev/null || true

# 2. The servers.
(cd "$WORK/sk" && exec "$BIN" serve --config sourcekeep.toml 2>"$WORK/serve.log") &
SK_PID=$!
pids+=($SK_PID)
mkdir -p "$WORK/pywb"
(cd "$WORK/pywb" && "$VENV/bin/wb-manager" init bench >/dev/null 2>&1 &&
  "$VENV/bin/wb-manager" add bench "$WORK"/sk/data/warc/*.warc.gz >/dev/null 2>&1)
(cd "$WORK/pywb" && exec "$VENV/bin/wayback" -p "$PYWB_PORT" -b 127.0.0.1 >"$WORK/pywb.log" 2>&1) &
PYWB_PID=$!
pids+=($PYWB_PID)
for url in "http://127.0.0.1:$SK_PORT/healthz" "http://127.0.0.1:$PYWB_PORT/"; do
  for _ in $(seq 300); do curl -fs -o /dev/null "$url" && break; sleep 0.1; done
done

# One article, as both servers address it.
ARTICLE="http://127.0.0.$((FIRST + 7 % HOSTS)):$FARM_PORT/a/7"
TS=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$SK_PORT/web/2/$ARTICLE" | sed -E 's|.*/web/([0-9]{14})/.*|\1|')
[ ${#TS} = 14 ] || { echo "no capture of $ARTICLE in the web view" >&2; exit 1; }

TICKS=$(getconf CLK_TCK)
# CPU seconds (user + system) process PID has used so far.
cpu_seconds() { awk -v t="$TICKS" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; }

run_wrk() { # label, pid, url
  local label=$1 pid=$2 url=$3
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
  [ "$code" = 200 ] || { echo "$label: $url answered $code" >&2; exit 1; }
  local cpu0 cpu1
  cpu0=$(cpu_seconds "$pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$WORK/wrk.out" 2>&1
  cpu1=$(cpu_seconds "$pid")
  local rps p50 p99 requests cpu
  rps=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk.out")
  p50=$(awk '$1=="50%"{print $2}' "$WORK/wrk.out")
  p99=$(awk '$1=="99%"{print $2}' "$WORK/wrk.out")
  requests=$(awk '/requests in/{print $1}' "$WORK/wrk.out")
  cpu=$(echo "$cpu1 - $cpu0" | bc)
  # Requests per CPU-second of the server: what the server costs, whatever else shares the cores.
  local per_cpu
  per_cpu=$(echo "scale=0; $requests / ($cpu + 0.001)" | bc)
  printf '%-30s %9s req/s  p50 %8s  p99 %8s  server CPU %6ss  %7s req/CPU-s  load %s\n' \
    "$label" "$rps" "$p50" "$p99" "$cpu" "$per_cpu" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "$rps" >"$WORK/rps.$(echo "$label" | tr -c 'a-z0-9' '_')"
  echo "$per_cpu" >"$WORK/cpu.$(echo "$label" | tr -c 'a-z0-9' '_')"
}

peak_rss() { awk '/VmHWM/{printf "%.1f MB", $2/1024}' "/proc/$1/status"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "store: $PAGES articles, $(du -sh "$WORK/sk/data/warc" | cut -f1) of WARC; wrk $DURATION, $CONNECTIONS connections, $THREADS threads"
SK="http://127.0.0.1:$SK_PORT"
PY="http://127.0.0.1:$PYWB_PORT"
run_wrk "sourcekeep /" $SK_PID "$SK/"
run_wrk "sourcekeep digest page" $SK_PID "$SK/digests/2026-02-17"
run_wrk "sourcekeep readable copy" $SK_PID "$SK/web/$TS/$ARTICLE"
run_wrk "sourcekeep id_ original" $SK_PID "$SK/web/${TS}id_/$ARTICLE"
# pywb's replay of a page is two requests: the frame (/<ts>/: banner and an iframe) and the
# rewritten page inside it (/<ts>mp_/). Both are measured; the frame alone is the cheaper one.
run_wrk "pywb replay frame (/<ts>/)" $PYWB_PID "$PY/bench/$TS/$ARTICLE"
run_wrk "pywb replay content (mp_)" $PYWB_PID "$PY/bench/${TS}mp_/$ARTICLE"
run_wrk "pywb id_ original" $PYWB_PID "$PY/bench/${TS}id_/$ARTICLE"
echo "peak RSS: sourcekeep serve $(peak_rss $SK_PID), pywb $(peak_rss $PYWB_PID)"
ratio() { echo "scale=2; $(cat "$WORK/$1.$2") / $(cat "$WORK/$1.$3")" | bc; }
echo "readable copy vs pywb frame:   $(ratio rps sourcekeep_readable_copy_ pywb_replay_frame____ts____)x req/s, \
$(ratio cpu sourcekeep_readable_copy_ pywb_replay_frame____ts____)x req/CPU-s (goal >= 5)"
echo "readable copy vs pywb mp_:     $(ratio rps sourcekeep_readable_copy_ pywb_replay_content__mp___)x req/s, \
$(ratio cpu sourcekeep_readable_copy_ pywb_replay_content__mp___)x req/CPU-s"
echo "id_ original vs pywb id_:      $(ratio rps sourcekeep_id__original_ pywb_id__original_)x req/s, \
$(ratio cpu sourcekeep_id__original_ pywb_id__original_)x req/CPU-s (goal >= 5)"
echo "cores: $(nproc); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
