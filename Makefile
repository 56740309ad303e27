# Kennisbank: `make run` serves the API on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
TOOLS := .tools
# npm tools, pinned: Spectral (ADR ruleset), Redocly (recommended ruleset), openapi-typescript and tsc (client gates)
NPM_TOOLS := @stoplight/spectral-cli@6.16.3 @redocly/cli@2.77.0 openapi-typescript@7.13.0 typescript@5.9.3
NPM_STAMP := $(TOOLS)/.installed-npm
export KENNISBANK_DATABASE_URL ?=

.PHONY: run demo test install install-test tools lint bench clean

$(BIN)/python:
	@echo "==> creating $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "==> installing kennisbank"
	$(BIN)/pip install --quiet --progress-bar off -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	@echo "==> installing test extras"
	$(BIN)/pip install --quiet --progress-bar off -e '.[test]'
	@touch $@

$(BENCH_STAMP): pyproject.toml $(STAMP)
	@echo "==> installing bench extras (Datasette, the peer measured beside the API)"
	$(BIN)/pip install --quiet --progress-bar off -e '.[bench]'
	@touch $@

install: $(STAMP)

install-test: $(TEST_STAMP) tools

## External test tools: the npm tools above, Debian's chromium for browser tests, hadolint, and a
## Docker engine with a local base image for the image test (.ci/docker-base; skipped where no engine can run).
tools: $(NPM_STAMP)
	@bash .ci/install-tools

$(NPM_STAMP): Makefile
	@echo "==> installing npm tools into $(TOOLS): $(NPM_TOOLS)"
	mkdir -p $(TOOLS)
	npm install --no-audit --no-fund --save-exact --prefix $(TOOLS) $(NPM_TOOLS)
	@touch $@

run: $(STAMP)
	@echo "==> migrating and seeding (the real catalogue; curators' edits are kept)"
	$(BIN)/kennisbank db upgrade
	$(BIN)/kennisbank seed
	@echo "==> serving on http://127.0.0.1:8000 (Swagger UI: http://127.0.0.1:8000/api/v1/docs)"
	$(BIN)/kennisbank serve

## The real catalogue plus the fictional, marked demo set (seed/demo), for trying the API and the widget.
demo: $(STAMP)
	@echo "==> migrating and seeding (real catalogue + marked demo set)"
	$(BIN)/kennisbank db upgrade
	$(BIN)/kennisbank seed --demo
	@echo "==> serving on http://127.0.0.1:8000 (Swagger UI: http://127.0.0.1:8000/api/v1/docs)"
	$(BIN)/kennisbank serve

test: install-test
	@echo "==> lint"
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	@echo "==> tests (SQLite and PostgreSQL)"
	$(BIN)/pytest -p no:cacheprovider

## Benchmarks (figures, not tests): SQLite and PostgreSQL, real catalogue and 1k/10k/100k records, the bare Flask
## ceiling and Datasette beside them, then bench/load.py.
## Installs wrk first when it can (apt, as root; .ci/install-bench-tools), else bench uses its Python generator.
## Options: make bench BENCH_ARGS="--duration 5 --sizes 0,1000 --backends sqlite" (see python -m bench -h).
bench: $(BENCH_STAMP)
	@bash .ci/install-bench-tools
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) instance .pytest_cache
