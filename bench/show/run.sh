#!/usr/bin/env bash
# `show` benchmark (not a test): one article with 40 images of 20-80 KB (src, on a second
# loopback host), captured by `ingest now` with a release build; then `show` in each format is
# timed over RUNS runs (wall time, median and worst) with the html output's size and the number
# of images it inlined. Loopback only. Goal (issue #15): html under 100 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGES=${IMAGES:-40}
RUNS=${RUNS:-20}
PORT=${PORT:-18531}
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

swift build -c release --product sourcekeep >/dev/null
BIN="$(swift build -c release --show-bin-path)/sourcekeep"

python3 - "$WORK/site" "$IMAGES" <<'PY'
import os, random, struct, sys, zlib
site, n = sys.argv[1], int(sys.argv[2])
os.makedirs(site + "/img", exist_ok=True)
random.seed(15)
def png(w, h, size):
    # Noise compresses badly, so the file lands near `size` bytes: a real photo's weight.
    rows = b"".join(b"\0" + os.urandom(w * 3) for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
body = []
for i in range(n):
    kb = random.randint(20, 80)
    w = 160
    h = max(2, kb * 1024 // (w * 3))
    open(f"{site}/img/{i}.png", "wb").write(png(w, h, kb * 1024))
    body.append(f"<p>第{i}段：千问3.5延续了MoE路线，但把稀疏度推到了新的位置。技术报告显示，旗舰模型共有512个路由专家。</p>")
    body.append(f'<p><img src="/img/{i}.png" alt="图{i}"></p>')
open(site + "/article.html", "w").write(
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>四十张图的文章</title></head><body><article><h1>四十张图的文章</h1>"
    + "".join(body) + "</article></body></html>")
PY
(cd "$WORK/site" && exec python3 -m http.server "$PORT" --bind 127.0.0.1) >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

URL="http://127.0.0.1:$PORT/article.html"
mkdir -p "$WORK/sk/digests"
printf '# bench 2026年02月17日\n## 条目\n> **来源：** [图](%s)\n' "$URL" >"$WORK/sk/digests/2026-02-17.md"
printf '[digests]\npaths = ["digests"]\n[storage]\ndir = "data"\n[fetch]\nallow_private_networks = true\nper_host_interval_ms = 0\n' >"$WORK/sk/sk.toml"
cd "$WORK/sk"
"$BIN" ingest now --config sk.toml >/dev/null

# Wall and CPU (user+sys) per run, median and worst; `--version` is the process start-up floor
# (a loaded machine moves wall time a lot, CPU time much less).
measure() {
  local label=$1; shift
  local walls=() cpus=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$WORK/t" "$@" >/dev/null 2>&1
    read -r e u s <"$WORK/t"
    walls+=("$e"); cpus+=("$(echo "$u + $s" | bc -l)")
  done
  local w=($(printf '%s\n' "${walls[@]}" | sort -n)) c=($(printf '%s\n' "${cpus[@]}" | sort -n))
  printf '%-24s wall median %5.0f ms worst %5.0f ms · cpu median %4.0f ms\n' "$label" \
    "$(echo "${w[$((RUNS / 2))]} * 1000" | bc -l)" "$(echo "${w[$((RUNS - 1))]} * 1000" | bc -l)" \
    "$(echo "${c[$((RUNS / 2))]} * 1000" | bc -l)"
}
measure "sourcekeep --version" "$BIN" --version
for format in html text json original; do
  measure "show --format $format" "$BIN" show "$URL" --format "$format" --config sk.toml --output "out.$format"
  echo "  output $(stat -c %s "out.$format") bytes"
done
echo "html: $(grep -o 'src="data:image' out.html | wc -l) of $IMAGES images inlined; $(du -sh data/warc | cut -f1) of WARC"
