# Workbench: `make run CONFIG=configs/x.yaml` sets up what is missing, builds, trains and reports.
# Every step is skipped when its inputs did not change, so a second `make run` starts at once.

CONFIG ?= configs/mnist-mlp.yaml
ARGS ?=
RUNS ?=
BASELINE ?=

NATIVE := build/native/libworkbench_native.so
CLI := bin/workbench
REPORTS_WEB := src/Workbench.Reports/web/node_modules/.package-lock.json
DOTNET_SOURCES := $(shell find src \( -name bin -o -name obj -o -name node_modules \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.js' -o -name '*.css' \) -print) \
                  Directory.Build.props Directory.Packages.props
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: setup deps build native test run bench report clean

setup: build

deps:
	@scripts/setup.sh deps

native: deps
	@[ -f build/native/CMakeCache.txt ] && grep -q "Torch_DIR:PATH=$$(cat build/torch_dir)$$" build/native/CMakeCache.txt \
	  || cmake -S src/Native -B build/native -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$$(cat build/torch_dir)" >build/cmake.log \
	  || { cat build/cmake.log; exit 1; }
	@cmake --build build/native -j"$$(nproc)" 2>&1 | grep -v -E '^\[|^Consolidate|^-- |make\[[0-9]\]' >&2 || true
	@test -f $(NATIVE)

$(REPORTS_WEB): src/Workbench.Reports/web/package.json src/Workbench.Reports/web/package-lock.json
	@cd src/Workbench.Reports/web && npm ci --no-audit --no-fund --silent >&2
	@touch $@

build: native $(CLI)

$(CLI): $(NATIVE) $(DOTNET_SOURCES) $(wildcard src/Workbench.Reports/web/package-lock.json)
	@[ ! -f src/Workbench.Reports/web/package.json ] || $(MAKE) --no-print-directory $(REPORTS_WEB) >&2
	@echo "build: publishing the CLI to bin/" >&2
	@dotnet publish src/Workbench.Cli -c Release -o bin --nologo -v quiet -p:UseAppHost=true >build/publish.log 2>&1 \
	  || { cat build/publish.log; exit 1; }
	@touch $@

run: build
	@bin/workbench run $(CONFIG) $(ARGS)

test: build
	@scripts/setup.sh test-deps
	@scripts/test.sh

bench: build
	@scripts/setup.sh bench-deps
	@scripts/bench.sh

report: build
	@bin/workbench compare $(RUNS) $(if $(BASELINE),--baseline $(BASELINE))

clean:
	rm -rf build bin
	dotnet clean Workbench.sln --nologo -v quiet
