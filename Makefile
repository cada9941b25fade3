# ProBox developer entry points. `make run` and `make test` install what is missing.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
STAMP := $(VENV)/.probox-deps

.PHONY: run stop phone test lint unit aws integration bench setup deps pjsua2 package clean

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

run: setup
	$(PY) -m infra.local_stack run

stop:
	$(PY) -m infra.local_stack stop

# A console softphone for an extension of the running stack: make phone EXT=101
phone: deps
	$(PY) -m infra.softphone $(EXT)

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

test: setup lint
	$(PY) -m pytest -m "not slow"

# Benchmarks are not tests (make test does not run them). Issue 6: bench.run writes
# docs/benchmarks.md and bench/results.json; BENCH_ARGS=--smoke runs ~30 s per benchmark (CI).
BENCH_ARGS ?=
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)
	$(PY) -m bench.call_profile --calls 5 --talk 10
	$(PY) -m bench.recording_size

# The control plane for AWS: build/package/$(STAGE)/sam.yaml + deployment.zip (docs/deploy.md).
STAGE ?= prod
package: deps
	$(PY) -m infra.package --stage $(STAGE) --lint

clean:
	rm -rf var .mypy_cache .ruff_cache .pytest_cache
