# The two commands a user needs: `make bench` and `make test`. Both install what
# is missing (scripts/setup), configure and build; everything else is CMake's.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= 2

.PHONY: all setup build build-asan test test-plain test-asan bench bench-pg gate gate-selftest \
        clean

all: build

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

build-asan: setup
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DIB_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

test-plain: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: build-asan
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS)

# Every test once normally, then once more under ASan+UBSan.
test: test-plain test-asan

bench: build
	@scripts/bench $(BUILD)/importbench

# The same over a throwaway PostgreSQL server, TCP loopback and Unix socket.
bench-pg: build
	@scripts/bench-pg $(BUILD)/importbench

# The CI performance gate: the quick matrix, judged against the committed
# baseline (rules in results/README.md). Exit 1 on a regression, 2 when the
# baseline or the run cannot be read. results/ci.json and the JUnit file stay.
gate: build
	@$(BUILD)/importbench bench --quick -o results/ci.json
	@$(BUILD)/importbench gate --baseline results/baseline.json results/ci.json \
		--junit results/gate-junit.xml

# Proof that the gate and scripts/compare-revisions catch injected regressions
# (builds build-inject-*/; a few minutes).
gate-selftest: setup
	@scripts/gate-selftest

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
