# Fachwerk: the two commands are `make demo` and `make test`.
# Every target installs what is missing first (scripts/setup; needs root on a fresh machine).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
# The unit tests whose code runs on many threads (group commit, routing, quality passes, the
# HTTP server's connections on their strands).
TSAN_TESTS ?= fw_db_test fw_work_test fw_reports_test fw_http_test
FUZZ_SECONDS ?= 20
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
DEMO_ARGS  ?=

# Node.js and npm as scripts/setup provides them (22 or later).
NODE_BIN   := $(CURDIR)/.tools/node/bin
# Node trusts its own CA list; the machine's is added (see scripts/setup).
NODE_CA    := $(or $(NODE_EXTRA_CA_CERTS),$(wildcard /etc/ssl/certs/ca-certificates.crt))
NPM        := PATH="$(NODE_BIN):$$PATH" NODE_EXTRA_CA_CERTS="$(NODE_CA)" npm
WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)

.PHONY: all setup build build-server build-asan web demo test test-unit test-tsan fuzz bench clean

all: build

setup:
	@scripts/setup

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

build: setup $(BUILD)/build.ninja web
	cmake --build $(BUILD) -j $(JOBS)

# The server alone (no unit tests, no benchmarks): what the demo and the black-box suites run.
build-server: setup $(BUILD)/build.ninja web
	cmake --build $(BUILD) -j $(JOBS) --target fachwerk

# The web app (web/): its packages as package-lock.json pins them, then the type check and
# the production build into web/dist, which fachwerk serves.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && $(NPM) run build --silent

web: setup web/dist/index.html

# The sanitizer build runs tests only, so it leaves the benchmarks out.
$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Asan -DFW_SKIP_ROOMS=bench $(CMAKE_ARGS)

build-asan: setup $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Serves the demo instance on http://127.0.0.1:8080 with SQLite in ./fachwerk-data.
demo: build-server
	$(BUILD)/src/cli/fachwerk demo --data ./fachwerk-data $(DEMO_ARGS)

# The unit tests (on SQLite and PostgreSQL) and the API suite under ASan+UBSan; then on the
# release server the API, attack, lint and web suites (the web app's unit tests and browser
# suite). The unit tests run once, under the sanitizers, so the release build leaves them out.
# ctest's summary ends the output.
test: build-server build-asan fuzz test-tsan
	scripts/with-postgres ctest --test-dir $(ASAN_BUILD) --output-on-failure -j 2 -L asan
	scripts/with-postgres ctest --test-dir $(BUILD) --output-on-failure -j 2 -LE unit

test-unit: build
	scripts/with-postgres ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -L unit

$(TSAN_BUILD)/build.ninja:
	cmake -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Tsan $(CMAKE_ARGS)

# ThreadSanitizer on the concurrent unit tests, against SQLite and PostgreSQL.
test-tsan: setup $(TSAN_BUILD)/build.ninja
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TESTS)
	scripts/with-postgres sh -c 'set -e; for t in $(TSAN_TESTS); do \
	  TSAN_OPTIONS=halt_on_error=1 $$(find $(TSAN_BUILD)/src -name $$t -type f) --gtest_brief=1; done'

# libFuzzer (clang) on the template/answer parser, the id decoder and the evidence sniffing
# (with the profile and identifier parsers), FUZZ_SECONDS each.
$(FUZZ_BUILD)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release -DFW_FUZZ=ON

fuzz: setup $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_template fuzz_ids fuzz_evidence
	scripts/run-fuzzers $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	bench/run.sh $(BUILD)
	bench/quality.sh $(BUILD)
	$(NODE_BIN)/node bench/workbench.mjs --bin $(BUILD)/src/cli/fachwerk

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD) web/dist
