# ffi-deep-dive: Rust exposed to C and Node.js through a plain C ABI.
#
#   make demo    build everything, run the C demo and the Node demo
#   make test    build and run every test and lint check (the full suite)
#   make test-fast   unit tests and lint only (what `npm test` runs, about a minute)
#   make test-bare   `make test` on a PATH without the optional tools (scripts/bare-path.sh)
#   make bench   benchmarks
#   make stress-c  c/tests/threads.c bigger than in `make test` (STRESS_C_ARGS)
#   make test-tsan c/tests/threads.c and its race control under ThreadSanitizer, library included
#   make header  regenerate c/include/ffi_deep_dive.h with cbindgen (commit it)
#   make docs    API reference from the TS doc comments (typedoc) into docs/api/, README as landing page
#   make install PREFIX=/usr/local   install what `make` built: the libraries, the header and ffi_deep_dive.pc
#   make test-package   npm pack + install the tarball elsewhere + call every export
#   make test-runtimes  the packed package under Node, pinned Bun and pinned Deno (scripts/runtimes/)
#   make clean   remove build output
#
# Optional tools (cbindgen, clang, valgrind, pkg-config, a C++ compiler, and
# cargo's rustfmt and clippy) are used when present; a check that cannot run
# says so loudly, by name, and `make test` lists the skipped checks at the end.
# Under CI (CI=true) a missing one fails instead.
#
# CARGO_TARGET_DIR is honoured: cargo builds there, and the C programs, the
# tests and the Node loader (ts/raw/library.ts) look there.

SHELL := /bin/bash
.DEFAULT_GOAL := all

CARGO   ?= cargo
# gcc and g++ unless the environment names others (make's built-in default is cc).
ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := g++
endif
NPM     ?= npm

RUST_DIR   := rust
# cargo resolves a relative CARGO_TARGET_DIR against the directory it runs
# in (this one); exported absolute, so that jest and the scripts agree.
ifneq ($(strip $(CARGO_TARGET_DIR)),)
export CARGO_TARGET_DIR := $(abspath $(CARGO_TARGET_DIR))
TARGET_DIR := $(CARGO_TARGET_DIR)
else
TARGET_DIR := $(RUST_DIR)/target
endif
LIB_DIR    := $(TARGET_DIR)/release
LIB        := $(LIB_DIR)/libffi_deep_dive.so
STATICLIB  := $(LIB_DIR)/libffi_deep_dive.a
# The version comes from rust/Cargo.toml only. The SONAME carries the major
# version, and for 0.x the minor too (cargo-c's rule; rust/build.rs sets it):
# libffi_deep_dive.so.0.2. Installed: libffi_deep_dive.so.<version> with the
# SONAME link and the development link (libffi_deep_dive.so) pointing at it.
VERSION    := $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(RUST_DIR)/Cargo.toml | head -n 1)
version_w   = $(subst ., ,$(VERSION))
SONAME     := libffi_deep_dive.so.$(if $(filter 0,$(word 1,$(version_w))),0.$(word 2,$(version_w)),$(word 1,$(version_w)))
HEADER     := c/include/ffi_deep_dive.h
BUILD      := build

CSTD     := -std=c11
WARN     := -Wall -Wextra -Werror -pedantic
CFLAGS   ?= -O2 -g
CPPFLAGS := -Ic/include
# The binaries live in build/ and find the library through a relative rpath,
# so they run without LD_LIBRARY_PATH wherever the checkout is (an absolute
# CARGO_TARGET_DIR gives an absolute rpath).
rpath_to = -Wl,-rpath,'$(if $(filter /%,$(1)),$(1),$$ORIGIN/../$(1))'
LDLIBS   := -L$(LIB_DIR) -lffi_deep_dive $(call rpath_to,$(LIB_DIR))

DEMO_SRC  := c/demo.c $(wildcard c/demo/*.c)
# c/tests/threads.c is a program of its own (build/test_threads).
THREADS_SRC := c/tests/threads.c
TEST_SRC  := $(filter-out c/tests/panic.c $(THREADS_SRC),$(wildcard c/tests/*.c))
THREADS_LDLIBS := -pthread -lm
C_HEADERS := $(HEADER) c/demo/demo.h c/tests/check.h

NODE_STAMP := node_modules/.ffi-deep-dive-stamp
TS_SRC     := $(shell find ts -name '*.ts')

## Optional tools, probed once when make starts. A check that needs one is
## defined twice below (ifeq ... else ... endif): its real recipe when the tool
## is there, and otherwise a recipe that only reports the skip, so nothing
## after a missing tool runs.
have_cmd     = $(shell command -v $(1) >/dev/null 2>&1 && echo yes)
have_cargo   = $(shell $(CARGO) $(1) --version >/dev/null 2>&1 && echo yes)
HAVE_CBINDGEN   := $(call have_cmd,cbindgen)
HAVE_CLANG      := $(call have_cmd,clang)
HAVE_VALGRIND   := $(call have_cmd,valgrind)
HAVE_PKG_CONFIG := $(call have_cmd,pkg-config)
HAVE_CXX        := $(call have_cmd,$(CXX))
HAVE_RUSTFMT    := $(call have_cargo,fmt)
HAVE_CLIPPY     := $(call have_cargo,clippy)
# The nightly toolchain (rustup), for the ThreadSanitizer build of the library.
HAVE_NIGHTLY    := $(shell $(CARGO) +nightly --version >/dev/null 2>&1 && echo yes)
# What `make test` cannot run here, named in its last line.
SKIPPED_FAST := $(strip $(if $(HAVE_RUSTFMT),,rustfmt) $(if $(HAVE_CLIPPY),,clippy) \
  $(if $(HAVE_CXX),,$(CXX)) $(if $(HAVE_CBINDGEN),,cbindgen))
SKIPPED := $(strip $(SKIPPED_FAST) $(if $(HAVE_VALGRIND),,valgrind) \
  $(if $(HAVE_CLANG),,clang) $(if $(HAVE_PKG_CONFIG),,pkg-config) $(if $(HAVE_NIGHTLY),,rust-nightly))

# $(call skip,TOOL,CHECK,HOW TO GET IT): the whole recipe of a check whose tool
# is missing. CI=true turns the skip into a failure.
define skip
@if [ "$${CI:-}" = "true" ]; then \
  echo "ERROR: $(1) is required in CI (CI=true) for $(2); install it: $(3)" >&2; exit 1; fi
@echo "!!! SKIPPED: $(2) did NOT run: $(1) is not installed (install it: $(3)) !!!"
endef

.PHONY: all tools lib lib-test-panic c ts demo test test-fast test-bare test-rust test-c test-valgrind test-js \
        lint lint-rust lint-rustfmt lint-clippy lint-c lint-cxx lint-ts check-header header bench clean
.PHONY: stress-c test-tsan lib-tsan
.PHONY: check-header-docs test-package test-runtimes test-install install uninstall docs clean-docs prebuild clean-prebuilds check-glibc

all: tools lib c ts

## Required tools: one line each when missing.
tools:
	@for t in cargo:"Rust (https://rustup.rs)" $(CC):"a C compiler (apt-get install gcc)" \
	          node:"Node.js 20+" $(NPM):"npm (comes with Node.js)"; do \
	  tool=$${t%%:*}; why=$${t#*:}; \
	  command -v $$tool >/dev/null 2>&1 || { echo "ffi-deep-dive: missing system tool '$$tool': install $$why"; exit 1; }; \
	done

## npm ci when node_modules is missing or older than the lock file.
$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

## Rust: cargo decides what to rebuild.
## Programs linked with -lffi_deep_dive ask for the SONAME at run time, so
## each build directory gets the SONAME link next to cargo's output.
soname_link = ln -sfn libffi_deep_dive.so $(1)/$(SONAME)

lib: tools
	$(CARGO) build --release --manifest-path $(RUST_DIR)/Cargo.toml
	@$(call soname_link,$(LIB_DIR))

## A separate build with the test-only panic export, for the panic tests.
lib-test-panic: tools
	$(CARGO) build --release --features test-panic --manifest-path $(RUST_DIR)/Cargo.toml \
	  --target-dir $(TARGET_DIR)/test-panic
	@$(call soname_link,$(TARGET_DIR)/test-panic/release)

header:
	@command -v cbindgen >/dev/null || { echo "make header: cbindgen is not installed (apt-get install cbindgen; 0.24.3 generated the committed header)" >&2; exit 1; }
	cbindgen --config $(RUST_DIR)/cbindgen.toml --crate ffi_deep_dive --quiet \
	  --output $(HEADER) $(RUST_DIR)

## C: the demo and the test programs.
c: $(BUILD)/demo $(BUILD)/test_c $(BUILD)/test_threads

$(BUILD)/demo: $(DEMO_SRC) $(C_HEADERS) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(DEMO_SRC) -o $@ $(LDLIBS)

$(BUILD)/test_c: $(TEST_SRC) $(C_HEADERS) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(TEST_SRC) -o $@ $(LDLIBS)

$(BUILD)/test_threads: $(THREADS_SRC) $(HEADER) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) $(THREADS_SRC) -o $@ $(LDLIBS) $(THREADS_LDLIBS)

## c/tests/threads.c's sizes (its options: -t thread counts of the phases,
## -i iterations per thread, -s short-lived threads): plain (about 2 s here),
## under ASan, valgrind (serialises the threads: small) and TSan, and the
## bigger `make stress-c`.
THREADS_ARGS          ?= -t 2,8,32 -i 1000 -s 2000
THREADS_ASAN_ARGS     ?= -t 2,8,32 -i 300 -s 1000
THREADS_VALGRIND_ARGS ?= -t 2,8,32 -i 10 -s 200
THREADS_TSAN_ARGS     ?= -t 2,8,32 -i 200 -s 500
STRESS_C_ARGS         ?= -t 2,4,8,16,32,64 -i 10000 -s 10000

## TypeScript: CommonJS + declarations in dist/; then every re-export becomes a
## plain data property (scripts/build-exports.js: a namespace call costs what a
## destructured call costs).
ts: $(NODE_STAMP) dist/index.js

dist/index.js: $(TS_SRC) tsconfig.json $(NODE_STAMP) scripts/build-exports.js
	npx tsc -p tsconfig.json
	node scripts/build-exports.js dist
	@touch $@

demo: all
	@echo "=== C demo (build/demo) ==="
	$(BUILD)/demo
	@echo
	@echo "=== Node demo (scripts/demo.js) ==="
	node scripts/demo.js

test: all lint check-header check-glibc test-rust test-c test-valgrind test-js
	@echo "make test: all checks passed"
	$(if $(SKIPPED),@echo "!!! make test: checks SKIPPED for missing tools: $(SKIPPED) (see the SKIPPED lines above) !!!")

## The fast path (`npm test`, about a minute): lint, the header check, the C
## tests and the jest suites except the slow ones. A jest file whose name
## contains soak, fuzz, pressure, slow or -gc (memory-pressure suites) is left to `make test`.
JEST_SLOW := /[^/]*(soak|fuzz|pressure|slow|-gc)[^/]*\.test\.ts$$
test-fast: all lib-test-panic lint check-header check-glibc test-c
	npx jest --testPathIgnorePatterns '$(JEST_SLOW)'
	@echo "make test-fast: passed (the full suite is \`make test\`)"
	$(if $(SKIPPED_FAST),@echo "!!! make test-fast: checks SKIPPED for missing tools: $(SKIPPED_FAST) (see the SKIPPED lines above) !!!")

## The full suite on a PATH without the optional tools, as on a machine with
## only Node.js, cargo and gcc: every such check must say SKIPPED, and the rest
## must pass. CI is unset inside, since there a skip would fail.
test-bare:
	CI= scripts/bare-path.sh $(MAKE) --no-print-directory test

test-rust:
	$(CARGO) test --manifest-path $(RUST_DIR)/Cargo.toml
	$(CARGO) test --manifest-path $(RUST_DIR)/Cargo.toml --features test-panic

test-c: $(BUILD)/test_c $(BUILD)/test_threads
	$(BUILD)/test_c
	$(BUILD)/test_threads $(THREADS_ARGS)

stress-c: $(BUILD)/test_threads
	$(BUILD)/test_threads $(STRESS_C_ARGS)

ifeq ($(HAVE_VALGRIND),yes)
test-valgrind: $(BUILD)/test_c $(BUILD)/test_threads
	valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	  --suppressions=c/tests/valgrind.supp --error-exitcode=1 --quiet $(BUILD)/test_c
	valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	  --suppressions=c/tests/valgrind.supp --error-exitcode=1 --quiet $(BUILD)/test_threads $(THREADS_VALGRIND_ARGS)
else
test-valgrind:
	$(call skip,valgrind,the valgrind leak check of the C tests and c/tests/threads.c (test-valgrind),apt-get install valgrind)
endif

test-js: all
	npx jest

lint: lint-rust lint-c lint-ts

lint-rust: lint-rustfmt lint-clippy

ifeq ($(HAVE_RUSTFMT),yes)
lint-rustfmt:
	$(CARGO) fmt --manifest-path $(RUST_DIR)/Cargo.toml -- --check
else
lint-rustfmt:
	$(call skip,rustfmt,the Rust format check (cargo fmt --check),rustup component add rustfmt)
endif

ifeq ($(HAVE_CLIPPY),yes)
lint-clippy:
	$(CARGO) clippy --manifest-path $(RUST_DIR)/Cargo.toml --all-targets -- -D warnings
	$(CARGO) clippy --manifest-path $(RUST_DIR)/Cargo.toml --all-targets --features test-panic -- -D warnings
else
lint-clippy:
	$(call skip,clippy,the Rust lint (cargo clippy -D warnings),rustup component add clippy)
endif

## The header compiles cleanly as C11 and as C++.
lint-c: lint-cxx
	echo '#include "ffi_deep_dive.h"' | $(CC) $(CSTD) $(WARN) $(CPPFLAGS) -x c -fsyntax-only -

ifeq ($(HAVE_CXX),yes)
lint-cxx:
	echo '#include "ffi_deep_dive.h"' | $(CXX) -std=c++17 $(WARN) $(CPPFLAGS) -x c++ -fsyntax-only -
else
lint-cxx:
	$(call skip,$(CXX),the check that the header compiles as C++ (lint-cxx),apt-get install g++)
endif

lint-ts: $(NODE_STAMP)
	npx tsc -p tsconfig.test.json
	npx eslint ts test scripts
	npx prettier --check ts test scripts

## The committed header equals what cbindgen generates from the crate now.
ifeq ($(HAVE_CBINDGEN),yes)
check-header:
	@tmp=$$(mktemp); \
	cbindgen --config $(RUST_DIR)/cbindgen.toml --crate ffi_deep_dive --quiet --output $$tmp $(RUST_DIR) || exit 1; \
	if ! diff -u $(HEADER) $$tmp; then \
	  echo "ERROR: $(HEADER) differs from what cbindgen generates (diff above). Run 'make header' and commit it."; \
	  rm -f $$tmp; exit 1; \
	fi; rm -f $$tmp; echo "header: $(HEADER) matches cbindgen output"
else
check-header:
	$(call skip,cbindgen,the header drift check (check-header),apt-get install cbindgen)
endif

## Benchmarks: scripts/bench.js builds the Node-API addon (bench/napi,
## node-gyp; skipped with a message if it fails), loads the C floor
## (build/libffi_bench_c.so: C loops over the library's functions, timed in
## the same process and rounds as the JS rows), times every engine and writes
## docs/bench.{json,md}, the charts and the README's benchmark section.
## BENCH_QUICK=1 make bench: a short run (< 1 min) to check that it works.
BENCH_SRC := $(wildcard c/bench/*.c)

$(BUILD)/libffi_bench_c.so: $(BENCH_SRC) $(HEADER) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) -O3 -fPIC -shared $(CPPFLAGS) $(BENCH_SRC) -o $@ $(LDLIBS)

bench: all $(BUILD)/libffi_bench_c.so
	node scripts/bench.js

clean: clean-prebuilds
	rm -rf $(BUILD) dist
	$(CARGO) clean --manifest-path $(RUST_DIR)/Cargo.toml

## ---- The contract holds (issue 6): sanitizers, panic guard, fuzzing, soak, ABI ----
#
#   make test-asan        the C test program built with ASan+UBSan (gcc) and run
#   make test-panic       the panic guard seen from C, against the test-panic build
#   make test-abi         C/Rust/TS layout, enum value and symbol conformance only
#   make fuzz             libFuzzer on the C API for FUZZ_SECONDS (default 60)
#   make fuzz-js          the hostile-argument fuzzer of the JS API, FUZZ_JS_RUNS (5000) per function,
#                         then the patched-realm test with every patch against every case
#   make soak             1M iterations of each allocating public function (SOAK_ITERATIONS)
#
# `make test` runs all of these, the fuzzer and the soak shortened.

.PHONY: test-asan test-panic test-abi lib-fuzz fuzz test-fuzz-smoke soak

test: lib-test-panic test-asan test-panic test-fuzz-smoke test-tsan
## The conformance test compares the default library with the test-panic build.
test-js: lib-test-panic

SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_ENV  := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

## The Rust .so is not instrumented; ASan still checks every C access and
## intercepts malloc/free, which Rust's allocator calls (so LeakSanitizer sees
## Rust allocations too).
$(BUILD)/test_c_asan: $(TEST_SRC) $(C_HEADERS) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SANITIZE) $(CPPFLAGS) $(TEST_SRC) -o $@ $(LDLIBS)

$(BUILD)/test_threads_asan: $(THREADS_SRC) $(HEADER) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SANITIZE) $(CPPFLAGS) $(THREADS_SRC) -o $@ $(LDLIBS) $(THREADS_LDLIBS)

test-asan: $(BUILD)/test_c_asan $(BUILD)/test_threads_asan
	$(SAN_ENV) $(BUILD)/test_c_asan
	$(SAN_ENV) $(BUILD)/test_threads_asan $(THREADS_ASAN_ARGS)

## ThreadSanitizer, the library included (issue 22): the crate built by
## nightly rustc with -Zsanitizer=thread into its own target directory
## (std is not rebuilt, as there is no rust-src: hence
## -Cunsafe-allow-abi-mismatch=sanitizer), c/tests/threads.c built with
## clang -fsanitize=thread against it. clang 14's runtime lacks the
## __tsan_memcpy/memmove/memset that nightly's LLVM emits:
## c/tsan/tsan_memfns.c forwards them to libc, which TSan intercepts.
## Any report fails (halt_on_error). The control, c/tsan/race.c, breaks
## the sharing rule (two threads, one point and one error object, no lock):
## TSan must report it, i.e. exit with TSAN_EXITCODE.
TSAN_TARGET_DIR := $(BUILD)/tsan-target
TSAN_LIB_DIR    := $(TSAN_TARGET_DIR)/release
TSAN_RUSTFLAGS  := -Zsanitizer=thread -Cunsafe-allow-abi-mismatch=sanitizer
TSAN_CFLAGS     := -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=thread -rdynamic
TSAN_SHIM       := c/tsan/tsan_memfns.c
TSAN_LDLIBS     := -L$(TSAN_LIB_DIR) -lffi_deep_dive $(call rpath_to,$(TSAN_LIB_DIR)) $(THREADS_LDLIBS)
TSAN_EXITCODE   := 66

lib-tsan: tools
	$(CARGO) +nightly rustc --release --lib --manifest-path $(RUST_DIR)/Cargo.toml \
	  --target-dir $(TSAN_TARGET_DIR) -- $(TSAN_RUSTFLAGS)
	@$(call soname_link,$(TSAN_LIB_DIR))

$(BUILD)/test_threads_tsan: $(THREADS_SRC) $(TSAN_SHIM) $(HEADER) lib-tsan
	clang $(TSAN_CFLAGS) $(CPPFLAGS) $(THREADS_SRC) $(TSAN_SHIM) -o $@ $(TSAN_LDLIBS)

$(BUILD)/race_tsan: c/tsan/race.c $(TSAN_SHIM) $(HEADER) lib-tsan
	clang $(TSAN_CFLAGS) $(CPPFLAGS) c/tsan/race.c $(TSAN_SHIM) -o $@ $(TSAN_LDLIBS)

ifeq ($(HAVE_NIGHTLY)$(HAVE_CLANG),yesyes)
test-tsan: $(BUILD)/test_threads_tsan $(BUILD)/race_tsan
	TSAN_OPTIONS="halt_on_error=1 exitcode=$(TSAN_EXITCODE)" $(BUILD)/test_threads_tsan $(THREADS_TSAN_ARGS)
	@echo "test-tsan: the control (c/tsan/race.c) must be reported (log: $(BUILD)/tsan-control.log)"
	@TSAN_OPTIONS="exitcode=$(TSAN_EXITCODE)" $(BUILD)/race_tsan >$(BUILD)/tsan-control.log 2>&1; rc=$$?; \
	reports=$$(grep -c '^WARNING: ThreadSanitizer' $(BUILD)/tsan-control.log); \
	if [ $$rc -ne $(TSAN_EXITCODE) ] || [ $$reports -eq 0 ]; then \
	  cat $(BUILD)/tsan-control.log; \
	  echo "ERROR: ThreadSanitizer did not report the control's races (exit $$rc, $$reports reports): the zero above proves nothing" >&2; \
	  exit 1; fi; \
	echo "test-tsan: control reported as expected: $$reports reports ($$(grep -c '^SUMMARY: ThreadSanitizer: data race' $(BUILD)/tsan-control.log) data races), exit $$rc"
else
test-tsan:
	$(call skip,$(if $(HAVE_CLANG),the nightly Rust toolchain,clang),the ThreadSanitizer run of c/tests/threads.c (test-tsan),$(if $(HAVE_CLANG),rustup toolchain install nightly,apt-get install clang libclang-rt-14-dev))
endif

TEST_PANIC_LIB_DIR := $(TARGET_DIR)/test-panic/release

$(BUILD)/test_panic: c/tests/panic.c $(C_HEADERS) lib-test-panic
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) c/tests/panic.c -o $@ \
	  -L$(TEST_PANIC_LIB_DIR) -lffi_deep_dive $(call rpath_to,$(TEST_PANIC_LIB_DIR))

## The deliberate panics print Rust's panic message on stderr: that is expected.
test-panic: $(BUILD)/test_panic
	@echo "(the 'panicked at' lines below are the deliberate panics being caught)"
	$(BUILD)/test_panic

test-abi: all lib-test-panic
	npx jest test/conformance.test.ts test/abi-parser.test.ts

## Fuzzing: clang's libFuzzer with ASan+UBSan on the C harness, against a build
## of the library whose Rust code carries libFuzzer's coverage instrumentation
## (stable rustc's sancov pass, as cargo-fuzz uses), so the fuzzer is guided
## by Rust branches too. Targets for functions the header does not declare
## yet are left out: FUZZ_OPTIONAL lists them (see c/fuzz/fuzz_ffi.c).
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_OPTIONAL      := parse_number shape_area
open_paren         := (
FUZZ_FOUND         := $(foreach f,$(FUZZ_OPTIONAL),$(if $(shell grep -qE '[ *]$(f)[$(open_paren)]' $(HEADER) && echo y),$(f)))
FUZZ_DEFS          := $(addprefix -DFFI_HAVE_,$(FUZZ_FOUND))
FUZZ_LIB_DIR       := $(TARGET_DIR)/fuzz/release
FUZZ_RUSTFLAGS     := -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks

## `cargo rustc -- flags` instruments the library only; RUSTFLAGS would also
## instrument rust/build.rs, which then fails to link without libFuzzer.
lib-fuzz: tools
	$(CARGO) rustc --release --lib --manifest-path $(RUST_DIR)/Cargo.toml \
	  --target-dir $(TARGET_DIR)/fuzz -- $(FUZZ_RUSTFLAGS)
	@$(call soname_link,$(FUZZ_LIB_DIR))

$(BUILD)/fuzz_ffi: c/fuzz/fuzz_ffi.c $(HEADER) lib-fuzz
	@mkdir -p $(BUILD)
	clang -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=fuzzer,address,undefined $(FUZZ_DEFS) \
	  $(CPPFLAGS) c/fuzz/fuzz_ffi.c -o $@ \
	  -L$(FUZZ_LIB_DIR) -lffi_deep_dive $(call rpath_to,$(FUZZ_LIB_DIR))

define run_fuzz
$(MAKE) --no-print-directory $(BUILD)/fuzz_ffi
@mkdir -p $(BUILD)/fuzz-corpus
@echo "fuzz: concat_strings concat_strings_into count_characters count_characters_utf16 count_characters_utf8 concat_strings_utf16_into $(FUZZ_FOUND) for $(1) s (log: $(BUILD)/fuzz.log)"
@if $(SAN_ENV) $(BUILD)/fuzz_ffi -max_total_time=$(1) -print_final_stats=1 -artifact_prefix=$(BUILD)/ \
  $(BUILD)/fuzz-corpus >$(BUILD)/fuzz.log 2>&1; then \
  grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' $(BUILD)/fuzz.log; \
else tail -n 60 $(BUILD)/fuzz.log; echo "ERROR: the fuzzer found a crash (input saved as $(BUILD)/crash-*)"; exit 1; fi
endef

ifeq ($(HAVE_CLANG),yes)
fuzz:
	$(call run_fuzz,$(FUZZ_SECONDS))

test-fuzz-smoke:
	$(call run_fuzz,$(FUZZ_SMOKE_SECONDS))
else
fuzz:
	@echo "make fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1

test-fuzz-smoke:
	$(call skip,clang,the libFuzzer smoke run of c/fuzz (test-fuzz-smoke),apt-get install clang libclang-rt-14-dev)
endif

## The hostile-argument fuzzer of the public JS API (test/hostile/fuzz.js, fast-check):
## FUZZ_JS_RUNS calls per public function from FUZZ_JS_SEED, one child process per
## function (its options, e.g. --survey to list every failure: the top of test/hostile/fuzz.js).
## `make test` runs it shortened (test/hostile/fuzz.test.ts, 200 calls per function).
FUZZ_JS_RUNS ?= 5000
FUZZ_JS_SEED ?= 20261129
.PHONY: fuzz-js
fuzz-js: all
	node test/hostile/fuzz.js --runs $(FUZZ_JS_RUNS) --seed $(FUZZ_JS_SEED)
	node test/realm/realm.js --full --seed $(FUZZ_JS_SEED) --json $(BUILD)/realm-full.json

## The patched-realm test (issue 20, test/realm/realm.js): built-ins patched after the
## package loaded, enumerated from the realm (about 2,800 patches), each against the
## public API's cases in child processes. `make test` runs a sample of about 5,900
## (patch, case) pairs (test/realm/patched-realm-slow.test.ts, under 2 minutes);
## `make fuzz-js` runs every patch against every case (about 122,000 pairs) and writes
## the full report to build/realm-full.json; `make realm` runs just the sample.
.PHONY: realm
realm: all
	node test/realm/realm.js --json $(BUILD)/realm-sample.json

SOAK_ITERATIONS ?= 1000000
soak: all
	SOAK_ITERATIONS=$(SOAK_ITERATIONS) npx jest --runInBand test/soak.test.ts

## Packaging and documentation checks, part of `make test` (prerequisites add up
## across rules; the recipe above runs after all of them).
test: check-header-docs test-package test-install docs

## Every function in the header documents ownership, NULL and thread-safety.
## The README, CONTRIBUTING.md, CHANGELOG.md, docs/*.md and the header's comments
## against the code: C declarations, quoted messages, exports in the CHANGELOG.
check-header-docs: lib
	node scripts/check-header-docs.js --self-test
	node scripts/check-header-docs.js $(HEADER)
	CC=$(CC) node scripts/check-docs.js --self-test
	CC=$(CC) node scripts/check-docs.js --sources

## The npm tarball, installed into a fresh directory elsewhere without cargo,
## works; its types check under every moduleResolution; attw and publint agree.
test-package: all
	scripts/test-package.sh

## The packed package under Node, Bun and Deno (issue 23): the pinned Bun and
## Deno come from the npm registry into build/runtimes/; the tarball is
## installed into a fresh folder, where the package examples, a conformance
## pass compared across the three runtimes, 10,000 async calls in flight,
## busy workers and worker teardown run (scripts/runtimes/run.sh). Without
## registry access: one named skip (CI=true: a failure). Not part of `make
## test`: .ci/run runs it after.
test-runtimes: all
	scripts/runtimes/run.sh

## The tarball's prebuilt library, prebuildify's layout: prebuilds/<platform>-<arch>/,
## the release build stripped. `npm pack` makes it (prepack) and removes it
## (postpack): it is never committed, and a development checkout never loads it.
## On linux-x64 it must run on glibc PREBUILD_MIN_GLIBC (ts/raw/library.ts, the
## README): no GLIBC_ symbol version newer than that (rust/glibc/compat.c binds
## std's newer references to old versions). check-glibc (part of test and
## test-fast) checks the release build the same way.
prebuild_platform = $(shell node -p 'process.platform + "-" + process.arch')
PREBUILD_GLIBC    = $(shell sed -n "s/^export const PREBUILD_MIN_GLIBC = '\(.*\)';/\1/p" ts/raw/library.ts)
# $(call glibc_too_new,LIBRARY): its references to GLIBC_ versions newer than
# PREBUILD_GLIBC, one symbol@version a line (nothing when there is none).
glibc_too_new = objdump -T $(1) | awk -v max='$(PREBUILD_GLIBC)' ' \
  function newer(a, b,  x, y, i) { split(a, x, "."); split(b, y, "."); \
    for (i = 1; i <= 4; i++) if (x[i] + 0 != y[i] + 0) return x[i] + 0 > y[i] + 0; return 0 } \
  NF >= 2 { v = $$(NF - 1); gsub(/[()]/, "", v) } NF < 2 { v = "" } \
  v ~ /^GLIBC_[0-9.]+$$/ { sub(/^GLIBC_/, "", v); if (newer(v, max)) print $$NF "@GLIBC_" v }'
# $(call check_glibc,LIBRARY): fails, naming them, if there are any.
define check_glibc
@set -o pipefail; if [ "$(prebuild_platform)" != linux-x64 ]; then echo "check-glibc: $(1): not linux-x64, no glibc bound to check"; exit 0; fi; \
[ -n "$(PREBUILD_GLIBC)" ] || { echo "ERROR: no PREBUILD_MIN_GLIBC found in ts/raw/library.ts" >&2; exit 1; }; \
too_new=$$($(call glibc_too_new,$(1))) || exit 1; \
if [ -n "$$too_new" ]; then \
  echo "ERROR: $(1) needs symbol versions newer than glibc $(PREBUILD_GLIBC) (PREBUILD_MIN_GLIBC in ts/raw/library.ts, and the README):" $$too_new >&2; \
  echo "       bind them to older versions in rust/glibc/compat.c (and its list in rust/build.rs)" >&2; exit 1; fi; \
echo "check-glibc: $(1), $$(wc -c <$(1)) bytes, needs glibc $$(objdump -T $(1) | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1) (at most $(PREBUILD_GLIBC))"
endef
prebuild: lib
	rm -rf prebuilds
	mkdir -p prebuilds/$(prebuild_platform)
	strip --strip-unneeded -o prebuilds/$(prebuild_platform)/$(notdir $(LIB)) $(LIB)
	$(call check_glibc,prebuilds/$(prebuild_platform)/$(notdir $(LIB)))

check-glibc: lib
	$(call check_glibc,$(LIB))
	@if [ "$(prebuild_platform)" = linux-x64 ]; then \
	  $(CC) $(CSTD) $(WARN) -fsyntax-only rust/glibc/compat.c && echo "check-glibc: rust/glibc/compat.c compiles with $(WARN)"; fi

clean-prebuilds:
	rm -rf prebuilds

## C users: the shared library (versioned, with its links), the static
## library, the header and a pkg-config file under PREFIX (DESTDIR is honoured
## for staged installs). It installs what `make` built and never builds: run
## `make` first, as yourself, then `sudo make install` if the prefix needs it.
PREFIX       ?= /usr/local
prefix_abs    = $(abspath $(PREFIX))
LIBDIR       ?= $(prefix_abs)/lib
INCLUDEDIR   ?= $(prefix_abs)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# What a static link needs besides the archive (pkg-config's Libs.private):
# the system libraries Rust's std links, as rustc reports them for a staticlib
# (the crate itself links nothing else). Found once, when `make` builds.
NATIVE_STATIC_LIBS := $(BUILD)/native-static-libs

all: $(NATIVE_STATIC_LIBS)

$(NATIVE_STATIC_LIBS):
	@mkdir -p $(BUILD)/static-libs-probe
	@echo 'pub fn probe() {}' > $(BUILD)/static-libs-probe/probe.rs
	@rustc --edition 2021 --crate-type staticlib --crate-name probe --print native-static-libs \
	  -o $(BUILD)/static-libs-probe/libprobe.a $(BUILD)/static-libs-probe/probe.rs 2>&1 \
	  | sed -n 's/^note: native-static-libs: //p' > $@.tmp
	@[ -s $@.tmp ] || { echo "ERROR: rustc --print native-static-libs printed nothing" >&2; rm -f $@.tmp; exit 1; }
	@mv $@.tmp $@ && rm -rf $(BUILD)/static-libs-probe
	@echo "static link needs: $$(cat $@) (Libs.private of ffi_deep_dive.pc)"

INSTALLED_LIB := libffi_deep_dive.so.$(VERSION)

install:
	@for f in $(LIB) $(STATICLIB) $(NATIVE_STATIC_LIBS); do \
	  [ -f $$f ] || { echo "make install: $$f is missing: run \`make\` first (install does not build)" >&2; exit 1; }; \
	done
	@soname=$$(readelf -d $(LIB) | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'); \
	if [ "$$soname" != "$(SONAME)" ]; then \
	  echo "make install: $(LIB) has SONAME '$$soname', not $(SONAME) (rust/Cargo.toml says $(VERSION)): run \`make\` first" >&2; \
	  exit 1; fi
	@created=; for d in $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR); do \
	  while [ ! -e "$$d" ] && [ "$$d" != / ] && [ "$$d" != . ]; do \
	    case " $$created " in *" $${d#$(DESTDIR)} "*) ;; *) created="$$created $${d#$(DESTDIR)}";; esac; \
	    d=$$(dirname "$$d"); \
	  done; \
	done; mkdir -p $(BUILD) && echo "$$created" > $(BUILD)/install-created-dirs
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(LIB) $(DESTDIR)$(LIBDIR)/$(INSTALLED_LIB)
	ln -sfn $(INSTALLED_LIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sfn $(SONAME) $(DESTDIR)$(LIBDIR)/libffi_deep_dive.so
	install -m 644 $(STATICLIB) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(HEADER) $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(prefix_abs)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	  -e 's|@VERSION@|$(VERSION)|' -e "s|@LIBS_PRIVATE@|$$(cat $(NATIVE_STATIC_LIBS))|" \
	  c/ffi_deep_dive.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/ffi_deep_dive.pc
	@created=$$(cat $(BUILD)/install-created-dirs); [ -z "$$created" ] || \
	  echo "# make install created:$$created" >> $(DESTDIR)$(PKGCONFIGDIR)/ffi_deep_dive.pc
	@echo "installed under $(DESTDIR)$(prefix_abs): use \`pkg-config --cflags --libs ffi_deep_dive\` (--static for the static library)"

## uninstall also removes the directories install created (the .pc file's
## "# make install created:" line, without DESTDIR), deepest first, when empty.
uninstall:
	@created=$$(sed -n 's/^# make install created://p' $(DESTDIR)$(PKGCONFIGDIR)/ffi_deep_dive.pc 2>/dev/null); \
	rm -f $(addprefix $(DESTDIR)$(LIBDIR)/,$(INSTALLED_LIB) $(SONAME) libffi_deep_dive.so libffi_deep_dive.a) \
	  $(DESTDIR)$(INCLUDEDIR)/$(notdir $(HEADER)) $(DESTDIR)$(PKGCONFIGDIR)/ffi_deep_dive.pc; \
	echo "removed ffi-deep-dive from $(DESTDIR)$(prefix_abs)"; \
	for d in $$(printf '%s\n' $$created | sort -r); do \
	  if rmdir "$(DESTDIR)$$d" 2>/dev/null; then echo "removed the empty directory $(DESTDIR)$$d"; fi; \
	done

## The C demo, built against `make install` output with pkg-config, linked
## dynamically and statically, runs.
ifeq ($(HAVE_PKG_CONFIG),yes)
test-install: all
	scripts/test-install.sh
else
test-install:
	$(call skip,pkg-config,the C install test (test-install: make install + pkg-config + link),apt-get install pkg-config)
endif

## API reference from the TS doc comments; typedoc warnings fail the build.
## The README is the landing page; scripts/typedoc-plugin.mjs names the modules
## by import path, groups entries by concept and shows raw functions as
## functions; scripts/check-docs.js checks that the output does.
docs: $(NODE_STAMP)
	npx typedoc --options typedoc.json --treatWarningsAsErrors
	node scripts/check-docs.js

clean: clean-docs
clean-docs:
	rm -rf docs/api

## ---- Mutation testing (issue 15): not part of `make test` ----
#
#   make mutate          both of the below (the full Stryker run on the final code took 1 h 46 min on 2 cores; see README "Mutation testing")
#   make mutate-ts       Stryker over ts/ with the jest runner and the TypeScript checker
#                        (report: build/mutation/index.html)
#   make mutate-native   scripts/mutate/mutations.js applied one at a time to a copy of the
#                        tree, each run through cargo test, the C tests and jest
.PHONY: mutate mutate-ts mutate-native
mutate: mutate-ts mutate-native

mutate-ts: all
	FFI_DEEP_DIVE_LIB=$(abspath $(LIB)) npx stryker run

mutate-native: all
	node scripts/mutate/native.js

## ---- Thread-owned handles at every step of a thread's or the process's exit (issue 22) ----
#
#   make test-exit-order   c/tests/exit_order/: frees, reads and constructors of thread-owned
#                          handles in atexit handlers, pthread_key and C11 tss destructors, C++
#                          thread_local and static destructors, and on another thread after the
#                          creator exited; each scenario in a child process (see exit_order.h)
#
# Part of test-c (plain), test-valgrind (memcheck follows the children) and test-asan.
.PHONY: test-exit-order test-exit-order-cxx test-valgrind-exit-order test-asan-exit-order

EXIT_ORDER_DIR := c/tests/exit_order
EXIT_ORDER_H   := $(EXIT_ORDER_DIR)/exit_order.h $(HEADER)
VALGRIND_CHILDREN := valgrind --trace-children=yes --leak-check=full --show-leak-kinds=all \
  --errors-for-leak-kinds=all --error-exitcode=1 --quiet

test-c: test-exit-order
test-valgrind: test-valgrind-exit-order
test-asan: test-asan-exit-order

$(BUILD)/test_exit_order: $(EXIT_ORDER_DIR)/exit_order.c $(EXIT_ORDER_H) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(CPPFLAGS) $< -o $@ $(LDLIBS) -lpthread -lm

$(BUILD)/test_exit_order_asan: $(EXIT_ORDER_DIR)/exit_order.c $(EXIT_ORDER_H) lib
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SANITIZE) $(CPPFLAGS) $< -o $@ $(LDLIBS) -lpthread -lm

$(BUILD)/test_exit_order_cxx: $(EXIT_ORDER_DIR)/thread_local.cpp $(EXIT_ORDER_H) lib
	@mkdir -p $(BUILD)
	$(CXX) -std=c++17 $(WARN) $(CFLAGS) $(CPPFLAGS) $< -o $@ $(LDLIBS) -lpthread

$(BUILD)/test_exit_order_cxx_asan: $(EXIT_ORDER_DIR)/thread_local.cpp $(EXIT_ORDER_H) lib
	@mkdir -p $(BUILD)
	$(CXX) -std=c++17 $(WARN) -O1 -g $(SANITIZE) $(CPPFLAGS) $< -o $@ $(LDLIBS) -lpthread

test-exit-order: $(BUILD)/test_exit_order test-exit-order-cxx
	$(BUILD)/test_exit_order

test-asan-exit-order: $(BUILD)/test_exit_order_asan $(if $(HAVE_CXX),$(BUILD)/test_exit_order_cxx_asan)
	$(SAN_ENV) $(BUILD)/test_exit_order_asan
	$(if $(HAVE_CXX),$(SAN_ENV) $(BUILD)/test_exit_order_cxx_asan)

ifeq ($(HAVE_VALGRIND),yes)
test-valgrind-exit-order: $(BUILD)/test_exit_order $(if $(HAVE_CXX),$(BUILD)/test_exit_order_cxx)
	$(VALGRIND_CHILDREN) $(BUILD)/test_exit_order
	$(if $(HAVE_CXX),$(VALGRIND_CHILDREN) $(BUILD)/test_exit_order_cxx)
else
test-valgrind-exit-order:
	$(call skip,valgrind,the valgrind run of the exit-order tests (test-valgrind-exit-order),apt-get install valgrind)
endif

ifeq ($(HAVE_CXX),yes)
test-exit-order-cxx: $(BUILD)/test_exit_order_cxx
	$(BUILD)/test_exit_order_cxx
else
test-exit-order-cxx:
	$(call skip,$(CXX),the C++ exit-order tests (thread_local and static destructors: test-exit-order-cxx),apt-get install g++)
endif
