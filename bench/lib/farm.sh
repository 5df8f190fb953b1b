# Shared by the farm benchmarks (capture, export, web; scale uses `farm_config`).
# Source it: `. bench/lib/farm.sh`.

# wait_for_farm LOG: waits (up to a minute) until the farm has written "ready" to LOG.
wait_for_farm() {
  for _ in $(seq 600); do grep -q ready "$1" 2>/dev/null && break; sleep 0.1; done
}

# farm_digest OUT PAGES FIRST HOSTS PORT [URLS]: a digest citing the farm's PAGES articles,
# spread over HOSTS loopback addresses from 127.0.0.FIRST; each URL is also appended to URLS
# when given (for wget). The source line is cut every 20 links: a digest line over 64 KiB is
# refused (docs/design.md#digest-format).
farm_digest() {
  local out=$1 pages=$2 first=$3 hosts=$4 port=$5 urls=${6:-}
  {
    echo "# bench 2026年02月17日"
    echo
    echo "## 基准"
    printf '> **来源：** '
    for i in $(seq 0 $((pages - 1))); do
      u="http://127.0.0.$((first + i % hosts)):$port/a/$i"
      [ -n "$urls" ] && echo "$u" >>"$urls"
      printf '[p%d](%s) 、 ' "$i" "$u"
      [ $((i % 20)) = 19 ] && printf '\n> '
    done
    echo
  } >"$out"
}

# farm_config OUT: the sourcekeep.toml every farm benchmark starts from (digests in digests/,
# the store in data/, loopback allowed, 40 fetches in flight, 2 per host, no interval). Append
# further sections to OUT after it.
farm_config() {
  cat >"$1" <<TOML
[digests]
paths = ["digests"]
[storage]
dir = "data"
[fetch]
allow_private_networks = true
concurrency = 40
per_host_concurrency = 2
per_host_interval_ms = 0
TOML
}
