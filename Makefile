# sourcekeep — build, run, test.
#   make run    installs missing Debian packages, builds a release binary, ingests
#               examples/digests with config/sourcekeep.toml and prints a report
#   make test   installs what the tests need, runs swift test
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= config/sourcekeep.toml
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev \
                zlib1g-dev libsqlite3-dev pkg-config
VENV := .venv
BIN_RELEASE := .build/release/sourcekeep

.PHONY: deps test-deps build release run test bench-extract bench-fetch bench-capture test-replay clean

# Installs the Debian -dev packages that are missing (apt-get update only when needed).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Python venv with warcio (WARC validity checks used by the tests).
$(VENV)/bin/warcio:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q warcio==1.8.1

test-deps: deps $(VENV)/bin/warcio

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The example digest cites real WeChat articles: `make run` registers them without fetching;
# `make run CAPTURE=1` fetches and archives them (needs Internet access).
CAPTURE ?=
run: release
	$(BIN_RELEASE) ingest now --config $(CONFIG) $(if $(CAPTURE),,--no-capture)
	$(BIN_RELEASE) report --config $(CONFIG)

SHARED ?= $(if $(SOURCEKEEP_SHARED),$(SOURCEKEEP_SHARED),$(abspath $(CURDIR)/../shared))

test: test-deps
	@[ -d "$(SHARED)/fixtures" ] || { echo "make test: the shared fixtures folder $(SHARED) is missing; clone beside ../shared or set SOURCEKEEP_SHARED" >&2; exit 1; }
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) build --build-tests
	SOURCEKEEP_SHARED="$(SHARED)" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(SWIFT) test --skip-build

bench-extract: release
	bash bench/extract/run.sh

bench-fetch: release
	bash bench/fetch/run.sh

# Replay the archive in pywb and compare bytes (needs pip; not part of `make test`).
test-replay: deps
	bash .ci/test-replay

bench-capture: release
	bash bench/capture/run.sh

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
