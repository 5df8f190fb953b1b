# sourcekeep — build, run, test.
#   make run    installs missing Debian packages, builds a release binary, ingests and
#               captures examples/digests with config/sourcekeep.toml and prints a report
#   make test   installs what the tests need, runs swift test
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= config/sourcekeep.toml
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev \
                zlib1g-dev libdeflate-dev libsqlite3-dev libcrypt-dev pkg-config
# What only the tests need: systemd-analyze checks the unit (make check-unit); headless
# Chromium, its driver and a CJK font open `show --format html` offline (ShowBrowserTests).
TEST_APT_PACKAGES := systemd
BROWSER_APT_PACKAGES := chromium chromium-driver fonts-wqy-microhei
VENV := .venv
BIN_RELEASE := .build/release/sourcekeep

.PHONY: deps test-deps build release run test test-tsan bench-extract bench-parse bench-fetch bench-capture bench-catalog bench-scale test-replay clean test-browser-web bench-web

# Installs the Debian packages of $(1) that are missing (apt-get update only when needed).
define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

# Installs the Debian -dev packages that are missing.
deps:
	$(call install_missing,$(APT_PACKAGES))

# Python venv with warcio (WARC validity checks used by the tests).
$(VENV)/bin/warcio:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q warcio==1.8.1

# wacz (WACZ validation) and cdxj-indexer (the reference CDXJ index): the export and index tests.
$(VENV)/bin/wacz: $(VENV)/bin/warcio
	$(VENV)/bin/pip install -q wacz==0.6.0 cdxj-indexer==1.5.0

# Selenium drives Debian's chromedriver (given by path: Selenium Manager downloads nothing).
$(VENV)/.selenium: $(VENV)/bin/warcio
	$(VENV)/bin/pip install -q selenium==4.51.0
	touch $@

test-deps: deps $(VENV)/bin/warcio $(VENV)/.selenium $(VENV)/bin/wacz
	@command -v systemd-analyze >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(TEST_APT_PACKAGES); }
	$(call install_missing,$(BROWSER_APT_PACKAGES))

# Only the browser test (part of `make test` too, ~5 s): `show --format html` in headless
# Chromium with the network off; screenshot in .build/show-browser/show.png.
.PHONY: test-browser
test-browser: test-deps
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) build --build-tests
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) test --skip-build --filter ShowBrowserTests
	@echo "screenshot: $(CURDIR)/.build/show-browser/show.png"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The example digest cites real WeChat articles: `make run` fetches and archives them (offline,
# each shows unreachable and the run says the network looks unreachable);
# `make run NO_CAPTURE=1` only registers them, fetching nothing.
NO_CAPTURE ?=
run: release
	$(BIN_RELEASE) ingest now --config $(CONFIG) $(if $(NO_CAPTURE),--no-capture)
	$(BIN_RELEASE) report --config $(CONFIG)

# Only the benchmarks read the shared folder beside the clone (bench pages, extraction bench).
SHARED ?= $(if $(SOURCEKEEP_SHARED),$(SOURCEKEEP_SHARED),$(abspath $(CURDIR)/../shared))

# The tests need nothing outside the repository (fixtures: Tests/Fixtures).
test: test-deps
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) build --build-tests
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) test --skip-build

# ThreadSanitizer over the suites with the most threads: the daemon (actor, Dispatch sources,
# control socket; the tests run the instrumented binary as `sourcekeep run`), the pipeline
# (runner, archive sink) and the fetcher (libcurl's thread). Builds in .build/debug like
# `make test` (the tests start that binary), so the next plain build recompiles everything.
# Every process writes its reports to $(TSAN_LOGS); the target fails unless there are none.
TSAN_FILTER ?= SourcekeepDaemonTests|EndToEndTests|Fetch
TSAN_LOGS := $(CURDIR)/.build/tsan-logs
test-tsan: test-deps
	rm -rf $(TSAN_LOGS) && mkdir -p $(TSAN_LOGS)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) build --build-tests --sanitize=thread
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" \
	  TSAN_OPTIONS="halt_on_error=0 log_path=$(TSAN_LOGS)/report" \
	  $(SWIFT) test --skip-build --sanitize=thread --filter '$(TSAN_FILTER)'
	@reports=$$(cat $(TSAN_LOGS)/report.* 2>/dev/null | grep -c "WARNING: ThreadSanitizer" || true); \
	echo "test-tsan: $$reports ThreadSanitizer report(s) (logs in $(TSAN_LOGS))"; [ "$$reports" = 0 ]

bench-extract: release
	bash bench/extract/run.sh

# HTML parse only: HTMLPage (SAX) vs HTMLDocument (libxml2 tree + copy), CPU time on the 181
# pages of $(SHARED)/bench/extraction (reads ../shared beside the clone, or $SOURCEKEEP_SHARED).
bench-parse: deps
	$(SWIFT) build -c release --product bench-html-parse
	"$$($(SWIFT) build -c release --show-bin-path)/bench-html-parse" 20 "$(SHARED)"

bench-fetch: release
	bash bench/fetch/run.sh

# Replay the archive in pywb and compare bytes (needs pip; not part of `make test`).
test-replay: deps
	bash .ci/test-replay

bench-capture: release
	bash bench/capture/run.sh

# WACZ export of a 2,000-article store vs zip -0 of the same WARC files: time, MB/s, peak RSS.
.PHONY: bench-export
bench-export: release
	bash bench/export/run.sh

# `show` on a 40-image article: wall and CPU per format, --version as the start-up floor.
.PHONY: bench-show
bench-show: release
	bash bench/show/run.sh

# Catalog only: CPU per inserted article, catalog size, search time (debug build, ~5 min).
bench-catalog: deps
	bash bench/catalog/run.sh

# The scale benchmark (docs/performance.md#scale): SCALE=100000 farm pages, SYNTH=1000000
# synthetic links; wall, CPU, peak RSS and output size per command.
bench-scale: release
	bash bench/scale/run.sh

clean:
	rm -rf .build sourcekeep-data

# Renders the HTML report of the test catalog (ReportFixture: links in every state) and takes
# a phone-sized screenshot with headless Chromium (Debian package `chromium`), for a person
# to look at: .build/report/report.html, report.png (420x1600) and report-full.png (420x4200).
# Chinese text needs a CJK font (e.g. Debian fonts-wqy-microhei), or it shows as boxes.
.PHONY: report-screenshot
REPORT_OUT := $(CURDIR)/.build/report
report-screenshot:
	@command -v chromium >/dev/null || { echo "make report-screenshot: needs chromium (apt-get install -y chromium)" >&2; exit 1; }
	mkdir -p $(REPORT_OUT)
	$(SWIFT) build --build-tests
	SOURCEKEEP_REPORT_HTML=$(REPORT_OUT)/report.html $(SWIFT) test --skip-build \
	  --filter htmlReportParsesBackWithThreeChartsAndNoExternalAssets
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=$(REPORT_OUT)/report.png \
	  --window-size=420,1600 file://$(REPORT_OUT)/report.html
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=$(REPORT_OUT)/report-full.png \
	  --window-size=420,4200 file://$(REPORT_OUT)/report.html
	@echo "screenshots: $(REPORT_OUT)/report.png (first screens), $(REPORT_OUT)/report-full.png (whole page)"

# ---- systemd service -------------------------------------------------------------------
# `make install` (as root): the release binary, the unit and, unless one exists, a config
# that keeps state in /var/lib/sourcekeep and reads digests from /etc/sourcekeep/digests.
PREFIX ?= /usr/local
DESTDIR ?=
UNITDIR ?= /etc/systemd/system
MAX_EXPOSURE ?= 2.0

.PHONY: install install-files check-unit test-idle

# `make install-files BIN=.build/debug/sourcekeep DESTDIR=/tmp/x` installs an already built
# binary (what SourcekeepCLITests.InstallCLITests does); `make install` builds a release first.
BIN ?= $(BIN_RELEASE)
install: release install-files

install-files:
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/sourcekeep
	# Shell completions (ArgumentParser writes them from the command tree) and the man page.
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(BIN) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sourcekeep
	$(BIN) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sourcekeep
	$(BIN) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/sourcekeep.fish
	install -D -m 0644 docs/sourcekeep.1 $(DESTDIR)$(PREFIX)/share/man/man1/sourcekeep.1
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	sed 's#/usr/local/#$(PREFIX)/#g' systemd/sourcekeep.service > $(DESTDIR)$(UNITDIR)/sourcekeep.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/sourcekeep.service
	install -d -m 0755 $(DESTDIR)/etc/sourcekeep/digests
	[ -e $(DESTDIR)/etc/sourcekeep/sourcekeep.toml ] || install -m 0644 examples/sourcekeep.system.toml $(DESTDIR)/etc/sourcekeep/sourcekeep.toml
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/sourcekeep/README.md
	install -d -m 0755 $(DESTDIR)$(PREFIX)/share/doc/sourcekeep/docs
	install -m 0644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/sourcekeep/docs/
	@echo "installed; now: systemctl daemon-reload && systemctl enable --now sourcekeep"

# The unit passes `systemd-analyze verify`, and its `systemd-analyze security` exposure stays
# at or below $(MAX_EXPOSURE). verify insists that ExecStart exists, so the check runs on a
# copy whose ExecStart points at /bin/true (the unit's syntax and sandbox are what is checked).
check-unit: test-deps
	@command -v systemd-analyze >/dev/null || { echo "check-unit: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	sed 's#^ExecStart=/usr/local/bin/sourcekeep#ExecStart=/bin/true#' systemd/sourcekeep.service > $$tmp/sourcekeep.service && \
	systemd-analyze verify $$tmp/sourcekeep.service && \
	exposure=$$(systemd-analyze security --offline=true $$tmp/sourcekeep.service | awk '/Overall exposure level/ {print $$(NF-2)}') && \
	echo "systemd-analyze security: exposure $$exposure (limit $(MAX_EXPOSURE))" && \
	awk -v e="$$exposure" -v m="$(MAX_EXPOSURE)" 'BEGIN { exit !(e != "" && e + 0 <= m + 0) }' || \
	{ echo "check-unit: systemd/sourcekeep.service fails verification or exceeds exposure $(MAX_EXPOSURE)" >&2; exit 1; }

# `make test` checks the unit too (test-deps installs systemd-analyze when it is missing).
test: check-unit

# Style: `swift format lint --strict` with the repository's .swift-format (line length 120) over
# every Swift file; part of `make test`. `make format` rewrites the files in place.
.PHONY: lint format
SWIFT_SOURCES := Package.swift Sources Tests bench fuzz
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(wildcard $(SWIFT_SOURCES))
format:
	$(SWIFT) format --in-place --recursive --parallel $(wildcard $(SWIFT_SOURCES))
test: lint

# Idle CPU of a running daemon over 30 s (< 1 % of a core); slow, so not part of `make test`.
test-idle: test-deps
	$(SWIFT) build --build-tests
	SOURCEKEEP_IDLE_TEST=1 $(SWIFT) test --skip-build --filter anIdleDaemonUsesUnderOnePercentOfACore

# ---- fuzzing (fuzz/README.md) -----------------------------------------------------------
# libFuzzer + AddressSanitizer builds in .build-fuzz (targets declared only with
# SOURCEKEEP_FUZZ=1). `make fuzz FUZZ_SECONDS=N` runs every target N seconds, one after the
# other on one worker; corpora grow in .build-fuzz/corpus/<target>, seeded from fixtures;
# crashes are written to fuzz/crashes/<target>-crash-<sha1>. `make fuzz-smoke`: 3,000 runs each
# from seed 1 (part of `make test`).
FUZZ_SECONDS ?= 600
FUZZ_LIMIT ?= -max_total_time=$(FUZZ_SECONDS)
FUZZ_SMOKE_RUNS ?= 3000
FUZZ_TARGETS ?= digest-markdown digest-html page-extractor warc-reader config-loader http-head control-protocol
FUZZ_SCRATCH := .build-fuzz
FUZZ_BUILD := SOURCEKEEP_FUZZ=1 $(SWIFT) build -c debug -Xswiftc -sanitize=fuzzer,address --scratch-path $(FUZZ_SCRATCH)

.PHONY: fuzz fuzz-build fuzz-corpus fuzz-smoke
fuzz-build: deps
	@for t in $(FUZZ_TARGETS); do $(FUZZ_BUILD) --product fuzz-$$t || exit 1; done

# Seeds: the project's own fixture pages and digest (Tests/Fixtures), the example digest and
# configs, the report goldens, and fuzz/seeds/<target> (WARC files and HTTP heads).
fuzz-corpus:
	@c=$(FUZZ_SCRATCH)/corpus; for t in $(FUZZ_TARGETS); do mkdir -p $$c/$$t; done; \
	cp -n examples/digests/*.md Tests/Fixtures/digests/*.md \
	  Tests/SourcekeepCoreTests/Report/.golden/*.md $$c/digest-markdown/ 2>/dev/null; \
	cp -n Tests/Fixtures/pages/*.html $$c/digest-html/ 2>/dev/null; \
	cp -n Tests/Fixtures/pages/*.html $$c/page-extractor/ 2>/dev/null; \
	cp -n config/sourcekeep.toml examples/sourcekeep.system.toml $$c/config-loader/; \
	for t in $(FUZZ_TARGETS); do [ -d fuzz/seeds/$$t ] && cp -n fuzz/seeds/$$t/* $$c/$$t/; done; true

# Targets run without LeakSanitizer (none since the config loader's own TOML reader replaced
# TOMLKit, which leaked: fuzz/crashes/README.md).
FUZZ_NO_LEAK_CHECK ?=
fuzz: fuzz-build fuzz-corpus
	@mkdir -p fuzz/crashes; status=0; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz-$$t: $(FUZZ_LIMIT)"; \
	  case " $(FUZZ_NO_LEAK_CHECK) " in *" $$t "*) leaks=0;; *) leaks=1;; esac; \
	  ASAN_OPTIONS=detect_leaks=$$leaks SWIFT_BACKTRACE=enable=no $(FUZZ_SCRATCH)/debug/fuzz-$$t \
	    $(FUZZ_LIMIT) -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=fuzz/crashes/$$t- $(FUZZ_SCRATCH)/corpus/$$t 2>&1 \
	    | grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|SUMMARY|Test unit written" ; \
	  [ "$${PIPESTATUS[0]}" = 0 ] || { echo "fuzz-$$t: crash (see fuzz/crashes/)"; status=1; }; \
	done; exit $$status

# A fixed number of runs from a fixed seed: the same inputs on every machine, so a smoke run
# that passed here passes in CI (a timed run would not be repeatable).
fuzz-smoke:
	$(MAKE) fuzz FUZZ_LIMIT="-seed=1 -runs=$(FUZZ_SMOKE_RUNS)"

# `make test` runs every fuzz target briefly (deterministic: see fuzz-smoke).
test: fuzz-smoke

# The unit under a real systemd (as root, ~1-3 min; not part of `make test`): boots Debian 12
# with systemd as PID 1 in systemd-nspawn (root file system cached in
# /var/tmp/sourcekeep-nspawn-rootfs), installs the static release binary, unit and config with
# `make install DESTDIR=`, and checks start/READY, a dropped digest archived from a loopback
# server, reload, status over the socket, watchdog pings, stop exit 0, `systemd-analyze security`
# inside and a journal free of SIGSYS/MemoryDenyWriteExecute failures (.ci/test-systemd).
.PHONY: test-systemd
test-systemd:
	MAX_EXPOSURE=$(MAX_EXPOSURE) bash .ci/test-systemd

# Soak (issue #13): the daemon (release build) for SOAK_MINUTES with check_every = "1m" against a
# loopback farm that misbehaves on purpose, a new digest every minute and control-socket clients
# coming and going; prints RSS, fds, links, snapshots and the largest watchdog gap every minute,
# then PASS/FAIL per criterion (exit 1 on a failure). Logs in .build/soak. Not part of `make test`.
SOAK_MINUTES ?= 30
.PHONY: soak
soak: release
	SOAK_MINUTES=$(SOAK_MINUTES) bash bench/soak/run.sh

# The web view in a real browser (issue #16): Debian's chromium + chromium-driver, selenium in
# the test venv; builds the debug binary, builds a store with it against a loopback site and
# drives `sourcekeep serve`. Screenshots (1280 px and 390 px) in .build/browser-web/.
BROWSER_APT_PACKAGES := chromium chromium-driver
test-browser-web: test-deps
	@missing=""; for p in $(BROWSER_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; fi
	$(VENV)/bin/python -c "import selenium" 2>/dev/null || $(VENV)/bin/pip install -q "selenium>=4.20,<5"
	$(SWIFT) build --product sourcekeep
	$(VENV)/bin/python Tests/Browser/test_web.py "$$($(SWIFT) build --show-bin-path)/sourcekeep"

# Web view vs pywb 2.x on 2,000 captured articles, wrk 30 s per URL (bench/web/run.sh).
bench-web: release
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	bash bench/web/run.sh
