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
# `--jobs 1` (JOBS=N to change); with two workers the same pages cost ~10 % more CPU (thread
# hand-offs, malloc arenas). sourcekeep's CPU time still includes its process start (~0.02 s),
# reading the files and writing the JSON, which trafilatura's timing (extract() calls only) leaves out.
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

echo "181-page corpus" >&2
python3 "$BENCH/evaluate.py" --jsonl-cmd "$BIN extract --jsonl --jobs $JOBS {files}" --name sourcekeep \
    --quiet --out "$OUT/bench-sourcekeep.json" >&2
echo "multilingual corpus" >&2
python3 "$MULTI/evaluate.py" --bin "$BIN" --jobs "$JOBS" --out "$OUT/multi-sourcekeep.json" --save-text >&2
if [ "$TRAFILATURA" != 0 ]; then
  for mode in default fast; do
    py=trafilatura; [ $mode = fast ] && py=trafilatura_fast
    "$VENV/bin/python" "$BENCH/evaluate.py" --python $py --quiet --out "$OUT/bench-trafilatura-$mode.json" >&2
    "$VENV/bin/python" "$MULTI/evaluate.py" --trafilatura $mode --out "$OUT/multi-trafilatura-$mode.json" >&2
  done
fi

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
print(f"{'corpus':<14} {'extractor':<20} {'F1':>6} {'prec':>6} {'recall':>6} {'empty':>5} {'pages/s':>8} {'pages/cpu-s':>11}")
for corpus, label in (("bench", "181 pages"), ("multi", "multilingual")):
    rows = {}
    for name in ("sourcekeep", "trafilatura-default", "trafilatura-fast"):
        path = os.path.join(out, f"{corpus}-{name}.json")
        if not os.path.exists(path):
            continue
        d = json.load(open(path))
        s, n = d["summary"], len(d["pages"])
        if corpus == "bench":
            empty, cpu = s["empty"], s.get("cpu_seconds") or 0
        else:
            empty, cpu = n - s["statuses"].get("ok", 0), s.get("cpu_s") or 0
        rows[name] = (s["pages_per_s"], n / cpu if cpu else 0)
        print(f"{label:<14} {name:<20} {s['f1']:>6.3f} {s['precision']:>6.3f} {s['recall']:>6.3f} {empty:>5} "
              f"{s['pages_per_s']:>8.1f} {rows[name][1]:>11.1f}")
    sk, tf = rows.get("sourcekeep"), rows.get("trafilatura-fast")
    if sk and tf and tf[0] and tf[1]:
        print(f"{label:<14} sourcekeep / trafilatura fast: {sk[0] / tf[0]:.1f}x wall, {sk[1] / tf[1]:.1f}x per CPU-second")
PY
