#!/usr/bin/env bash
# Export benchmark (not a test; `make bench-export`): a store of 2,000 captured articles of
# ~60 KB (bench/capture's loopback farm, 20 hosts), then `sourcekeep export wacz` of the whole
# store against `zip -0` of the same WARC files, in the same run: wall time, throughput (MB/s
# of package written), peak RSS. Goals (docs/performance.md): peak RSS < 100 MB, throughput
# >= 80 % of zip -0's. REQUISITES=1 adds ten images per page. Loopback only.
# STORE=DIR keeps the store there and reuses it when it is already built (to compare binaries
# on the same store); BIN=PATH uses that binary instead of building the release one.
# STATIC=1 builds it with --static-swift-stdlib, as `make test-systemd` builds the installed
# binary (no Swift runtime to load and bind at start; switching recompiles every target).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/farm.sh

PAGES=${PAGES:-2000}
HOSTS=${HOSTS:-20}
FIRST=71
PORT=${PORT:-18591}
KB=${KB:-60}
REQUISITES=${REQUISITES:-0}
IMAGES=0
[ "$REQUISITES" = 1 ] && IMAGES=10
WORK=$(mktemp -d)
trap 'kill $FARM 2>/dev/null || true; rm -rf "$WORK"' EXIT
for tool in zip bc; do command -v $tool >/dev/null || { echo "$tool missing: apt-get install $tool" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }

if [ -z "${BIN:-}" ]; then
  static=()
  [ "${STATIC:-0}" = 1 ] && static=(--static-swift-stdlib)
  swift build -c release "${static[@]}" --product sourcekeep >/dev/null
  BIN="$(swift build -c release --show-bin-path)/sourcekeep"
fi
SK=$(realpath -m "${STORE:-$WORK/sk}")
FARM=
if [ -d "$SK/data/warc" ]; then
  echo "reusing the store in $SK"
else
python3 bench/capture/farm.py "$PORT" "$HOSTS" "$FIRST" "$KB" 0 "$PAGES" "$IMAGES" >"$WORK/farm.log" 2>&1 &
FARM=$!
wait_for_farm "$WORK/farm.log"

mkdir -p "$SK/digests"
farm_digest "$SK/digests/2026-02-17.md" "$PAGES" "$FIRST" "$HOSTS" "$PORT"
cat >"$SK/sourcekeep.toml" <<TOML
[digests]
paths = ["digests"]
[storage]
dir = "data"
[fetch]
allow_private_networks = true
concurrency = 40
per_host_interval_ms = 0
[capture]
requisites = $([ "$REQUISITES" = 1 ] && echo true || echo false)
TOML
(cd "$SK" && "$BIN" ingest now --quiet --config sourcekeep.toml)
kill $FARM 2>/dev/null || true
fi

measure() { # name, command...
  local name=$1; shift
  sync
  /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>&1
  awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$WORK/$name.time" |
    awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' >"$WORK/$name.wall"
  awk -F': ' '/User time/{c+=$2} /System time/{c+=$2} END{print c}' "$WORK/$name.time" >"$WORK/$name.cpu"
  awk -F': ' '/Maximum resident/{print $2}' "$WORK/$name.time" >"$WORK/$name.rss"
}
report() { # name, output file
  local wall rss bytes cpu
  wall=$(cat "$WORK/$1.wall"); rss=$(cat "$WORK/$1.rss"); cpu=$(cat "$WORK/$1.cpu"); bytes=$(stat -c %s "$2")
  printf '%-18s wall %6.2f s  CPU %6.2f s  %7.1f MB/s  peak RSS %6.1f MB  output %7.1f MB\n' "$1" "$wall" "$cpu" \
    "$(echo "$bytes / 1048576 / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)"
  echo "$bytes / 1048576 / $wall" | bc -l >"$WORK/$1.mbs"
}

warc=$(du -cb "$SK"/data/warc/*.warc.gz | tail -1 | cut -f1)
echo "store: $PAGES pages, $(echo "$warc / 1048576" | bc -l | xargs printf '%.1f') MB of WARC; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# Both programs read from the page cache: the first round's export would otherwise read a store
# that building another store (or anything else on the machine) pushed out of it, and zip -0,
# going second, would not.
cat "$SK"/data/warc/*.warc.gz "$SK"/data/catalog.sqlite* >/dev/null
# ROUNDS pairs, export then zip -0, back to back (the shared machine's load moves between
# rounds, not within one); the ratio is taken per round.
ROUNDS=${ROUNDS:-3}
for round in $(seq "$ROUNDS"); do
  rm -f "$WORK/all.wacz" "$WORK/all.zip"
  (cd "$SK" && measure export "$BIN" export wacz --config sourcekeep.toml --output "$WORK/all.wacz")
  (cd "$SK/data" && measure zip-0 zip -0 -q "$WORK/all.zip" warc/*.warc.gz)
  echo "round $round (load $(cut -d' ' -f1 /proc/loadavg)):"
  report export "$WORK/all.wacz"
  report zip-0 "$WORK/all.zip"
  printf 'throughput export/zip -0: %.0f %% (goal >= 80 %%); CPU zip -0/export: %.0f %%; peak RSS goal < 100 MB\n' \
    "$(echo "100 * $(cat "$WORK/export.mbs") / $(cat "$WORK/zip-0.mbs")" | bc -l)" \
    "$(echo "100 * $(cat "$WORK/zip-0.cpu") / $(cat "$WORK/export.cpu")" | bc -l)"
done
[ -n "${PERF:-}" ] && (cd "$SK" && perf record -g -o /tmp/export-perf.data "$BIN" export wacz --config sourcekeep.toml --output "$WORK/p.wacz" >/dev/null 2>&1) || true
# The floor: what hashing every byte costs on this CPU (OpenSSL, like BoringSSL, uses SHA-NI).
if command -v openssl >/dev/null; then
  openssl speed -bytes 1048576 -seconds 1 sha256 2>/dev/null | awk '/^sha256/{printf "openssl sha256: %.0f MB/s\n", $2 / 1024}'
fi
