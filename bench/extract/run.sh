#!/usr/bin/env bash
# Extraction benchmark: sourcekeep (one process for all pages) vs trafilatura fast mode, same sitting.
#   bash bench/extract/run.sh [OUTDIR]        (default OUTDIR: /tmp/sourcekeep-bench-extract)
# Builds release, reuses/creates the pinned venv of shared/bench/extraction/run_baselines.sh
# at $VENV (default /tmp/xbench-venv), prints F1, precision, recall and pages/s.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${SOURCEKEEP_SHARED:-$REPO/../shared}
BENCH="$SHARED/bench/extraction"
OUT=${1:-/tmp/sourcekeep-bench-extract}
VENV=${VENV:-/tmp/xbench-venv}
mkdir -p "$OUT"
[ -f "$BENCH/evaluate.py" ] || { echo "no $BENCH/evaluate.py: set SOURCEKEEP_SHARED to the shared folder" >&2; exit 1; }

(cd "$REPO" && swift build -c release --product sourcekeep >&2)
BIN="$(cd "$REPO" && swift build -c release --show-bin-path)/sourcekeep"

if ! "$VENV/bin/python" -c 'import trafilatura' 2>/dev/null; then
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  # The pip bundled with Python 3.11 trips over readability-lxml's lxml[html-clean] extra
  # ("Internal issue: Candidate is not for this requirement"); a current pip resolves it.
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q trafilatura==2.3.1 readability-lxml==0.9 goose3==3.1.22 \
      html-text==0.7.1 resiliparse==2.0.1 lxml==6.1.3
fi

python3 "$BENCH/evaluate.py" --jsonl-cmd "$BIN extract --jsonl {files}" --name sourcekeep \
    --quiet --out "$OUT/sourcekeep.json"
"$VENV/bin/python" "$BENCH/evaluate.py" --python trafilatura_fast --quiet --out "$OUT/trafilatura_fast.json"

python3 - "$OUT/sourcekeep.json" "$OUT/trafilatura_fast.json" <<'PY'
import json, sys
# pages/s is wall time (what the README's anchors use); pages/cpu-s divides by the
# extraction's CPU time, which is steadier on a shared machine.
print(f"{'extractor':<18} {'F1':>6} {'precision':>9} {'recall':>7} {'pages/s':>8} {'pages/cpu-s':>11}")
rows = []
for path in sys.argv[1:]:
    s = json.load(open(path))["summary"]
    n = len(json.load(open(path))["pages"])
    cpu = s.get("cpu_seconds") or 0
    rows.append((s["pages_per_s"], n / cpu if cpu else 0))
    name = path.rsplit("/", 1)[-1][:-5]
    print(f"{name:<18} {s['f1']:>6.3f} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['pages_per_s']:>8.1f} {rows[-1][1]:>11.1f}")
if len(rows) == 2 and rows[1][0] and rows[1][1]:
    print(f"speed ratio sourcekeep / trafilatura_fast: {rows[0][0] / rows[1][0]:.1f}x wall, {rows[0][1] / rows[1][1]:.1f}x cpu")
PY
