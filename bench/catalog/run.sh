#!/usr/bin/env bash
# Catalog benchmark (not a test): CPU per inserted article, catalog size and search time, on
# ~60 KB mostly-Chinese articles: `farm` (bench/capture's generator) and `locale` (real
# Chinese from the zh_CN gettext catalogues). Also zlib compress/inflate cost per level.
# DOCS (2000), BATCH (8 per transaction), TEXT_BATCH (64: texts per full-text indexing
# transaction, as the archive sink; 1 indexes after every commit), CORPUS (farm,locale), LEVELS=0 skips the zlib table.
# Debug build: the measured work is SQLite's and zlib's (optimised system libraries) and the
# trigram tokenizer's (CFTS5Trigram, built with -O2 in debug builds too).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_DIR:-$(mktemp -d)}
swift build --build-tests >/dev/null
SOURCEKEEP_CATALOG_BENCH=1 BENCH_DIR="$WORK" TEXT_BATCH="${TEXT_BATCH:-64}" swift test --skip-build --filter CatalogBenchmarkRun 2>&1 \
  | grep '^bench:' | sed 's/^bench: //'
# Where the bytes are: SQLite's dbstat, per table and index.
for db in "$WORK"/*/catalog.sqlite; do
  echo "$db"
  sqlite3 "$db" "SELECT printf('  %-28s %8.1f MB', name, SUM(pgsize) / 1048576.0) FROM dbstat GROUP BY name ORDER BY SUM(pgsize) DESC LIMIT 8" 2>/dev/null || echo "  (sqlite3 CLI missing: apt-get install sqlite3)"
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$WORK"
