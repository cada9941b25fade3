# ProBox developer entry points. `make run` and `make test` install what is missing.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.probox-deps

.PHONY: run stop phone test lint unit aws integration e2e bench setup deps pjsua2 package clean web web-api web-check console-screenshots

setup: deps pjsua2

$(PY):
	bash infra/setup_debian.sh
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(PY)
	bash infra/setup_debian.sh
	$(PY) -m pip install -q "pip>=24,<26.3"  # chalice 1.34 needs pip < 26.3 (chalice package)
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

deps: $(STAMP)

pjsua2: deps
	bash infra/build_pjsua2.sh $(abspath $(PY))

# The web console (web/): npm packages from the lockfile, a static build in web/dist, its API
# client generated from the API's OpenAPI document (docs/console.md).
WEB_DEPS := web/node_modules/.probox-npm-ci
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

$(WEB_DEPS): web/package.json web/package-lock.json
	bash infra/check_node.sh
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: $(WEB_DEPS) $(WEB_SRC)
	cd web && npm run build

web: web/dist/index.html

# After an API change: regenerate web/src/api (types and roles), then `make web-check`.
web-api: deps $(WEB_DEPS)
	$(PY) -m infra.console openapi | (cd web && node scripts/api.mjs --write)

# The committed client matches the API's current document, and the console typechecks (strict).
web-check: deps $(WEB_DEPS)
	$(PY) -m infra.console openapi | (cd web && node scripts/api.mjs --check)
	cd web && npm run typecheck

# The stack keeps its data (tenants, CDRs, recordings) in var/ across make stop / make run;
# `make run CLEAN=1` starts empty.
run: setup web
	PROBOX_CLEAN=$(CLEAN) $(PY) -m infra.local_stack run

stop:
	$(PY) -m infra.local_stack stop

# A console softphone for an extension of the running stack: make phone EXT=101 (TLS=1: over TLS + SRTP)
phone: deps
	$(PY) -m infra.softphone $(EXT) $(if $(TLS),--tls)

lint: deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

unit: deps
	$(PY) -m pytest -m unit

aws: deps
	$(PY) -m pytest -m aws

integration: setup
	$(PY) -m pytest -m integration

# The console in Debian's Chromium (Playwright) against a local stack.
e2e: deps web
	$(PY) -m pytest -m e2e

# Screenshots of every console page in both languages, into docs/console (docs/console.md).
console-screenshots: deps web
	PROBOX_CONSOLE_SCREENSHOTS=$(CURDIR)/docs/console $(PY) -m pytest -m e2e tests/e2e/test_console_a11y.py

test: setup lint web-check web
	$(PY) -m pytest -m "not slow" --durations=30  # the slowest tests listed: keep the whole under 30 min

# Benchmarks are not tests (make test does not run them). Issue 6: bench.run writes
# docs/benchmarks.md and bench/results.json; BENCH_ARGS=--smoke runs ~30 s per benchmark (CI).
BENCH_ARGS ?=
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m pytest -m slow  # load and measurement tests that make test skips
	$(PY) -m bench.call_profile --calls 5 --talk 10
	$(PY) -m bench.recording_size

# The control plane for AWS: build/package/$(STAGE)/sam.yaml + deployment.zip (docs/deploy.md).
STAGE ?= prod
package: deps
	$(PY) -m infra.package --stage $(STAGE) --lint

clean:
	rm -rf var .mypy_cache .ruff_cache .pytest_cache web/dist
