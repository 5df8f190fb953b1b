#!/usr/bin/env bash
# Scale benchmark (not a test; docs/performance.md#scale). Two parts, one table:
# 1. SCALE pages (default 100,000) of ~9 KiB on a loopback farm of 20 hosts, cited 100 per
#    digest: `ingest now`, `check now --all` twice (the first re-check of an unchanged page writes
#    a revisit, the next ones only their check row: docs/design.md#revisits-on-re-check; what
#    each adds to the catalog and the WARC files is printed), `report` in all five formats,
#    `status`, `search`, `journal`, `verify`, then the daemon over one check cycle of every link
#    (bench/scale/cycle.py), each under /usr/bin/time (wall, CPU, peak RSS, output size).
# 2. A synthetic catalog of SYNTH links (default 1,000,000) with a year of digests, checks and
#    snapshots, built through the catalog layer in bulk (bench/scale/catalog), then `status`,
#    `report` in all five formats, `search`, and `check now` of the DUE links that are due (selection
#    through the due index, fetching from the farm), and the daemon's start-up to READY=1
#    (bench/scale/ready.py), also on a copy taken back to the v5 schema (an upgrade before
#    READY; UPGRADE=0 skips it, sqlite3 needed). `verify` is left out there: its snapshots
#    point at made-up WARC records.
# SYNTH=0 or SCALE=0 skips a part. BENCH_DIR keeps the stores. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/farm.sh
ROOT=$(pwd)

SCALE=${SCALE:-100000}
SYNTH=${SYNTH:-1000000}
DUE=${DUE:-1000}
HOSTS=20
FIRST=71
PORT=${PORT:-18493}
WORK=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
FARM=
trap '[ -n "$FARM" ] && kill $FARM 2>/dev/null; [ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"' EXIT
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }

swift build -c release --product sourcekeep >/dev/null
swift build -c release --product bench-scale-catalog >/dev/null
BIN_DIR="$(swift build -c release --show-bin-path)"
BIN="$BIN_DIR/sourcekeep"

python3 bench/scale/farm.py "$PORT" "$HOSTS" "$FIRST" >"$WORK/farm.log" 2>&1 &
FARM=$!
for _ in $(seq 100); do grep -q ready "$WORK/farm.log" 2>/dev/null && break; sleep 0.1; done

ROWS="$WORK/rows.txt"
: >"$ROWS"
# measure LABEL OUTPUT-FILE COMMAND...: runs it in the current folder, appends a table row.
measure() {
  local label=$1 output=$2; shift 2
  /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/stdout.txt" 2>"$WORK/stderr.txt" || echo "  ($label exited $?)" >&2
  [ "$output" = - ] && output="$WORK/stdout.txt"
  awk -v label="$label" -v bytes="$(stat -c %s "$output" 2>/dev/null || echo 0)" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident/ { rss = $2 / 1024 }
    END { printf "| %-40s | %9.2f s | %8.2f s | %7.1f MB | %10.1f KB |\n", label, wall, cpu, rss, bytes / 1024 }' \
    "$WORK/time.txt" | tee -a "$ROWS"
}

GROWTH="$WORK/growth.txt"
: >"$GROWTH"
LAST_CATALOG=0
LAST_WARC=0
# store_growth LABEL: the catalog's bytes in use (dbstat, after a checkpoint) and the WARC files'
# bytes now, and what each grew by a link since the last call (docs/performance.md#what-a-re-check-adds).
store_growth() {
  local catalog warc
  catalog=$(python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(c.execute("SELECT SUM(pgsize - unused) FROM dbstat").fetchone()[0])' data/catalog.sqlite)
  warc=$(cat data/warc/*.warc.gz | wc -c)
  awk -v label="$1" -v c="$catalog" -v w="$warc" -v lc="$LAST_CATALOG" -v lw="$LAST_WARC" -v n="$SCALE" \
    'BEGIN { printf "  after %-24s catalog %13d B (%+8.0f a link)   WARC %13d B (%+8.0f a link)\n", label, c, (c - lc) / n, w, (w - lw) / n }' \
    | tee -a "$GROWTH" >&2
  LAST_CATALOG=$catalog
  LAST_WARC=$warc
}

config() { # DIR
  farm_config "$1/sourcekeep.toml"
}

if [ "$SCALE" -gt 0 ]; then
  S="$WORK/scale-$SCALE"
  mkdir -p "$S/digests"
  config "$S"
  # Links come due a minute after their last check, so the daemon's cycle at the end finds
  # every link due (the interval in force at a check sets the link's next due time).
  printf '[health]\nrecheck_interval = "1m"\n' >>"$S/sourcekeep.toml"
  # SCALE/100 digests of 100 citations (10 entries of 10), one a day going back from 2026-02-17.
  python3 - "$S/digests" "$SCALE" "$PORT" "$HOSTS" "$FIRST" <<'PY'
import datetime, sys
folder, scale, port, hosts, first = sys.argv[1], *map(int, sys.argv[2:])
end = datetime.date(2026, 2, 17)
for d in range((scale + 99) // 100):
    day = end - datetime.timedelta(days=d)
    lines = [f"# 🤖 bench - {day.year}年{day.month:02d}月{day.day:02d}日", ""]
    for e in range(10):
        links = [n for n in range(d * 100 + e * 10, d * 100 + e * 10 + 10) if n < scale]
        if not links:
            break
        lines += [f"## 条目 {d}-{e}", "", "> **来源：** " + " 、 ".join(
            f"[公众号{n % 400}](http://127.0.0.{first + n % hosts}:{port}/a/{n})" for n in links), ""]
    open(f"{folder}/{day.isoformat()}-{d}.md", "w").write("\n".join(lines) + "\n")
PY
  echo "part 1: $SCALE pages, $(ls "$S/digests" | wc -l) digests" >&2
  echo "| $SCALE links (loopback farm) | | | | |" >>"$ROWS"
  cd "$S"
  measure "ingest now" - "$BIN" ingest now --config sourcekeep.toml
  store_growth "ingest now"
  measure "check now --all" - "$BIN" check now --all --config sourcekeep.toml
  store_growth "check now --all"
  measure "check now --all (again)" - "$BIN" check now --all --config sourcekeep.toml
  store_growth "check now --all (again)"
  for f in text markdown json csv html; do
    measure "report --format $f" "$S/report.$f" "$BIN" report --format $f --output "$S/report.$f" --config sourcekeep.toml
  done
  measure "status" - "$BIN" status --config sourcekeep.toml
  measure "status --json" - "$BIN" status --json --config sourcekeep.toml
  measure "search 推理" - "$BIN" search 推理 --config sourcekeep.toml
  measure "search --json 第12345篇" - "$BIN" search --json 第12345篇 --config sourcekeep.toml
  measure "journal" - "$BIN" journal --config sourcekeep.toml
  measure "verify" - "$BIN" verify --config sourcekeep.toml
  # The daemon over one full check cycle: every link was checked over a minute ago, so all are
  # due when its check timer first fires (check_every = "10s").
  cp sourcekeep.toml daemon.toml
  printf '[schedule]\ncheck_every = "10s"\ningest_every = "24h"\n' >>daemon.toml
  sleep 60
  measure "daemon: one check cycle (all due)" - python3 "$ROOT/bench/scale/cycle.py" "$BIN" daemon.toml data/journal
  grep -h "READY after\|check cycle\|run.finish check\|SIGTERM" "$WORK/stdout.txt" >&2 || true
  echo "  catalog $(du -h data/catalog.sqlite | cut -f1), archive $(du -sh data/warc | cut -f1), journal $(du -sh data/journal | cut -f1)" >&2
  cd - >/dev/null
fi

if [ "$SYNTH" -gt 0 ]; then
  Y="$WORK/synth-$SYNTH"
  mkdir -p "$Y/data" "$Y/digests"
  config "$Y"
  echo "part 2: synthetic catalog of $SYNTH links" >&2
  echo "| $SYNTH links (synthetic catalog) | | | | |" >>"$ROWS"
  cd "$Y"
  measure "build (bench-scale-catalog)" "$Y/data/catalog.sqlite" \
    "$BIN_DIR/bench-scale-catalog" "$Y/data" "$SYNTH" "http://127.0.0.$FIRST:$PORT" "$DUE"
  measure "status" - "$BIN" status --config sourcekeep.toml
  measure "status --json" - "$BIN" status --json --config sourcekeep.toml
  measure "report --format json" "$Y/report.json" "$BIN" report --format json --output "$Y/report.json" --config sourcekeep.toml
  measure "report --format csv" "$Y/report.csv" "$BIN" report --format csv --output "$Y/report.csv" --config sourcekeep.toml
  for format in text markdown html; do
    measure "report --format $format" "$Y/report.$format" \
      "$BIN" report --format "$format" --output "$Y/report.$format" --config sourcekeep.toml
  done
  measure "search 推理" - "$BIN" search 推理 --config sourcekeep.toml
  # The daemon's start-up: exec to READY=1 on the notify socket (systemd's view), then the same
  # on a copy of the catalog taken back to the v5 schema (the release before the scale work),
  # which the daemon upgrades before READY while extending the start timeout.
  measure "daemon start → READY=1" - python3 "$ROOT/bench/scale/ready.py" "$BIN" sourcekeep.toml
  grep -h "READY after\|SIGTERM" "$WORK/stdout.txt" >&2 || true
  if command -v sqlite3 >/dev/null && [ "${UPGRADE:-1}" = 1 ]; then
    mkdir -p "$Y-v5/data" && cp "$Y/sourcekeep.toml" "$Y-v5/" && mkdir -p "$Y-v5/digests"
    cp data/catalog.sqlite "$Y-v5/data/catalog.sqlite"
    sqlite3 "$Y-v5/data/catalog.sqlite" <<'SQL'
DROP TRIGGER tally_digest_insert; DROP TRIGGER tally_digest_delete; DROP TRIGGER tally_entry_insert;
DROP TRIGGER tally_entry_delete; DROP TRIGGER tally_citation_insert; DROP TRIGGER tally_citation_delete;
DROP TRIGGER tally_link_insert; DROP TRIGGER tally_link_delete; DROP TRIGGER tally_link_state;
DROP TABLE tally; DROP INDEX link_due; DROP TABLE archive_record; DROP TABLE fallback; DROP TABLE spn_submission;
DELETE FROM grdb_migrations WHERE identifier IN ('v6-scale-tallies', 'v7-archive-record', 'v8-fallback');
SQL
    (cd "$Y-v5" && measure "daemon start, v5 catalog upgraded → READY=1" - \
      python3 "$ROOT/bench/scale/ready.py" "$BIN" sourcekeep.toml)
    grep -h "EXTEND\|READY after\|SIGTERM" "$WORK/stdout.txt" | head -4 >&2 || true
    rm -rf "$Y-v5"
  fi
  measure "check now ($DUE due)" - "$BIN" check now --config sourcekeep.toml
  echo "  catalog $(du -h data/catalog.sqlite | cut -f1)" >&2
  cd - >/dev/null
fi

echo
echo "| command | wall | CPU | peak RSS | output |"
echo "|---|---:|---:|---:|---:|"
cat "$ROWS"
if [ -s "$GROWTH" ]; then
  echo
  echo "What the $SCALE-link store held and grew by:"
  cat "$GROWTH"
fi
