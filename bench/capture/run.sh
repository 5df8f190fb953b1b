#!/usr/bin/env bash
# Capture benchmark (not a test): 2,000 article pages of ~60 KB over 20 loopback hosts
# (127.0.0.71-90), 20 ms server latency. sourcekeep runs a full `ingest now` (fetch, WARC,
# parse, catalog, FTS) on a digest citing them; wget fetches the same list with
# --warc-file, once sequentially and once as 8 parallel processes (xargs -P 8). Prints wall
# time, ratios, pages/s, MB/s written, CPU time, peak RSS and archive sizes. Loopback only.
# REQUISITES=1: each page also holds 10 images of 20-80 KB in `src` (30 % shared between
# pages); sourcekeep archives them as page requisites (docs/design.md#page-requisites) and
# wget runs with --page-requisites (x8 only).
# CORPUS=DIR: the farm serves the real pages in DIR (*.html, *.html.gz) instead of its
# synthetic ones, page N being file N mod count; CORPUS=extraction is the 181 pages of
# ../shared/bench/extraction/data/html (read from ../shared, so only beside the shared tree).
# ROUNDS=N (default 1): N rounds on the same farm, sourcekeep (a fresh store each time) and
# wget x8 alternating, then the medians and the median of the per-round ratios: on a shared
# 2-core machine one run's CPU time swings by up to 20 %, so a single pair proves little.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/farm.sh

PAGES=${PAGES:-2000}
HOSTS=${HOSTS:-20}
FIRST=71
PORT=${PORT:-18491}
KB=${KB:-60}
SEQUENTIAL=${SEQUENTIAL:-1}   # SEQUENTIAL=0 skips the (slow) single-process wget run
REQUISITES=${REQUISITES:-0}   # 1: ten images per page, fetched by both tools
ROUNDS=${ROUNDS:-1}
CORPUS=${CORPUS:-}
[ "$CORPUS" = extraction ] && CORPUS=../shared/bench/extraction/data/html
if [ -n "$CORPUS" ]; then
  [ -d "$CORPUS" ] || { echo "CORPUS=$CORPUS: no such directory" >&2; exit 1; }
  export FARM_CORPUS=$(cd "$CORPUS" && pwd)
fi
IMAGES=0
if [ "$REQUISITES" = 1 ]; then IMAGES=10; SEQUENTIAL=0; fi
WORK=$(mktemp -d)
trap 'kill $FARM 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in wget bc; do command -v $tool >/dev/null || { echo "$tool missing: apt-get install $tool" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }

swift build -c release --product sourcekeep >/dev/null
BIN="$(swift build -c release --show-bin-path)/sourcekeep"

python3 bench/capture/farm.py "$PORT" "$HOSTS" "$FIRST" "$KB" 20 "$PAGES" "$IMAGES" >"$WORK/farm.log" 2>&1 &
FARM=$!
wait_for_farm "$WORK/farm.log"

mkdir -p "$WORK/sk/digests" "$WORK/wget1" "$WORK/wget8"
farm_digest "$WORK/sk/digests/2026-02-17.md" "$PAGES" "$FIRST" "$HOSTS" "$PORT" "$WORK/urls.txt"
farm_config "$WORK/sk/sourcekeep.toml"
cat >>"$WORK/sk/sourcekeep.toml" <<TOML
[capture]
requisites = $([ "$REQUISITES" = 1 ] && echo true || echo false)
TOML
split -n l/8 -d "$WORK/urls.txt" "$WORK/wget8/list."

measure() { # name, pages, command...
  local name=$1 pages=$2; shift 2
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || true
  local wall rss user sys
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$WORK/$name.time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident/{print $2}' "$WORK/$name.time")
  user=$(awk -F': ' '/User time/{print $2}' "$WORK/$name.time")
  sys=$(awk -F': ' '/System time/{print $2}' "$WORK/$name.time")
  echo "$wall" >"$WORK/$name.wall"
  echo "$user $sys $rss" >"$WORK/$name.cpu"
}

report() { # name, archive bytes[, label]
  local name=$1 bytes=$2 label=${3:-$1}
  read -r user sys rss <"$WORK/$name.cpu"
  local wall; wall=$(cat "$WORK/$name.wall")
  printf '%-13s wall %7.2f s  %6.1f pages/s  %5.1f MB/s written  CPU %6.2f s  peak RSS %6.1f MB  archive %7.1f MB\n' \
    "$label" "$wall" "$(echo "$PAGES / $wall" | bc -l)" "$(echo "$bytes / 1048576 / $wall" | bc -l)" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)"
}

if [ -n "$CORPUS" ]; then
  echo "farm: $PAGES pages cycling through the real pages of $FARM_CORPUS over $HOSTS hosts, 20 ms latency"
else
  echo "farm: $PAGES pages of ~${KB} KB over $HOSTS hosts, 20 ms latency, $IMAGES images per page"
fi
cp -r "$WORK/sk" "$WORK/sk-template"
wget_args=(--quiet --tries=1 --timeout=30 --delete-after --no-directories)
[ "$REQUISITES" = 1 ] && wget_args+=(--page-requisites)
for r in $(seq "$ROUNDS"); do
  rm -rf "$WORK/sk" && cp -r "$WORK/sk-template" "$WORK/sk"
  (cd "$WORK/sk" && measure "sourcekeep-$r" "$PAGES" "$BIN" ingest now --config sourcekeep.toml)
  du -cb "$WORK"/sk/data/warc/*.warc.gz | tail -1 | cut -f1 >"$WORK/sourcekeep-$r.bytes"
  if [ "$r" = 1 ]; then
    grep -E '^capture:' "$WORK/sourcekeep-1.out" | sed 's/^/  /' || true
    if [ "$REQUISITES" = 1 ]; then
      sqlite3 "$WORK/sk/data/catalog.sqlite" \
        "SELECT '  requisites: ' || status || COALESCE(' ' || record_type, '') || ' ' || COUNT(*) FROM requisite GROUP BY status, record_type" \
        2>/dev/null || true
    fi
  fi
  rm -f "$WORK"/wget8/*.warc.gz
  (cd "$WORK/wget8" && measure "wget-x8-$r" "$PAGES" bash -c \
    "ls list.* | xargs -P 8 -I{} wget ${wget_args[*]} --warc-file=w-{} -i {}")
  du -cb "$WORK"/wget8/*.warc.gz | tail -1 | cut -f1 >"$WORK/wget-x8-$r.bytes"
done
if [ "$SEQUENTIAL" = 1 ]; then
  (cd "$WORK/wget1" && measure wget "$PAGES" wget "${wget_args[@]}" --warc-file=w -i "$WORK/urls.txt")
  du -cb "$WORK"/wget1/*.warc.gz | tail -1 | cut -f1 >"$WORK/wget.bytes"
fi

echo
for r in $(seq "$ROUNDS"); do
  [ "$ROUNDS" = 1 ] || echo "round $r"
  report "sourcekeep-$r" "$(cat "$WORK/sourcekeep-$r.bytes")" sourcekeep
  report "wget-x8-$r" "$(cat "$WORK/wget-x8-$r.bytes")" wget-x8
done
[ "$SEQUENTIAL" = 1 ] && report wget "$(cat "$WORK/wget.bytes")" wget
# median FILE-SUFFIX FIELD: the median over the rounds of one figure (awk, no other tools).
median() {
  for r in $(seq "$ROUNDS"); do cat "$WORK/$1-$r.$2"; done | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
for r in $(seq "$ROUNDS"); do
  for t in sourcekeep wget-x8; do
    read -r user sys _ <"$WORK/$t-$r.cpu"
    echo "$user + $sys" | bc -l >"$WORK/$t-$r.cputime"
  done
  echo "$(cat "$WORK/wget-x8-$r.wall") / $(cat "$WORK/sourcekeep-$r.wall")" | bc -l >"$WORK/ratio-$r.speed"
  echo "$(cat "$WORK/sourcekeep-$r.cputime") / $(cat "$WORK/wget-x8-$r.cputime")" | bc -l >"$WORK/ratio-$r.cpu"
done
if [ "$ROUNDS" != 1 ]; then
  echo
  printf 'medians of %d rounds: sourcekeep %.2f s wall, %.2f CPU-s; wget x8 %.2f s wall, %.2f CPU-s\n' "$ROUNDS" \
    "$(median sourcekeep wall)" "$(median sourcekeep cputime)" "$(median wget-x8 wall)" "$(median wget-x8 cputime)"
  printf 'per-round speed-ups vs wget x8: %s\n' "$(for r in $(seq "$ROUNDS"); do printf '%.2f ' "$(cat "$WORK/ratio-$r.speed")"; done)"
  printf 'per-round CPU sourcekeep/wget x8: %s\n' "$(for r in $(seq "$ROUNDS"); do printf '%.2f ' "$(cat "$WORK/ratio-$r.cpu")"; done)"
fi
printf 'speed-up vs wget x8: %.2fx%s (goal >= 1.5)\n' "$(median ratio speed)" "$([ "$ROUNDS" = 1 ] || echo ', median')"
printf 'CPU sourcekeep/wget x8: %.2f%s (goal <= 1)\n' "$(median ratio cpu)" "$([ "$ROUNDS" = 1 ] || echo ', median')"
[ "$SEQUENTIAL" = 1 ] && printf 'speed-up vs wget:    %.2fx\n' "$(echo "$(cat "$WORK/wget.wall") / $(cat "$WORK/sourcekeep-1.wall")" | bc -l)"
printf 'archive size sourcekeep/wget x8: %.3f (goal within 10%%)\n' \
  "$(echo "$(cat "$WORK/sourcekeep-1.bytes") / $(cat "$WORK/wget-x8-1.bytes")" | bc -l)"
