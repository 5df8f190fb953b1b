#!/usr/bin/env bash
# A/B of two sourcekeep builds on the capture farm (not a test): `ingest now` of the same
# 2,000 pages by build A, then build B, alternating for ROUNDS rounds on one farm, a fresh store
# each run; prints each run's wall, CPU, peak RSS and archive size, then the medians and how
# many rounds B used less CPU. On a shared 2-core machine one run's CPU swings by 5-20 %, so a
# change of a few per cent shows only in alternating rounds.
#   bash bench/capture/ab.sh OLD_BINARY NEW_BINARY
# Knobs: ROUNDS (4), PAGES (2000), CORPUS=DIR or CORPUS=extraction (real pages, as in run.sh),
# REQUISITES=1 (ten images per page, IMAGES=N to change, archived as requisites), ENV_B="VAR=value ..."
# (environment for B only, e.g. ENV_B="MALLOC_ARENA_MAX=2" with the same binary twice).
# To keep a build before rebuilding: cp "$(swift build -c release --show-bin-path)/sourcekeep" /tmp/sk-old
set -euo pipefail
[ $# = 2 ] || { echo "usage: bash bench/capture/ab.sh BINARY_A BINARY_B" >&2; exit 2; }
A=$(realpath "$1"); B=$(realpath "$2")
cd "$(dirname "$0")/../.."
. bench/lib/farm.sh
ROUNDS=${ROUNDS:-4}
PAGES=${PAGES:-2000}
PORT=${PORT:-18495}
REQUISITES=${REQUISITES:-0}
IMAGES=${IMAGES:-$([ "$REQUISITES" = 1 ] && echo 10 || echo 0)}
CORPUS=${CORPUS:-}
[ "$CORPUS" = extraction ] && CORPUS=../shared/bench/extraction/data/html
if [ -n "$CORPUS" ]; then
  [ -d "$CORPUS" ] || { echo "CORPUS=$CORPUS: no such directory" >&2; exit 1; }
  export FARM_CORPUS=$(cd "$CORPUS" && pwd)
fi
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'kill $FARM 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 bench/capture/farm.py "$PORT" 20 71 60 20 "$PAGES" "$IMAGES" >"$WORK/farm.log" 2>&1 &
FARM=$!
wait_for_farm "$WORK/farm.log"
mkdir -p "$WORK/template/digests"
farm_digest "$WORK/template/digests/2026-02-17.md" "$PAGES" 71 20 "$PORT"
farm_config "$WORK/template/sourcekeep.toml"
cat >>"$WORK/template/sourcekeep.toml" <<TOML
[capture]
requisites = $([ "$REQUISITES" = 1 ] && echo true || echo false)
TOML
for r in $(seq "$ROUNDS"); do
  for build in A B; do
    bin=$A; environment=()
    if [ $build = B ]; then bin=$B; read -r -a environment <<<"${ENV_B:-}"; fi
    rm -rf "$WORK/store" && cp -r "$WORK/template" "$WORK/store"
    (cd "$WORK/store" && env "${environment[@]}" /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" \
      "$bin" ingest now --config sourcekeep.toml >/dev/null 2>&1) || echo "round $r $build: exit status $?" >&2
    read -r wall user sys rss <"$WORK/time"
    cpu=$(echo "$user + $sys" | bc)
    bytes=$(du -cb "$WORK"/store/data/warc/*.warc.gz | tail -1 | cut -f1)
    printf 'round %d %s  wall %6.2f s  CPU %6.2f s  peak RSS %5.1f MB  archive %d bytes\n' \
      "$r" "$build" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)" "$bytes"
    echo "$wall" >>"$WORK/$build.wall"
    echo "$cpu" >>"$WORK/$build.cpu"
  done
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
fewer=$(paste "$WORK/A.cpu" "$WORK/B.cpu" | awk '$2 < $1 { n++ } END { print n + 0 }')
printf 'medians of %d rounds: A %.2f s wall, %.2f CPU-s; B %.2f s wall, %.2f CPU-s; B/A CPU %.3f; B used less CPU in %d of %d rounds\n' \
  "$ROUNDS" "$(median "$WORK/A.wall")" "$(median "$WORK/A.cpu")" "$(median "$WORK/B.wall")" "$(median "$WORK/B.cpu")" \
  "$(echo "$(median "$WORK/B.cpu") / $(median "$WORK/A.cpu")" | bc -l)" "$fewer" "$ROUNDS"
