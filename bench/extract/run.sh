#!/usr/bin/env bash
# Extraction benchmark (not a test): sourcekeep (one `extract --jsonl` process per corpus) against
# trafilatura 2.3.1 default and fast (in-process), same sitting, on both shared corpora:
#   ../shared/bench/extraction               (181 pages, shingle F1 of article-extraction-benchmark)
#   ../shared/bench/extraction-multilingual  (481 pages, trafilatura's snippet F1)
# Usage: bash bench/extract/run.sh [OUTDIR]   (default OUTDIR: /tmp/sourcekeep-bench-extract)
#   Reads ../shared (set SOURCEKEEP_SHARED to move it); benchmarks may, tests may not.
#   TRAFILATURA=0 reuses the trafilatura results already in OUTDIR (sourcekeep-only rerun).
# Prints one table: F1, precision, recall, empty pages, pages/s (wall) and pages per CPU-second
# (user+sys of the extracting process or calls), then sourcekeep's speed ratio to trafilatura fast.
# Like for like: trafilatura extracts one page at a time in one thread, so sourcekeep runs with
# `--jobs 1` (JOBS=N to change); with two workers the same pages cost 2-12 % more CPU (thread
# hand-offs, malloc arenas). Its process start is measured and taken out (see START below), as
# trafilatura's imports are; reading the files and writing the JSON stay in its CPU time, which
# trafilatura's timing (extract() calls only) leaves out. With trafilatura, sourcekeep runs
# before and after it and the table gives the mean (wall and CPU) of the two passes.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SOURCEKEEP_SHARED:-$REPO/../shared}
BENCH="$SHARED/bench/extraction"
MULTI="$SHARED/bench/extraction-multilingual"
OUT=${1:-/tmp/sourcekeep-bench-extract}
VENV=${VENV:-/tmp/xbench-venv}
TRAFILATURA=${TRAFILATURA:-1}
JOBS=${JOBS:-1}
mkdir -p "$OUT"
for f in "$BENCH/evaluate.py" "$MULTI/evaluate.py"; do
  [ -f "$f" ] || { echo "no $f: set SOURCEKEEP_SHARED to the shared folder" >&2; exit 1; }
done

(cd "$REPO" && swift build -c release --product sourcekeep >&2)
BIN="$(cd "$REPO" && swift build -c release --show-bin-path)/sourcekeep"

if ! "$VENV/bin/python" -c 'import trafilatura' 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q trafilatura==2.3.1 lxml==6.1.3
fi

# sourcekeep's process start (dynamic linking, runtime and Foundation set-up; the first run also
# pages the binary in): the median CPU-s of five `extract --jsonl` runs on a one-line page, the
# same sitting. Trafilatura's imports and warm-up call are outside its timing, so the table takes
# this fixed cost out of sourcekeep's CPU-seconds too (and prints the raw figure beside it).
TINY="$OUT/process-start.html"
echo '<html><body><p>start</p></body></html>' >"$TINY"
START=$(python3 - "$BIN" "$TINY" "$JOBS" <<'PY'
import resource, statistics, subprocess, sys
costs = []
for _ in range(5):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.argv[1], "extract", "--jsonl", "--jobs", sys.argv[3], sys.argv[2]],
                   stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    costs.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
print(f"{statistics.median(costs):.4f}")
PY
)
echo "$START" >"$OUT/process-start-cpu-s"

sourcekeep() {  # $1: suffix of the result files
  echo "181-page corpus" >&2
  python3 "$BENCH/evaluate.py" --jsonl-cmd "$BIN extract --jsonl --jobs $JOBS {files}" --name sourcekeep \
      --quiet --out "$OUT/bench-sourcekeep$1.json" >&2
  echo "multilingual corpus" >&2
  python3 "$MULTI/evaluate.py" --bin "$BIN" --jobs "$JOBS" --out "$OUT/multi-sourcekeep$1.json" --save-text >&2
}
sourcekeep ""
if [ "$TRAFILATURA" != 0 ]; then
  for mode in default fast; do
    py=trafilatura; [ $mode = fast ] && py=trafilatura_fast
    "$VENV/bin/python" "$BENCH/evaluate.py" --python $py --quiet --out "$OUT/bench-trafilatura-$mode.json" >&2
    "$VENV/bin/python" "$MULTI/evaluate.py" --trafilatura $mode --out "$OUT/multi-trafilatura-$mode.json" >&2
  done
  # Again after trafilatura: the load on a shared machine drifts during the run; the speed in the
  # table is the mean of sourcekeep's two passes, one on each side of trafilatura's.
  sourcekeep "-after"
fi

python3 - "$OUT" "$START" <<'PY'
import json, os, sys
out, start = sys.argv[1], float(sys.argv[2])
print(f"{'corpus':<14} {'extractor':<20} {'F1':>6} {'prec':>6} {'recall':>6} {'empty':>5} {'pages/s':>8} {'pages/cpu-s':>11}")
for corpus, label in (("bench", "181 pages"), ("multi", "multilingual")):
    rows = {}
    for name in ("sourcekeep", "trafilatura-default", "trafilatura-fast"):
        passes = [f"{corpus}-{name}.json"] + ([f"{corpus}-{name}-after.json"] if name == "sourcekeep" else [])
        figures = []
        for file in passes:
            path = os.path.join(out, file)
            if not os.path.exists(path):
                continue
            d = json.load(open(path))
            s, n = d["summary"], len(d["pages"])
            if corpus == "bench":
                empty, cpu, wall = s["empty"], s.get("cpu_seconds") or 0, s.get("seconds") or 0
            else:
                empty, cpu, wall = n - s["statuses"].get("ok", 0), s.get("cpu_s") or 0, s.get("wall_s") or 0
            processes = (d.get("meta") or {}).get("processes", 1) if corpus == "multi" else 1
            figures.append((s, n, empty, cpu, wall, processes))
        if not figures:
            continue
        s, n, empty = figures[0][:3]
        cpu = sum(f[3] for f in figures) / len(figures)
        wall = sum(f[4] for f in figures) / len(figures)
        raw = cpu
        if name == "sourcekeep":
            cpu = max(cpu - start * figures[0][5], 1e-9)
        rows[name] = (n / wall if wall else 0, n / cpu if cpu else 0, n / raw if raw else 0)
        print(f"{label:<14} {name:<20} {s['f1']:>6.3f} {s['precision']:>6.3f} {s['recall']:>6.3f} {empty:>5} "
              f"{rows[name][0]:>8.1f} {rows[name][1]:>11.1f}")
    sk, tf = rows.get("sourcekeep"), rows.get("trafilatura-fast")
    if sk and tf and tf[0] and tf[1]:
        print(f"{label:<14} sourcekeep / trafilatura fast: {sk[0] / tf[0]:.1f}x wall, {sk[1] / tf[1]:.1f}x per CPU-second "
              f"({sk[2] / tf[1]:.1f}x with sourcekeep's process start, {start:.3f} CPU-s, left in)")
PY
